import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Public } from '../../common/openapi.js';
import { DomainError } from '../../common/problem/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('Operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Prometheus metrics for operators.
   *
   * @remarks
   * HTTP latency by route, queue depths, the outbox backlog and the age of
   * its oldest due message, mails sent, failed and retried and failed jobs
   * (installation-wide), the last worker heartbeat, this process's database
   * pool, and Node's process statistics. With `METRICS_TOKEN` set, it needs
   * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); without it, it
   * is open in development and not served in production (404).
   */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiHeader({
    name: 'Authorization',
    required: false,
    description: '`Bearer <METRICS_TOKEN>`, when the installation sets one.',
  })
  @ApiOkResponse({ description: 'Prometheus text exposition format.', schema: { type: 'string' } })
  @ApiProblems(401, 404)
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    this.assertMayScrape(authorization);
    return this.metrics.scrape();
  }

  private assertMayScrape(authorization: string | undefined): void {
    const token = this.config.METRICS_TOKEN;
    if (token === undefined) {
      if (this.config.isProduction) throw new DomainError(404, 'not_found', 'Not found.');
      return;
    }
    const expected = Buffer.from(`Bearer ${token}`);
    const given = Buffer.from(authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError(401, 'unauthenticated', 'Send Authorization: Bearer <METRICS_TOKEN>.');
    }
  }
}
