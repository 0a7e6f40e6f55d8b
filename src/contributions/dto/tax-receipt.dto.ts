import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

export class TaxReceiptInputDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A member, for the gift part of their contributions (exclusive with contributorId)' })
  @IsOptional()
  @IsUUID('all', { message: 'memberId must be a UUID' })
  memberId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An individual donor or a company (mécénat)' })
  @IsOptional()
  @IsUUID('all', { message: 'contributorId must be a UUID' })
  contributorId?: string;

  @ApiProperty({ example: 2026, description: 'Year the money was received' })
  @IsInt({ message: 'year must be a whole year, e.g. 2026' })
  @Min(2000)
  @Max(2100)
  year: number;
}

export class CancelReceiptDto {
  @ApiProperty({ example: 'Wrong donor address; a corrected receipt follows' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class TaxReceiptItemDto {
  @ApiProperty({ format: 'uuid' }) contributionId: string;
  @ApiProperty() amount: string;
  @ApiProperty() receivedOn: string;
  @ApiProperty() method: string;
}

export class TaxReceiptDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-000001', description: 'Gapless per caisse and year' }) number: string;
  @ApiProperty() year: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) memberId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) contributorId: string | null;
  @ApiProperty() donorName: string;
  @ApiProperty({ nullable: true, type: String }) donorAddress: string | null;
  @ApiProperty({ example: '120.00' }) amount: string;
  @ApiProperty({ example: 'cent vingt euros' }) amountInWords: string;
  @ApiProperty({ enum: ['CGI-200', 'CGI-238bis'] }) legalBasis: string;
  @ApiProperty({ type: [String] }) methods: string[];
  @ApiProperty() issuedOn: string;
  @ApiProperty({ type: [TaxReceiptItemDto] }) items: TaxReceiptItemDto[];
  @ApiProperty({ nullable: true, type: String }) cancelledAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'A2026-000001' }) cancellationNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) cancellationReason: string | null;
}

export class TaxReceiptPdfDto {
  @ApiProperty({ example: 'recu-fiscal-2026-000001.pdf' }) filename: string;
  @ApiProperty({ description: 'The PDF, base64' }) base64: string;
}
