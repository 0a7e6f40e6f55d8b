import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsIsoDate, IsMoney } from '../../common/validation/validators.js';
import { JOURNALS } from '../ledger.types.js';

const ACCOUNT_CODE = /^[1-7][0-9]{2,9}(-[A-Z0-9]{1,17})?$/;
const DIMENSION = /^[a-z0-9][a-z0-9._-]{0,39}$/;

export class EntryLineDto {
  @ApiProperty({ example: '512', description: 'Account code: general number, or number-aux for an auxiliary account (4671-M000042)' })
  @Matches(ACCOUNT_CODE, { message: 'account must be an account code such as 512 or 4671-M000042' })
  account: string;

  @ApiPropertyOptional({ example: '12.50' })
  @IsOptional()
  @IsMoney()
  debit?: string;

  @ApiPropertyOptional({ example: '12.50' })
  @IsOptional()
  @IsMoney()
  credit?: string;

  @ApiPropertyOptional({ example: 'allocations', description: 'Earmark (fonds dédié) the line belongs to' })
  @IsOptional()
  @Matches(DIMENSION, { message: 'fund must be lowercase letters, digits, . _ -' })
  fund?: string;

  @ApiPropertyOptional({ example: 'fse-2026-001', description: 'Grant agreement reference' })
  @IsOptional()
  @Matches(DIMENSION, { message: 'grant must be lowercase letters, digits, . _ -' })
  grant?: string;
}

export class CreateEntryDto {
  @ApiProperty({ enum: JOURNALS, example: 'OD' })
  @IsIn(JOURNALS as unknown as string[], { message: `journal must be one of ${JOURNALS.join(', ')}` })
  journal: string;

  @ApiProperty({ example: '2026-11-26' })
  @IsIsoDate()
  date: string;

  @ApiProperty({ example: 'Frais de tenue de compte novembre' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label: string;

  @ApiProperty({ example: 'RELEVE-2026-11', description: 'Reference of the supporting document (pièce)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  pieceRef: string;

  @ApiProperty({ type: [EntryLineDto] })
  @IsArray()
  @ArrayMinSize(2, { message: 'an entry needs at least two lines' })
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => EntryLineDto)
  lines: EntryLineDto[];
}

export class ReverseEntryDto {
  @ApiProperty({ example: 'Saisie en double' })
  @IsString()
  @MinLength(3)
  @MaxLength(150)
  reason: string;

  @ApiPropertyOptional({ example: '2026-11-26', description: 'Date of the reversal (default today)' })
  @IsOptional()
  @IsIsoDate()
  date?: string;
}

export class ClosePeriodDto {
  @ApiProperty({ example: '2026-10' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be a month written YYYY-MM' })
  period: string;
}
