// plotly.js with only what the dashboards draw, built by `make assets` (esbuild) from plotly.js's own
// modules: the bar and scatter traces, colour scales, the legend, hover labels and the mode bar. It
// follows plotly.js's src/core.js, less the components no chart here uses (annotations,
// sliders, menus, range sliders, images, selections), so phones parse less before a chart appears.
"use strict";
var Registry = require("plotly.js/src/registry");
var plotApi = require("plotly.js/src/plot_api");
require("plotly.js/build/plotcss");

var Plotly = { version: require("plotly.js/src/version").version, register: Registry.register };
Object.keys(plotApi).forEach(function (name) {
  if (name.charAt(0) !== "_") Plotly[name] = plotApi[name];
  Registry.register({ moduleType: "apiMethod", name: name, fn: plotApi[name] });
});
Registry.register(require("plotly.js/src/traces/scatter"));
Registry.register([
  require("plotly.js/src/components/shapes"), // the legend reads the layout's shapes
  require("plotly.js/src/components/colorscale"),
  require("plotly.js/src/components/legend"),
  require("plotly.js/src/components/fx"),
  require("plotly.js/src/components/modebar"),
  require("plotly.js/src/locale-en"),
  require("plotly.js/src/locale-en-us"),
]);
Registry.register(require("plotly.js/lib/bar"));

module.exports = Plotly;
