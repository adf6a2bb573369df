import { isIPv4, isIPv6 } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequests } from '../../common/problem/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { InjectRedis, RedisKeys } from '../../redis/redis.module.js';

/**
 * Counters in Redis (rate-limiter-flexible), so limits hold across API
 * instances; while Redis is unreachable, each instance counts in memory.
 * Every attempt is counted up front, atomically; a successful login gives
 * its points back. The attempt one past a limit gets 429 with Retry-After.
 */
@Injectable()
export class RateLimits {
  private readonly loginByAccount: RateLimiterRedis;
  private readonly loginByIp: RateLimiterRedis;
  private readonly refreshByIp: RateLimiterRedis;
  private readonly signupByIp: RateLimiterRedis;
  private readonly publicByIp: RateLimiterRedis;
  private readonly resendByInvitation: RateLimiterRedis;

  constructor(config: AppConfig, @InjectRedis() redis: Redis, keys: RedisKeys) {
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: keys.key('rate', name),
        points,
        duration,
        // While Redis is away, count in this process instead of waiting for it.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      });
    const loginWindow = config.RATE_LIMIT_LOGIN_WINDOW_MINUTES * 60;
    this.loginByAccount = limiter(
      'login-account',
      config.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT,
      loginWindow,
    );
    this.loginByIp = limiter('login-ip', config.RATE_LIMIT_LOGIN_FAILURES_PER_IP, loginWindow);
    this.refreshByIp = limiter('refresh-ip', config.RATE_LIMIT_REFRESH_PER_MINUTE, 60);
    this.signupByIp = limiter('signup-ip', config.RATE_LIMIT_SIGNUP_PER_HOUR, 3600);
    this.publicByIp = limiter('public-ip', config.RATE_LIMIT_PUBLIC_PER_MINUTE, 60);
    this.resendByInvitation = limiter(
      'invitation-resend',
      config.RATE_LIMIT_INVITATION_RESENDS_PER_DAY,
      24 * 3600,
    );
  }

  /** Counts a password attempt against the IP and the account (known or not). */
  async passwordAttempt(email: string, ip: string): Promise<void> {
    await consume(this.loginByIp, clientKey(ip), 'Too many failed sign-ins from your network.');
    await consume(
      this.loginByAccount,
      email.toLowerCase(),
      'Too many failed sign-ins for this account.',
    );
  }

  /** The attempt succeeded: it does not count as a failure. */
  async passwordAccepted(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.loginByIp.reward(clientKey(ip), 1),
      this.loginByAccount.delete(email.toLowerCase()),
    ]);
  }

  refresh(ip: string): Promise<void> {
    return consume(this.refreshByIp, clientKey(ip), 'Too many token refreshes from your network.');
  }

  /** Every request to a public participant endpoint (token links), per client network. */
  publicLink(ip: string): Promise<void> {
    return consume(this.publicByIp, clientKey(ip), 'Too many requests from your network.');
  }

  invitationResend(invitationId: string): Promise<void> {
    return consume(
      this.resendByInvitation,
      invitationId,
      'This invitation has been resent too often today.',
    );
  }

  signup(ip: string): Promise<void> {
    return consume(this.signupByIp, clientKey(ip), 'Too many sign-ups from your network.');
  }
}

/**
 * The rate-limit key of a client address. An IPv6 client usually holds a
 * whole /64, so limits count per /64 rather than per address.
 */
export function clientKey(ip: string): string {
  if (isIPv4(ip)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

async function consume(limiter: RateLimiterRedis, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new TooManyRequests(seconds, `${message} Try again in ${seconds} seconds.`);
  }
}
