import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';
import { FUND_CODE } from './positive-money.js';

export class FundInputDto {
  @ApiProperty({ example: 'mobilite', description: 'Code carried by ledger lines (lower case, digits, dashes)' })
  @Matches(FUND_CODE, { message: 'code must be lower-case letters, digits and dashes, e.g. ingenierie' })
  @MaxLength(40)
  code: string;

  @ApiProperty({ example: 'Mobilité des adhérents' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  label: string;

  @ApiProperty({ description: 'May an allocation run consume this fund?' })
  @IsBoolean()
  usableForAllocations: boolean;
}

export class TopUpMonthDto {
  @ApiProperty({ example: '2027-01' }) period: string;
  @ApiProperty({ example: '180.00', description: 'Σ (target − what the household paid) of the allocations credited for the month' }) amount: string;
  @ApiProperty({ example: 3, description: 'Households topped up' }) members: number;
}

export class FundReportRowDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: unrestricted money' }) fund: string | null;
  @ApiProperty() label: string;
  @ApiProperty() usableForAllocations: boolean;
  @ApiProperty({ example: '1000.00', description: 'Cash received for the fund (bank lines)' }) received: string;
  @ApiProperty({ example: '500.00', description: 'Notified or pledged, not yet received' }) receivable: string;
  @ApiProperty({ example: '200.00', description: 'Expenses charged to the fund' }) used: string;
  @ApiProperty({ example: '1300.00', description: 'received + receivable − used' }) available: string;
  @ApiProperty({ type: [TopUpMonthDto], description: 'Per month, the top-up part of allocations charged to this fund (top-up rule)' }) topUps: TopUpMonthDto[];
}

export class FundReportQueryDto {
  @ApiProperty({ required: false, example: '2027-12-31', description: 'Report date (default today)' })
  @IsOptional()
  @IsIsoDate()
  at?: string;
}

export class AvailableForAllocationsDto {
  @ApiProperty() at: string;
  @ApiProperty() cash: string;
  @ApiProperty() receivables: string;
  @ApiProperty() commitments: string;
  @ApiProperty() available: string;
  @ApiProperty({ type: [String], nullable: true, description: 'Funds counted (null = unrestricted)' }) funds: (string | null)[];
}
