import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { todayInFrance } from '../common/dates.js';
import { DomainError, type FieldErrors, NotFound, ValidationFailed } from '../common/errors/domain-error.js';
import { RequestContext } from '../common/request-context/request-context.js';
import { Transactional, TransactionHost } from '../database/transaction.js';
import { type EvidenceContentDto, type EvidenceDto, MAX_EVIDENCE_BYTES, type UploadEvidenceDto } from './dto/evidence.dto.js';
import { safeFileName, sniffMediaType } from './evidence-file.js';
import { OutletNotFound } from './outlets.errors.js';

import type { UploadedFileData as UploadedDocument } from '../common/http/file-upload.js';

export type { UploadedDocument };

interface EvidenceRow {
  id: string;
  criterion_code: string;
  issuer: string;
  reference: string | null;
  issued_on: string | null;
  valid_until: string | null;
  expired: boolean;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_at: Date;
  expiry_flagged_at: Date | null;
}

/** $1 is today's date in France, for `expired`. */
const EVIDENCE_SELECT = `
  SELECT e.id, e.criterion_code, e.issuer, e.reference, e.issued_on::text AS issued_on, e.valid_until::text AS valid_until,
         coalesce(e.valid_until < $1::date, false) AS expired, e.file_name, e.media_type, e.size_bytes, e.sha256,
         e.uploaded_at, e.expiry_flagged_at
    FROM outlet_evidence e`;

function toDto(r: EvidenceRow): EvidenceDto {
  return {
    id: r.id,
    criterion: r.criterion_code,
    issuer: r.issuer,
    reference: r.reference,
    issuedOn: r.issued_on,
    validUntil: r.valid_until,
    expired: r.expired,
    fileName: r.file_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    uploadedAt: r.uploaded_at.toISOString(),
    expiryFlaggedAt: r.expiry_flagged_at?.toISOString() ?? null,
  };
}

/**
 * Documents supporting an outlet's answers (organic certificate, price list, pay grid), kept in PostgreSQL beside
 * the books they justify (one backup), with a SHA-256 the database itself checks on insert.
 */
@Injectable()
export class OutletEvidenceService {
  constructor(
    readonly txHost: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async upload(caisseId: string, outletId: string, dto: UploadEvidenceDto, file: UploadedDocument | undefined, criteria: string[]): Promise<EvidenceDto> {
    if (!file || file.size === 0) throw new ValidationFailed({ file: ['file is required: send the document as the multipart part named "file"'] });
    if (file.size > MAX_EVIDENCE_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', 413, `The document is larger than ${MAX_EVIDENCE_BYTES} bytes.`);
    const mediaType = sniffMediaType(file.buffer);
    if (!mediaType) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'The document must be a PDF, PNG or JPEG file.', {
        errors: { file: ['file must be a PDF, PNG or JPEG document (checked from its content, not its name)'] },
      });
    }
    const errors: FieldErrors = {};
    if (!criteria.includes(dto.criterion)) {
      errors.criterion = [criteria.length ? `criterion must be one of the catalogue in force: ${criteria.join(', ')}` : 'no criteria catalogue is in force yet'];
    }
    if (dto.issuedOn && dto.validUntil && dto.validUntil < dto.issuedOn) errors.validUntil = ['validUntil must not be before issuedOn'];
    if (Object.keys(errors).length) throw new ValidationFailed(errors);

    const tx = this.txHost.tx;
    const outlet: unknown[] = await tx.query(`SELECT id FROM outlets WHERE id = $1 AND caisse_id = $2`, [outletId, caisseId]);
    if (outlet.length === 0) throw new OutletNotFound(outletId);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const principal = RequestContext.principal();
    const [{ id }] = await tx.query(
      `INSERT INTO outlet_evidence (caisse_id, outlet_id, criterion_code, issuer, reference, issued_on, valid_until, file_name, media_type,
                                    size_bytes, sha256, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        caisseId, outletId, dto.criterion, dto.issuer.trim(), dto.reference ?? null, dto.issuedOn ?? null, dto.validUntil ?? null,
        safeFileName(file.originalname, mediaType), mediaType, file.buffer.length, sha256, principal?.kind === 'user' ? principal.userId : null,
      ],
    );
    await tx.query(`INSERT INTO outlet_evidence_files (evidence_id, sha256, content) VALUES ($1, $2, $3)`, [id, sha256, file.buffer]);
    const evidence = await this.one(caisseId, outletId, id);
    await this.audit.record({ caisseId, action: 'outlet.evidence-added', targetType: 'outlet', targetId: outletId, after: evidence });
    return evidence;
  }

  async list(caisseId: string, outletId: string): Promise<EvidenceDto[]> {
    const rows: EvidenceRow[] = await this.txHost.tx.query(`${EVIDENCE_SELECT} WHERE e.outlet_id = $2 AND e.caisse_id = $3 ORDER BY e.uploaded_at DESC, e.id`, [
      todayInFrance(),
      outletId,
      caisseId,
    ]);
    return rows.map(toDto);
  }

  async content(caisseId: string, outletId: string, evidenceId: string): Promise<EvidenceContentDto> {
    const evidence = await this.one(caisseId, outletId, evidenceId);
    const [file]: { content: Buffer }[] = await this.txHost.tx.query(`SELECT content FROM outlet_evidence_files WHERE evidence_id = $1`, [evidenceId]);
    return { ...evidence, contentBase64: file.content.toString('base64') };
  }

  private async one(caisseId: string, outletId: string, evidenceId: string): Promise<EvidenceDto> {
    const rows: EvidenceRow[] = await this.txHost.tx.query(`${EVIDENCE_SELECT} WHERE e.id = $2 AND e.outlet_id = $3 AND e.caisse_id = $4`, [
      todayInFrance(),
      evidenceId,
      outletId,
      caisseId,
    ]);
    if (!rows[0]) throw new NotFound('Evidence', evidenceId);
    return toDto(rows[0]);
  }
}
