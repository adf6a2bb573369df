import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { DomainError, type FieldError } from './domain-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem details, with the stable `code` clients switch on. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
  errorId?: string;
  [extension: string]: unknown;
}

export interface ProblemReply {
  problem: Problem;
  headers: Record<string, string>;
  /** Set for unexpected errors: the caller logs the error under this id. */
  errorId?: string;
}

/** Fastify's own errors (body parsing, limits), keyed by their `code`. */
const FASTIFY_CODES: Record<string, { code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'malformed_json',
    detail: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'malformed_json',
    detail: 'The request body is empty but declared as JSON.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'payload_too_large',
    detail: 'The request body is larger than 1 MB.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    detail: 'Send the body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'bad_request',
    detail: 'Content-Length does not match the body.',
  },
};

const STATUS_CODES_BY_NUMBER: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'service_unavailable',
};

export function problemType(code: string): string {
  return `urn:delegation-desk:problem:${code.replaceAll('_', '-')}`;
}

function problem(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  // Extensions come first: an extension never overwrites a standard member.
  return {
    ...extensions,
    type: problemType(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}

/**
 * Turns anything thrown while handling a request into problem details. Only
 * DomainErrors and HttpExceptions below 500 say what went wrong; everything
 * else is a 500 with an error id, and nothing of the error reaches the client.
 */
export function toProblem(error: unknown, instance?: string): ProblemReply {
  if (error instanceof DomainError) {
    return {
      problem: { ...problem(error.status, error.code, error.detail, error.extensions), instance },
      headers: error.headers(),
    };
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    const status = error.getStatus();
    const fastify = FASTIFY_CODES[fastifyCode(error.cause) ?? ''];
    const code = fastify?.code ?? STATUS_CODES_BY_NUMBER[status] ?? 'bad_request';
    return {
      problem: { ...problem(status, code, fastify?.detail ?? httpMessage(error)), instance },
      headers: {},
    };
  }
  if (error instanceof HttpException && error.getStatus() === 503) {
    return {
      problem: { ...problem(503, 'service_unavailable', httpMessage(error)), instance },
      headers: { 'Retry-After': '5' },
    };
  }
  const errorId = randomUUID();
  return {
    problem: {
      ...problem(
        500,
        'internal_error',
        `Something went wrong on our side. Quote error id ${errorId} when reporting it.`,
      ),
      instance,
      errorId,
    },
    headers: {},
    errorId,
  };
}

function fastifyCode(cause: unknown): string | undefined {
  const code =
    typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function httpMessage(error: HttpException): string {
  const response = error.getResponse();
  const message =
    typeof response === 'string' ? response : (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}
