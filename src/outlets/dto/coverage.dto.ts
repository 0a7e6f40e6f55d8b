import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches, ValidateNested } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';

/** "*" is every category not listed; other categories are the caisse's own codes, e.g. fruits-legumes. */
export const CATEGORY = /^(\*|[a-z0-9]+(-[a-z0-9]+)*)$/;
/** A share between 0 and 1 with up to 4 decimals ("1", "0.70", "0.3"): exact, never a float. */
export const COVERAGE_RATE = /^(0(\.\d{1,4})?|1(\.0{1,4})?)$/;

export class CoverageRateDto {
  @ApiProperty({ example: 'fruits-legumes', description: 'Product category code, or * for every other category' })
  @Matches(CATEGORY, { message: 'category must be a lowercase code with dashes (e.g. fruits-legumes) or *' })
  category: string;

  @ApiProperty({ example: '0.70', description: 'Share of the price the allocation covers, 0 to 1 (Cadenet: 1, 0.70, 0.30)' })
  @Matches(COVERAGE_RATE, { message: 'rate must be a decimal string from 0 to 1 with at most 4 decimals, e.g. "0.70"' })
  rate: string;
}

export class CreateCoverageDto {
  @ApiProperty({ example: '2027-01-01', description: 'First day the rates apply (today or later)' })
  @IsIsoDate()
  effectiveFrom: string;

  @ApiProperty({ type: [CoverageRateDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CoverageRateDto)
  rates: CoverageRateDto[];
}

export class CoverageVersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2027-01-01' }) effectiveFrom: string;
  @ApiProperty({ type: [CoverageRateDto] }) rates: CoverageRateDto[];
  @ApiProperty() createdAt: string;
}
