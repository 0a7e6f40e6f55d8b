import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldErrors, ValidationFailed } from '../errors/domain-error.js';
import { plainCheckFor } from './plain-check.js';

/** Dotted paths ("allocation.amount", "bands.2.upTo") so a form can put each message under its field. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) out[path] = Object.values(error.constraints);
    if (error.children?.length) Object.assign(out, flattenValidationErrors(error.children, path));
  }
  return out;
}

/** The class-validator pipe, except for bodies whose DTO registered a plain-code check (hot routes). */
class CaisseValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check = metadata.type === 'body' ? plainCheckFor(metadata.metatype) : undefined;
    return check ? check(value) : super.transform(value, metadata);
  }
}

export function buildValidationPipe(): ValidationPipe {
  return new CaisseValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
  });
}
