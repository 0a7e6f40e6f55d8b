import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';
import { BANK_ACCOUNT } from '../../ledger/dto/treasury.dto.js';
import { CONTRIBUTION_STATUSES, PAYMENT_METHODS } from '../contributions.types.js';
import { FUND_CODE, IsPositiveMoney, PERIOD } from './positive-money.js';

export class RecordContributionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The paying member (exclusive with contributorId)' })
  @IsOptional()
  @IsUUID('all', { message: 'memberId must be a UUID' })
  memberId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The paying contributor (exclusive with memberId)' })
  @IsOptional()
  @IsUUID('all', { message: 'contributorId must be a UUID' })
  contributorId?: string;

  @ApiProperty({ example: '30.00' })
  @IsPositiveMoney()
  amount: string;

  @ApiPropertyOptional({ example: '2027-01', description: 'Month the member contribution is for (required for a member)' })
  @IsOptional()
  @Matches(PERIOD, { message: 'period must be a month written YYYY-MM' })
  period?: string;

  @ApiProperty({ enum: PAYMENT_METHODS, description: 'cash is held in 530 and cheques in 5112 until deposited (…/deposits); the others reach the bank account' })
  @IsIn(PAYMENT_METHODS as unknown as string[], { message: `method must be one of ${PAYMENT_METHODS.join(', ')}` })
  method: string;

  @ApiPropertyOptional({ example: '5121', description: 'Bank account (512x) a transfer, card or direct-debit payment reaches; default: the default bank account' })
  @IsOptional()
  @Matches(BANK_ACCOUNT, { message: 'bankAccount must be a bank account such as 512 or 5121' })
  bankAccount?: string;

  @ApiProperty({ example: '2027-01-05' })
  @IsIsoDate()
  receivedOn: string;

  @ApiPropertyOptional({ example: 'allocations', description: 'Earmark of a contributor payment (omitted: unrestricted)' })
  @IsOptional()
  @Matches(FUND_CODE, { message: 'fund must be a fund code such as allocations' })
  fund?: string;

  @ApiPropertyOptional({ description: "A public funder's payment that is not a tranche of its open grant (otherwise refused with GRANT_TRANCHE_EXPECTED); needs a reason" })
  @IsOptional()
  @IsBoolean({ message: 'notATranche must be true or false' })
  notATranche?: boolean;

  @ApiPropertyOptional({ example: 'Subvention exceptionnelle hors convention', description: 'Why the payment is not a tranche (kept in the audit log)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason?: string;
}

export class ContributionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) memberId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) contributorId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2027-01' }) period: string | null;
  @ApiProperty({ example: '30.00' }) amount: string;
  @ApiProperty({ example: '0.00', description: "Part of this payment counted as a gift (7541) under the month rule: what it brought above the month's allocation; a reversal in the month may move it, with a reclassification entry" }) giftPart: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) method: string;
  @ApiProperty({ example: '2027-01-05' }) receivedOn: string;
  @ApiProperty({ nullable: true, type: String }) fund: string | null;
  @ApiProperty({ example: '756', description: 'Income account credited' }) incomeAccount: string;
  @ApiProperty({ format: 'uuid', description: 'Journal entry in the ledger' }) entryId: string;
  @ApiProperty({ nullable: true, type: String }) reversedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reversalReason: string | null;
}

export class QuoteDto {
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ example: '2027-01' }) period: string;
  @ApiProperty({ format: 'uuid', description: 'Rule version in force on the first day of the period' }) ruleVersionId: string;
  @ApiProperty({ example: 'percent-of-income' }) rule: string;
  @ApiProperty({ enum: ['required', 'minimum', 'suggested', 'chosen-level'] }) kind: string;
  @ApiProperty({ example: '30.00' }) amount: string;
  @ApiProperty({ nullable: true, type: String }) ceiling: string | null;
  @ApiProperty({ description: 'Inputs read from the member record', example: { monthlyIncome: '1200.00', adults: 1, childrenUnder14: 0 } })
  inputs: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'The computation, step by step' }) steps: string[];
}

export class QuoteQueryDto {
  @ApiProperty({ example: '2027-01' })
  @Matches(PERIOD, { message: 'period must be a month written YYYY-MM' })
  period: string;

  @ApiPropertyOptional({ description: 'Level chosen by the member (brackets rule)' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  level?: string;
}

export class PeriodQueryDto {
  @ApiProperty({ example: '2027-01' })
  @Matches(PERIOD, { message: 'period must be a month written YYYY-MM' })
  period: string;
}

export class ContributionStatusDto {
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty({ example: '2027-01' }) period: string;
  @ApiProperty({ enum: CONTRIBUTION_STATUSES }) status: string;
  @ApiProperty({ example: '30.00' }) due: string;
  @ApiProperty({ example: '30.00' }) paid: string;
}

export class WaiverInputDto {
  @ApiProperty({ example: '2027-01' })
  @Matches(PERIOD, { message: 'period must be a month written YYYY-MM' })
  period: string;

  @ApiProperty({ example: 'Situation examined by the solidarity committee' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class ContributionListQueryDto {
  @ApiPropertyOptional({ example: '2027-01' })
  @IsOptional()
  @Matches(PERIOD, { message: 'period must be a month written YYYY-MM' })
  period?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'memberId must be a UUID' })
  memberId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'contributorId must be a UUID' })
  contributorId?: string;
}
