import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestFields } from '../request-log.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';

/** The one place errors become HTTP: RFC 9457 problem+json for every error response. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers, errorId } = toProblem(error, request.url.split('?')[0]);
    if (errorId) {
      this.logger.error(
        {
          errorId,
          err: error,
          method: request.method,
          url: request.routeOptions.url,
          req: requestFields(request),
        },
        'unexpected error',
      );
    }
    if (reply.sent) return;
    void reply
      .status(problem.status)
      .headers(headers)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem));
  }
}
