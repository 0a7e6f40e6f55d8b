import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';
import { IsInstant } from '../../outlets/dto/transition.dto.js';
import { METHOD_KINDS } from '../methods/method.types.js';

export const SUBJECTS = ['conventionnement', 'renewal', 'suspension', 'revocation', 'reinstatement', 'motion'] as const;
export type Subject = (typeof SUBJECTS)[number];
/** Methods a fallback chain may step to: they need no options of their own (qualified majority is 2/3 of votes cast). */
export const FALLBACK_KINDS = ['consensus', 'consent', 'simple-majority', 'absolute-majority', 'qualified-majority'] as const;

export class CreateDecisionDto {
  @ApiProperty({ example: 'Conventionnement de la Ferme des Garrigues' }) @IsString() @MinLength(3) @MaxLength(200) title: string;
  @ApiProperty({ enum: SUBJECTS }) @IsIn(SUBJECTS as unknown as string[], { message: `subject must be one of ${SUBJECTS.join(', ')}` }) subject: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Required unless the subject is a motion' }) @IsOptional() @IsUUID('all', { message: 'outletId must be a UUID' }) outletId?: string;

  @ApiProperty({ enum: METHOD_KINDS }) @IsIn(METHOD_KINDS, { message: `method must be one of ${METHOD_KINDS.join(', ')}` }) method: string;
  @ApiPropertyOptional({ description: 'Qualified majority a/b: numerator', example: 2 }) @IsOptional() @IsInt() @Min(1) @Max(99) a?: number;
  @ApiPropertyOptional({ description: 'Qualified majority a/b: denominator', example: 3 }) @IsOptional() @IsInt() @Min(1) @Max(100) b?: number;
  @ApiPropertyOptional({ enum: ['cast', 'members'], description: 'Qualified majority of votes cast or of members' }) @IsOptional() @IsIn(['cast', 'members']) basis?: string;
  @ApiPropertyOptional({ description: 'Approval: percentage θ of participants an option needs', example: 50 }) @IsOptional() @IsInt() @Min(1) @Max(100) theta?: number;
  @ApiPropertyOptional({ type: [String], description: 'Approval / majority judgment: the options (one, the outlet, for a conventionnement)' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(80, { each: true })
  options?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Majority judgment: grades worst → best', example: ['À rejeter', 'Insuffisant', 'Passable', 'Assez bien', 'Bien', 'Très bien', 'Excellent'] })
  @IsOptional() @IsArray() @ArrayMinSize(2) @ArrayMaxSize(10) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(40, { each: true })
  grades?: string[];
  @ApiPropertyOptional({ description: 'Majority judgment: index of the lowest grade that admits (e.g. 3 = "Assez bien")' }) @IsOptional() @IsInt() @Min(0) @Max(9) threshold?: number;

  @ApiPropertyOptional({ description: 'Quorum as P ≥ ceil(q·E/100); default: more than half (2·P > E)', minimum: 1, maximum: 100 }) @IsOptional() @IsInt() @Min(1) @Max(100) quorumPercent?: number;
  @ApiProperty({ description: 'Secret ballot (not for consent or consensus, which are deliberated openly)' }) @IsBoolean() secret: boolean;
  @ApiPropertyOptional({ default: 3, description: 'Secret ballot: counts below this are not published, only the outcome' }) @IsOptional() @IsInt() @Min(1) @Max(20) minPublishedCount?: number;

  @ApiProperty({ example: '2026-12-01T18:00:00+01:00' }) @IsInstant() opensAt: string;
  @ApiProperty({ example: '2026-12-08T18:00:00+01:00' }) @IsInstant() closesAt: string;
  @ApiPropertyOptional({ description: 'When an adopted decision takes effect on the outlet (default: at close)' }) @IsOptional() @IsInstant() effectiveAt?: string;
  @ApiPropertyOptional({ description: 'Conventionnement / renewal (required) or reinstatement: next review date' }) @IsOptional() @IsIsoDate() reviewOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsIsoDate() validUntil?: string;
  @ApiPropertyOptional({ description: 'Suspension / revocation (required): the outlet may reply until then; at or before opensAt' }) @IsOptional() @IsInstant() replyDeadline?: string;
  @ApiPropertyOptional({ enum: FALLBACK_KINDS, isArray: true, description: 'Methods tried next, in order, when this one does not adopt (e.g. consent, qualified-majority)' })
  @IsOptional() @IsArray() @ArrayMaxSize(3) @IsIn(FALLBACK_KINDS as unknown as string[], { each: true, message: `fallback steps must be among ${FALLBACK_KINDS.join(', ')}` })
  fallback?: string[];
}

export class MethodDto {
  @ApiProperty({ enum: METHOD_KINDS }) kind: string;
  @ApiPropertyOptional() a?: number;
  @ApiPropertyOptional() b?: number;
  @ApiPropertyOptional({ enum: ['cast', 'members'] }) basis?: string;
  @ApiPropertyOptional() theta?: number;
  @ApiPropertyOptional({ type: [String] }) options?: string[];
  @ApiPropertyOptional({ type: [String] }) grades?: string[];
  @ApiPropertyOptional() threshold?: number;
}

export class ElectorDto {
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why the member is excluded from this decision (conflict of interest)' }) recusal: string | null;
  @ApiProperty() tookPart: boolean;
}

export class TallyDto {
  @ApiProperty({ enum: METHOD_KINDS }) method: string;
  @ApiProperty({ description: 'E: eligible members after recusals' }) electorate: number;
  @ApiProperty({ description: 'P: members who took part' }) participants: number;
  @ApiProperty() quorumMet: boolean;
  @ApiProperty({ enum: ['adopted', 'rejected', 'no-decision'] }) outcome: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'Counts per method; null when too few to publish (secret ballot)' })
  detail: Record<string, unknown> | null;
  @ApiProperty({ description: 'Counts withheld to protect secrecy: only the outcome is published' }) suppressed: boolean;
}

