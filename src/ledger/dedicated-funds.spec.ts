import { money } from '../common/money/money.js';
import { planDedicatedFunds, type Restricted, type Usage } from './dedicated-funds.js';
import type { PostingLineInput } from './ledger.types.js';
import { balancedParts, LINES_PER_ENTRY } from './year-end-entries.js';

const r = (grant: string | null, fund: string | null, amount: string, funder = 'F1', publicFunder = true): Restricted => ({ grant, fund, funder, publicFunder, amount: money(amount) });
const u = (fund: string | null, amount: string, grant: string | null = null): Usage => ({ grant, fund, amount: money(amount) });
const flat = (moves: { grant: string | null; amount: { toFixed(n: number): string } }[]) => moves.map((m) => `${m.grant}:${m.amount.toFixed(2)}`);

describe('planDedicatedFunds', () => {
  it.each([
    // [case, openings, incomes, usages, releases, allotments]
    ['nothing used: the whole grant is allotted', [], [r('G1', 'alloc', '100.00')], [], [], ['G1:100.00']],
    ['fully used: nothing to allot', [], [r('G1', 'alloc', '100.00')], [u('alloc', '100.00')], [], []],
    ['used beyond the grant: unrestricted money paid the rest', [], [r('G1', 'alloc', '100.00')], [u('alloc', '150.00')], [], []],
    ['grants of a fund consumed in reference order', [], [r('G2', 'alloc', '50.00'), r('G1', 'alloc', '100.00')], [u('alloc', '120.00')], [], ['G2:30.00']],
    ['earlier fonds dédiés are used before the year\'s grants', [r('G0', 'alloc', '40.00')], [r('G1', 'alloc', '100.00')], [u('alloc', '60.00')], ['G0:40.00'], ['G1:80.00']],
    ['partly used earlier fonds dédiés: released as far as used', [r('G0', 'alloc', '40.00')], [], [u('alloc', '25.00')], ['G0:25.00'], []],
    ['another fund\'s spending leaves the grant untouched', [], [r('G1', 'ingenierie', '100.00')], [u('alloc', '80.00')], [], ['G1:100.00']],
    ['a line naming its grant uses that grant first', [], [r('G1', 'alloc', '100.00'), r('G2', 'alloc', '100.00')], [u('alloc', '30.00', 'G2')], [], ['G1:100.00', 'G2:70.00']],
    ['expiries net off: usage is what the fund really spent', [], [r('G1', 'alloc', '100.00')], [u('alloc', '0.00')], [], ['G1:100.00']],
    ['a cent stays a cent', [], [r('G1', 'alloc', '0.01')], [u('alloc', '0.00')], [], ['G1:0.01']],
  ] as const)('%s', (_case, openings, incomes, usages, releases, allotments) => {
    const plan = planDedicatedFunds([...openings], [...incomes], [...usages]);
    expect(flat(plan.releases)).toEqual(releases);
    expect(flat(plan.allotments)).toEqual(allotments);
  });

  it('keeps the funder and its kind on each move', () => {
    const plan = planDedicatedFunds([], [r('G9', 'alloc', '10.00', 'FOND', false)], []);
    expect(plan.allotments[0]).toMatchObject({ funder: 'FOND', publicFunder: false, fund: 'alloc', grant: 'G9' });
  });
});

describe('balancedParts', () => {
  it('leaves a short entry whole', () => {
    const lines = [{ account: '512', debit: '1.00' }, { account: '120', credit: '1.00' }];
    expect(balancedParts(lines)).toEqual([lines]);
  });

  it('cuts a long entry into balanced parts whose 580 lines cancel out', () => {
    const lines = Array.from({ length: LINES_PER_ENTRY * 2 + 3 }, (_, i) => ({ account: `4671-M${i}`, credit: '1.00' }));
    lines.push({ account: '512', debit: `${lines.length}.00` } as never);
    const parts = balancedParts(lines);
    expect(parts).toHaveLength(3);
    const net = (ls: PostingLineInput[]) => ls.reduce((s, l) => s.plus(l.debit ?? 0).minus(l.credit ?? 0), money(0));
    for (const p of parts) expect(net(p).toFixed(2)).toBe('0.00');
    const transit = parts.flat().filter((l) => l.account === '580');
    expect(net(transit).toFixed(2)).toBe('0.00');
    expect(parts.flat().filter((l) => l.account !== '580')).toHaveLength(lines.length);
  });
});
