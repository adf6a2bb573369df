import { execFileSync } from 'node:child_process';

/**
 * Jest loads global setup outside its ESM module system, so the migrated
 * template database is built by a TypeScript script in a child process.
 */
export default function globalSetup() {
  execFileSync(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'test/support/build-template.ts'],
    {
      stdio: 'inherit',
    },
  );
}
