// Reference timing for benchmarks/lz_decrypt_throughput.py: the same decrypt + decompress work
// done by Node crypto and JavaScript lz-string 1.5.0.
// stdin: {"cons_id", "secret", "timestamp", "min_seconds", "cases": [{"name", "response"}]}
// stdout: [{"name", "best_seconds", "median_seconds", "runs", "chars"}]
"use strict";
const crypto = require("crypto");
const LZString = require("lz-string");

function decrypt(response, key) {
  const decipher = crypto.createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  const plain = Buffer.concat([decipher.update(Buffer.from(response, "base64")), decipher.final()]);
  return LZString.decompressFromEncodedURIComponent(plain.toString("utf8"));
}

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const key = crypto
    .createHash("sha256")
    .update(req.cons_id + req.secret + req.timestamp, "utf8")
    .digest();
  const results = req.cases.map((c) => {
    let text = decrypt(c.response, key); // warm-up (JIT)
    for (let i = 0; i < 3; i++) text = decrypt(c.response, key);
    const times = [];
    const start = process.hrtime.bigint();
    while (times.length < 5 || Number(process.hrtime.bigint() - start) / 1e9 < req.min_seconds) {
      const t0 = process.hrtime.bigint();
      text = decrypt(c.response, key);
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    times.sort((a, b) => a - b);
    return {
      name: c.name,
      best_seconds: times[0],
      median_seconds: times[Math.floor(times.length / 2)],
      runs: times.length,
      chars: text.length,
    };
  });
  process.stdout.write(JSON.stringify(results));
});
