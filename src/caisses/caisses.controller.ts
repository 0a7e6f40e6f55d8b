import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { IdempotencyKey, markReplay } from '../common/idempotency/idempotency-key.decorator.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { CurrentPrincipal, PlatformAdminOnly, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CaissesService } from './caisses.service.js';
import { CaisseDto, CreateCaisseDto } from './dto/caisse.dto.js';

const PLATFORM_SCOPE = '00000000-0000-0000-0000-000000000000';

@ApiTags('caisses')
@ApiBearerAuth()
@Controller('api/v1/caisses')
export class CaissesController {
  constructor(
    private readonly caisses: CaissesService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @PlatformAdminOnly()
  @ApiOperation({ summary: 'Create a caisse (platform admin)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CaisseDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'SLUG_TAKEN, IDEMPOTENCY_CONFLICT' })
  async create(@Body() dto: CreateCaisseDto, @IdempotencyKey() key: string | undefined, @Res({ passthrough: true }) res: HttpReply): Promise<CaisseDto> {
    const result = await this.idempotency.once(PLATFORM_SCOPE, 'caisses.create', key, dto, async () => ({ status: 201, body: await this.caisses.create(dto) }));
    markReplay(res, result.replayed);
    return result.body;
  }

  @Get()
  @ApiOperation({ summary: 'Caisses the caller belongs to (all of them for the platform admin)' })
  @ApiOkResponse({ type: [CaisseDto] })
  list(@CurrentPrincipal() principal: Principal): Promise<CaisseDto[]> {
    return this.caisses.listFor(principal);
  }

  @Get(':caisseId')
  @Roles('admin', 'treasurer', 'committee', 'cashier', 'member', 'terminal')
  @ApiOperation({ summary: 'One caisse' })
  @ApiOkResponse({ type: CaisseDto })
  get(@UuidParam('caisseId') caisseId: string): Promise<CaisseDto> {
    return this.caisses.get(caisseId);
  }
}
