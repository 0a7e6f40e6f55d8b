import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';
import { EvidenceDto } from './evidence.dto.js';

export const CRITERION_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const ANSWERS = ['yes', 'partly', 'no', 'not-applicable'] as const;

export class CriterionDto {
  @ApiProperty({ example: 'organic-practice', description: 'Stable code; answers follow it across versions' })
  @Matches(CRITERION_CODE, { message: 'code must be lowercase letters and digits separated by single dashes' })
  @MaxLength(60)
  code: string;

  @ApiProperty({ example: 'Pratiques biologiques ou durables' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @ApiPropertyOptional({ example: 'Certification AB, Nature & Progrès, Demeter, HVE, ou pratiques équivalentes constatées lors de la visite' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ default: false, description: 'The committee expects a document (certificate, payslip grid, price list…)' })
  @IsOptional()
  @IsBoolean()
  evidenceRequired?: boolean;
}

export class CreateCriteriaVersionDto {
  @ApiProperty({ example: '2027-01-01', description: 'First day the catalogue applies' })
  @IsIsoDate()
  effectiveFrom: string;

  @ApiProperty({ type: [CriterionDto], description: 'The whole grid, in the order the committee reads it' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria: CriterionDto[];
}

export class CriteriaVersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ example: '2027-01-01' }) effectiveFrom: string;
  @ApiProperty({ type: [CriterionDto] }) criteria: CriterionDto[];
  @ApiProperty() createdAt: string;
}

export class AnswerCriterionDto {
  @ApiProperty({ enum: ANSWERS })
  @IsIn(ANSWERS as unknown as string[], { message: `answer must be one of ${ANSWERS.join(', ')}` })
  answer: string;

  @ApiPropertyOptional({ example: 'Certification AB en cours de renouvellement' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  comment?: string;
}

export class CriterionAnswerDto {
  @ApiProperty({ enum: ANSWERS }) answer: string;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ description: 'Catalogue version the answer was given under' }) version: number;
  @ApiProperty() answeredAt: string;
  @ApiProperty({ nullable: true, type: String }) answeredBy: string | null;
}

export class GridItemDto {
  @ApiProperty() code: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() evidenceRequired: boolean;
  @ApiProperty({ type: CriterionAnswerDto, nullable: true }) answer: CriterionAnswerDto | null;
  @ApiProperty({ type: [EvidenceDto], description: 'Newest first' }) evidence: EvidenceDto[];
}

export class OutletGridDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Catalogue version in force today (null: none yet)' }) version: number | null;
  @ApiProperty({ type: [GridItemDto] }) items: GridItemDto[];
}
