import { Body, Controller, Get, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { todayInFrance } from '../common/dates.js';
import { ProblemDto } from '../common/errors/problem.js';
import { FileUpload, UploadedDocument as UploadedFileParam } from '../common/http/file-upload.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { EvidenceContentDto, EvidenceDto, MAX_EVIDENCE_BYTES, UploadEvidenceDto } from './dto/evidence.dto.js';
import { OutletAccess } from './outlet-access.service.js';
import { OutletCriteriaService } from './outlet-criteria.service.js';
import { OutletEvidenceService, type UploadedDocument } from './outlet-evidence.service.js';

/**
 * Documents are sent as multipart/form-data (the JSON body limit stays small for every other route); the upload stops
 * reading past MAX_EVIDENCE_BYTES and the request gets a 413 problem. The guard runs before the upload is read.
 */
@ApiTags('outlet criteria')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/outlets/:outletId/evidence')
export class OutletEvidenceController {
  constructor(
    private readonly evidence: OutletEvidenceService,
    private readonly criteria: OutletCriteriaService,
    private readonly access: OutletAccess,
  ) {}

  @Post()
  @Roles('admin', 'treasurer')
  @UseInterceptors(FileUpload('file', { fileSize: MAX_EVIDENCE_BYTES, fields: 10, fieldSize: 4096 }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadEvidenceDto })
  @ApiOperation({ summary: 'Attach a document (PDF, PNG or JPEG, at most 2 MiB) to a criterion of the outlet, with issuer and validity' })
  @ApiCreatedResponse({ type: EvidenceDto })
  @ApiPayloadTooLargeResponse({ type: ProblemDto, description: 'PAYLOAD_TOO_LARGE' })
  @ApiUnsupportedMediaTypeResponse({ type: ProblemDto, description: 'UNSUPPORTED_MEDIA_TYPE (errors.file): not a PDF, PNG or JPEG' })
  async upload(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @Body() dto: UploadEvidenceDto,
    @UploadedFileParam() file: UploadedDocument | undefined,
  ): Promise<EvidenceDto> {
    const catalogue = await this.criteria.inForce(caisseId, todayInFrance());
    return this.evidence.upload(caisseId, outletId, dto, file, catalogue?.criteria.map((c) => c.code) ?? []);
  }

  @Get(':evidenceId')
  @Roles('admin', 'treasurer', 'committee', 'cashier')
  @ApiOperation({ summary: 'A document with its content (base64) and checksum' })
  @ApiOkResponse({ type: EvidenceContentDto })
  async content(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @UuidParam('evidenceId') evidenceId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EvidenceContentDto> {
    await this.access.assertCanSee(principal, caisseId, outletId);
    return this.evidence.content(caisseId, outletId, evidenceId);
  }
}
