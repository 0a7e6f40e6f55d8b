import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches, ValidateIf } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';
import { BANK_ACCOUNT } from '../../ledger/dto/treasury.dto.js';
import { FUND_CODE, IsPositiveMoney } from './positive-money.js';

export class GrantInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'contributorId must be a UUID' })
  contributorId: string;

  @ApiProperty({ example: '50000.00' })
  @IsPositiveMoney()
  amount: string;

  @ApiProperty({ example: '2027-01-01' })
  @IsIsoDate()
  from: string;

  @ApiProperty({ example: '2027-12-31' })
  @IsIsoDate()
  to: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'allocations', description: 'Earmark; null or omitted = unrestricted' })
  @ValidateIf((o: GrantInputDto) => o.fund !== null && o.fund !== undefined)
  @Matches(FUND_CODE, { message: 'fund must be a fund code such as allocations, or null' })
  fund?: string | null;

  @ApiProperty({ example: 'CONV-2027-014', description: "The funder's agreement reference (carried by every ledger line)" })
  @Matches(/^[A-Za-z0-9._/-]{1,40}$/, { message: 'reference must be 1 to 40 letters, digits or . _ / -' })
  reference: string;

  @ApiPropertyOptional({ example: '2027-01-10', description: 'Notification date (default: from)' })
  @IsOptional()
  @IsIsoDate()
  notifiedOn?: string;
}

export class TrancheInputDto {
  @ApiProperty({ example: '25000.00' })
  @IsPositiveMoney()
  amount: string;

  @ApiProperty({ example: '2027-02-15' })
  @IsIsoDate()
  receivedOn: string;

  @ApiPropertyOptional({ example: '5121', description: 'Bank account the tranche reached; default: the default bank account' })
  @IsOptional()
  @Matches(BANK_ACCOUNT, { message: 'bankAccount must be a bank account such as 512 or 5121' })
  bankAccount?: string;
}

export class TrancheDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() amount: string;
  @ApiProperty() receivedOn: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
}

export class GrantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contributorId: string;
  @ApiProperty() reference: string;
  @ApiProperty() amount: string;
  @ApiProperty() received: string;
  @ApiProperty() remaining: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ nullable: true, type: String }) fund: string | null;
  @ApiProperty() notifiedOn: string;
  @ApiProperty({ example: '441-F000001', description: 'Receivable account' }) receivableAccount: string;
  @ApiProperty({ example: '741-F000001', description: 'Income account' }) incomeAccount: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ type: [TrancheDto] }) tranches: TrancheDto[];
}
