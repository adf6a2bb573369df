import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
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
    private readonly redis: RedisHealth,
    private readonly worker: WorkerHealth,
  ) {}

  /** Liveness: the process is up and serving HTTP. */
  @Get('live')
  @ApiOkResponse({ type: HealthReportDto })
  @ApiProblems(429)
  live(): HealthReportDto {
    return { status: 'ok', details: {} };
  }

  /** Readiness: PostgreSQL and Redis answer and a worker reported in recently. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiProblems(429, 503)
  async ready(): Promise<HealthReportDto> {
    try {
      return report(
        await this.health.check([
          () => this.database.pingCheck('database', { timeout: 2000 }),
          () => this.redis.check('redis'),
          () => this.worker.check('worker'),
        ]),
      );
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
