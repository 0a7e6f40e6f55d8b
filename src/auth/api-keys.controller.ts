import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';

@ApiTags('terminal keys')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a terminal key (the secret is shown once)' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(caisseId, dto.label, dto.outletId ?? null);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Terminal keys of this caisse (never their secrets)' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<ApiKeyDto[]> {
    return this.keys.list(caisseId);
  }

  @Delete(':keyId')
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke a terminal key at once' })
  @ApiOkResponse({ type: ApiKeyDto })
  revoke(@UuidParam('caisseId') caisseId: string, @UuidParam('keyId') keyId: string): Promise<ApiKeyDto> {
    return this.keys.revoke(caisseId, keyId);
  }
}
