import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class CloseYearDto {
  @ApiPropertyOptional({ description: 'Close although months are still open or 471 is not empty (needs a reason; audited)', default: false })
  @IsOptional()
  @IsBoolean()
  force?: boolean;

  @ApiPropertyOptional({ description: 'Why the closing is forced (at least 10 characters)', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class YearClosingDto {
  @ApiProperty({ example: '2026-01-01', description: 'First day of the closed fiscal year' }) fiscalYear: string;
  @ApiProperty() closedAt: string;
  @ApiProperty() forced: boolean;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ example: '1250.00', description: 'Produits − charges (après fonds dédiés); negative is a déficit' }) result: string;
  @ApiProperty({ type: [String], description: 'Fonds dédiés entries, dated the last day of the year' }) entryIds: string[];
  @ApiProperty({ type: [String], description: 'À-nouveaux of the next year (journal AN)' }) openingEntryIds: string[];
  @ApiProperty({ type: [String], description: 'Technical counterpart of the à-nouveaux (running totals), left out of the FEC' }) offsetEntryIds: string[];
  @ApiProperty({ nullable: true, type: Number, description: 'Seal covering every entry up to the closing' }) sealSeq: number | null;
}
