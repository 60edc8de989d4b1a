// FolioSync console: draws each chart from the table beside it, so the chart and its table view show the same
// numbers. Served from the jar (the CSP allows no inline script); Chart.js comes from its webjar.
(function () {
  'use strict';
  if (typeof Chart === 'undefined') {
    return;
  }
  var ink = '#1d2330';
  var bar = '#2454c5';
  var negative = '#b42318';
  var locale = document.documentElement.lang || undefined;
  var money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  Chart.defaults.color = ink;
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  // A horizontal bar per part: its label is on the axis and its value at the bar's end, so nothing is told by
  // colour alone (a negative part, a short option, is drawn left of zero and its value carries the minus sign).
  document.querySelectorAll('canvas.bar-chart').forEach(function (canvas) {
    var table = document.getElementById(canvas.dataset.table);
    if (!table) {
      return;
    }
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr[data-value]'));
    var labels = rows.map(function (r) { return r.dataset.label; });
    var values = rows.map(function (r) { return Number(r.dataset.value); });
    canvas.parentElement.style.height = (48 + rows.length * 30) + 'px';
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [{
          label: canvas.getAttribute('aria-label'),
          data: values,
          backgroundColor: values.map(function (v) { return v < 0 ? negative : bar; }),
          borderColor: ink,
          borderWidth: values.map(function (v) { return v < 0 ? 2 : 0; }),
          borderDash: [4, 2]
        }]
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (c) { return money.format(c.parsed.x); } } }
        },
        scales: {
          x: { ticks: { maxRotation: 0, callback: function (v) { return compact.format(v); } } },
          y: { ticks: { autoSkip: false } }
        }
      }
    });
  });
})();
