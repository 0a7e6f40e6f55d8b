import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsDefined, IsInt, IsObject, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsIsoDate, IsMoney } from '../../common/validation/validators.js';
import { IsStringRecord, Optional } from '../member-validators.js';

const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

export class PoolMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'memberId must be a UUID' })
  memberId: string;

  @ApiPropertyOptional({ ...STRING_MAP, example: { quartier: 'Mosson' }, description: 'Custom attributes used as strata' })
  @Optional()
  @IsStringRecord()
  attributes?: Record<string, string>;
}

export class QuotaDto {
  @ApiProperty({ ...STRING_MAP, example: { ageBand: '18-29', incomeBand: '<900.00' }, description: 'A value for every attribute of strata' })
  @IsDefined()
  @IsStringRecord()
  stratum: Record<string, string>;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Seats reserved for this stratum' })
  @Optional()
  @IsInt({ message: 'min must be a whole number' })
  @Min(0)
  min?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Most seats this stratum may get (no limit when omitted)' })
  @Optional()
  @IsInt({ message: 'max must be a whole number' })
  @Min(0)
  max?: number;
}

export class RandomnessSourceDto {
  @ApiProperty({ example: 'drand quicknet, round 12345678 (2027-01-12 18:00 UTC)', description: 'The future public value, named before it exists' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: 1, description: 'How many values will be revealed and combined (sum mod 2^256 of their SHA-256)' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(20)
  parties?: number;

  @ApiProperty({
    type: [String],
    description: 'One per party, in reveal order, named before the pool is drawn: a SHA-256 (hex) of a value to reveal, drand:<quicknet|default>:<round>, or meeting:<count>x<max>; at least one drand or meeting source',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  commitments: string[];

  @ApiProperty({ example: '2027-01-12T18:00:00Z', description: 'When the values exist; in the future, not before any named drand round; reveals are refused earlier' })
  @IsDateString({ strict: true }, { message: 'availableAfter must be an ISO 8601 date-time' })
  availableAfter: string;
}

export class CreateEnrolmentDrawDto {
  @ApiProperty({ example: 'Cohorte 2 — janvier 2027' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @ApiProperty({ minimum: 1, maximum: 10000, example: 30 })
  @IsInt({ message: 'seats must be a whole number' })
  @Min(1)
  @Max(10000)
  seats: number;

  @ApiProperty({ type: [String], example: ['ageBand', 'incomeBand'], description: 'Attributes defining the strata: commune, ageBand, incomeBand or custom ones given in pool[].attributes' })
  @IsArray()
  @ArrayMaxSize(6)
  @Matches(ATTRIBUTE, { each: true, message: 'strata must hold attribute names (a letter, then letters, digits, _ or -)' })
  strata: string[];

  @ApiPropertyOptional({ type: [Number], example: [30, 45, 60], description: 'Age band boundaries (needed for ageBand): bands <30, 30-44, 45-59, 60+, and "unknown"' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsInt({ each: true, message: 'ageBands must hold whole numbers of years' })
  @Min(1, { each: true })
  @Max(120, { each: true })
  ageBands?: number[];

  @ApiPropertyOptional({ type: [String], example: ['900.00', '1500.00'], description: 'Monthly income boundaries (needed for incomeBand): bands <900.00, 900.00-1500.00, 1500.00+, and "undeclared"' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsMoney({ each: true, message: 'incomeBands must hold amounts as decimal strings, e.g. "900.00"' })
  incomeBands?: string[];

  @ApiPropertyOptional({ type: [PoolMemberDto], description: 'The applicants; default: every applicant and waitlisted member of the caisse' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20000)
  @ValidateNested({ each: true })
  @Type(() => PoolMemberDto)
  pool?: PoolMemberDto[];

  @ApiPropertyOptional({ type: [QuotaDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => QuotaDto)
  quotas?: QuotaDto[];

  @ApiProperty({ type: RandomnessSourceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RandomnessSourceDto)
  randomness: RandomnessSourceDto;
}

export class RevealRandomnessDto {
  @ApiProperty({ type: [String], example: ['8f1c0d…(drand round 12345678 randomness)'], description: 'The announced value(s), in the order of the commitments' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(1000, { each: true })
  values: string[];

  @ApiPropertyOptional({ example: '2027-02-01', description: 'Date the selected members become active (default today)' })
  @Optional()
  @IsIsoDate()
  joinedOn?: string;
}

export class PromoteDto {
  @ApiProperty({ minimum: 1, maximum: 1000, example: 5 })
  @IsInt({ message: 'count must be a whole number' })
  @Min(1)
  @Max(1000)
  count: number;

  @ApiPropertyOptional({ ...STRING_MAP, example: { ageBand: '18-29' }, description: 'Only from this stratum (e.g. to replace someone who left)' })
  @Optional()
  @IsStringRecord()
  stratum?: Record<string, string>;

  @ApiPropertyOptional({ example: '2027-03-01', description: 'Date the promoted members become active (default today)' })
  @Optional()
  @IsIsoDate()
  joinedOn?: string;
}
