import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, registerDecorator, type ValidationOptions } from 'class-validator';
import { IsBic, IsIban, icsError, normalizeBic, normalizeIban } from '../../common/validation/identifiers.js';
import { IsIsoDate } from '../../common/validation/validators.js';
import { BANK_ACCOUNT } from '../../ledger/dto/treasury.dto.js';
import { sepaIdError } from '../../common/sepa/sepa-text.js';
import { IsPositiveMoney, PERIOD } from './positive-money.js';

function sepaDecorator(name: string, error: (v: unknown) => string | undefined, options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (args) => `${args.property} ${error(args.value) ?? 'is not valid'}`, ...options },
      validator: { validate: (value: unknown) => error(value) === undefined },
    });
}
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\s+/g, '').toUpperCase() : value);
const iban = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeIban(value) : value);
const bic = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeBic(value) : value);

export class DirectDebitSettingsInputDto {
  @ApiProperty({ example: 'FR72ZZZ123456', description: 'Creditor identifier (ICS) given by the Banque de France' })
  @Transform(upper)
  @(sepaDecorator('isIcs', icsError) as PropertyDecorator)
  creditorId: string;

  @ApiProperty({ example: 'Caisse commune de Montpellier' })
  @IsString()
  @MinLength(1)
  @MaxLength(70)
  creditorName: string;

  @ApiProperty({ example: 'FR7630004000031234567890143', description: 'Account the collections are credited to' })
  @Transform(iban)
  @IsIban()
  creditorIban: string;

  @ApiPropertyOptional({ example: 'BNPAFRPP' })
  @IsOptional()
  @Transform(bic)
  @IsBic()
  creditorBic?: string;
}

export class DirectDebitSettingsDto {
  @ApiProperty() creditorId: string;
  @ApiProperty() creditorName: string;
  @ApiProperty() creditorIban: string;
  @ApiProperty({ nullable: true, type: String }) creditorBic: string | null;
}

export class MandateInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'memberId must be a UUID' })
  memberId: string;

  @ApiProperty({ example: 'RUM-2026-000042', description: 'Unique mandate reference (RUM/UMR)' })
  @(sepaDecorator('isSepaId', sepaIdError) as PropertyDecorator)
  reference: string;

  @ApiProperty({ example: '2026-01-15' })
  @IsIsoDate()
  signedOn: string;

  @ApiProperty({ example: 'Nadia Benali', description: 'Account holder as on the mandate' })
  @IsString()
  @MinLength(1)
  @MaxLength(70)
  debtorName: string;

  @ApiProperty({ example: 'FR7630006000011234567890189' })
  @Transform(iban)
  @IsIban()
  iban: string;

  @ApiPropertyOptional({ example: 'AGRIFRPP' })
  @IsOptional()
  @Transform(bic)
  @IsBic()
  bic?: string;
}

export class SepaMandateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty() reference: string;
  @ApiProperty() signedOn: string;
  @ApiProperty() debtorName: string;
  @ApiProperty({ example: 'FR76********************0189', description: 'Masked' }) iban: string;
  @ApiProperty({ nullable: true, type: String }) bic: string | null;
  @ApiProperty({ enum: ['FRST', 'RCUR'], description: 'Sequence type of the next collection' }) nextSequenceType: string;
  @ApiProperty({ nullable: true, type: String }) flaggedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the member is flagged (last R-transaction)' }) flagReason: string | null;
}

export class BatchInputDto {
  @ApiProperty({ example: '2026-02' })
  @Matches(PERIOD, { message: 'period must be a month written YYYY-MM' })
  period: string;

  @ApiProperty({ example: '2026-02-05', description: 'Requested collection date: a TARGET2 business day at least one business day after today (the calls are posted today, on 411)' })
  @IsIsoDate()
  collectionDate: string;

  @ApiPropertyOptional({ example: '5121', description: 'Bank account the collections reach (its IBAN and creditor identifier go in the file when set); default: the default bank account' })
  @IsOptional()
  @Matches(BANK_ACCOUNT, { message: 'bankAccount must be a bank account such as 512 or 5121' })
  bankAccount?: string;
}

export class BatchItemDto {
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiProperty() endToEndId: string;
  @ApiProperty({ enum: ['FRST', 'RCUR'] }) sequenceType: string;
  @ApiProperty() amount: string;
  @ApiProperty({ format: 'uuid' }) contributionId: string;
  @ApiProperty({ nullable: true, type: String }) returnedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) returnReason: string | null;
  @ApiProperty({ nullable: true, type: String, example: '0.50', description: 'Reject fee the bank charged (627)' }) returnFee: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'BQ entry of the money taken back and the fee' }) returnEntryId: string | null;
}

/** A batch in the list (its lines: GET …/direct-debit-batches/{id}). */
export class BatchSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() messageId: string;
  @ApiProperty() period: string;
  @ApiProperty() collectionDate: string;
  @ApiProperty() transactions: number;
  @ApiProperty() controlSum: string;
  @ApiProperty({ enum: ['built', 'sent', 'settled', 'cancelled'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) builtOn: string | null;
}

export class BatchDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() messageId: string;
  @ApiProperty() period: string;
  @ApiProperty() collectionDate: string;
  @ApiProperty() transactions: number;
  @ApiProperty() controlSum: string;
  @ApiProperty({ enum: ['built', 'sent', 'settled', 'cancelled'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'Day the dues were called (D 411 / C 756)' }) builtOn: string | null;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) settledOn: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'D 512 / C 411 entry of the settlement' }) settlementEntryId: string | null;
  @ApiProperty({ type: [BatchItemDto] }) items: BatchItemDto[];
}

export const R_REASONS = ['AC01', 'AC04', 'AC06', 'AG01', 'AG02', 'AM04', 'AM05', 'BE05', 'FF01', 'MD01', 'MD02', 'MD06', 'MD07', 'MS02', 'MS03', 'RC01', 'RR01', 'RR02', 'RR03', 'RR04', 'SL01'] as const;

export class ReturnInputDto {
  @ApiProperty({ example: 'DD-2026-02-0001-00001', description: 'EndToEndId of the returned transaction' })
  @IsString()
  @MinLength(1)
  @MaxLength(35)
  endToEndId: string;

  @ApiProperty({ enum: R_REASONS, description: 'ISO reason code of the return, reject or refund' })
  @IsIn(R_REASONS as unknown as string[], { message: `reasonCode must be one of ${R_REASONS.join(', ')}` })
  reasonCode: string;

  @ApiProperty({ example: '2026-02-12' })
  @IsIsoDate()
  returnedOn: string;

  @ApiPropertyOptional({ example: '0.50', description: 'Reject fee the bank charged for this return (D 627 / C 512)' })
  @IsOptional()
  @IsPositiveMoney()
  fee?: string;
}

export class SettleInputDto {
  @ApiProperty({ example: '2026-02-05', description: 'Day the bank credited the batch (statement line or confirmation)' })
  @IsIsoDate()
  settledOn: string;
}

export class PainFileDto {
  @ApiProperty({ example: 'DD-2026-02-0001.xml' }) filename: string;
  @ApiProperty({ description: 'The pain.008.001.02 document' }) xml: string;
}
