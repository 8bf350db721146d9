/* Dashboard charts (Chart.js 4, vendored). Data comes from the JSON block the server renders next to
   each chart's table, so the chart and its table always show the same numbers. */
(function () {
  "use strict";
  var charts = {};
  var KINDS = { by_year: "bar", by_content: "bar", by_province: "bar", by_status: "doughnut", targets: "bar" };
  var HORIZONTAL = { by_province: true, by_content: true, targets: true };
  // Darker shades than Bootstrap's defaults: bars keep 3:1 against the white chart area (WCAG 1.4.11).
  var COLORS = ["#0a58ca", "#0f7f5f", "#b35900", "#59359a", "#b02a37", "#146c43", "#087990", "#495057"];
  // Programme targets count people (trainees, workers) or things (establishments, machines, classes): the
  // two kinds go on two axes, people below the bars and the rest above, so neither dwarfs the other.
  var PEOPLE = /người|lao động|học viên/i;

  function locale() { return document.documentElement.lang === "en" ? "en" : "vi-VN"; }
  function number(v) { return v === null || v === undefined ? "" : Number(v).toLocaleString(locale()); }

  // A long category name on several short lines instead of a clipped one.
  function wrap(label, width) {
    var words = String(label).split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; } else { line = line ? line + " " + w : w; }
    });
    if (line) { lines.push(line); }
    if (lines.length > 3) { lines = lines.slice(0, 3); lines[2] = lines[2] + " …"; }
    return lines;
  }

  function unitsTitle(units) {
    var seen = [];
    units.forEach(function (u) { if (u && seen.indexOf(u) < 0) { seen.push(u); } });
    var shown = seen.slice(0, 3).join(", ");
    return "Số " + (seen.length > 3 ? shown + "…" : shown);
  }

  function targetsConfig(d) {
    var units = d.units || d.labels.map(function () { return ""; });
    var people = units.map(function (u) { return PEOPLE.test(u); });
    var groups = [
      { axis: "x", position: "bottom", rows: people.map(function (p) { return p; }) },
      { axis: "x2", position: "top", rows: people.map(function (p) { return !p; }) }
    ].filter(function (g) { return g.rows.some(Boolean); });
    var datasets = [], scales = {};
    groups.forEach(function (g, gi) {
      var groupUnits = units.filter(function (u, i) { return g.rows[i]; });
      scales[g.axis] = {
        type: "linear", position: g.position, beginAtZero: true,
        grid: { drawOnChartArea: gi === 0 },
        title: { display: true, text: unitsTitle(groupUnits) },
        ticks: { callback: function (v) { return number(v); } }
      };
      d.series.forEach(function (s, si) {
        datasets.push({
          label: s.label + (groups.length > 1 ? " (" + unitsTitle(groupUnits).replace(/^Số /, "") + ")" : ""),
          data: s.data.map(function (v, i) { return g.rows[i] ? v : null; }),
          xAxisID: g.axis,
          backgroundColor: COLORS[(gi * 2 + si) % COLORS.length]
        });
      });
    });
    return { datasets: datasets, scales: scales, units: units };
  }

  function size(canvas, rows) {
    var box = canvas.parentElement;
    if (box) { box.style.height = Math.max(260, rows * 56 + 130) + "px"; }
  }

  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || typeof Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var narrow = window.matchMedia && window.matchMedia("(max-width: 576px)").matches;
    Object.keys(charts).forEach(function (k) { charts[k].destroy(); delete charts[k]; });
    Object.keys(data).forEach(function (key) {
      var canvas = document.getElementById("chart-" + key);
      if (!canvas) { return; }
      var kind = KINDS[key] || "bar";
      var d = data[key];
      var horizontal = !!HORIZONTAL[key];
      var datasets = d.series.map(function (s, i) {
        return {
          label: s.label, data: s.data,
          backgroundColor: kind === "doughnut" ? COLORS : COLORS[i % COLORS.length]
        };
      });
      var scales;
      var units = null;
      if (key === "targets") {
        var t = targetsConfig(d);
        datasets = t.datasets; scales = t.scales; units = t.units;
      }
      if (horizontal) { size(canvas, d.labels.length * (key === "targets" ? 1 : Math.max(1, d.series.length / 2))); }
      var options = {
        // Numbers the Vietnamese way on axes and tooltips ("1.820"), like the tables beside the charts.
        locale: locale(),
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: horizontal ? "y" : "x",
        skipNull: true,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? d.labels[items[0].dataIndex] : ""; },
              label: function (ctx) {
                var v = horizontal ? ctx.parsed.x : ctx.parsed.y;
                if (kind === "doughnut") { v = ctx.parsed; }
                return ctx.dataset.label + ": " + number(v) + (units && units[ctx.dataIndex] ? " " + units[ctx.dataIndex] : "");
              }
            }
          }
        }
      };
      if (horizontal) {
        // The names stay whole in the chart's data (and its tooltips); only the axis writes them on lines.
        scales = scales || {};
        scales.y = {
          ticks: {
            autoSkip: false,
            callback: function (value) { return wrap(this.getLabelForValue(value), narrow ? 18 : 30); }
          }
        };
      }
      if (scales) { options.scales = scales; }
      charts[key] = new Chart(canvas, { type: kind, data: { labels: d.labels, datasets: datasets }, options: options });
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
