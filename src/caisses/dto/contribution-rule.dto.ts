import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsMoney, IsRate } from '../../common/validation/validators.js';

export const CONTRIBUTION_RULES = ['free', 'percent-of-income', 'grid', 'brackets'] as const;

export class ContributionRuleDto {
  @ApiProperty({ enum: CONTRIBUTION_RULES })
  @IsIn(CONTRIBUTION_RULES as unknown as string[], { message: `rule must be one of ${CONTRIBUTION_RULES.join(', ')}` })
  rule: string;

  @ApiPropertyOptional({ description: "The part of a member's contribution above the member's allocation is booked as a gift (7541) and may get a tax receipt" })
  @IsOptional()
  @IsBoolean()
  excessAsGift?: boolean;
}

export class FreeContributionDto extends ContributionRuleDto {
  @ApiProperty({ example: '10.00' })
  @IsMoney()
  floor: string;

  @ApiPropertyOptional({ example: '180.00' })
  @IsOptional()
  @IsMoney()
  ceiling?: string;
}

export class PercentOfIncomeContributionDto extends ContributionRuleDto {
  @ApiProperty({ example: '0.025', description: 'Share of declared net monthly income, 0 to 1' })
  @IsRate()
  rate: string;

  @ApiProperty({ example: '10.00' })
  @IsMoney()
  floor: string;

  @ApiPropertyOptional({ example: '250.00' })
  @IsOptional()
  @IsMoney()
  ceiling?: string;
}

export class GridBandDto {
  @ApiPropertyOptional({ example: '1200.00', description: 'Upper income bound of the band (inclusive); omitted on the last band' })
  @IsOptional()
  @IsMoney()
  upTo?: string;

  @ApiProperty({ example: '20.00', description: 'Monthly contribution for this band' })
  @IsMoney()
  amount: string;
}

export class GridContributionDto extends ContributionRuleDto {
  @ApiProperty({ type: [GridBandDto], description: 'Income bands in increasing order; only the last one has no upTo' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GridBandDto)
  bands: GridBandDto[];
}

export class BracketLevelDto {
  @ApiProperty({ example: 'Niveau 2' })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  label: string;

  @ApiProperty({ example: '30.00' })
  @IsMoney()
  amount: string;
}

export class BracketsContributionDto extends ContributionRuleDto {
  @ApiProperty({ type: [BracketLevelDto], description: 'Fixed levels a member chooses from' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => BracketLevelDto)
  levels: BracketLevelDto[];
}

export const CONTRIBUTION_SUBTYPES = [
  { value: FreeContributionDto, name: 'free' },
  { value: PercentOfIncomeContributionDto, name: 'percent-of-income' },
  { value: GridContributionDto, name: 'grid' },
  { value: BracketsContributionDto, name: 'brackets' },
];
