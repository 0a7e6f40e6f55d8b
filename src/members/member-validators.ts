import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { todayInFrance } from '../common/dates.js';
import { luhnValid } from '../common/validation/validators.js';

function decorator(name: string, message: string, validate: (value: unknown) => boolean, options: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({ name, target: target.constructor, propertyName: propertyName as string, options: { message, ...options }, validator: { validate } });
}

/** Checked against today's year at validation time, not at boot: a server running over New Year stays right. */
export function isPastYear(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1900 && (value as number) <= Number(todayInFrance().slice(0, 4));
}

export function IsPastYear(options: ValidationOptions = {}): PropertyDecorator {
  return decorator('isPastYear', '$property must be a year from 1900 to this year', isPastYear, options);
}

export const PIN_FORMAT = /^\d{4,6}$/;

/** All-equal digits and straight runs are the first guesses of anyone holding a lost card. */
export function isWeakPin(pin: string): boolean {
  const steps = [...pin].slice(1).map((d, i) => Number(d) - Number(pin[i]));
  return steps.every((s) => s === 0) || steps.every((s) => s === 1) || steps.every((s) => s === -1);
}

export function IsPin(options: ValidationOptions = {}): PropertyDecorator {
  return decorator(
    'isPin',
    '$property must be 4 to 6 digits, not all the same digit nor a straight run like 1234',
    (v) => typeof v === 'string' && PIN_FORMAT.test(v) && !isWeakPin(v),
    options,
  );
}

export function isCardNumber(value: unknown): value is string {
  return typeof value === 'string' && /^\d{16}$/.test(value) && luhnValid(value);
}

export function IsCardNumber(options: ValidationOptions = {}): PropertyDecorator {
  return decorator('isCardNumber', '$property must be 16 digits with a valid check digit (Luhn)', isCardNumber, options);
}

const RECORD_KEY = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** A small map of attribute name -> non-empty string (strata, custom attributes). */
export function IsStringRecord(options: ValidationOptions & { maxKeys?: number } = {}): PropertyDecorator {
  const max = options.maxKeys ?? 10;
  return decorator(
    'isStringRecord',
    `$property must map up to ${max} attribute names (a letter, then letters, digits, _ or -) to texts of 1-100 characters`,
    (v) =>
      Boolean(v) &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Object.keys(v as object).length <= max &&
      Object.entries(v as Record<string, unknown>).every(([k, x]) => RECORD_KEY.test(k) && typeof x === 'string' && x.length >= 1 && x.length <= 100),
    options,
  );
}

/**
 * For optional fields that cannot be cleared: absent is fine, but null is validated (and refused) like any other
 * value, where @IsOptional would let it through to a NOT NULL column.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
