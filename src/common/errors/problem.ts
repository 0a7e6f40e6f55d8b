import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, plus the caisse's stable `code` and the request's `correlationId`. */
export class ProblemDto {
  @ApiProperty({ example: 'https://caisse-commune.org/problems/validation-failed' })
  type: string;
  @ApiProperty({ example: 'Validation failed' })
  title: string;
  @ApiProperty({ example: 400 })
  status: number;
  @ApiProperty({ example: 'The request has invalid fields.' })
  detail: string;
  @ApiProperty({ example: '/api/v1/caisses' })
  instance: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' })
  code: string;
  @ApiProperty({ example: '6f1c2d0e-5b7a-4f7e-9c1d-2a3b4c5d6e7f' })
  correlationId: string;
  @ApiPropertyOptional({
    description: 'Field-keyed messages (validation errors only); nested fields use dotted paths',
    example: { 'allocation.amount': ['amount must be a decimal string with at most 2 decimals'] },
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  errors?: Record<string, string[]>;
}

export function problemType(code: string): string {
  return `https://caisse-commune.org/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

export function problemTitle(code: string): string {
  const words = code.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function buildProblem(args: {
  code: string;
  status: number;
  detail: string;
  instance: string;
  correlationId: string;
  extra?: Record<string, unknown>;
}): ProblemDto & Record<string, unknown> {
  return {
    type: problemType(args.code),
    title: problemTitle(args.code),
    status: args.status,
    detail: args.detail,
    instance: args.instance,
    code: args.code,
    correlationId: args.correlationId,
    ...(args.extra ?? {}),
  };
}
