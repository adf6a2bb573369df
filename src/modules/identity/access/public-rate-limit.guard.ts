import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RateLimits } from '../rate-limits.js';

/** Counts every request to the public link endpoints per client network (429 past the limit). */
@Injectable()
export class PublicRateLimit implements CanActivate {
  constructor(private readonly rateLimits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.rateLimits.publicLink(context.switchToHttp().getRequest<FastifyRequest>().ip);
    return true;
  }
}
