import { formatMoney, money } from '../common/money/money.js';
import { monthGift, monthGiftParts } from './month-gift.js';

describe('monthGiftParts: the 7541 part of a member month, allocation 100', () => {
  it.each<[string, string[], string[], string]>([
    // case                          payments              gift per payment        month gift
    ['240 at once', ['240.00'], ['140.00'], '140.00'],
    ['120 + 120', ['120.00', '120.00'], ['20.00', '120.00'], '140.00'],
    ['60 + 60', ['60.00', '60.00'], ['0.00', '20.00'], '20.00'],
    ['60 + 40 exactly the allocation', ['60.00', '40.00'], ['0.00', '0.00'], '0.00'],
    ['30 + 30 + 30 below it', ['30.00', '30.00', '30.00'], ['0.00', '0.00', '0.00'], '0.00'],
    ['99.99 + 0.02 crosses by a cent', ['99.99', '0.02'], ['0.00', '0.01'], '0.01'],
    ['150 then 10: all of the later one', ['150.00', '10.00'], ['50.00', '10.00'], '60.00'],
    ['after a refund of the first of 120 + 120', ['120.00'], ['20.00'], '20.00'],
  ])('%s', (_, payments, parts, total) => {
    const amounts = payments.map((p) => money(p));
    expect(monthGiftParts(amounts, money('100.00')).map(formatMoney)).toEqual(parts);
    expect(formatMoney(monthGift(amounts, money('100.00')))).toBe(total);
  });

  it('books no gift when the rule is off or the allocation is not known ahead (null threshold)', () => {
    expect(monthGiftParts([money('500.00'), money('1.00')], null).map(formatMoney)).toEqual(['0.00', '0.00']);
    expect(formatMoney(monthGift([money('500.00')], null))).toBe('0.00');
  });
});
