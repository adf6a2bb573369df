import { STATUS_CODES } from 'node:http';
import { applyDecorators, Param, ParseUUIDPipe, SetMetadata } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiParam,
  ApiProperty,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
} from '@nestjs/swagger';
import { ValidationFailed } from './problem/domain-error.js';
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
  414: 'A path segment is longer than the server accepts (100 characters).',
  415: 'The body is not JSON (`Content-Type: application/json`).',
  422: 'Idempotency-Key reused with a different request.',
  429: 'Too many requests; see Retry-After.',
  500: 'Unexpected error; `errorId` identifies it in our logs.',
  503: 'Not ready to serve; see `checks`.',
};

/** Sent with every 429 (see TooManyRequests). */
const RETRY_AFTER_HEADER = {
  description: 'Seconds to wait before trying again.',
  required: true,
  schema: { type: 'integer' as const, minimum: 1 },
};

/** The problem+json response object for `status`, as ApiProblems documents it. */
export function problemResponse(status: number) {
  return {
    description: DESCRIPTIONS[status] ?? STATUS_CODES[status] ?? 'Error',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
    ...(status === 429 ? { headers: { 'Retry-After': RETRY_AFTER_HEADER } } : {}),
  };
}

/** A parameter decorator that also documents itself on its method (OpenAPI decorators work on methods). */
export function documentedParam(
  param: ParameterDecorator,
  documentation: MethodDecorator,
): ParameterDecorator {
  return (target, key, index) => {
    param(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key !== undefined && descriptor) documentation(target, key, descriptor);
  };
}

/**
 * A UUID path parameter: 400 when malformed, documented as `format: uuid`
 * with `description` (say whose id it is). Any UUID version is accepted;
 * one that matches nothing is a 404.
 */
export function UuidParam(
  name = 'id',
  description = 'Id of the resource named just before it in the path.',
): ParameterDecorator {
  return documentedParam(
    Param(
      name,
      new ParseUUIDPipe({
        exceptionFactory: () => new ValidationFailed([{ field: name, message: 'must be a UUID' }]),
      }),
    ),
    ApiParam({ name, type: String, format: 'uuid', description }),
  );
}

/** Declares problem+json error responses (500 is added to every operation by the document builder). */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
}

/** Response fields: a UUID, a list of UUIDs, a calendar date; a whole number (requests too). */
export const ApiUuid = () => ApiProperty({ type: String, format: 'uuid' });
export const ApiUuids = () =>
  ApiProperty({ type: [String], items: { type: 'string', format: 'uuid' } });
export const ApiDate = () => ApiProperty({ type: String, format: 'date', example: '2022-09-25' });
export const ApiInteger = () => ApiProperty({ type: 'integer' });
/**
 * An instant as ISO 8601 text in UTC (`2026-12-04T09:30:00.250Z`), for
 * response fields held as text rather than a Date (see WireRow).
 */
export const ApiTimestamp = ({ nullable = false } = {}) =>
  ApiProperty({ type: String, format: 'date-time', ...(nullable ? { nullable } : {}) });

/**
 * Response fields with the length limit their column or their input
 * validation sets: a text, a list of texts (tags), a country code, a list of
 * country codes.
 */
export const ApiText = (maxLength: number) => ApiProperty({ type: String, maxLength });
export const ApiTexts = (maxLength: number) =>
  ApiProperty({ type: [String], items: { type: 'string', maxLength } });
const COUNTRY = { pattern: '^[A-Z]{2}$', minLength: 2, maxLength: 2 };
export const ApiCountry = () => ApiProperty({ type: String, ...COUNTRY, example: 'KZ' });
export const ApiCountries = () =>
  ApiProperty({ type: [String], items: { type: 'string', ...COUNTRY }, example: ['KZ', 'UZ'] });
