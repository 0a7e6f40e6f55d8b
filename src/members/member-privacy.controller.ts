import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { MemberExportDto } from './dto/export.dto.js';
import { MemberDto } from './dto/member.dto.js';
import { MemberPrivacyService } from './member-privacy.service.js';

@ApiTags('members')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/members/:memberId')
export class MemberPrivacyController {
  constructor(private readonly privacy: MemberPrivacyService) {}

  @Get('export')
  @Roles('admin')
  @ApiOperation({ summary: 'GDPR access: every personal data held about the member, as one JSON document' })
  @ApiOkResponse({ type: MemberExportDto })
  export(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string): Promise<MemberExportDto> {
    return this.privacy.export(caisseId, memberId);
  }

  @Post('erase')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'GDPR erasure: personal data replaced by the pseudonym; the books stay intact (refused while the wallet holds money)' })
  @ApiOkResponse({ type: MemberDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'WALLET_NOT_EMPTY (with account and balance), MEMBER_ERASED' })
  erase(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string): Promise<MemberDto> {
    return this.privacy.erase(caisseId, memberId);
  }
}
