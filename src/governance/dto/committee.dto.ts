import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';

export const DESIGNATIONS = ['volunteer', 'drawn', 'elected'] as const;
export const CONFLICT_NATURES = ['runs', 'works-at', 'related', 'supplier', 'other'] as const;

export class CreateMandateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'memberId must be a UUID' }) memberId: string;
  @ApiProperty({ enum: DESIGNATIONS }) @IsIn(DESIGNATIONS as unknown as string[], { message: `designation must be one of ${DESIGNATIONS.join(', ')}` }) designation: string;
  @ApiProperty({ example: 'membre', description: 'Seat or role: membre, facilitateur·rice, secrétaire…' }) @IsString() @MinLength(2) @MaxLength(80) position: string;
  @ApiProperty({ example: '2026-01-01' }) @IsIsoDate() startsOn: string;
  @ApiProperty({ example: '2027-12-31' }) @IsIsoDate() endsOn: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 3, description: 'Renewal by thirds: seats of a cohort end together' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  cohort?: number;
}

export class MandateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ enum: DESIGNATIONS }) designation: string;
  @ApiProperty() position: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty({ nullable: true, type: Number }) cohort: number | null;
  @ApiProperty({ description: 'In office today' }) inOffice: boolean;
}

export class CreateConflictDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'memberId must be a UUID' }) memberId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'outletId must be a UUID' }) outletId: string;
  @ApiProperty({ enum: CONFLICT_NATURES }) @IsIn(CONFLICT_NATURES as unknown as string[], { message: `nature must be one of ${CONFLICT_NATURES.join(', ')}` }) nature: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(500) note?: string;
}

export class ConflictDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ format: 'uuid' }) outletId: string;
  @ApiProperty({ enum: CONFLICT_NATURES }) nature: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() declaredAt: string;
}

export class RenewalByThirdsDto {
  @ApiProperty({ minimum: 1, maximum: 3 }) cohort: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the cohort\'s seats end (latest end date)' }) endsOn: string | null;
  @ApiProperty({ type: [String] }) mandateIds: string[];
}
