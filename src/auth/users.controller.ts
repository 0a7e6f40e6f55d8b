import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/errors/problem.js';
import type { HttpReply } from '../common/http/http-types.js';
import { CurrentPrincipal, Roles } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { UuidParam } from '../common/request-context/uuid-param.js';
import { CreateUserDto, UserDto, UserStatusDto } from './dto/user.dto.js';
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

  @Post(':userId/disable')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an account: no more logins, and its tokens are refused at once' })
  @ApiOkResponse({ type: UserStatusDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'CANNOT_DISABLE_SELF, USER_IN_OTHER_CAISSES (only the platform admin may disable a shared account)' })
  disable(@UuidParam('caisseId') caisseId: string, @UuidParam('userId') userId: string, @CurrentPrincipal() actor: Principal): Promise<UserStatusDto> {
    return this.users.setDisabled(caisseId, userId, true, actor);
  }

  @Post(':userId/enable')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Let a disabled account log in again' })
  @ApiOkResponse({ type: UserStatusDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'CANNOT_DISABLE_SELF, USER_IN_OTHER_CAISSES' })
  enable(@UuidParam('caisseId') caisseId: string, @UuidParam('userId') userId: string, @CurrentPrincipal() actor: Principal): Promise<UserStatusDto> {
    return this.users.setDisabled(caisseId, userId, false, actor);
  }

  @Delete(':userId/roles/:role')
  @Roles('admin')
  @ApiOperation({ summary: 'Remove one role of a user in this caisse; it stops working at once' })
  @ApiOkResponse({ type: UserDto, description: 'The roles the user keeps in this caisse' })
  @ApiConflictResponse({ type: ProblemDto, description: 'CANNOT_REMOVE_OWN_ADMIN' })
  removeRole(
    @UuidParam('caisseId') caisseId: string,
    @UuidParam('userId') userId: string,
    @Param('role') role: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<UserDto> {
    return this.users.removeRole(caisseId, userId, role, actor);
  }
}
