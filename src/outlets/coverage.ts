/** Coverage rates as purchases read them. Rates are exact decimal strings; apply them with decimal.js only. */
export interface CoverageInForce {
  versionId: string;
  effectiveFrom: string;
  rates: { category: string; rate: string }[];
}

/** The rate of a category: its own line, else the "*" line, else null (not covered at this outlet). */
export function rateFor(coverage: CoverageInForce, category: string): string | null {
  return coverage.rates.find((r) => r.category === category)?.rate ?? coverage.rates.find((r) => r.category === '*')?.rate ?? null;
}

/** "0.7000" (numeric(5,4)) → "0.70"; "0.3333" stays; "1.0000" → "1.00". */
export function formatRate(stored: string): string {
  const [whole, fraction = ''] = stored.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed.padEnd(2, '0')}`;
}
