import type { BookLineView } from '../ledger/ledger.types.js';
import { type BankLineForMatch, planMatches } from './matching-rules.js';

let n = 0;
const book = (o: Partial<BookLineView> & { amount: string }): BookLineView => ({
  entryId: `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`,
  lineNo: 2,
  date: '2026-11-16',
  journal: 'BQ',
  label: '',
  pieceRef: `P${n}`,
  idempotencyKey: `k${n}`,
  debit: o.amount.startsWith('-') ? '0.00' : o.amount,
  credit: o.amount.startsWith('-') ? o.amount.slice(1) : '0.00',
  letter: null,
  letteredOn: null,
  ...o,
});
const bank = (o: Partial<BankLineForMatch> & { amount: string }): BankLineForMatch => ({
  id: `b${++n}`,
  bookedOn: '2026-11-17',
  reference: '',
  endToEndIds: [],
  batchRefs: [],
  counterpartyName: '',
  remittance: '',
  label: '',
  ...o,
});

describe('matching rules', () => {
  it.each<[string, BankLineForMatch, BookLineView[], string | null, number]>([
    // case                                bank line                                                         book lines                                                                                      rule            confidence
    ['our EndToEndId', bank({ amount: '-40.00', endToEndIds: ['E1'] }), [book({ amount: '-40.00', pieceRef: 'E1' })], 'end-to-end', 1],
    ['a payout run by its MsgId', bank({ amount: '-100.00', batchRefs: ['RUN'] }), [book({ amount: '-40.00', idempotencyKey: 'payout:RUN:E1' }), book({ amount: '-60.00', idempotencyKey: 'payout:RUN:E2' })], 'batch', 1],
    ['a returned payout', bank({ amount: '40.00', endToEndIds: ['E9'] }), [book({ amount: '40.00', idempotencyKey: 'payout-return:RUN:E9' })], 'end-to-end', 1],
    ['a rejected direct debit', bank({ amount: '-30.00', endToEndIds: ['DD-1-00001'] }), [book({ amount: '-30.00', idempotencyKey: 'dd-return:x', label: 'Retour prélèvement AM04 DD-1-00001' })], 'end-to-end', 1],
    ['a piece reference in the remittance', bank({ amount: '12.00', remittance: 'cotisation COT-abcdef' }), [book({ amount: '12.00', pieceRef: 'COT-abcdef', date: '2026-10-01' })], 'reference', 0.95],
    ['the same reference in the remittance and the label', bank({ amount: '12.00', remittance: 'cotisation COT-abcdef', label: 'VIR COT-abcdef' }), [book({ amount: '12.00', pieceRef: 'COT-abcdef', date: '2026-10-01' })], 'reference', 0.95],
    ['amount and date, alone in the window', bank({ amount: '250.00' }), [book({ amount: '250.00', date: '2026-11-13' })], 'amount-date', 0.9],
    ['amount and date, with the name', bank({ amount: '250.00', counterpartyName: 'Mécène SA' }), [book({ amount: '250.00', label: 'Don MECENE' }), book({ amount: '250.00', label: 'Autre' })], 'amount-date', 0.95],
    ['amount, two candidates: a proposal', bank({ amount: '250.00' }), [book({ amount: '250.00' }), book({ amount: '250.00' })], 'amount-date', 0.5],
    ['amount outside 3 business days', bank({ amount: '250.00' }), [book({ amount: '250.00', date: '2026-11-11' })], null, 0],
    ['the wrong sign', bank({ amount: '-250.00' }), [book({ amount: '250.00' })], null, 0],
  ])('%s', (_, line, books, rule, confidence) => {
    const [planned] = planMatches([line], books, []);
    if (rule === null) expect(planned).toBeUndefined();
    else expect(planned).toMatchObject({ bankLineId: line.id, rule, confidence });
  });

  it('settles a pending direct-debit batch named by its message id or one of its EndToEndIds', () => {
    const batch = { id: 'B', messageId: 'DD-2026-11-0001', builtOn: '2026-11-10', total: '40.00', endToEndIds: ['DD-2026-11-0001-00001', 'DD-2026-11-0001-00002'] };
    expect(planMatches([bank({ amount: '40.00', endToEndIds: ['DD-2026-11-0001-00002'] })], [], [batch])[0]).toMatchObject({ rule: 'direct-debit', settleBatch: batch });
    expect(planMatches([bank({ amount: '39.00', batchRefs: ['DD-2026-11-0001'] })], [], [batch])).toEqual([]);
    // Not before the batch was built: the settlement would be refused.
    expect(planMatches([bank({ amount: '40.00', batchRefs: ['DD-2026-11-0001'], bookedOn: '2026-11-09' })], [], [batch])).toEqual([]);
  });

  it('never uses a book line twice', () => {
    const only = book({ amount: '-40.00', pieceRef: 'E1' });
    const planned = planMatches([bank({ amount: '-40.00', endToEndIds: ['E1'] }), bank({ amount: '-40.00', endToEndIds: ['E1'] })], [only], []);
    expect(planned).toHaveLength(1);
  });
});
