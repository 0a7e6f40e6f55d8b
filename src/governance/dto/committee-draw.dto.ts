import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsDefined, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';
import { PoolMemberDto, QuotaDto } from '../../members/dto/draw-input.dto.js';

/**
 * The randomness of a committee draw, all of it named before the draw is committed (common/sortition/sources.ts):
 * unlike the enrolment lottery's, commitments and availableAfter are required, so the value cannot be picked later.
 */
export class CommitteeRandomnessDto {
  @ApiProperty({ example: 'drand quicknet round 12345678, and the dice thrown at the assemblée of 12 January' }) @IsString() @MinLength(1) @MaxLength(500) description: string;
  @ApiProperty({
    type: [String], example: ['drand:quicknet:12345678', 'meeting:4x99'],
    description: 'One per party, in reveal order: a SHA-256 (hex) of a value to reveal, drand:<quicknet|default>:<round>, or meeting:<count>x<max>; at least one drand or meeting source',
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(100, { each: true })
  commitments: string[];
  @ApiProperty({ example: '2027-01-12T18:00:00Z', description: 'When the values exist; in the future, not before any named drand round; reveals are refused earlier' })
  @IsDateString({ strict: true }, { message: 'availableAfter must be an ISO 8601 date-time' })
  availableAfter: string;
}

export class CreateCommitteeDrawDto {
  @ApiProperty({ example: 'Comité citoyen — tiers renouvelé en 2027' }) @IsString() @MinLength(1) @MaxLength(200) label: string;
  @ApiProperty({ minimum: 1, maximum: 200, example: 12 }) @IsInt() @Min(1) @Max(200) seats: number;
  @ApiProperty({ type: [String], example: ['precarite', 'commune'], description: 'Attributes defining the strata, each given in pool[].attributes' })
  @IsArray() @ArrayMaxSize(6) @IsString({ each: true }) @Matches(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, { each: true, message: 'strata must be attribute names' })
  strata: string[];
  @ApiProperty({ type: [PoolMemberDto], description: 'Members who volunteered for the draw, with their stratum attributes (e.g. precarite: oui)' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5000) @ValidateNested({ each: true }) @Type(() => PoolMemberDto)
  pool: PoolMemberDto[];
  @ApiPropertyOptional({ type: [QuotaDto], description: 'e.g. at least half of the seats for precarite = oui' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => QuotaDto)
  quotas?: QuotaDto[];
  @ApiProperty({ type: CommitteeRandomnessDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => CommitteeRandomnessDto) randomness: CommitteeRandomnessDto;
  @ApiProperty({ example: '2027-01-01', description: 'Start of the mandates of those drawn' }) @IsIsoDate() startsOn: string;
  @ApiProperty({ example: '2029-12-31' }) @IsIsoDate() endsOn: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 3 }) @IsOptional() @IsInt() @Min(1) @Max(3) cohort?: number;
}

export class DrawValuesDto {
  @ApiProperty({ type: [String], description: 'The announced value(s), in the order of the commitments' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(1000, { each: true })
  values: string[];
}

export class CommitteeDrawDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['committed', 'drawn'] }) status: string;
  @ApiProperty() seats: number;
  @ApiProperty() poolSize: number;
  @ApiProperty() poolHash: string;
  @ApiProperty() quotasHash: string;
  @ApiProperty({ nullable: true, type: String }) seed: string | null;
  @ApiProperty({ type: [String], description: 'Pseudonyms drawn, in draw order' }) selected: string[];
  @ApiProperty({ type: [String], description: 'Alternates, in draw order' }) waitlist: string[];
  @ApiProperty({ type: [String], description: 'Mandates created for those drawn' }) mandateIds: string[];
}
