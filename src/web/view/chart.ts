import { html, jsonScript, type SafeHtml } from './html.js';

export interface ChartSeries {
  label: string;
  /** One value per label, as decimal strings (amounts) or numbers (counts). */
  values: (string | number)[];
}

export interface ChartOptions {
  /** Unique in the page; the canvas, data block and table ids derive from it. */
  id: string;
  title: string;
  type: 'line' | 'bar' | 'doughnut';
  labels: string[];
  series: ChartSeries[];
  /** How a value shows in the table (e.g. formatAmount); the chart itself gets plain numbers. */
  format?: (value: string | number) => string;
  /** The column header of the labels in the table. */
  labelHeader?: string;
  /** Counts (votes, people): the value axis shows whole numbers only. */
  integer?: boolean;
}

/**
 * A chart that works under the strict CSP: a canvas, its data in a `<script type="application/json">` block that
 * charts.js (an ES module of /assets) hands to Chart.js, and the same figures as a table for screen readers and for
 * anyone without scripts. Pages using it load the scripts 'chart.umd.min.js' and 'charts.js'.
 */
export function chart(o: ChartOptions): SafeHtml {
  const format = o.format ?? ((v: string | number) => String(v));
  const data = { type: o.type, labels: o.labels, series: o.series.map((s) => ({ label: s.label, values: s.values.map(Number) })), ...(o.integer ? { integer: true } : {}) };
  return html`<figure class="chart" data-chart="${o.id}-data">
  <figcaption id="${o.id}-caption">${o.title}</figcaption>
  <div class="chart-canvas"><canvas id="${o.id}" role="img" aria-label="${o.title} (les données sont dans le tableau qui suit)"></canvas></div>
  ${jsonScript(`${o.id}-data`, data)}
  <table class="chart-table sr-only" aria-labelledby="${o.id}-caption">
    <thead><tr><th scope="col">${o.labelHeader ?? 'Période'}</th>${o.series.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
    <tbody>
      ${o.labels.map((label, i) => html`<tr><th scope="row">${label}</th>${o.series.map((s) => html`<td>${format(s.values[i])}</td>`)}</tr>`)}
    </tbody>
  </table>
</figure>`;
}
