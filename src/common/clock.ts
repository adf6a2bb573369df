import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The time "now" for planning what is due (reminders): one place to ask,
 * so tests can put the product at another moment (`jest.spyOn(clock, 'now')`)
 * instead of waiting for it.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
