import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { OUTLET_STATUSES } from '../outlet-lifecycle.js';

export const REVIEW_REASONS = ['RENEWAL_DUE', 'REVIEW_DATE_NEAR', 'REVIEW_OVERDUE', 'VALIDITY_ENDS', 'EVIDENCE_EXPIRED', 'EVIDENCE_EXPIRING'] as const;

export class ReviewDueQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30, description: 'Horizon in days for dates coming up' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'within must be a whole number of days' })
  @Min(1)
  @Max(365)
  within?: number;
}

export class ReviewReasonDto {
  @ApiProperty({ enum: REVIEW_REASONS }) code: string;
  @ApiProperty({ example: '2027-01-15', description: 'The date at stake (review date, end of validity, end of a document)' }) date: string;
  @ApiPropertyOptional({ description: 'Criterion of the document' }) criterion?: string;
  @ApiPropertyOptional({ format: 'uuid' }) evidenceId?: string;
}

export class ReviewDueDto {
  @ApiProperty({ format: 'uuid' }) outletId: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty({ enum: OUTLET_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) reviewOn: string | null;
  @ApiProperty({ nullable: true, type: String }) validUntil: string | null;
  @ApiProperty({ type: [ReviewReasonDto], description: 'Earliest date first' }) reasons: ReviewReasonDto[];
}
