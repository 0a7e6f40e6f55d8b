import { Decimal } from 'decimal.js';
import type { ValueTransformer } from 'typeorm';
import { Money } from './money.js';

/** numeric(15,2) <-> Decimal. pg returns numeric as a string, so no float ever touches the value. */
export const moneyTransformer: ValueTransformer = {
  to(value: Decimal | string | null | undefined): string | null | undefined {
    if (value === null || value === undefined) return value;
    return new Money(value).toFixed(2);
  },
  from(value: string | null): Decimal | null {
    return value === null ? null : new Money(value);
  },
};

export const MONEY_COLUMN = { type: 'numeric', precision: 15, scale: 2, transformer: moneyTransformer } as const;
