export type AccountKind =
  | 'bank'
  | 'receivable'
  | 'wallet'
  | 'payable'
  | 'expense'
  | 'income'
  | 'equity'
  | 'dedicated-fund'
  | 'asset'
  | 'third-party'
  | 'liability'
  | 'suspense';
export type Side = 'D' | 'C';

export interface ChartAccount {
  number: string;
  label: string;
  side: Side;
  kind: AccountKind;
  /** Accounts kept per member/outlet/funder (the FEC's CompAuxNum). */
  auxiliary?: boolean;
  noOverdraft?: boolean;
}

/** Default chart of a caisse (associations' chart, ANC 2018-06), from domain/accounting.md. Labels may be renamed. */
export const DEFAULT_CHART: ChartAccount[] = [
  { number: '110', label: 'Report à nouveau (solde créditeur)', side: 'C', kind: 'equity' },
  { number: '119', label: 'Report à nouveau (solde débiteur)', side: 'D', kind: 'equity' },
  { number: '120', label: "Résultat de l'exercice (excédent)", side: 'C', kind: 'equity' },
  { number: '129', label: "Résultat de l'exercice (déficit)", side: 'D', kind: 'equity' },
  { number: '194', label: 'Fonds dédiés sur subventions de fonctionnement', side: 'C', kind: 'dedicated-fund', auxiliary: true },
  { number: '195', label: 'Fonds dédiés sur contributions financières d’autres organismes', side: 'C', kind: 'dedicated-fund', auxiliary: true },
  { number: '401', label: 'Points de vente conventionnés', side: 'C', kind: 'payable', auxiliary: true },
  { number: '411', label: 'Adhérents — cotisations appelées', side: 'D', kind: 'receivable', auxiliary: true },
  { number: '441', label: 'Subventions à recevoir', side: 'D', kind: 'receivable', auxiliary: true },
  { number: '4671', label: 'Droits alimentaires des adhérents', side: 'C', kind: 'wallet', auxiliary: true, noOverdraft: true },
  { number: '4687', label: 'Produits à recevoir — autres contributeurs', side: 'D', kind: 'receivable', auxiliary: true },
  { number: '512', label: 'Banque', side: 'D', kind: 'bank' },
  // Cash and cheques are money the caisse holds (kind bank, so fund figures count them) until deposited through 580.
  { number: '5112', label: 'Chèques à encaisser', side: 'D', kind: 'bank', noOverdraft: true },
  { number: '530', label: 'Caisse (espèces)', side: 'D', kind: 'bank', noOverdraft: true },
  { number: '580', label: 'Virements internes', side: 'D', kind: 'bank' },
  { number: '471', label: "Compte d'attente", side: 'D', kind: 'suspense' },
  { number: '487', label: "Produits constatés d'avance", side: 'C', kind: 'liability' },
  { number: '421', label: 'Personnel — rémunérations dues', side: 'C', kind: 'liability' },
  { number: '431', label: 'Sécurité sociale', side: 'C', kind: 'liability' },
  { number: '613', label: 'Locations', side: 'D', kind: 'expense' },
  { number: '616', label: "Primes d'assurance", side: 'D', kind: 'expense' },
  { number: '624', label: 'Transports de biens et transports collectifs du personnel', side: 'D', kind: 'expense' },
  { number: '641', label: 'Rémunérations du personnel', side: 'D', kind: 'expense' },
  { number: '645', label: 'Charges de sécurité sociale et de prévoyance', side: 'D', kind: 'expense' },
  { number: '6571', label: 'Aides alimentaires attribuées', side: 'D', kind: 'expense' },
  { number: '627', label: 'Services bancaires', side: 'D', kind: 'expense' },
  { number: '6894', label: 'Dotations aux fonds dédiés sur subventions', side: 'D', kind: 'expense' },
  { number: '6895', label: 'Dotations aux fonds dédiés sur contributions d’autres organismes', side: 'D', kind: 'expense' },
  { number: '741', label: "Subventions d'exploitation", side: 'C', kind: 'income', auxiliary: true },
  { number: '7541', label: 'Dons manuels', side: 'C', kind: 'income' },
  { number: '7542', label: 'Mécénat', side: 'C', kind: 'income' },
  { number: '7551', label: 'Contributions financières d’autres organismes', side: 'C', kind: 'income' },
  { number: '756', label: 'Cotisations', side: 'C', kind: 'income' },
  { number: '7894', label: 'Reprises sur fonds dédiés sur subventions', side: 'C', kind: 'income' },
  { number: '7895', label: 'Reprises sur fonds dédiés sur contributions d’autres organismes', side: 'C', kind: 'income' },
];

const BY_NUMBER = new Map(DEFAULT_CHART.map((a) => [a.number, a]));

export function chartAccount(number: string): ChartAccount | undefined {
  return BY_NUMBER.get(number);
}

/** Account code as used in the API: "512", or "4671-M000042" for an auxiliary account. */
export function accountCode(number: string, aux = ''): string {
  return aux ? `${number}-${aux}` : number;
}

export const AUX_PATTERN = /^[A-Z0-9]{1,17}$/;
