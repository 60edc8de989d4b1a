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

  // Value over time: a line of the daily net worth with gaps where a day lacks a price (never a false dip), and
  // deposits and withdrawals as triangles (up, down) on the line, so a rise from money coming in is told apart.
  var history = document.getElementById('history-chart');
  if (history) {
    fetch(history.dataset.source, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) {
        throw new Error('the server answered ' + r.status);
      }
      return r.json();
    }).then(function (data) {
      var labels = data.points.map(function (p) { return p.day; });
      var values = data.points.map(function (p) { return p.value == null ? null : Number(p.value); });
      var flows = data.points.map(function (p, i) { return p.flow == null ? null : values[i]; });
      var rotations = data.points.map(function (p) { return p.flow != null && Number(p.flow) < 0 ? 180 : 0; });
      history.dataset.points = String(data.points.length);
      new Chart(history, {
        type: 'line',
        data: {
          labels: labels,
          datasets: [{
            label: 'net worth (' + data.base_currency + ')',
            data: values,
            borderColor: bar,
            backgroundColor: bar,
            borderWidth: 2,
            // a day with a value between two without one would draw nothing: it gets a dot
            pointRadius: values.map(function (v, i) {
              return v !== null && (i === 0 || values[i - 1] === null) && (i === values.length - 1
                  || values[i + 1] === null) ? 3 : 0;
            }),
            spanGaps: false
          }, {
            label: 'deposit ▲ / withdrawal ▼',
            data: flows,
            showLine: false,
            pointStyle: 'triangle',
            rotation: rotations,
            pointRadius: 6,
            borderColor: ink,
            backgroundColor: '#f5b400'
          }]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          interaction: { mode: 'index', intersect: false },
          plugins: {
            legend: { display: true, labels: { usePointStyle: true } },
            tooltip: {
              callbacks: {
                label: function (c) {
                  var p = data.points[c.dataIndex];
                  if (c.datasetIndex === 1) {
                    return p.flow == null ? null : 'deposits − withdrawals: ' + money.format(Number(p.flow));
                  }
                  return p.value == null ? 'no price for ' + p.unpriced.join(', ') : money.format(Number(p.value));
                }
              }
            }
          },
          scales: {
            x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: history.clientWidth < 500 ? 3 : 8 } },
            y: { ticks: { callback: function (v) { return compact.format(v); } } }
          }
        }
      });
      var status = document.getElementById('history-status');
      var gaps = values.filter(function (v) { return v === null; }).length;
      if (gaps > 0) {
        var note = document.createElement('span');
        note.id = 'history-gaps';
        note.textContent = ' ' + gaps.toLocaleString(locale) + ' of ' + values.length.toLocaleString(locale)
            + ' days lack a close for something held that day, so they have no value. ';
        status.insertBefore(note, status.lastElementChild);
      }
      status.dataset.loaded = 'true';
    }).catch(function (e) {
      document.getElementById('history-status').textContent = 'The value over time could not be read: ' + e.message
          + '. The table view may still show it.';
    });
  }
})();
