import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { bicError, ibanError, IsBic, IsIban, IsSiret, maskIban, normalizeBic, normalizeIban, siretError, sirenOf } from './identifiers.js';

describe('siretError', () => {
  it.each([
    ['73282932000074', 'a Luhn-valid SIRET of a Luhn-valid SIREN'],
    ['35600000049837', 'a La Poste establishment: digit sum 45, a multiple of 5, though not Luhn-valid'],
    ['35600000000048', "La Poste's head office, which still follows Luhn"],
  ])('accepts %s (%s)', (siret) => expect(siretError(siret)).toBeUndefined());

  it.each([
    ['73282932000075', /Luhn/],
    ['7328293200007', /14 digits/],
    ['732829320000741', /14 digits/],
    ['7328293200007A', /14 digits/],
    ['732 829 320 00074', /14 digits/],
    [73282932000074, /14 digits/],
    [null, /14 digits/],
    // SIRET Luhn-valid but its SIREN is not: 732829321 + a NIC chosen to fix the total.
    ['73282932100007', /SIREN/],
    ['35600000000013', /La Poste/],
    // Luhn-valid, but La Poste establishments follow the digit-sum rule instead.
    ['35600000000014', /La Poste/],
  ])('refuses %j', (siret, message) => expect(siretError(siret)).toMatch(message));

  it('derives the SIREN', () => expect(sirenOf('73282932000074')).toBe('732829320'));
});

describe('ibanError', () => {
  it.each([
    'FR7630006000011234567890189',
    'FR1420041010050500013M02606', // letters in the account number
    'FR7630004000031234567890143',
    'DE89370400440532013000',
    'MC5811222000010123456789030', // Monaco: SEPA, not EU
    'CH9300762011623852957',
  ])('accepts %s', (iban) => expect(ibanError(iban)).toBeUndefined());

  it.each([
    ['FR7630006000011234567890188', /check digits/],
    ['FR7630006000011234567890A89', /check digits/],
    ['FR0630006000011234567890188', /RIB key/], // mod 97 right, RIB key wrong
    ['FR763000600001123456789018', /27 characters/],
    ['XX7630006000011234567890189', /country/],
    ['BR1800360305000010009795493C1', /SEPA/],
    ['FR76 3000 6000 0112 3456 7890 189', /must be an IBAN/], // not normalised
    ['fr7630006000011234567890189', /must be an IBAN/],
    ['', /must be an IBAN/],
    [42, /must be an IBAN/],
  ])('refuses %j', (iban, message) => expect(ibanError(iban)).toMatch(message));

  it.each([
    ['fr76 3000 6000 0112 3456 7890 189', 'FR7630006000011234567890189'],
    ['FR76-3000-6000-0112-3456-7890-189', 'FR7630006000011234567890189'],
    ['\tFR7630006000011234567890189 ', 'FR7630006000011234567890189'],
  ])('normalises %j', (raw, electronic) => expect(normalizeIban(raw)).toBe(electronic));

  it('masks all but the country, check digits and last four characters', () => {
    expect(maskIban('FR7630006000011234567890189')).toBe('FR76*******************0189');
  });
});

describe('bicError', () => {
  it.each(['AGRIFRPP', 'AGRIFRPP882', 'PSSTFRPPMON', 'BNPAFRPPXXX'])('accepts %s', (bic) => expect(bicError(bic)).toBeUndefined());
  it.each([
    ['AGRIFRP', /8 or 11/],
    ['AGRIFRPP88', /8 or 11/],
    ['1GRIFRPP', /8 or 11/],
    ['agrifrpp', /8 or 11/],
    ['BNPAXXPP', /country code \(XX\)/],
    [undefined, /8 or 11/],
  ])('refuses %j', (bic, message) => expect(bicError(bic)).toMatch(message));
  it('normalises case and spaces', () => expect(normalizeBic(' agri frpp ')).toBe('AGRIFRPP'));
});

describe('decorators', () => {
  class Payee {
    @IsSiret() siret: unknown;
    @IsIban() iban: unknown;
    @IsBic() bic: unknown;
  }
  const errors = (value: Record<string, unknown>) =>
    Object.fromEntries(validateSync(plainToInstance(Payee, value)).map((e) => [e.property, Object.values(e.constraints ?? {})]));

  it('passes valid identifiers', () => {
    expect(errors({ siret: '73282932000074', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' })).toEqual({});
  });

  it('names the field and the failed check in each message', () => {
    expect(errors({ siret: '73282932000075', iban: 'FR763000600001123456789018', bic: 'AGRI' })).toEqual({
      siret: ['siret has a wrong check digit (Luhn); check for a typo'],
      iban: ['iban must have 27 characters for FR (it has 26)'],
      bic: ['bic must be a BIC of 8 or 11 characters, e.g. AGRIFRPP or AGRIFRPP882'],
    });
  });
});
