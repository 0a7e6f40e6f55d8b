import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsIsoDate } from '../../common/validation/validators.js';

export const EVIDENCE_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];
/** 2 MiB: a scanned certificate fits, a phone video does not. */
export const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;
export const EVIDENCE_PATH = '/api/v1/caisses/:caisseId/outlets/:outletId/evidence';
/** The document plus its form fields and multipart framing. */
export const EVIDENCE_BODY_LIMIT = '3mb';

/** The text fields of the multipart upload; the document itself is the part named "file". */
export class UploadEvidenceDto {
  @ApiProperty({ type: 'string', format: 'binary', description: `PDF, PNG or JPEG, at most ${MAX_EVIDENCE_BYTES} bytes` })
  // Documents the form field; whitelisted so that, with ES2022 class fields, the property tsc emits is not "unknown".
  @IsOptional()
  file?: unknown;

  @ApiProperty({ example: 'organic-practice', description: 'Code of the criterion (catalogue in force) the document supports' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'criterion must be the code of a criterion, e.g. organic-practice' })
  @MaxLength(60)
  criterion: string;

  @ApiProperty({ example: 'Ecocert FR-BIO-01', description: 'Who issued the document' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  issuer: string;

  @ApiPropertyOptional({ example: 'CERT-2026-0042' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({ example: '2026-03-01' })
  @IsOptional()
  @IsIsoDate()
  issuedOn?: string;

  @ApiPropertyOptional({ example: '2027-02-28', description: 'Last day the document is valid; the daily job flags it after' })
  @IsOptional()
  @IsIsoDate()
  validUntil?: string;
}

export class EvidenceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() criterion: string;
  @ApiProperty() issuer: string;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty({ nullable: true, type: String }) issuedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) validUntil: string | null;
  @ApiProperty({ description: 'validUntil is before today (Paris)' }) expired: boolean;
  @ApiProperty() fileName: string;
  @ApiProperty({ enum: EVIDENCE_MEDIA_TYPES }) mediaType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty({ description: 'SHA-256 of the file, hex' }) sha256: string;
  @ApiProperty() uploadedAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the daily job flagged it as expired' }) expiryFlaggedAt: string | null;
}

export class EvidenceContentDto extends EvidenceDto {
  @ApiProperty({ description: 'The file, base64-encoded; check it against sha256' }) contentBase64: string;
}
