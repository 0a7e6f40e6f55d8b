import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailed } from '../errors/domain-error.js';

/** A path UUID; a malformed one is a 400 naming the parameter, not a database error. */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      version: undefined,
      exceptionFactory: () => new ValidationFailed({ [name]: [`${name} must be a UUID`] }),
    }),
  );
