import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by the API and the worker (issue 21). Both are V8 heap
 * settings read while the process runs, so they can be set here, before the
 * application starts; `--max-semi-space-size` (fixed at start) is in the
 * Dockerfile's NODE_OPTIONS, which allows neither of these.
 *
 * V8 collects the old generation once it has grown by half since the last
 * collection, instead of letting it grow to two or more times the live data
 * under load (the API held over 300 MB after 30,000 reads with about 60 MB
 * live). Costs a few per cent of throughput in more frequent, mostly
 * concurrent, collections.
 */
setFlagsFromString('--heap-growing-percent=50');
/**
 * No allocation-site pretenuring: V8 would otherwise start allocating an
 * object literal's objects straight in the old generation once most of them
 * outlived a young-generation collection, and never go back. Requests that
 * write (transactions, password hashing) keep their objects long enough for
 * that, and the reads sharing the same code (pg's results, Fastify's and
 * Nest's per-request objects) then filled the old generation with objects
 * dead a millisecond later: in an API that had served writes first, a page
 * of 50 participants took 0.69–0.75 ms of CPU against 0.48–0.53 ms in a
 * process that had served only reads, and its p99 doubled (measured with
 * V8's --trace-pretenuring; the same process without pretenuring: 0.48–0.53
 * ms). Request-scoped objects die young; the young generation is where
 * they belong.
 */
setFlagsFromString('--no-allocation-site-pretenuring');
