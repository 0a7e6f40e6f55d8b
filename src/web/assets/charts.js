/* global document, window */
// Draws every <figure class="chart"> from its JSON data block (no inline script: the CSP forbids it).
const PALETTE = ['#00449e', '#b35900', '#1e6b2e', '#7a1f8f', '#4a4a4a'];

function draw(figure) {
  const Chart = window.Chart;
  const block = document.getElementById(figure.dataset.chart);
  const canvas = figure.querySelector('canvas');
  if (!Chart || !block || !canvas) return;
  const spec = JSON.parse(block.textContent);
  const doughnut = spec.type === 'doughnut';
  new Chart(canvas, {
    type: spec.type,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        borderColor: doughnut ? '#ffffff' : PALETTE[i % PALETTE.length],
        backgroundColor: doughnut ? spec.labels.map((_, j) => PALETTE[j % PALETTE.length]) : PALETTE[i % PALETTE.length],
        fill: false,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: 'fr-FR',
      // Counts (votes, people) have no fractions: whole-number ticks only.
      ...(spec.integer && !doughnut ? { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } : {}),
    },
  });
}

document.querySelectorAll('figure.chart').forEach(draw);
