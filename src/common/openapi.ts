import { STATUS_CODES } from 'node:http';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto } from './problem/problem.dto.js';

export const IS_PUBLIC = 'isPublic';

/** No login needed; documented with an empty security requirement. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` lists each invalid field.',
  401: 'Missing or invalid credentials.',
  403: 'Your role or API key scope does not allow this.',
  404: 'No such resource in your organisation.',
  409: 'Conflicts with the current state or a business rule.',
  412: 'The resource changed since you read it (If-Match).',
  413: 'Request body larger than 1 MB.',
  422: 'Idempotency-Key reused with a different request.',
  429: 'Too many requests; see Retry-After.',
  503: 'Not ready to serve; see `checks`.',
};

/** Declares problem+json error responses; every operation also gets 500. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...[...statuses, 500].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? STATUS_CODES[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
