import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes, type ValidationError, type ValidatorOptions } from 'class-validator';
import { FieldErrors, ValidationFailed } from '../errors/domain-error.js';
import { plainCheckFor } from './plain-check.js';

/** Dotted paths ("allocation.amount", "bands.2.upTo") so a form can put each message under its field. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) out[path] = [...new Set([...(out[path] ?? []), ...Object.values(error.constraints)])];
    if (error.children?.length) {
      for (const [at, messages] of Object.entries(flattenValidationErrors(error.children, path))) out[at] = [...new Set([...(out[at] ?? []), ...messages])];
    }
  }
  return out;
}

/** Where @nestjs/swagger keeps a DTO property's OpenAPI options (DECORATORS.API_MODEL_PROPERTIES). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
type DtoClass = abstract new (...args: never[]) => unknown;
const nestedCache = new Map<DtoClass, Set<string>>();

/** Properties of a DTO class validated as nested DTOs (@ValidateNested), inherited ones included. */
function nestedProperties(ctor: DtoClass): Set<string> {
  let props = nestedCache.get(ctor);
  if (!props) {
    props = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(ctor, '', true, false)
        .filter((m) => m.type === ValidationTypes.NESTED_VALIDATION)
        .map((m) => m.propertyName),
    );
    nestedCache.set(ctor, props);
  }
  return props;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Two rules class-validator leaves open, applied to every DTO at once:
 * - `null` is a value only where the OpenAPI schema says `nullable` (`@IsOptional` alone would let it reach a
 *   service that reads it as a number, or a NOT NULL column);
 * - a list of nested DTOs holds objects, one level deep (class-validator walks `[[]]` as a list of lists and
 *   finds nothing to refuse in it).
 * The bounded depth of the parser (32) bounds this walk.
 */
export function shapeErrors(dto: unknown, path = ''): ValidationError[] {
  if (!isRecord(dto)) return [];
  const ctor = dto.constructor as DtoClass | undefined;
  if (!ctor || ctor === (Object as unknown)) return [];
  const nested = nestedProperties(ctor);
  const errors: ValidationError[] = [];
  const refuse = (at: string, name: string, message: string) => errors.push({ property: at, constraints: { [name]: message }, children: [] });
  for (const key of Object.keys(dto)) {
    if (key === 'constructor') continue;
    const value = dto[key];
    const at = path ? `${path}.${key}` : key;
    if (value === null) {
      const meta = Reflect.getMetadata(API_MODEL_PROPERTIES, ctor.prototype as object, key) as { nullable?: boolean } | undefined;
      if (!meta?.nullable) refuse(at, 'isNotNull', `${key} must not be null (leave it out when it has no value)`);
      continue;
    }
    if (!nested.has(key)) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isRecord(item)) errors.push(...shapeErrors(item, `${at}.${i}`));
        else refuse(`${at}.${i}`, 'isObject', `each ${key} item must be an object`);
      });
    } else errors.push(...shapeErrors(value, at));
  }
  return errors;
}

class ShapeValidationPipe extends ValidationPipe {
  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    return [...errors, ...shapeErrors(object)];
  }
}

/** The class-validator pipe plus the shape rules, except for bodies whose DTO registered a plain-code check (hot routes). */
class CaisseValidationPipe extends ShapeValidationPipe {
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
