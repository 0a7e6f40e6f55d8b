import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, registerDecorator, ValidationOptions } from 'class-validator';
import { isIsoDate, IsIsoDate } from '../../common/validation/validators.js';
import { OUTLET_STATUSES } from '../outlet-lifecycle.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with its offset ("2026-12-01T14:00:00+01:00"): a local time alone would be ambiguous. */
export function isInstant(value: unknown): value is string {
  // The calendar date must exist: Date would silently roll 2026-02-30 over to March.
  return typeof value === 'string' && INSTANT.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(new Date(value).getTime());
}

export function IsInstant(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be an ISO 8601 date-time with its offset, e.g. 2026-12-01T14:00:00+01:00`, ...options },
      validator: { validate: isInstant },
    });
}

export class CreateTransitionDto {
  @ApiProperty({ enum: OUTLET_STATUSES, description: 'Status to move to (renewal: renewal-due → conventionne; reinstatement: suspended → conventionne)' })
  @IsIn(OUTLET_STATUSES as unknown as string[], { message: `to must be one of ${OUTLET_STATUSES.join(', ')}` })
  to: string;

  @ApiProperty({ example: 'Visite du 12/11 : critères remplis', description: 'Why, in words the outlet will read' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The committee decision (governance module) that authorised it' })
  @IsOptional()
  @IsUUID('all', { message: 'decisionId must be a UUID' })
  decisionId?: string;

  @ApiPropertyOptional({ example: 'CC-2026-11 point 4', description: 'Until decisions are recorded here: the reference of the decision…' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  decisionRef?: string;

  @ApiPropertyOptional({ description: '…and its minutes (method, quorum, result, date, the outlet’s reply)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  decisionMinutes?: string;

  @ApiPropertyOptional({ example: '2026-12-01T14:00:00+01:00', description: 'When it takes effect for purchases (default: now); may be in the future' })
  @IsOptional()
  @IsInstant()
  effectiveAt?: string;

  @ApiPropertyOptional({ example: '2027-11-30', description: 'Review date of the conventionnement (required when admitting or renewing)' })
  @IsOptional()
  @IsIsoDate()
  reviewOn?: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'Last day of validity; the gate refuses from the next midnight (Paris) unless renewed' })
  @IsOptional()
  @IsIsoDate()
  validUntil?: string;
}

export class TransitionActorDto {
  @ApiProperty({ enum: ['user', 'terminal', 'system'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
}

export class TransitionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '1 for the registration, then +1 per step' }) seq: number;
  @ApiProperty({ enum: OUTLET_STATUSES, nullable: true, type: String }) from: string | null;
  @ApiProperty({ enum: OUTLET_STATUSES }) to: string;
  @ApiProperty({ example: 'renewed', description: 'Name of the step' }) step: string;
  @ApiProperty() effectiveAt: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ type: TransitionActorDto }) actor: TransitionActorDto;
  @ApiProperty() reason: string;
  @ApiProperty({ nullable: true, type: String }) decisionId: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionRef: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionMinutes: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewOn: string | null;
  @ApiProperty({ nullable: true, type: String }) validUntil: string | null;
}

export class AcceptanceDto {
  @ApiProperty({ format: 'uuid' }) outletId: string;
  @ApiProperty() at: string;
  @ApiProperty({ description: 'Whether members may spend here at that instant' }) accepting: boolean;
  @ApiProperty({ enum: OUTLET_STATUSES, nullable: true, type: String }) status: string | null;
  @ApiProperty({ nullable: true, type: String }) since: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewOn: string | null;
  @ApiProperty({ nullable: true, type: String }) validUntil: string | null;
}
