import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ApiProblems, Public } from '../../common/openapi.js';
import { DomainError } from '../../common/problem/domain-error.js';
import { HealthReportDto } from './health.dto.js';
import { RedisHealth, WorkerHealth } from './health.indicators.js';

@ApiTags('Operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    private readonly redis: RedisHealth,
    private readonly workers: WorkerHealth,
  ) {}

  /** Liveness: the process is up and serving HTTP. */
  @Get('live')
  @ApiOkResponse({ type: HealthReportDto })
  live(): HealthReportDto {
    return { status: 'ok', details: {} };
  }

  /**
   * Readiness of this API instance: PostgreSQL and Redis answer.
   *
   * @remarks
   * For a load balancer or orchestrator: 503 takes this instance out of
   * rotation. Workers are reported by `/health/worker` instead, so a worker
   * outage (messages wait in the outbox) never takes healthy API instances
   * out of service.
   */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiProblems(503)
  async ready(): Promise<HealthReportDto> {
    return this.check([
      // The connection given, not looked up: Terminus would import @nestjs/typeorm by a
      // name the bundle cannot see, and that copy's token is not ours (scripts/bundle.mjs).
      () => this.database.pingCheck('database', { connection: this.dataSource, timeout: 2000 }),
      () => this.redis.check('redis'),
    ]);
  }

  /**
   * Whether a queue worker reported in recently.
   *
   * @remarks
   * 200 while some worker process wrote its heartbeat within three
   * `WORKER_HEARTBEAT_INTERVAL_MS` (it names the worker and when it was
   * seen); 503 when none did: messages, reminders and scheduled jobs wait
   * until one runs again. For monitoring and alerts, not for routing.
   */
  @Get('worker')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiProblems(503)
  async worker(): Promise<HealthReportDto> {
    return this.check([() => this.workers.check('worker')]);
  }

  private async check(indicators: HealthIndicatorFunction[]): Promise<HealthReportDto> {
    try {
      return report(await this.health.check(indicators));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const checks = report(error.getResponse() as HealthCheckResult).details;
      const down = Object.keys(checks).filter((name) => checks[name].status !== 'up');
      throw new DomainError(503, 'not_ready', `Not ready: ${down.join(', ')} down.`, { checks });
    }
  }
}

function report(result: HealthCheckResult): HealthReportDto {
  return { status: result.status, details: result.details };
}
