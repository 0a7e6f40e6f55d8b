import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CsrfGuard } from './session/csrf.guard.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/**
 * Every page controller: outside the OpenAPI document (HTML, not the API), CSRF checked on every non-GET route,
 * errors rendered as pages. Authentication and roles stay the global AuthGuard's (@Public, @Roles as in the API).
 */
export function WebController(path = ''): ClassDecorator {
  return applyDecorators(Controller(path), ApiExcludeController(), UseGuards(CsrfGuard), UseFilters(WebExceptionFilter));
}
