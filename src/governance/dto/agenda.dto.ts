import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ReviewDueDto } from '../../outlets/dto/review.dto.js';

export class AgendaQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30, description: 'Horizon in days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'within must be a whole number of days' })
  @Min(1)
  @Max(365)
  within?: number;
}

export class AgendaDecisionDto {
  @ApiProperty({ format: 'uuid' }) decisionId: string;
  @ApiProperty() title: string;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: ['scheduled', 'open'] }) state: string;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ description: 'Eligible members (0 until it opens)' }) electorate: number;
  @ApiProperty({ description: 'Members who took part so far' }) participants: number;
}

export class AgendaDto {
  @ApiProperty({ type: [AgendaDecisionDto], description: 'Decisions not closed yet that open or close within the horizon, closing first' }) decisions: AgendaDecisionDto[];
  @ApiProperty({ type: [ReviewDueDto], description: 'Outlets due for review (review date, end of validity, documents)' }) outletsDueForReview: ReviewDueDto[];
}
