// Draws every <canvas data-chart="id-of-json-script" data-kind="bar|line"> with Chart.js.
(function () {
  "use strict";
  var palette = ["#0b6e4f", "#1d4ed8", "#b45309", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f"];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var kind = canvas.dataset.kind || "bar";
    data.datasets.forEach(function (set, i) {
      var color = palette[i % palette.length];
      set.borderColor = set.borderColor || color;
      set.backgroundColor = set.backgroundColor || color + (kind === "line" ? "33" : "cc");
      if (kind === "line" || set.type === "line") { set.spanGaps = false; set.pointRadius = 2; set.fill = false; }
    });
    var options = { responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { beginAtZero: true } }, plugins: { legend: { position: "bottom" } } };
    if (canvas.dataset.stacked === "true") {
      options.scales.x = { stacked: true }; options.scales.y.stacked = true;
    }
    canvas.chart = new Chart(canvas, { type: kind, data: data, options: options });
    canvas.dataset.drawn = "true";
  }
  function drawAll() { document.querySelectorAll("canvas[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); }
  else { drawAll(); }
})();
