import { JobName } from './jobs.js';
import { assertEveryJobHandled } from './worker-host.js';

describe('worker start-up check', () => {
  it('passes when every job name has exactly one handler', () => {
    expect(() => assertEveryJobHandled(Object.values(JobName))).not.toThrow();
  });

  it('refuses to start while a job name has no handler, naming it', () => {
    expect(() => assertEveryJobHandled([JobName.SystemPing])).toThrow(
      `No handler for job(s): ${JobName.SystemPurgeIdempotencyKeys}`,
    );
  });

  it('refuses two handlers for one job', () => {
    expect(() => assertEveryJobHandled([...Object.values(JobName), JobName.SystemPing])).toThrow(
      `More than one handler for job(s): ${JobName.SystemPing}`,
    );
  });
});