export class DecisionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: SUBJECTS }) subject: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) outletId: string | null;
  @ApiProperty({ type: MethodDto }) method: MethodDto;
  @ApiProperty({ nullable: true, type: Number, description: 'null: more than half' }) quorumPercent: number | null;
  @ApiProperty() secret: boolean;
  @ApiProperty({ enum: ['scheduled', 'open', 'closed'] }) state: string;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ nullable: true, type: String }) effectiveAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewOn: string | null;
  @ApiProperty({ nullable: true, type: String }) validUntil: string | null;
  @ApiProperty({ nullable: true, type: String }) replyDeadline: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The outlet's reply, when it used its right of reply" }) reply: string | null;
  @ApiProperty({ type: [String] }) fallback: string[];
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The decision this one falls back from' }) parentId: string | null;
  @ApiProperty({ type: [ElectorDto], description: 'Frozen when the decision opened (empty before it opens, and in lists)' }) electorate: ElectorDto[];
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: TallyDto, description: 'Hidden until the decision closes' }) tally: TallyDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The outlet lifecycle step this decision caused' }) transitionId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Adopted, but the outlet could not be moved (it had moved meanwhile): the refusal' }) consequenceError: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The fallback decision opened when this one did not adopt' }) nextId: string | null;
}

export class ReplyDto {
  @ApiProperty({ description: "The outlet's reply, recorded before the decision opens" }) @IsString() @MinLength(1) @MaxLength(5000) reply: string;
}

export class RulingDto {
  @ApiProperty({ format: 'uuid', description: 'The member whose objection is ruled non-paramount' }) @IsUUID('all', { message: 'memberId must be a UUID' }) memberId: string;
  @ApiProperty() @IsString() @MinLength(3) @MaxLength(2000) reason: string;
}

export class CloseDecisionDto {
  @ApiPropertyOptional({ type: [String], description: 'Consensus: members present at the meeting' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @IsUUID('all', { each: true, message: 'presentMemberIds must be UUIDs' })
  presentMemberIds?: string[];
  @ApiPropertyOptional({ description: 'Consensus: whether the meeting reached consensus' }) @IsOptional() @IsBoolean() reached?: boolean;
  @ApiPropertyOptional({ description: 'Consensus: the outcome as minuted' }) @IsOptional() @IsString() @MinLength(3) @MaxLength(5000) outcomeText?: string;
}
