import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { IsMoney } from '../../common/validation/validators.js';

export const MAX_VOUCHERS_PER_BATCH = 500;

export class CreateVoucherBatchDto {
  @ApiProperty({ example: 10, description: `Vouchers to print, 1 to ${MAX_VOUCHERS_PER_BATCH}` })
  @IsInt()
  @Min(1)
  @Max(MAX_VOUCHERS_PER_BATCH)
  count: number;

  @ApiProperty({ example: '10.00', description: 'Value of each voucher' })
  @IsMoney()
  faceValue: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Member they are handed to: the total is taken from that wallet; without it the caisse's allocation budget pays them" })
  @IsOptional()
  @IsUUID()
  memberId?: string;
}

export class IssuedVoucherDto {
  @ApiProperty({ example: 'V00000042' }) serial: string;
  @ApiProperty({ example: '482913', description: 'Check code, shown once: print it on the voucher' }) code: string;
  @ApiProperty({ example: '10.00' }) faceValue: string;
}

export class VoucherBatchDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() count: number;
  @ApiProperty({ example: '10.00' }) faceValue: string;
  @ApiProperty({ example: '100.00' }) total: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) memberId: string | null;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ type: [IssuedVoucherDto], description: 'Serials and check codes (codes only in the answer to the issuing request)' }) vouchers: IssuedVoucherDto[];
  @ApiProperty({ nullable: true, type: String, format: 'byte', description: 'Printable A4 PDF sheet (base64), ten vouchers a page; only in the answer to the issuing request, since codes are not kept' })
  sheetPdf: string | null;
  @ApiProperty() createdAt: string;
}

export class RedeemVoucherDto {
  @ApiProperty({ example: 'V00000042' })
  @Matches(/^V[0-9]{8}$/, { message: 'serial must look like V00000042' })
  serial: string;

  @ApiProperty({ example: '482913' })
  @Matches(/^[0-9]{6}$/, { message: 'code must be the 6 digits printed on the voucher' })
  code: string;
}

export class VoucherDto {
  @ApiProperty({ example: 'V00000042' }) serial: string;
  @ApiProperty({ example: '10.00' }) faceValue: string;
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty({ nullable: true, type: String }) redeemedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) redeemedOutletId: string | null;
}
