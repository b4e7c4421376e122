// Draws the charts of the page from their json_script blocks (no inline script: strict CSP).
// Each element [data-chart="ID"] is drawn from <script id="ID" type="application/json">, a
// plotly figure built on the server (supervision/analytics/charts.py). A click on a point
// opens the URL the point carries in customdata: the rows behind the number.
(function () {
  "use strict";
  if (typeof window.Plotly === "undefined") { return; }
  var chinese = document.documentElement.lang === "zh-CN";

  function config(name) {
    var settings = {
      displaylogo: false,
      showSendToCloud: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      toImageButtonOptions: { filename: name, scale: 2 }
    };
    if (chinese) { settings.locale = "zh-CN"; }
    return settings;
  }

  function target(event) {
    var point = event && event.points && event.points[0];
    var url = point && point.customdata;
    // Only paths of this site: a figure is data, never a way to send the user elsewhere.
    if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") { return url; }
    return null;
  }

  function draw(element) {
    var name = element.getAttribute("data-chart");
    var source = document.getElementById(name);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, config(name)).then(function () {
      element.on("plotly_click", function (event) {
        var url = target(event);
        if (url) { window.location.assign(url); }
      });
      // A pointer over a point says that it can be clicked (plotly's drag layer shows a crosshair).
      element.on("plotly_hover", function (event) {
        element.classList.toggle("chart-link", target(event) !== null);
      });
      element.on("plotly_unhover", function () { element.classList.remove("chart-link"); });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
})();
