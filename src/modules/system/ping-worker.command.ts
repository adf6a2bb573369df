import { Command, CommandRunner, Option } from 'nest-commander';
import { JobName } from '../../queue/jobs.js';
import { Queues } from '../../queue/queues.js';

@Command({
  name: 'ping-worker',
  description: 'Send a job through the queue and wait for a worker to answer',
})
export class PingWorkerCommand extends CommandRunner {
  constructor(private readonly queues: Queues) {
    super();
  }

  async run(_: string[], options: { timeout: number }): Promise<void> {
    const started = Date.now();
    const result = await this.queues.enqueueAndWait(
      JobName.SystemPing,
      { sentAt: new Date().toISOString() },
      options.timeout,
    );
    console.log(`worker ${result.workerId} answered in ${Date.now() - started} ms`);
  }

  @Option({
    flags: '-t, --timeout <ms>',
    description: 'How long to wait (default 10000)',
    defaultValue: 10_000,
  })
  parseTimeout(value: string): number {
    return Number(value);
  }
}
