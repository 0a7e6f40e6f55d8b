import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate, IsMoney } from '../../common/validation/validators.js';
import { BANK_ACCOUNT } from '../../ledger/dto/treasury.dto.js';
import { PAIN001_VERSIONS } from '../pain001.js';

export const RUN_STATUSES = ['draft', 'approved', 'exported', 'paid', 'partly-paid', 'cancelled'] as const;
export const LINE_STATUSES = ['pending', 'paid', 'rejected', 'returned'] as const;

export class CreateSettlementRunDto {
  @ApiProperty({ example: '2026-11-30', description: 'Purchases and refunds booked up to this day (inclusive) are paid' })
  @IsIsoDate()
  until: string;

  @ApiPropertyOptional({ example: '5121', description: "Bank account debited (default: the caisse's default bank account)" })
  @IsOptional()
  @Matches(BANK_ACCOUNT, { message: 'bankAccount must be a bank account such as 512 or 5121' })
  bankAccount?: string;

  @ApiPropertyOptional({ example: '20.00', description: 'An outlet owed less is carried to the next run (default 0.01)' })
  @IsOptional()
  @IsMoney()
  minAmount?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Only these outlets (default: every outlet of the caisse)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'outlets must not repeat an outlet' })
  @IsUUID('all', { each: true, message: 'outlets must be outlet ids (UUID)' })
  outlets?: string[];

  @ApiPropertyOptional({ description: 'SEPA instant credit transfers (SCT Inst, LclInstrm INST)', default: false })
  @IsOptional()
  @IsBoolean()
  instant?: boolean;
}

export class ApproveSettlementRunDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Lines flagged for a recent IBAN change that the approver confirms (every flagged line must be listed)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'confirmIbanChanges must be line ids (UUID)' })
  confirmIbanChanges?: string[];
}

export class ExportSettlementRunDto {
  @ApiPropertyOptional({ enum: PAIN001_VERSIONS, default: '09', description: 'pain.001.001.09 (default) or .03 (legacy)' })
  @IsOptional()
  @IsIn(PAIN001_VERSIONS as unknown as string[], { message: 'version must be 09 or 03' })
  version?: '09' | '03';
}

export class ReturnLineDto {
  @ApiProperty({ example: 'AC04', description: 'Return reason (ISO code or text)' })
  @IsString()
  @MinLength(2)
  @MaxLength(140)
  reason: string;

  @ApiProperty({ example: '2026-12-08' })
  @IsIsoDate()
  returnedOn: string;
}

export class SettlementSettingsDto {
  @ApiProperty({ example: 30, description: 'A line paying an IBAN changed within this many days needs an explicit confirmation at approval' })
  @IsInt()
  @Min(0)
  @Max(365)
  ibanChangeWindowDays: number;
}

export class SettlementItemDto {
  @ApiProperty({ example: '2026-11-14' }) date: string;
  @ApiProperty({ example: 'ACH' }) journal: string;
  @ApiProperty({ example: 'T-000123', description: 'Receipt number (pieceRef of the entry)' }) pieceRef: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['purchase', 'refund', 'other'] }) kind: string;
  @ApiProperty({ example: '12.50', description: 'Owed to the outlet (a refund is negative)' }) amount: string;
}

export class SettlementLineDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) outletId: string;
  @ApiProperty({ example: 'O00000042' }) outletCode: string;
  @ApiProperty() payeeName: string;
  @ApiProperty({ description: 'IBAN paid (in full: treasurers and admins only read runs)' }) iban: string;
  @ApiProperty({ example: '42.00' }) amount: string;
  @ApiProperty({ example: 'REG-00003-O00000042', description: 'EndToEndId of the transfer: the matching key in bank statements' }) endToEndId: string;
  @ApiProperty({ example: '2026-11-02', description: 'Date of the oldest purchase or refund paid' }) periodFrom: string;
  @ApiProperty({ enum: LINE_STATUSES }) status: string;
  @ApiProperty({ description: 'The IBAN changed within the window: the approval must confirm it' }) ibanFlagged: boolean;
  @ApiProperty({ nullable: true, type: String }) ibanChangedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ibanConfirmedBy: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'ACCP', description: "The bank's last status (pain.002)" }) bankStatus: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'AC01' }) reasonCode: string | null;
  @ApiProperty({ nullable: true, type: String }) reasonText: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) payoutEntryId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) reversalEntryId: string | null;
  @ApiProperty({ type: Number }) items: number;
}

export class SettlementRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 3, description: 'Number of the run in the caisse (the statements carry it)' }) runNo: number;
  @ApiProperty({ enum: RUN_STATUSES, description: 'paid / partly-paid are derived from the bank reconciliation on read' }) status: string;
  @ApiProperty({ description: 'Lines are computed within the request: the run is complete when returned' }) progress: number;
  @ApiProperty({ example: '2026-11-30' }) until: string;
  @ApiProperty({ example: '5121' }) bankAccount: string;
  @ApiProperty({ example: '0.01' }) minAmount: string;
  @ApiProperty() instant: boolean;
  @ApiProperty({ example: '1234.50' }) total: string;
  @ApiProperty({ type: Number }) lineCount: number;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) approvedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'MsgId of the pain.001, fixed at export (unique across caisses)' }) messageId: string | null;
  @ApiProperty({ nullable: true, type: String }) exportedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) executionDate: string | null;
  @ApiProperty({ type: [SettlementLineDto] }) lines: SettlementLineDto[];
}

/** A pain.002 is a few kB per hundred transfers; 2 MiB leaves room for the largest run. */
export const MAX_STATUS_REPORT_BYTES = 2 * 1024 * 1024;

export class StatusReportResultDto {
  @ApiProperty({ description: 'MsgId of the status report' }) reportId: string;
  @ApiProperty({ type: Number, description: 'Transfers marked rejected by this report (already rejected ones not counted)' }) rejected: number;
  @ApiProperty({ type: Number }) accepted: number;
  @ApiProperty({ type: SettlementRunDto }) run: SettlementRunDto;
}

export class StatusReportUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The pain.002 XML file (at most 2 MiB)' })
  // Documents the form field; whitelisted so that, with ES2022 class fields, the property tsc emits is not "unknown".
  @IsOptional()
  file?: unknown;
}

export class Pain001QueryDto {
  @ApiPropertyOptional({ enum: PAIN001_VERSIONS, default: '09' })
  @IsOptional()
  @IsIn(PAIN001_VERSIONS as unknown as string[], { message: 'version must be 09 or 03' })
  version?: '09' | '03';
}

export class StatementQueryDto {
  @ApiPropertyOptional({ enum: ['pdf', 'csv'], default: 'pdf' })
  @IsOptional()
  @IsIn(['pdf', 'csv'], { message: 'format must be pdf or csv' })
  format?: 'pdf' | 'csv';
}

export class Pain001FileDto {
  @ApiProperty({ example: 'REG0123…-pain.001.001.09.xml' }) filename: string;
  @ApiProperty({ description: 'The pain.001 document' }) xml: string;
}

export class StatementFileDto {
  @ApiProperty({ example: 'releve-3-O00000042.pdf' }) filename: string;
  @ApiProperty({ enum: ['application/pdf', 'text/csv'] }) contentType: string;
  @ApiProperty({ description: 'The file, base64-encoded' }) base64: string;
}
