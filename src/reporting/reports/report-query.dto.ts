import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The period filter and download format every report and book takes. */
export class ReportQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day of the period (default: 1 January of `to`)' })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last day of the period (default: today in France)' })
  @IsOptional()
  @IsIsoDate()
  to?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'json (default), or a download: csv, xlsx, pdf' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: `format must be one of ${REPORT_FORMATS.join(', ')}` })
  format?: ReportFormat;
}

export class FundersQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ example: 'FSE-2026-0042', description: 'Operation code (grant reference): adds its statement of expenses and resources' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._/-]{1,40}$/, { message: 'operation must be a grant reference (letters, digits, . _ / -, at most 40)' })
  operation?: string;
}

export class BooksQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ example: '4671', description: 'An account number or prefix: lists its auxiliary accounts (sub-ledger)' })
  @IsOptional()
  @Matches(/^[1-7][0-9]{0,9}$/, { message: 'account must be an account number or prefix such as 4671 or 51' })
  account?: string;
}
