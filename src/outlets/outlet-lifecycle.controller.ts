import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ValidationFailed } from '../common/errors/domain-error.js';
import { ProblemDto } from '../common/errors/problem.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { AcceptanceDto, CreateTransitionDto, isInstant, TransitionDto } from './dto/transition.dto.js';
import { OutletAccess } from './outlet-access.service.js';
import { OutletGate } from './outlet-gate.service.js';
import type { OutletStatus } from './outlet-lifecycle.js';
import { OutletLifecycleService } from './outlet-lifecycle.service.js';

@ApiTags('outlets')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/outlets/:outletId')
export class OutletLifecycleController {
  constructor(
    private readonly lifecycle: OutletLifecycleService,
    private readonly gate: OutletGate,
    private readonly access: OutletAccess,
  ) {}

  @Post('transitions')
  @Roles('admin', 'treasurer')
  @ApiOperation({
    summary: 'Move the outlet in its conventionnement lifecycle (admission, renewal, suspension, revocation… cite the decision)',
  })
  @ApiCreatedResponse({ type: TransitionDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ILLEGAL_TRANSITION (with currentStatus and allowed), TRANSITION_OUT_OF_ORDER, DOSSIER_INCOMPLETE' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'DECISION_NOT_USABLE' })
  transition(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Body() dto: CreateTransitionDto): Promise<TransitionDto> {
    const { to, effectiveAt, ...rest } = dto;
    return this.lifecycle.transition(caisseId, outletId, { ...rest, to: to as OutletStatus, effectiveAt: effectiveAt ? new Date(effectiveAt) : undefined });
  }

  @Get('history')
  @Roles('admin', 'treasurer', 'committee', 'cashier')
  @ApiOperation({ summary: 'Every step of the lifecycle: who, when, why, which decision' })
  @ApiOkResponse({ type: [TransitionDto] })
  async history(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @CurrentPrincipal() principal: Principal): Promise<TransitionDto[]> {
    await this.access.assertCanSee(principal, caisseId, outletId);
    return this.lifecycle.history(caisseId, outletId);
  }

  @Get('acceptance')
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'terminal')
  @ApiSecurity('terminal')
  @ApiOperation({ summary: 'Whether members may spend at the outlet at an instant (default: now), as the purchase gate decides' })
  @ApiQuery({ name: 'at', required: false, example: '2026-12-01T14:00:00+01:00' })
  @ApiOkResponse({ type: AcceptanceDto })
  async acceptance(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('outletId') outletId: string,
    @CurrentPrincipal() principal: Principal,
    @Query('at') raw?: string,
  ): Promise<AcceptanceDto> {
    // An unencoded "+01:00" arrives as " 01:00" (form encoding of +): read it back rather than refuse it.
    const at = raw?.replace(/ (\d{2}:\d{2})$/, '+$1');
    if (at !== undefined && !isInstant(at)) throw new ValidationFailed({ at: ['at must be an ISO 8601 date-time with its offset, e.g. 2026-12-01T14:00:00+01:00'] });
    await this.access.assertCanSee(principal, caisseId, outletId);
    const instant = at ? new Date(at) : new Date();
    const s = await this.gate.standingAt(caisseId, outletId, instant);
    return {
      outletId,
      at: instant.toISOString(),
      accepting: s.accepting,
      status: s.status,
      since: s.since?.toISOString() ?? null,
      reviewOn: s.reviewOn,
      validUntil: s.validUntil,
    };
  }
}
