import { Decimal } from 'decimal.js';
import type { RunwayView, SolidarityView } from './report-views.js';
import { chart } from '../view/chart.js';
import { formatAmount, formatPeriod } from '../view/format.js';
import { html, type SafeHtml } from '../view/html.js';

const amount = (v: string | number) => formatAmount(String(v));

/**
 * The fund over the coming months under both scenarios of the report: what is available now, plus each month's
 * assumed income, minus each month's need (the report's own figures; nothing estimated here).
 */
export function runwayChart(v: RunwayView): SafeHtml {
  if (v.needs.length === 0) return html``;
  const project = (income: string) => {
    let fund = new Decimal(v.available);
    return v.needs.map((n) => (fund = fund.plus(income).minus(n.amount)).toFixed(2));
  };
  return chart({
    id: 'runway-chart',
    title: 'Fonds projeté sur les mois à venir',
    type: 'line',
    labels: v.needs.map((n) => formatPeriod(n.period)),
    series: [
      { label: 'Au rythme actuel des recettes', values: project(v.currentPace.monthlyIncome) },
      { label: 'Sans nouvelle subvention', values: project(v.noNewGrant.monthlyIncome) },
    ],
    format: amount,
    labelHeader: 'Mois',
  });
}

/** Contributions and allocations by income band (bands suppressed in a public report are left out of the chart). */
export function solidarityChart(v: SolidarityView): SafeHtml {
  const bands = v.bands.filter((b) => b.contributions !== null && b.allocations !== null);
  if (bands.length === 0) return html``;
  return chart({
    id: 'solidarity-chart',
    title: 'Cotisations et allocations par tranche de revenu',
    type: 'bar',
    labels: bands.map((b) => b.label),
    series: [
      { label: 'Cotisations', values: bands.map((b) => b.contributions!) },
      { label: 'Allocations', values: bands.map((b) => b.allocations!) },
    ],
    format: amount,
    labelHeader: 'Tranche de revenu',
  });
}
