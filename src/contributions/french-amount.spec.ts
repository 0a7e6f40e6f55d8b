import { amountInWords } from './french-amount.js';

describe('amountInWords', () => {
  it.each<[string, string]>([
    ['0.00', 'zéro euro'],
    ['1.00', 'un euro'],
    ['0.01', 'zéro euro et un centime'],
    ['21.00', 'vingt et un euros'],
    ['71.00', 'soixante et onze euros'],
    ['80.00', 'quatre-vingts euros'],
    ['81.00', 'quatre-vingt-un euros'],
    ['91.00', 'quatre-vingt-onze euros'],
    ['99.99', 'quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes'],
    ['100.00', 'cent euros'],
    ['200.00', 'deux cents euros'],
    ['201.00', 'deux cent un euros'],
    ['1000.00', 'mille euros'],
    ['80000.00', 'quatre-vingt mille euros'],
    ['200000.00', 'deux cent mille euros'],
    ['1234.56', 'mille deux cent trente-quatre euros et cinquante-six centimes'],
    ['1000000.00', "un million d'euros"],
    ['2000300.00', 'deux millions trois cents euros'],
  ])('%s → %s', (amount, words) => {
    expect(amountInWords(amount)).toBe(words);
  });
});
