import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const REPORT_NAMES = ['funders', 'runway', 'solidarity', 'spending', 'activity'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export class ReportSettingsDto {
  @ApiProperty({ enum: REPORT_NAMES, isArray: true, description: 'Reports anyone may read without logging in' })
  publicReports: ReportName[];

  @ApiProperty({ example: 5, description: 'Counts of people below this are suppressed in public reports' })
  minCell: number;
}

export class UpdateReportSettingsDto {
  @ApiPropertyOptional({ enum: REPORT_NAMES, isArray: true, example: ['solidarity', 'activity'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REPORT_NAMES.length * 2)
  @IsIn(REPORT_NAMES, { each: true, message: `publicReports must hold only ${REPORT_NAMES.join(', ')}` })
  publicReports?: ReportName[];

  @ApiPropertyOptional({ example: 5, minimum: 2, maximum: 50 })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(50)
  minCell?: number;
}
