import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsObject, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';
import {
  ALLOCATION_SUBTYPES,
  AllocationRuleDto,
  FlatAllocationDto,
  HouseholdAllocationDto,
  MeanOfContributionsAllocationDto,
  TopUpAllocationDto,
} from './allocation-rule.dto.js';
import {
  BracketsContributionDto,
  CONTRIBUTION_SUBTYPES,
  ContributionRuleDto,
  FreeContributionDto,
  GridContributionDto,
  PercentOfIncomeContributionDto,
} from './contribution-rule.dto.js';

/** OpenAPI 3.0 maps a discriminator value to a schema by name unless told otherwise: "flat" is FlatAllocationDto. */
function discriminatorMapping(subTypes: { value: Parameters<typeof getSchemaPath>[0]; name: string }[]): Record<string, string> {
  return Object.fromEntries(subTypes.map((s) => [s.name, getSchemaPath(s.value)]));
}

export const ROLLOVER_MODES = ['rollover', 'cap', 'expire'] as const;

export class RolloverRuleDto {
  @ApiProperty({ enum: ROLLOVER_MODES, description: 'rollover: unspent balance carries over; cap: carries over up to capMonths allocations; expire: expires at period end' })
  @IsIn(ROLLOVER_MODES as unknown as string[], { message: `mode must be one of ${ROLLOVER_MODES.join(', ')}` })
  mode: string;

  @ApiProperty({ required: false, minimum: 1, maximum: 24, description: 'Required when mode is cap' })
  @ValidateIf((o: RolloverRuleDto) => o.mode === 'cap' || o.capMonths !== undefined)
  @IsInt({ message: 'capMonths must be a whole number of months (required when mode is cap)' })
  @Min(1)
  @Max(24)
  capMonths?: number;
}

export class GateRuleDto {
  @ApiProperty({ description: "Credit the allocation only once the member's contribution for the month is paid" })
  @IsBoolean()
  requireContribution: boolean;
}

@ApiExtraModels(
  FlatAllocationDto,
  HouseholdAllocationDto,
  MeanOfContributionsAllocationDto,
  TopUpAllocationDto,
  FreeContributionDto,
  PercentOfIncomeContributionDto,
  GridContributionDto,
  BracketsContributionDto,
)
export class CreateRuleVersionDto {
  @ApiProperty({ example: '2027-01-01', description: 'First day the version applies (YYYY-MM-DD)' })
  @IsIsoDate()
  effectiveFrom: string;

  @ApiProperty({ oneOf: ALLOCATION_SUBTYPES.map((s) => ({ $ref: getSchemaPath(s.value) })), discriminator: { propertyName: 'formula', mapping: discriminatorMapping(ALLOCATION_SUBTYPES) } })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AllocationRuleDto, { discriminator: { property: 'formula', subTypes: ALLOCATION_SUBTYPES }, keepDiscriminatorProperty: true })
  allocation: AllocationRuleDto;

  @ApiProperty({ oneOf: CONTRIBUTION_SUBTYPES.map((s) => ({ $ref: getSchemaPath(s.value) })), discriminator: { propertyName: 'rule', mapping: discriminatorMapping(CONTRIBUTION_SUBTYPES) } })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ContributionRuleDto, { discriminator: { property: 'rule', subTypes: CONTRIBUTION_SUBTYPES }, keepDiscriminatorProperty: true })
  contribution: ContributionRuleDto;

  @ApiProperty({ type: RolloverRuleDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RolloverRuleDto)
  rollover: RolloverRuleDto;

  @ApiProperty({ type: GateRuleDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GateRuleDto)
  gate: GateRuleDto;
}

export class RuleVersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2027-01-01' }) effectiveFrom: string;
  @ApiProperty({ oneOf: ALLOCATION_SUBTYPES.map((s) => ({ $ref: getSchemaPath(s.value) })) }) allocation: object;
  @ApiProperty({ oneOf: CONTRIBUTION_SUBTYPES.map((s) => ({ $ref: getSchemaPath(s.value) })) }) contribution: object;
  @ApiProperty({ type: RolloverRuleDto }) rollover: object;
  @ApiProperty({ type: GateRuleDto }) gate: object;
  @ApiProperty() createdAt: string;
}
