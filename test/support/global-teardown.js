import { runSupportScript } from './global-setup.js';

/** Drops this run's template database (and those of runs that died without teardown). */
export default function globalTeardown() {
  runSupportScript('test/support/drop-templates.ts');
}
