import { Param, type PipeTransform } from '@nestjs/common';
import { ValidationFailed } from '../errors/domain-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A path UUID in its canonical (lower-case) form: the same caisse written in capitals must not become another
 * string in an entry hash, which `verify` would later recompute from the stored, lower-case id.
 */
export class CanonicalUuidPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new ValidationFailed({ [this.name]: [`${this.name} must be a UUID`] });
    return value.toLowerCase();
  }
}

/** A path UUID; a malformed one is a 400 naming the parameter, not a database error. */
export const UuidParam = (name: string): ParameterDecorator => Param(name, new CanonicalUuidPipe(name));
