import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemDto } from '../../common/errors/problem.js';
import { TABULAR_CONTENT_TYPES } from '../../common/tabular/tabular.types.js';
import { Public } from '../../common/request-context/decorators.js';
import { ReportAccessGuard, ReportRoute } from './report-access.guard.js';
import type { ReportName } from './report-settings.dto.js';

const binary = { schema: { type: 'string', format: 'binary' } };

/** The response of a route that answers JSON or, with ?format=, a CSV/XLSX/PDF download. */
export const TabularResponses = (description: string) =>
  applyDecorators(
    ApiProduces('application/json', ...Object.values(TABULAR_CONTENT_TYPES)),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: { type: 'object', additionalProperties: true } },
        ...Object.fromEntries(Object.values(TABULAR_CONTENT_TYPES).map((t) => [t, binary])),
      },
    }),
    ApiBadRequestResponse({ type: ProblemDto, description: 'VALIDATION_FAILED (from, to, format…)' }),
  );

/**
 * A management report route: for treasurers and admins, and for anyone when the caisse publishes the report
 * (then in its public form). One decorator so every report has the same access rules and documentation.
 */
export const ReportEndpoint = (name: ReportName, summary: string) =>
  applyDecorators(
    Public(),
    ReportRoute(name),
    UseGuards(ReportAccessGuard),
    ApiBearerAuth(),
    ApiOperation({ summary: `${summary} (treasurer, admin; anyone when the caisse publishes it)` }),
    TabularResponses(`The ${name} report`),
    ApiUnauthorizedResponse({ type: ProblemDto, description: 'Not public and no credentials' }),
    ApiForbiddenResponse({ type: ProblemDto, description: 'Not public and not a treasurer or admin' }),
    ApiNotFoundResponse({ type: ProblemDto, description: 'Not public and no role in this caisse' }),
  );
