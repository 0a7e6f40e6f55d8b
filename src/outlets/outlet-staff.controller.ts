import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { AddStaffDto, StaffDto } from './dto/staff.dto.js';
import { OutletStaffService } from './outlet-staff.service.js';

@ApiTags('outlets')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/outlets/:outletId/staff')
export class OutletStaffController {
  constructor(private readonly staff: OutletStaffService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Attach a cashier to the outlet: it will see and serve this outlet' })
  @ApiCreatedResponse({ type: StaffDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'ALREADY_STAFF' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'NOT_A_CASHIER' })
  add(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @Body() dto: AddStaffDto): Promise<StaffDto> {
    return this.staff.add(caisseId, outletId, dto.userId);
  }

  @Get()
  @Roles('admin', 'treasurer')
  @ApiOperation({ summary: 'Cashiers attached to the outlet' })
  @ApiOkResponse({ type: [StaffDto] })
  list(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string): Promise<StaffDto[]> {
    return this.staff.list(caisseId, outletId);
  }

  @Delete(':userId')
  @Roles('admin')
  @ApiOperation({ summary: 'Detach a cashier from the outlet' })
  @ApiOkResponse({ type: StaffDto })
  remove(@UuidParam('caisseId') caisseId: string, @UuidParam('outletId') outletId: string, @UuidParam('userId') userId: string): Promise<StaffDto> {
    return this.staff.remove(caisseId, outletId, userId);
  }
}
