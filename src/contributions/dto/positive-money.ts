import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isMoneyString, MAX_AMOUNT, money } from '../../common/money/money.js';

/** Money that moves: strictly positive, at most 2 decimals, within numeric(15,2). Zero and negatives are refused. */
export function IsPositiveMoney(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPositiveMoney',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a positive amount as a decimal string with at most 2 decimals, e.g. "12.50"`, ...options },
      validator: { validate: (value: unknown) => isMoneyString(value) && money(value).greaterThan(0) && money(value).lessThanOrEqualTo(MAX_AMOUNT) },
    });
}

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
export const FUND_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
