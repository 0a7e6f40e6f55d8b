import type { AccountKind, Side } from './chart.js';

/**
 * Prefixes whose accounts the system opens and posts itself (one auxiliary per member, outlet or funder): a caisse
 * adding e.g. 4011 would split the outlets' payables over two accounts nobody settles. 512x are opened through
 * the bank-accounts API, with their IBAN.
 */
export const FIXED_PREFIXES: { prefix: string; owner: string }[] = [
  { prefix: '4671', owner: 'member wallets' },
  { prefix: '401', owner: 'outlets' },
  { prefix: '441', owner: 'public funders' },
  { prefix: '4687', owner: 'other funders' },
  { prefix: '411', owner: 'members (dues called)' },
  { prefix: '512', owner: 'bank accounts (use …/bank-accounts)' },
];

export const AUXILIARY_KINDS = ['supplier', 'employee', 'customer', 'other'] as const;
export type AuxiliaryKind = (typeof AUXILIARY_KINDS)[number];

/** Why a number cannot be a caisse's own account, or undefined when it can. */
export function customNumberError(number: unknown): string | undefined {
  if (typeof number !== 'string' || !/^[0-9]+$/.test(number)) return 'must be digits only, e.g. 6226';
  if (number.length < 3 || number.length > 10) return 'must have 3 to 10 digits (the FEC needs the 3-digit PCG account first)';
  if (!/^[1-7]/.test(number)) return 'must be of a class 1 to 7 of the PCG (8 and 9 are not kept in these books)';
  const fixed = FIXED_PREFIXES.find((f) => number.startsWith(f.prefix));
  if (fixed) return `starts with ${fixed.prefix}, which the system keeps for ${fixed.owner}`;
  return undefined;
}

/**
 * Normal side and kind from the PCG class: contra-accounts (amortissements 28, dépréciations 29/39/49/59) and the
 * debit-side headings of class 1 (119 report à nouveau débiteur, 129 déficit, 109 capital non appelé) are the
 * exceptions. Class 4 sides follow the usual balances (41 clients, 46 débiteurs divers, 47x, 486 charges constatées
 * d'avance are debit; 40, 42–45, 487 credit). Kinds keep the fund figures meaningful: a caisse's own class-4
 * account is "third-party", never "receivable", so it does not count as money promised to allocations.
 */
export function sideAndKindOf(number: string): { side: Side; kind: AccountKind } {
  const cls = number[0];
  const two = number.slice(0, 2);
  const three = number.slice(0, 3);
  switch (cls) {
    case '1':
      return { side: ['109', '119', '129'].includes(three) ? 'D' : 'C', kind: 'equity' };
    case '2':
    case '3':
      return { side: ['28', '29', '39'].includes(two) ? 'C' : 'D', kind: 'asset' };
    case '4': {
      const debit = ['41', '46', '47'].includes(two) || three === '486' || three === '409';
      return { side: debit ? 'D' : 'C', kind: 'third-party' };
    }
    case '5':
      return { side: two === '59' || three === '519' ? 'C' : 'D', kind: 'bank' };
    case '6':
      return { side: 'D', kind: 'expense' };
    default:
      return { side: 'C', kind: 'income' };
  }
}

/** Start (YYYY-MM-DD) of the fiscal year holding a date, for a fiscal year starting on the 1st of startMonth. */
export function fiscalYearOf(date: string, startMonth: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const y = month < startMonth ? year - 1 : year;
  return `${String(y).padStart(4, '0')}-${String(startMonth).padStart(2, '0')}-01`;
}

/** First day after the fiscal year starting at `start`. */
export function fiscalYearEnd(start: string): string {
  return `${String(Number(start.slice(0, 4)) + 1).padStart(4, '0')}${start.slice(4)}`;
}

