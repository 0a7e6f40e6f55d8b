import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { INSEE_COMMUNE, IsSiren } from '../../common/validation/validators.js';

export class CreateCaisseDto {
  @ApiProperty({ example: 'Caisse alimentaire commune de Montpellier' })
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: 'montpellier', description: 'Lowercase letters, digits and single dashes' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'slug must be lowercase letters and digits separated by single dashes' })
  @MaxLength(60)
  slug: string;

  @ApiPropertyOptional({ example: ['34172', '34057'], description: 'INSEE codes of the communes covered' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2000)
  @Matches(INSEE_COMMUNE, { each: true, message: 'territory must hold INSEE commune codes (5 characters, e.g. 34172 or 2A004)' })
  territory?: string[];

  @ApiPropertyOptional({ example: 'MonA', default: '€', description: 'Display unit of the allocation (1 unit = 1 €)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(12)
  unitLabel?: string;

  @ApiPropertyOptional({ example: '732829320' })
  @IsOptional()
  @IsSiren()
  siren?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 12, default: 1, description: 'Month the fiscal year starts' })
  @IsOptional()
  @IsInt({ message: 'fiscalYearStartMonth must be a whole number from 1 to 12' })
  @Min(1)
  @Max(12)
  fiscalYearStartMonth?: number;
}

export class CaisseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ type: [String] }) territory: string[];
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ example: '€' }) unitLabel: string;
  @ApiProperty({ nullable: true, type: String }) siren: string | null;
  @ApiProperty() fiscalYearStartMonth: number;
  @ApiProperty() createdAt: string;
}
