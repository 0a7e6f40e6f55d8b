import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsMoney } from '../../common/validation/validators.js';
import { SHORTFALL_POLICIES } from './rules.types.js';

export const ALLOCATION_FORMULAS = ['flat', 'household', 'mean-of-contributions', 'top-up'] as const;

export class AllocationRuleDto {
  @ApiProperty({ enum: ALLOCATION_FORMULAS })
  @IsIn(ALLOCATION_FORMULAS as unknown as string[], { message: `formula must be one of ${ALLOCATION_FORMULAS.join(', ')}` })
  formula: string;

  @ApiPropertyOptional({ enum: SHORTFALL_POLICIES, default: 'fail', description: 'When funds do not cover a run: fail it with the figures, or reduce every amount by the same percentage' })
  @IsOptional()
  @IsIn(SHORTFALL_POLICIES as unknown as string[], { message: `whenShort must be one of ${SHORTFALL_POLICIES.join(', ')}` })
  whenShort?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 28, description: 'Day of the month the run for that month starts by itself (absent: no automatic run)' })
  @IsOptional()
  @IsInt({ message: 'autoRunDay must be a whole day of the month' })
  @Min(1, { message: 'autoRunDay must be between 1 and 28' })
  @Max(28, { message: 'autoRunDay must be between 1 and 28' })
  autoRunDay?: number;
}

export class FlatAllocationDto extends AllocationRuleDto {
  @ApiProperty({ example: '100.00', description: 'Monthly amount per member' })
  @IsMoney()
  amount: string;
}

export class HouseholdAllocationDto extends AllocationRuleDto {
  @ApiProperty({ example: '150.00', description: 'For the first adult' })
  @IsMoney()
  base: string;

  @ApiProperty({ example: '75.00', description: 'For each further adult (14 and over)' })
  @IsMoney()
  perExtraAdult: string;

  @ApiProperty({ example: '45.00', description: 'For each child under 14' })
  @IsMoney()
  perChild: string;
}

export class MeanOfContributionsAllocationDto extends AllocationRuleDto {}

export class TopUpAllocationDto extends AllocationRuleDto {
  @ApiProperty({ example: '90.00', description: "Amount credited to the wallet; what the household did not pay of it that month is the top-up" })
  @IsMoney()
  target: string;

  @ApiPropertyOptional({ example: 'caf-savoie', description: "Fund the top-up part is charged to (must be usable for allocations when a run uses it); absent: the run's fund" })
  @IsOptional()
  // The fund code shape of the contributions module, restated: caisses sits below it and cannot import it.
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'fund must be a fund code such as allocations' })
  fund?: string;
}

export const ALLOCATION_SUBTYPES = [
  { value: FlatAllocationDto, name: 'flat' },
  { value: HouseholdAllocationDto, name: 'household' },
  { value: MeanOfContributionsAllocationDto, name: 'mean-of-contributions' },
  { value: TopUpAllocationDto, name: 'top-up' },
];
