import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TallyDto } from './decision.dto.js';

export class RegisterDecisionDto {
  @ApiProperty({ format: 'uuid' }) decisionId: string;
  @ApiProperty() title: string;
  @ApiProperty() subject: string;
  @ApiProperty() method: string;
  @ApiProperty() closedAt: string;
  @ApiProperty({ enum: ['adopted', 'rejected', 'no-decision'] }) outcome: string;
  @ApiProperty({ type: TallyDto }) tally: TallyDto;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The lifecycle step it caused' }) transitionId: string | null;
}

export class RegisterOutletDto {
  @ApiProperty({ format: 'uuid' }) outletId: string;
  @ApiProperty() name: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) since: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewOn: string | null;
  @ApiProperty({ nullable: true, type: String }) validUntil: string | null;
  @ApiProperty({ type: [RegisterDecisionDto], description: 'Committee decisions about it, latest first' }) decisions: RegisterDecisionDto[];
}

export class RegisterDto {
  @ApiProperty({ format: 'uuid' }) caisseId: string;
  @ApiProperty({ type: [RegisterOutletDto], description: 'Outlets conventionnés now, by committee decision' }) outlets: RegisterOutletDto[];
  @ApiProperty({ type: [RegisterDecisionDto], description: 'Every closed decision, latest first' }) decisions: RegisterDecisionDto[];
}

export class LogEventDto {
  @ApiProperty() seq: number;
  @ApiProperty() kind: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ description: 'Hash of the previous event (64 zeros for the first)' }) prevHash: string;
  @ApiProperty({ description: 'SHA-256 of the canonical JSON of {seq, kind, payload, recordedAt, prevHash}' }) hash: string;
}

export class LogQueryDto {
  @ApiProperty({ required: false, description: 'Events after this sequence number', default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  after?: number;
  @ApiProperty({ required: false, default: 200, minimum: 1, maximum: 500 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

export class ChainCheckDto {
  @ApiProperty() ok: boolean;
  @ApiProperty() events: number;
  @ApiProperty({ nullable: true, type: Number }) brokenAt: number | null;
  @ApiProperty({ nullable: true, type: String }) problem: string | null;
  @ApiProperty({ description: 'Hash of the last valid event: compare it with a copy you kept' }) head: string;
}
