import type { Column, Table, TabularDoc } from '../../common/tabular/tabular.types.js';
import type { AccountsLine, AnnualAccounts, YearColumn } from './annual-accounts.dto.js';

const fr = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function yearTable(title: string, rows: AccountsLine[], totals: YearColumn, a: AnnualAccounts): Table {
  const columns: Column[] = [
    { key: 'section', label: 'Rubrique', width: 2 },
    { key: 'label', label: 'Poste', width: 4 },
    { key: 'current', label: `Exercice ${a.fiscalYear.last.slice(0, 4)}`, kind: 'money' },
    { key: 'previous', label: `Exercice ${a.previousYear.last.slice(0, 4)}`, kind: 'money' },
  ];
  return { title, columns, rows: rows.map((r) => ({ ...r })), totals: { section: 'Total', label: '', ...totals } };
}

/** The annual accounts as a tabular document (PDF, XLSX): bilan, compte de résultat, fonds dédiés, subventions. */
export function annualAccountsDocument(a: AnnualAccounts): TabularDoc {
  const r = a.incomeStatement.totals;
  return {
    title: `Comptes annuels — ${a.caisse.name}`,
    subtitle: `Exercice du ${fr(a.fiscalYear.start)} au ${fr(a.fiscalYear.last)}${a.caisse.siren ? ` — SIREN ${a.caisse.siren}` : ''}${a.closing ? '' : ' — exercice non clôturé'}`,
    tables: [
      yearTable('Bilan — actif', a.balanceSheet.assets, a.balanceSheet.totals.assets, a),
      yearTable('Bilan — passif', a.balanceSheet.liabilities, a.balanceSheet.totals.liabilities, a),
      yearTable('Compte de résultat — produits', a.incomeStatement.revenue, r.revenue, a),
      yearTable('Compte de résultat — charges', [...a.incomeStatement.expenses, { section: 'Résultat', label: 'Excédent ou déficit', ...r.result }], r.expenses, a),
      {
        title: 'Annexe — fonds dédiés',
        columns: [
          { key: 'account', label: 'Compte' },
          { key: 'label', label: 'Financeur', width: 3 },
          { key: 'opening', label: 'À l’ouverture', kind: 'money' },
          { key: 'allotted', label: 'Reports de l’exercice', kind: 'money' },
          { key: 'released', label: 'Utilisations', kind: 'money' },
          { key: 'closing', label: 'À la clôture', kind: 'money' },
        ],
        rows: a.dedicatedFunds.map((f) => ({ ...f })),
      },
      {
        title: 'Annexe — subventions reçues et utilisées',
        columns: [
          { key: 'grant', label: 'Convention', width: 2 },
          { key: 'funder', label: 'Financeur' },
          { key: 'fund', label: 'Fonds' },
          { key: 'notified', label: 'Produit de l’exercice', kind: 'money' },
          { key: 'received', label: 'Encaissé', kind: 'money' },
          { key: 'released', label: 'Repris des fonds dédiés', kind: 'money' },
          { key: 'allotted', label: 'Reporté en fonds dédiés', kind: 'money' },
          { key: 'used', label: 'Utilisé', kind: 'money' },
        ],
        rows: a.grants.map((g) => ({ ...g })),
      },
    ],
    notes: [
      'Présentation du règlement ANC 2018-06 (montants nets). Les comptes de tiers sont classés à l’actif ou au passif selon le sens de leur solde.',
      'Fonds dédiés : ressources affectées (subventions, contributions fléchées) non utilisées à la clôture, reprises à mesure de leur utilisation.',
    ],
  };
}
