import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CursorQueryDto, Page } from '../common/pagination/cursor.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { AuditService } from './audit.service.js';
import { AuditEntryDto, AuditPageDto } from './dto/audit-entry.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Audit log of the caisse, newest first (admins)' })
  @ApiOkResponse({ type: AuditPageDto })
  list(@UuidParam('caisseId') caisseId: string, @Query() query: CursorQueryDto): Promise<Page<AuditEntryDto>> {
    return this.audit.list(caisseId, query);
  }
}
