/* Dashboard charts (Chart.js 4, vendored). Data comes from the JSON block the server renders next to
   each chart's table, so the chart and its table always show the same numbers. */
(function () {
  "use strict";
  var charts = {};
  var KINDS = { by_year: "bar", by_content: "bar", by_province: "bar", by_status: "doughnut", targets: "bar" };
  var COLORS = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754", "#0dcaf0", "#6c757d"];

  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || typeof Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    Object.keys(charts).forEach(function (k) { charts[k].destroy(); delete charts[k]; });
    Object.keys(data).forEach(function (key) {
      var canvas = document.getElementById("chart-" + key);
      if (!canvas) { return; }
      var kind = KINDS[key] || "bar";
      var d = data[key];
      charts[key] = new Chart(canvas, {
        type: kind,
        data: {
          labels: d.labels,
          datasets: d.series.map(function (s, i) {
            return {
              label: s.label, data: s.data,
              backgroundColor: kind === "doughnut" ? COLORS : COLORS[i % COLORS.length]
            };
          })
        },
        options: {
          // Numbers the Vietnamese way on axes and tooltips ("1.820"), like the tables beside the charts.
          locale: document.documentElement.lang === "en" ? "en" : "vi-VN",
          responsive: true, maintainAspectRatio: false, animation: false,
          indexAxis: key === "by_province" || key === "by_content" ? "y" : "x",
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }
  // The filters above the body are not swapped: set the period to what the server read (the accepted-report
  // source has no "today" and falls back to 6 months), so the form always says what is shown.
  function syncFilters() {
    var state = document.getElementById("dashboard-state");
    if (!state) { return; }
    var pairs = { "f-kind": state.dataset.kind };
    Object.keys(pairs).forEach(function (id) {
      var select = document.getElementById(id);
      if (select && pairs[id] !== undefined && select.value !== pairs[id]) { select.value = pairs[id]; }
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "dashboard-body") { syncFilters(); draw(); }
  });
})();
