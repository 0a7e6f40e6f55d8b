import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { HttpRequest } from '../common/http/http-types.js';
import { ProblemDto } from '../common/errors/problem.js';
import { CurrentPrincipal, Public } from '../common/request-context/decorators.js';
import type { Principal } from '../common/request-context/principal.js';
import { AuthService } from './auth.service.js';
import { LoginDto, TokenDto } from './dto/login.dto.js';
import { PrincipalDto } from './dto/user.dto.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a short-lived access token' })
  @ApiOkResponse({ type: TokenDto })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ type: ProblemDto, description: 'TOO_MANY_LOGIN_ATTEMPTS' })
  login(@Body() dto: LoginDto, @Req() req: HttpRequest): Promise<TokenDto> {
    return this.auth.login(dto.email, dto.password, req.ip ?? 'unknown');
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiSecurity('terminal')
  @ApiOperation({ summary: 'Who the presented token or terminal key is, with roles per caisse' })
  @ApiOkResponse({ type: PrincipalDto })
  me(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return principal;
  }
}
