import { registerDecorator, ValidationOptions } from 'class-validator';
import { isMoneyString } from '../money/money.js';

/** A non-negative amount as a decimal string ("12.50"), never a JS number. */
export function IsMoney(options: ValidationOptions & { allowNegative?: boolean } = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isMoney',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be an amount as a decimal string with at most 2 decimals, e.g. "12.50"`, ...options },
      validator: { validate: (value: unknown) => isMoneyString(value, { allowNegative: options.allowNegative }) },
    });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A calendar date "YYYY-MM-DD" that exists (no 2026-02-30). */
export function IsIsoDate(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a date written YYYY-MM-DD`, ...options },
      validator: { validate: isIsoDate },
    });
}

/** A decimal fraction between 0 and 1 as a string ("0.025"), for rates. */
export function IsRate(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isRate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a rate between 0 and 1 as a decimal string, e.g. "0.025"`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^(0(\.\d{1,6})?|1(\.0{1,6})?)$/.test(value),
      },
    });
}

/** Luhn checksum, used by SIREN/SIRET and card numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isSiren(value: unknown): boolean {
  return typeof value === 'string' && /^\d{9}$/.test(value) && luhnValid(value);
}

export function IsSiren(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSiren',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a 9-digit SIREN with a valid check digit`, ...options },
      validator: { validate: isSiren },
    });
}

/** INSEE commune code: 5 characters, Corsica uses 2A/2B. */
export const INSEE_COMMUNE = /^(\d{5}|2[AB]\d{3})$/;
