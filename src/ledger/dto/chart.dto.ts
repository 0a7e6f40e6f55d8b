import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate, IsMoney } from '../../common/validation/validators.js';
import { AUXILIARY_KINDS } from '../chart-rules.js';

export class CreateAccountDto {
  @ApiProperty({ example: '6226', description: 'PCG / ANC 2018-06 number of class 1 to 7, 3 to 10 digits; not under 4671, 401, 441, 4687, 411 or 512' })
  @IsString()
  number: string;

  @ApiPropertyOptional({ example: 'E0001', description: 'Auxiliary (third party) under a general account of the caisse kept per third party' })
  @IsOptional()
  @Matches(/^[A-Z0-9]{1,17}$/, { message: 'aux must be 1-17 upper-case letters or digits' })
  aux?: string;

  @ApiProperty({ example: 'Honoraires du commissaire aux comptes' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @ApiPropertyOptional({ enum: AUXILIARY_KINDS, description: 'The account is kept per third party of this kind (FEC CompAuxNum)' })
  @IsOptional()
  @IsIn(AUXILIARY_KINDS as unknown as string[], { message: `auxiliaryKind must be one of ${AUXILIARY_KINDS.join(', ')}` })
  auxiliaryKind?: string;
}

export class UpdateAccountDto {
  @ApiPropertyOptional({ example: 'Loyer du local de la rue Courreau' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label?: string;

  @ApiPropertyOptional({ description: 'true closes the account (its balance must be zero); false reopens it' })
  @IsOptional()
  @IsBoolean({ message: 'closed must be true or false' })
  closed?: boolean;
}

export class BooksSettingsDto {
  @ApiProperty({ minimum: 1, maximum: 12, description: 'Month the fiscal year starts (chosen when the caisse is created)' }) fiscalYearStartMonth: number;
  @ApiProperty({ example: '2025-01-01', description: 'First day of the first fiscal year the books may hold' }) booksStart: string;
  @ApiProperty({ example: '2026-01-01', description: 'First day of the current fiscal year' }) currentFiscalYear: string;
  @ApiProperty({ example: 31, description: 'How many days ahead of today an entry may be dated' }) maxDaysAhead: number;
  @ApiProperty({ example: '1000000.00', description: 'Largest amount of one entry line' }) maxLineAmount: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Last day of the closed periods' }) closedThrough: string | null;
}

export class UpdateBooksSettingsDto {
  @ApiPropertyOptional({ example: '2024-01-01', description: 'First day of a fiscal year, not after the first entry' })
  @IsOptional()
  @IsIsoDate()
  booksStart?: string;

  @ApiPropertyOptional({ example: 31, minimum: 0, maximum: 366 })
  @IsOptional()
  @IsInt({ message: 'maxDaysAhead must be a whole number of days from 0 to 366' })
  @Min(0)
  @Max(366)
  maxDaysAhead?: number;

  @ApiPropertyOptional({ example: '1000000.00' })
  @IsOptional()
  @IsMoney()
  maxLineAmount?: string;
}

export class FiscalYearDto {
  @ApiProperty({ example: '2026-01-01' }) start: string;
  @ApiProperty({ example: '2026-12-31' }) end: string;
  @ApiProperty({ description: 'Entries numbered in this year so far (last EcritureNum)' }) lastEntryNo: number;
}
