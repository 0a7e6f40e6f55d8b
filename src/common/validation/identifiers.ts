import { getCountrySpecifications, isSEPACountry, isValidBIC, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { luhnValid } from './validators.js';

/**
 * French business and bank identifiers (domain/bank-formats.md). Pure functions first, so settlements and
 * reconciliation reuse them; the class-validator decorators below only wrap them with a message naming the fault.
 */

const LA_POSTE_SIREN = '356000000';
/** La Poste's head office predates the exception and still follows Luhn (python-stdnum keeps the same carve-out). */
const LA_POSTE_HEAD_OFFICE = '35600000000048';

function digitSum(digits: string): number {
  let sum = 0;
  for (const d of digits) sum += Number(d);
  return sum;
}

/** Why a SIRET is refused, or undefined when it is valid. */
export function siretError(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{14}$/.test(value)) return 'must be exactly 14 digits (SIREN + NIC), without spaces';
  if (value.startsWith(LA_POSTE_SIREN) && value !== LA_POSTE_HEAD_OFFICE) {
    // La Poste ran out of Luhn-valid NICs: its establishments use "digit sum is a multiple of 5" instead.
    return digitSum(value) % 5 === 0 ? undefined : 'is not a valid La Poste SIRET (the sum of its digits must be a multiple of 5)';
  }
  if (!luhnValid(value.slice(0, 9))) return 'has a SIREN (first 9 digits) whose check digit is wrong';
  return luhnValid(value) ? undefined : 'has a wrong check digit (Luhn); check for a typo';
}

export function isSiret(value: unknown): value is string {
  return siretError(value) === undefined;
}

/** The SIREN (legal unit) a SIRET (establishment) belongs to. */
export function sirenOf(siret: string): string {
  return siret.slice(0, 9);
}

/** Electronic form of an IBAN: no spaces, upper case ("fr76 3000 …" → "FR763000…"). */
export function normalizeIban(value: string): string {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

/** Why an IBAN cannot receive a SEPA payout, or undefined when it can. Expects the electronic form. */
export function ibanError(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(value)) {
    return 'must be an IBAN: a country code, 2 check digits and the account number, e.g. FR76 3000 6000 0112 3456 7890 189';
  }
  const country = value.slice(0, 2);
  const spec = getCountrySpecifications()[country];
  if (!spec?.chars) return `does not start with the code of a country that uses IBANs (${country})`;
  if (!isSEPACountry(country)) return `is from ${country}, outside the SEPA area: payouts are SEPA credit transfers`;
  const { errorCodes } = validateIBAN(value);
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength)) return `must have ${spec.chars} characters for ${country} (it has ${value.length})`;
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANFormat)) return `does not follow the account number format of ${country}`;
  // A typo breaks both the mod-97 digits and the RIB key: name the IBAN's own check first, the key only when alone.
  if (errorCodes.includes(ValidationErrorsIBAN.WrongIBANChecksum) || errorCodes.includes(ValidationErrorsIBAN.ChecksumNotNumber)) {
    return 'has wrong check digits (mod 97); check for a typo';
  }
  if (errorCodes.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum)) return 'has a wrong national check key (the RIB key for a French IBAN)';
  if (errorCodes.length) return 'is not a valid IBAN';
  return undefined;
}

export function isIban(value: unknown): value is string {
  return ibanError(value) === undefined;
}

export function normalizeBic(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** BIC (ISO 9362): 4 letters institution, 2 letters country, 2 location, optional 3 branch. */
export function bicError(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value)) {
    return 'must be a BIC of 8 or 11 characters, e.g. AGRIFRPP or AGRIFRPP882';
  }
  return isValidBIC(value) ? undefined : `has an unknown country code (${value.slice(4, 6)})`;
}

export function isBic(value: unknown): value is string {
  return bicError(value) === undefined;
}

/** Letters to digits for ISO 7064 mod 97-10 (A=10 … Z=35). */
function mod97(s: string): number {
  let rest = 0;
  for (const ch of s) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/**
 * Creditor identifier (ICS): country, 2 check digits, a 3-character business code that the check ignores, then the
 * national id; the check digits are mod 97-10 over national id + country + "00". French ICS: FRkkZZZnnnnnn (13).
 */
export function icsError(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/.test(value)) return 'must be a SEPA creditor identifier, e.g. FR72ZZZ123456';
  if (value.startsWith('FR') && value.length !== 13) return 'a French creditor identifier has 13 characters (FRkkZZZnnnnnn)';
  const check = 98 - mod97(`${value.slice(7)}${value.slice(0, 2)}00`);
  return check === Number(value.slice(2, 4)) ? undefined : 'has wrong check digits; check for a typo';
}

/** What a non-treasurer may see of an IBAN: country, check digits and the last 4 characters. */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)}${'*'.repeat(Math.max(iban.length - 8, 0))}${iban.slice(-4)}`;
}

function identifierDecorator(name: string, error: (value: unknown) => string | undefined, options: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (args) => `${args.property} ${error(args.value) ?? 'is not valid'}`, ...options },
      validator: { validate: (value: unknown) => error(value) === undefined },
    });
}

/** A SIRET passing Luhn (or La Poste's digit-sum rule); the message says which check failed. */
export const IsSiret = (options: ValidationOptions = {}): PropertyDecorator => identifierDecorator('isSiret', siretError, options);

/** A SEPA IBAN in electronic form (normalise it with @Transform first); the message says which check failed. */
export const IsIban = (options: ValidationOptions = {}): PropertyDecorator => identifierDecorator('isIban', ibanError, options);

export const IsBic = (options: ValidationOptions = {}): PropertyDecorator => identifierDecorator('isBic', bicError, options);

/** A SEPA creditor identifier (ICS); the message says which check failed. */
export const IsCreditorId = (options: ValidationOptions = {}): PropertyDecorator => identifierDecorator('isIcs', icsError, options);
