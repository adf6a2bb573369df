import { Logger } from '@nestjs/common';

interface Closeable {
  close(): Promise<void>;
}

/**
 * On SIGTERM or SIGINT, closes each part in order (the API first, so it stops
 * accepting and finishes in-flight requests; then the worker, which lets
 * running jobs finish before its queues close) and exits. If that takes
 * longer than `timeoutMs`, the process exits anyway with status 1.
 */
export function closeOnSignals(parts: Closeable[], timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs).unref();
    try {
      for (const part of parts) await part.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, (received) => void shutdown(received));
}
