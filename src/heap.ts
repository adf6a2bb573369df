import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by the API and the worker (issue 21): V8 collects the old
 * generation once it has grown by half since the last collection, instead of
 * letting it grow to two or more times the live data under load (the API
 * held over 300 MB after 30,000 reads with about 60 MB live). Costs a few per
 * cent of throughput in more frequent, mostly concurrent, collections. A GC
 * setting read at every collection, so it can be set at run time;
 * `--max-semi-space-size` (fixed at start) is in the Dockerfile's
 * NODE_OPTIONS.
 */
setFlagsFromString('--heap-growing-percent=50');
