import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { AgendaService } from './agenda.service.js';
import { AgendaDto, AgendaQueryDto } from './dto/agenda.dto.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/governance')
export class AgendaController {
  constructor(private readonly agenda: AgendaService) {}

  @Get('agenda')
  @Roles('admin', 'committee')
  @ApiOperation({ summary: "The committee's agenda: decisions opening or closing soon, outlets due for review" })
  @ApiOkResponse({ type: AgendaDto })
  show(@UuidParam('caisseId') caisseId: string, @Query() q: AgendaQueryDto): Promise<AgendaDto> {
    return this.agenda.agenda(caisseId, q.within);
  }
}
