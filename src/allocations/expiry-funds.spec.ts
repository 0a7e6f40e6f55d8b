import { formatMoney, money } from '../common/money/money.js';
import { type CreditSlice, expiryByFund } from './expiry-funds.js';

/** "fund:amount" → slice; null fund written "-". */
const slices = (...xs: string[]): CreditSlice[] =>
  xs.map((x) => {
    const [fund, amount] = x.split(':');
    return { fund: fund === '-' ? null : fund, amount: money(amount) };
  });
const show = (xs: CreditSlice[]) => xs.map((x) => `${x.fund ?? '-'}:${formatMoney(x.amount)}`);

describe('expiryByFund: 6571 credited back to the funds that paid the expiring money, oldest first', () => {
  it.each<[string, string[], string, string, string[]]>([
    // case                                                credits (oldest first)               balance   expiring  credited back to
    ['nothing spent, all expires', ['region:100.00', 'caf:100.00'], '200.00', '200.00', ['region:100.00', 'caf:100.00']],
    ['nothing spent, cap keeps the newest', ['region:100.00', 'caf:100.00'], '200.00', '100.00', ['region:100.00']],
    ['40 spent from the oldest, the rest of it expires first', ['region:100.00', 'caf:100.00'], '160.00', '100.00', ['region:60.00', 'caf:40.00']],
    ['the oldest month all spent', ['region:100.00', 'caf:100.00'], '70.00', '70.00', ['caf:70.00']],
    ['top-up credit: own part then the funder’s part', ['allocations:30.00', 'caf:60.00'], '90.00', '90.00', ['allocations:30.00', 'caf:60.00']],
    ['top-up credit, 40 spent', ['allocations:30.00', 'caf:60.00'], '50.00', '50.00', ['caf:50.00']],
    ['a refund left more than the credits explain: the rest on the run’s fund', ['caf:50.00'], '80.00', '80.00', ['caf:50.00', 'allocations:30.00']],
    ['no credit on record (before the split was kept)', [], '25.00', '25.00', ['allocations:25.00']],
    ['same fund twice merges', ['caf:10.00', 'caf:10.00'], '20.00', '15.00', ['caf:15.00']],
    ['unrestricted money', ['-:100.00'], '100.00', '0.01', ['-:0.01']],
  ])('%s', (_, credits, balance, expiring, expected) => {
    expect(show(expiryByFund(slices(...credits), money(balance), money(expiring), 'allocations'))).toEqual(expected);
  });
});
