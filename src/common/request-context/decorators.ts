import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AccessRole, Principal } from './principal.js';

export const PUBLIC_KEY = 'caisse:public';
export const ROLES_KEY = 'caisse:roles';
export const PLATFORM_ADMIN_KEY = 'caisse:platform-admin';

/** No authentication (login, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** Roles allowed in the route's `:caisseId`; anyone without a role there gets 404, a wrong role 403. */
export const Roles = (...roles: AccessRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Only the platform admin (creating caisses). */
export const PlatformAdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(PLATFORM_ADMIN_KEY, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
