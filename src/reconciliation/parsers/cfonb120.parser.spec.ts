import { cfonb120 } from '../../../test/support/statement-fixtures.js';
import { MalformedStatement } from '../statement.errors.js';
import { overpunchAmount, parseCfonb120 } from './cfonb120.parser.js';

const rib = { bank: '30004', branch: '00003', account: '12345678901' };
const file = (lines: string[]) => lines.join('\r\n') + '\r\n';
const refusal = (f: () => unknown): MalformedStatement => {
  try {
    f();
  } catch (e) {
    if (e instanceof MalformedStatement) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('CFONB 120 amounts: the overpunched last character', () => {
  it.each([
    ['{', '1.20'], ['A', '1.21'], ['B', '1.22'], ['C', '1.23'], ['D', '1.24'], ['E', '1.25'], ['F', '1.26'], ['G', '1.27'], ['H', '1.28'], ['I', '1.29'],
    ['}', '-1.20'], ['J', '-1.21'], ['K', '-1.22'], ['L', '-1.23'], ['M', '-1.24'], ['N', '-1.25'], ['O', '-1.26'], ['P', '-1.27'], ['Q', '-1.28'], ['R', '-1.29'],
  ])('"000000000001%s" with 2 decimals is %s', (c, expected) => {
    expect(overpunchAmount(`0000000000012${c}`, 2, 1).toFixed(2)).toBe(expected);
  });

  it.each([
    [0, '12345.00'], [1, '1234.50'], [2, '123.45'], [3, '12.345'], [4, '1.2345'], [5, '0.12345'], [6, '0.012345'], [7, '0.0012345'], [8, '0.00012345'], [9, '0.000012345'],
  ])('"0000000001234E" (12345) with %i decimals', (decimals, value) => {
    // 0 to 2 decimals give cents; more than 2 are refused unless what lies beyond the cent is zero.
    if (decimals <= 2) expect(overpunchAmount('0000000001234E', decimals, 1).toFixed(2)).toBe(value);
    else expect(refusal(() => overpunchAmount('0000000001234E', decimals, 7)).message).toMatch(/line 7: .*more than 2 decimals/);
  });

  it('accepts 3 decimals when the last is zero', () => {
    expect(overpunchAmount('0000000001234{', 3, 1).toFixed(2)).toBe('12.34');
  });

  it.each([
    ['0000000001234S', 'is not a sign character'],
    ['00000000012 4{', 'must be digits'],
    ['00000000001234', 'is not a sign character'],
  ])('refuses %s', (field, why) => {
    expect(refusal(() => overpunchAmount(field.slice(0, 14), 2, 3)).message).toContain(why);
  });
});

describe('CFONB 120 statements', () => {
  const statement = cfonb120(rib, {
    id: 'x',
    opening: '100.00',
    openingOn: '2026-11-02',
    closingOn: '2026-11-03',
    movements: [
      { amount: '-12.34', bookedOn: '2026-11-03', label: 'PRLV FOURNISSEUR', counterparty: 'ENERGIE SA', endToEndIds: ['E2E-0001'], remittance: 'FACTURE 42' },
      { amount: '50.00', bookedOn: '2026-11-03', label: 'VIR RECU', msgId: 'BATCH-7' },
    ],
  });

  it('reads opening, movements with their 05 complements, and closing', () => {
    const [s] = parseCfonb120(file(statement));
    expect(s).toMatchObject({ account: { rib }, fromDate: '2026-11-02', toDate: '2026-11-03', opening: '100.00', closing: '137.66' });
    expect(s.lines).toMatchObject([
      { sourceLine: 2, amount: '-12.34', label: 'PRLV FOURNISSEUR', counterpartyName: 'ENERGIE SA', endToEndIds: ['E2E-0001'], remittance: 'E2E-0001 FACTURE 42' },
      { amount: '50.00', endToEndIds: ['BATCH-7'] },
    ]);
  });

  it('reads several accounts in one file and skips blank lines', () => {
    const other = cfonb120({ ...rib, account: '00000000042' }, { id: 'y', opening: '0.00', openingOn: '2026-11-02', closingOn: '2026-11-03', movements: [] });
    expect(parseCfonb120(file([...statement, '', ...other])).map((s) => s.account.rib!.account)).toEqual(['12345678901', '00000000042']);
  });

  it.each<[string, (l: string[]) => string[], RegExp]>([
    ['a truncated line', (l) => [l[0], l[1].slice(0, 119), ...l.slice(2)], /line 2: 119 characters/],
    ['an over-long line', (l) => [l[0] + ' ', ...l.slice(1)], /line 1: 121 characters/],
    ['an unknown record code', (l) => [l[0], `03${l[1].slice(2)}`, ...l.slice(2)], /line 2: unknown record code "03"/],
    ['a missing closing record', (l) => l.slice(0, -1), /line 1: .*no closing balance/],
    ['a movement of another account', (l) => [l[0], `${l[1].slice(0, 21)}99999999999${l[1].slice(32)}`, ...l.slice(2)], /line 2: record 04 is for account 99999999999/],
    ['a 05 before any 04', (l) => [l[0], l[2], ...l.slice(3)], /line 2: complement record \(05\) without a movement/],
    ['a closing balance that does not add up', (l) => [...l.slice(0, -1), `${l.at(-1)!.slice(0, 90)}0000000099999{${l.at(-1)!.slice(104)}`], /closing balance is 9999\.90/],
    ['an impossible date', (l) => [l[0], `${l[1].slice(0, 34)}310226${l[1].slice(40)}`, ...l.slice(2)], /line 2: operation date .* "310226" is not a date/],
    ['a non-digit decimal count', (l) => [`${l[0].slice(0, 19)}X${l[0].slice(20)}`, ...l.slice(1)], /line 1: number of decimals/],
    ['another currency', (l) => [`${l[0].slice(0, 16)}USD${l[0].slice(19)}`, ...l.slice(1)], /line 1: currency "USD"/],
    ['a record outside a statement', (l) => [l[1], ...l], /line 1: record 04 outside a statement/],
  ])('refuses %s with its line', (_, mutate, why) => {
    expect(refusal(() => parseCfonb120(file(mutate(statement)))).message).toMatch(why);
  });
});
