// Draws every plotly figure embedded as JSON in <script type="application/json" data-chart="id">.
(function () {
  function draw() {
    document.querySelectorAll("script[data-chart]").forEach(function (node) {
      var target = document.getElementById(node.dataset.chart);
      if (!target || !window.Plotly) return;
      var figure = JSON.parse(node.textContent);
      var config = { responsive: true, displaylogo: false, locale: document.documentElement.lang,
                     modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
      window.Plotly.newPlot(target, figure.data, figure.layout, config);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
