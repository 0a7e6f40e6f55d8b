import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../common/http/http-types.js';
import { Roles } from '../common/request-context/decorators.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CreateUserDto, UserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/caisses/:caisseId/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user with a role in this caisse, or add the role to an existing account' })
  @ApiCreatedResponse({ type: UserDto, description: '201 for a new account, 200 when the role was added to an existing one' })
  async create(@UuidParam('caisseId') caisseId: string, @Body() dto: CreateUserDto, @Res({ passthrough: true }) res: HttpReply): Promise<UserDto> {
    const { created, ...user } = await this.users.addToCaisse(caisseId, dto);
    res.status(created ? 201 : 200);
    return user;
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Users holding a role in this caisse' })
  @ApiOkResponse({ type: [UserDto] })
  list(@UuidParam('caisseId') caisseId: string): Promise<UserDto[]> {
    return this.users.listForCaisse(caisseId);
  }
}
