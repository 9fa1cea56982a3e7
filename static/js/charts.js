// Draws the plotly figures embedded as JSON in <script type="application/json" data-chart="id">.
// The page (its numbers and tables) comes first: plotly.js, whose address is in this script tag's
// data-plotly, is fetched only once the page has loaded and a chart comes into view, and the charts
// are then drawn one at a time, each when it comes into view, so a slow phone stays responsive.
(function () {
  var script = document.currentScript;
  var plotlySrc = script && script.dataset.plotly;
  var config = { responsive: true, displaylogo: false, locale: document.documentElement.lang,
                 modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
  // On a phone a chart is first drawn as a picture (no mode bar, no hover layers): that halves the
  // drawing time. The first touch or click on it draws it again with hover and zoom.
  var narrow = window.matchMedia && window.matchMedia("(max-width: 767.98px)").matches;
  var firstConfig = narrow ? Object.assign({}, config, { staticPlot: true }) : config;
  var queue = [];
  var busy = false;
  var loading = null;

  function loadPlotly() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.Plotly) return resolve();
        var tag = document.createElement("script");
        tag.src = plotlySrc;
        tag.onload = resolve;
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  // a macrotask in between: the browser paints and answers input after plotly.js's evaluation and
  // between two charts, so no single task holds the main thread for both
  function yieldToMain() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  function makeInteractive(target, figure) {
    var upgrade = function () {
      target.removeEventListener("pointerdown", upgrade);
      window.Plotly.react(target, figure.data, figure.layout, config);
    };
    target.addEventListener("pointerdown", upgrade);
  }

  function drawNext() {
    if (busy || !queue.length) return;
    busy = true;
    var node = queue.shift();
    var next = function () { busy = false; drawNext(); };
    loadPlotly().then(yieldToMain).then(function () {
      var target = document.getElementById(node.dataset.chart);
      var figure = JSON.parse(node.textContent);
      var drawn = window.Plotly.newPlot(target, figure.data, figure.layout, firstConfig);
      if (firstConfig !== config) makeInteractive(target, figure);
      return drawn;
    }).then(next, next);
  }

  function start() {
    var nodes = document.querySelectorAll("script[data-chart]");
    var byTarget = {};
    nodes.forEach(function (node) {
      var target = document.getElementById(node.dataset.chart);
      if (!target) return;
      // the chart's room is kept from the start, so nothing below it moves when it is drawn
      if (target.dataset.height) target.style.minHeight = target.dataset.height + "px";
      byTarget[target.id] = node;
    });
    if (!("IntersectionObserver" in window)) {
      nodes.forEach(function (node) { queue.push(node); });
      return drawNext();
    }
    var observer = new IntersectionObserver(function (seen) {
      seen.forEach(function (item) {
        if (!item.isIntersecting) return;
        observer.unobserve(item.target);
        queue.push(byTarget[item.target.id]);
      });
      drawNext();
    }, { threshold: 0.25 }); // a quarter of it on screen: a chart at the bottom edge waits for a scroll
    Object.keys(byTarget).forEach(function (id) { observer.observe(document.getElementById(id)); });
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
