// Runs the reference lz-string 1.5.0 over a batch, for the Python differential tests.
// stdin: {"op": "compress" | "decompress", "inputs": [string, ...]}
// stdout: [result, ...] (null where lz-string returns null)
"use strict";
const LZString = require("lz-string");

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const fn =
    request.op === "compress"
      ? LZString.compressToEncodedURIComponent
      : LZString.decompressFromEncodedURIComponent;
  const results = request.inputs.map((input) => {
    const out = fn(input);
    return out === undefined ? null : out;
  });
  process.stdout.write(JSON.stringify(results));
});
