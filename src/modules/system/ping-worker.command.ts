import { InvalidArgumentError } from 'commander';
import { CliCommand, type CliRunner } from '../../common/cli-command.js';
import { JobName } from '../../queue/jobs.js';
import { Queues } from '../../queue/queues.js';

@CliCommand({
  name: 'ping-worker',
  description: 'Send a job through the queue and wait for a worker to answer',
  options: [
    {
      flags: '-t, --timeout <ms>',
      description: 'How long to wait',
      defaultValue: 10_000,
      parse: (value: string) => {
        const ms = Number(value);
        if (!Number.isInteger(ms) || ms < 1) {
          throw new InvalidArgumentError('Give the timeout in milliseconds, e.g. 5000.');
        }
        return ms;
      },
    },
  ],
})
export class PingWorkerCommand implements CliRunner {
  constructor(private readonly queues: Queues) {}

  async run(options: { timeout: number }): Promise<void> {
    const started = Date.now();
    const result = await this.queues.enqueueAndWait(
      JobName.SystemPing,
      { sentAt: new Date().toISOString() },
      options.timeout,
    );
    console.log(`worker ${result.workerId} answered in ${Date.now() - started} ms`);
  }
}
