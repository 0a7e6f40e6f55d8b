import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CreatedTerminalDto, CreateTerminalDto, TerminalDto } from './dto/terminal.dto.js';
import { OutletAccess } from './outlet-access.service.js';
import { OutletTerminalsService } from './outlet-terminals.service.js';

@ApiTags('outlets')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/outlets/:outletId/terminals')
export class OutletTerminalsController {
  constructor(
    private readonly terminals: OutletTerminalsService,
    private readonly access: OutletAccess,
  ) {}

  @Post()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Issue a till key bound to this outlet; the key is shown once and only its hash is kept' })
  @ApiCreatedResponse({ type: CreatedTerminalDto })
  create(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Body() dto: CreateTerminalDto): Promise<CreatedTerminalDto> {
    return this.terminals.create(caisseId, outletId, dto.label);
  }

  @Get()
  @Roles('admin', 'treasurer', 'cashier')
  @ApiOperation({ summary: 'Terminals of the outlet with their last use (never their keys)' })
  @ApiOkResponse({ type: [TerminalDto] })
  async list(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @CurrentPrincipal() principal: Principal): Promise<TerminalDto[]> {
    await this.access.assertCanSee(principal, caisseId, outletId);
    return this.terminals.list(caisseId, outletId);
  }

  @Delete(':terminalId')
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Revoke a terminal at once: its next request is refused' })
  @ApiOkResponse({ type: TerminalDto })
  revoke(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @UuidParam('terminalId') terminalId: string): Promise<TerminalDto> {
    return this.terminals.revoke(caisseId, outletId, terminalId);
  }
}
