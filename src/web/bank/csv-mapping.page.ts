import type { BankAccountDto } from '../../ledger/dto/treasury.dto.js';
import { field, type FieldErrors, formError, notice, postForm, select } from '../view/forms.js';
import { html, type SafeHtml } from '../view/html.js';
import type { PageContext } from '../view/page-context.js';

/** The CSV columns a mapping names: the form field, the DTO's error key, its label and whether it is required. */
export const CSV_COLUMNS = [
  { key: 'date', label: 'Colonne de la date d’opération', required: true, hint: 'Son titre exact dans la première ligne du fichier, par exemple « Date ».' },
  { key: 'label', label: 'Colonne du libellé', required: true, hint: 'Par exemple « Libellé ».' },
  { key: 'amount', label: 'Colonne du montant signé', required: false, hint: 'Un seul montant, négatif pour un débit. Sinon, remplissez débit et crédit.' },
  { key: 'debit', label: 'Colonne des débits', required: false, hint: 'Avec la colonne des crédits, quand le fichier sépare les deux.' },
  { key: 'credit', label: 'Colonne des crédits', required: false },
  { key: 'reference', label: 'Colonne de la référence', required: false, hint: 'Facultatif : aide le rapprochement automatique.' },
  { key: 'valueDate', label: 'Colonne de la date de valeur', required: false, hint: 'Facultatif.' },
  { key: 'counterparty', label: 'Colonne du tiers', required: false, hint: 'Facultatif.' },
] as const;
export type CsvColumnKey = (typeof CSV_COLUMNS)[number]['key'];
/** The form's field name of a column (`col-date`…), kept apart from the settings' names. */
export const columnField = (key: CsvColumnKey) => `col-${key}`;

export const DELIMITERS = [
  { value: ';', label: 'Point-virgule ( ; )' },
  { value: ',', label: 'Virgule ( , )' },
  { value: 'tab', label: 'Tabulation' },
];
const DECIMALS = [
  { value: ',', label: 'Virgule (1 234,50)' },
  { value: '.', label: 'Point (1234.50)' },
];
const DATE_FORMATS = [
  { value: 'DD/MM/YYYY', label: 'JJ/MM/AAAA (05/12/2026)' },
  { value: 'YYYY-MM-DD', label: 'AAAA-MM-JJ (2026-12-05)' },
];

export interface CsvMappingView {
  account: BankAccountDto;
  /** The form's values, by field name (delimiter, decimalSeparator, dateFormat, col-…). */
  values: Record<string, string>;
  saved: boolean;
  errors?: FieldErrors;
  error?: string;
  done?: string;
}

/** The form that tells the CSV import how to read this account's bank export (the API's PUT …/csv-mapping). */
export function csvMappingPage(ctx: PageContext, v: CsvMappingView): SafeHtml {
  const base = `/caisses/${ctx.caisse!.id}/banque`;
  const a = v.account;
  return html`${notice(v.done)}${formError(v.error)}
<p>Compte ${a.account} — ${a.label}${a.iban ? html` (IBAN ${a.iban})` : ''}. ${
    v.saved ? 'Une lecture est enregistrée : la modifier vaut pour les prochains imports.' : 'Aucune lecture n’est encore enregistrée : un relevé CSV de ce compte serait refusé.'
  }</p>
<p>Le fichier CSV exporté par la banque a une première ligne de titres ; indiquez ici comment le lire. Les titres se comparent tels quels (majuscules et accents compris).</p>
${postForm(
  ctx,
  `${base}/comptes/${a.account}/lecture-csv`,
  html`<fieldset><legend>Format du fichier</legend>
  ${select({ name: 'delimiter', label: 'Séparateur de colonnes', value: v.values.delimiter, errors: v.errors, required: true, options: DELIMITERS })}
  ${select({ name: 'decimalSeparator', label: 'Séparateur décimal des montants', value: v.values.decimalSeparator, errors: v.errors, required: true, options: DECIMALS })}
  ${select({ name: 'dateFormat', label: 'Format des dates', value: v.values.dateFormat, errors: v.errors, required: true, options: DATE_FORMATS })}
  </fieldset>
  <fieldset><legend>Titres des colonnes</legend>
  ${CSV_COLUMNS.map((c) =>
    field({ name: columnField(c.key), errorKey: `columns.${c.key}`, label: c.label, value: v.values[columnField(c.key)], errors: v.errors, required: c.required, hint: 'hint' in c ? c.hint : undefined }),
  )}
  </fieldset>`,
  'Enregistrer la lecture CSV',
)}
<p><a href="${base}">Retour à la banque</a></p>`;
}
