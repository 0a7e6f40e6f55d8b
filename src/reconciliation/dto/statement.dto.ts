import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { BANK_ACCOUNT } from '../../ledger/dto/treasury.dto.js';

/** 20 MiB: a year of daily camt.053 for a small caisse; larger files are split by the bank's portal anyway. */
export const MAX_STATEMENT_BYTES = 20 * 1024 * 1024;
export const STATEMENTS_PATH = '/api/v1/caisses/:caisseId/bank-statements';
export const STATEMENTS_BODY_LIMIT = '21mb';

export class UploadStatementDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'camt.053 (.001.02/.04/.08), CFONB 120 or CSV (mapping saved per bank account)' })
  @IsOptional()
  file?: unknown;

  @ApiPropertyOptional({ example: '5121', description: 'Only for CSV (which names no account): the bank account it belongs to' })
  @IsOptional()
  @Matches(BANK_ACCOUNT, { message: 'bankAccount must be a bank account such as 512 or 5121' })
  bankAccount?: string;
}

export class ImportedStatementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '5121' }) bankAccount: string;
  @ApiProperty() statementRef: string;
  @ApiProperty({ description: 'Electronic or legal sequence number ("" when the format has none)' }) sequence: string;
  @ApiProperty({ example: '2026-11-01' }) fromDate: string;
  @ApiProperty({ example: '2026-11-30' }) toDate: string;
  @ApiProperty({ example: '1520.00' }) opening: string;
  @ApiProperty({ example: '1320.00' }) closing: string;
  @ApiProperty() lines: number;
}

export class ImportResultDto {
  @ApiProperty({ enum: ['camt053', 'cfonb120', 'csv'] }) format: string;
  @ApiProperty({ type: [ImportedStatementDto] }) statements: ImportedStatementDto[];
  @ApiProperty({ description: 'Bank lines matched automatically by this import' }) matched: number;
  @ApiProperty({ description: 'Open bank lines left for the treasurer (with proposals or suggestions)' }) unmatched: number;
}

export class AutoMatchResultDto {
  @ApiProperty({ description: 'Bank lines matched by this run' }) matched: number;
  @ApiProperty({ description: 'Open bank lines left (with proposals or suggestions)' }) unmatched: number;
}

/** An imported statement as the statements list shows it (newest first). */
export class StatementSummaryDto extends ImportedStatementDto {
  @ApiProperty({ enum: ['camt053', 'cfonb120', 'csv'] }) format: string;
  @ApiProperty() importedAt: string;
}
