import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';

export class CsvColumnsDto {
  @ApiProperty({ example: 'Date' }) @IsString() @MinLength(1) @MaxLength(60) date: string;
  @ApiProperty({ example: 'Libellé' }) @IsString() @MinLength(1) @MaxLength(60) label: string;
  @ApiPropertyOptional({ example: 'Montant', description: 'Signed amount (or give debit and credit)' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(60) amount?: string;
  @ApiPropertyOptional({ example: 'Débit' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(60) debit?: string;
  @ApiPropertyOptional({ example: 'Crédit' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(60) credit?: string;
  @ApiPropertyOptional({ example: 'Référence' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(60) reference?: string;
  @ApiPropertyOptional({ example: 'Date de valeur' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(60) valueDate?: string;
  @ApiPropertyOptional({ example: 'Tiers' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(60) counterparty?: string;
}

export class CsvMappingDto {
  @ApiProperty({ enum: [';', ',', '\t'] }) @IsIn([';', ',', '\t'], { message: 'delimiter must be ; , or a tab' }) delimiter: string;
  @ApiProperty({ enum: [',', '.'] }) @IsIn([',', '.'], { message: 'decimalSeparator must be , or .' }) decimalSeparator: string;
  @ApiProperty({ enum: ['DD/MM/YYYY', 'YYYY-MM-DD'] }) @IsIn(['DD/MM/YYYY', 'YYYY-MM-DD'], { message: 'dateFormat must be DD/MM/YYYY or YYYY-MM-DD' }) dateFormat: string;
  @ApiProperty({ type: CsvColumnsDto }) @ValidateNested() @Type(() => CsvColumnsDto) columns: CsvColumnsDto;
}
