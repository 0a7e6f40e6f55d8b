import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsBic, IsCreditorId, IsIban, normalizeBic, normalizeIban } from '../../common/validation/identifiers.js';
import { IsIsoDate, IsMoney } from '../../common/validation/validators.js';

const iban = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeIban(value) : value);
const bic = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeBic(value) : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\s+/g, '').toUpperCase() : value);
export const BANK_ACCOUNT = /^512[0-9]{0,7}$/;

export class CreateBankAccountDto {
  @ApiPropertyOptional({ example: '5121', description: 'Ledger account (512 followed by digits); default: the next free 5121, 5122, …' })
  @IsOptional()
  @Matches(BANK_ACCOUNT, { message: 'account must be 512 followed by up to 7 digits, e.g. 5121' })
  account?: string;

  @ApiProperty({ example: 'Crédit coopératif — compte courant' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  label: string;

  @ApiProperty({ example: 'FR7642559100000812345678905' })
  @Transform(iban)
  @IsIban()
  iban: string;

  @ApiPropertyOptional({ example: 'CCOPFRPP' })
  @IsOptional()
  @Transform(bic)
  @IsBic()
  bic?: string;

  @ApiPropertyOptional({ example: 'FR72ZZZ123456', description: 'SEPA creditor identifier (ICS) used for direct debits collected on this account' })
  @IsOptional()
  @Transform(upper)
  @IsCreditorId()
  creditorId?: string;

  @ApiPropertyOptional({ description: 'Make it the default bank account of the caisse' })
  @IsOptional()
  @IsBoolean({ message: 'isDefault must be true or false' })
  isDefault?: boolean;
}

export class UpdateBankAccountDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) label?: string;

  @ApiPropertyOptional({ description: 'Only while the account has none (512 of an existing caisse): an IBAN never changes; open another account' })
  @IsOptional()
  @Transform(iban)
  @IsIban()
  iban?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(bic) @IsBic() bic?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(upper) @IsCreditorId() creditorId?: string;

  @ApiPropertyOptional({ description: 'true makes it the default (the previous default stops being one)' })
  @IsOptional()
  @IsIn([true], { message: 'isDefault can only be set to true: choose another default instead' })
  isDefault?: boolean;

  @ApiPropertyOptional({ description: 'true closes the account (zero balance, not the default); false reopens it' })
  @IsOptional()
  @IsBoolean({ message: 'closed must be true or false' })
  closed?: boolean;
}

export class BankAccountDto {
  @ApiProperty({ example: '5121' }) account: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, type: String }) iban: string | null;
  @ApiProperty({ nullable: true, type: String }) bic: string | null;
  @ApiProperty({ nullable: true, type: String }) creditorId: string | null;
  @ApiProperty() isDefault: boolean;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ example: '1520.00', description: 'Debits minus credits of the ledger account' }) balance: string;
}

export const DEPOSIT_METHODS = ['cash', 'cheque'] as const;

export class DepositItemDto {
  @ApiProperty({ example: 'Chèque 0001234 — Banque Populaire', description: 'What the slip lists: cheque number and drawer, or the notes counted' })
  @IsString()
  @MinLength(1)
  @MaxLength(140)
  reference: string;

  @ApiProperty({ example: '30.00' })
  @IsMoney()
  amount: string;
}

export class CreateDepositDto {
  @ApiPropertyOptional({ example: '5121', description: 'Bank account credited (default: the default bank account)' })
  @IsOptional()
  @Matches(BANK_ACCOUNT, { message: 'bankAccount must be a bank account such as 512 or 5121' })
  bankAccount?: string;

  @ApiProperty({ enum: DEPOSIT_METHODS, description: 'cash moves 530, cheque moves 5112' })
  @IsIn(DEPOSIT_METHODS as unknown as string[], { message: 'method must be cash or cheque' })
  method: string;

  @ApiPropertyOptional({ type: [DepositItemDto], description: 'The cheques (or bundles of notes) of the slip; exclusive with amount' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'items must list at least one cheque' })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => DepositItemDto)
  items?: DepositItemDto[];

  @ApiPropertyOptional({ example: '250.00', description: 'Total deposited, when no items are listed (cash)' })
  @IsOptional()
  @IsMoney()
  amount?: string;

  @ApiProperty({ example: '2026-12-04' })
  @IsIsoDate()
  depositedOn: string;

  @ApiPropertyOptional({ example: '2026-12-07', description: 'Day the bank credited it (default: depositedOn)' })
  @IsOptional()
  @IsIsoDate()
  creditedOn?: string;
}

export class DepositDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'BRD-000001', description: 'Deposit slip (bordereau) number, sequential per caisse' }) slip: string;
  @ApiProperty({ enum: DEPOSIT_METHODS }) method: string;
  @ApiProperty({ example: '5121' }) bankAccount: string;
  @ApiProperty({ example: '250.00' }) amount: string;
  @ApiProperty({ type: [DepositItemDto] }) items: DepositItemDto[];
  @ApiProperty() depositedOn: string;
  @ApiProperty() creditedOn: string;
  @ApiProperty({ format: 'uuid', description: 'Entry D 580 / C 530 or 5112' }) outEntryId: string;
  @ApiProperty({ format: 'uuid', description: 'Entry D 512x / C 580' }) inEntryId: string;
}
