import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CursorQueryDto } from '../common/pagination/cursor.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { WalletDto } from './dto/wallet.dto.js';
import { MemberAccess } from './member-access.service.js';
import { MemberWalletService } from './member-wallet.service.js';

@ApiTags('members')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/members/:memberId/wallet')
export class MemberWalletController {
  constructor(
    private readonly wallets: MemberWalletService,
    private readonly access: MemberAccess,
  ) {}

  @Get()
  @Roles('admin', 'treasurer', 'member')
  @ApiOperation({ summary: "A member's wallet: balance, allocations, purchases and refunds (with the shops' names), expiries" })
  @ApiOkResponse({ type: WalletDto })
  async wallet(@UuidParam('caisseId') caisseId: string, @UuidParam('memberId') memberId: string, @Query() query: CursorQueryDto, @CurrentPrincipal() principal: Principal): Promise<WalletDto> {
    await this.access.viewOf(principal, caisseId, memberId);
    return this.wallets.wallet(caisseId, memberId, query);
  }
}
