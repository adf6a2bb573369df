import { spawnTypeScript, type Spawned } from './spawn.js';
import type { TestApp } from './test-app.js';

/**
 * `npm run cli -- …args` as an operator runs it, against the test app's
 * database and Redis, quiet; `env` adds to or overrides its environment.
 */
export function runCli(t: TestApp, args: string[], env: NodeJS.ProcessEnv = {}): Spawned {
  return spawnTypeScript(
    'src/cli.ts',
    {
      ...process.env,
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_URL: t.config.REDIS_URL,
      REDIS_PREFIX: t.config.REDIS_PREFIX,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ...env,
    },
    args,
  );
}
