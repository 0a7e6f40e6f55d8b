import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import type { PublishedDraw } from '../common/sortition/sortition.types.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { DrawVerificationDto, PublishedDrawDto } from '../members/dto/draw.dto.js';
import { CommitteeDrawsService } from './committee-draws.service.js';
import { CommitteeDrawDto, CreateCommitteeDrawDto, DrawValuesDto } from './dto/committee-draw.dto.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/committee/draws')
export class CommitteeDrawsController {
  constructor(private readonly draws: CommitteeDrawsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Commit a committee sortition: freeze the pool and quotas, publish their hashes and the randomness to come' })
  @ApiCreatedResponse({ type: CommitteeDrawDto })
  commit(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateCommitteeDrawDto): Promise<CommitteeDrawDto> {
    return this.draws.commit(caisseId, dto);
  }

  @Post(':drawId/randomness')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Reveal the announced randomness: draw the seats and give those drawn a "drawn" mandate' })
  @ApiOkResponse({ type: CommitteeDrawDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ALREADY_DRAWN, RANDOMNESS_NOT_YET_AVAILABLE, RANDOMNESS_NOT_NAMED' })
  draw(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string, @Body() dto: DrawValuesDto): Promise<CommitteeDrawDto> {
    return this.draws.draw(caisseId, drawId, dto.values);
  }

  @Get(':drawId')
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'A committee sortition: hashes, seed, pseudonyms drawn and alternates' })
  @ApiOkResponse({ type: CommitteeDrawDto })
  get(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string): Promise<CommitteeDrawDto> {
    return this.draws.get(caisseId, drawId);
  }

  @Get(':drawId/published')
  // The document lists every pool member's strata (e.g. precarite: oui/non): the committee and admins only. Members
  // check the draw with POST …/verify, which answers the checks and nothing about other members.
  @Roles('admin', 'committee')
  @ApiOperation({ summary: 'The published draw document, to re-run with the standalone verifier (npm run verify-draw); committee and admins only (it holds the strata of every pool member)' })
  @ApiOkResponse({ type: PublishedDrawDto })
  published(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string): Promise<PublishedDraw> {
    return this.draws.published(caisseId, drawId);
  }

  @Post(':drawId/verify')
  @HttpCode(200)
  @Roles('admin', 'committee', 'member')
  @ApiOperation({ summary: 'Re-run the draw from its published document with the same code as the standalone verifier' })
  @ApiOkResponse({ type: DrawVerificationDto })
  verify(@UuidParam('caisseId') caisseId: string, @UuidParam('drawId') drawId: string): Promise<DrawVerificationDto> {
    return this.draws.verify(caisseId, drawId);
  }
}
