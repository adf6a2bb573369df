import { execFileSync } from 'node:child_process';

/**
 * Jest loads global setup outside its ESM module system, so the migrated
 * template database is built by a TypeScript script in a child process.
 * Each run builds its own template (named after this process), so two test
 * runs on one machine never rebuild the template under each other's clones;
 * Jest's workers inherit the name through the environment.
 */
export default function globalSetup() {
  process.env.DD_TEST_TEMPLATE_DATABASE = `delegation_desk_test_template_${process.pid}`;
  runSupportScript('test/support/build-template.ts');
}

export function runSupportScript(script) {
  execFileSync(process.execPath, ['--import', '@swc-node/register/esm-register', script], {
    stdio: 'inherit',
  });
}
