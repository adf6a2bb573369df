/**
 * Bundles the compiled processes (dist/src, from `nest build`) into
 * dist/bundle/{api,worker,standalone}.js with esbuild: what the image and
 * `npm run start:api` run (issue 21). Node then reads a few files at start
 * instead of about 2,400 modules, each resolved, read, compiled and (for
 * CommonJS imported from ES modules) scanned for its exports: the API is
 * ready about a third sooner. Nothing is transpiled here; the code is the
 * same JavaScript the tests run, only in fewer files.
 *
 * A package must exist once: a second class-transformer knows none of the
 * DTOs' metadata, a second typeorm none of the entities. What stays outside
 * the bundle, loaded from node_modules as before:
 * - packages loaded by a `require()` or `import()` esbuild cannot follow,
 *   and what those load (typeorm's `pg` driver and reflect-metadata,
 *   BullMQ's ioredis), or which Nest loads with `import()` when first
 *   needed (class-validator, class-transformer: from a bundle split into
 *   chunks that would give a CommonJS package's default export only);
 * - packages that read their own files at run time (argon2's native
 *   binary, BullMQ's and msgpackr's, Swagger UI's assets, the fonts and data
 *   of pdfkit and exceljs, which the report exports load when first used,
 *   the queue dashboard's pages);
 * - Nest's optional companions this project does not install.
 *
 * Our own modules find their files (views, the password list) relative to
 * `import.meta.url`, so each keeps its own: the plugin below gives every
 * compiled module of ours the URL of its file in dist/src. The bundle's
 * entries call the exported run functions (an entry module's own
 * "am I the script?" check stays false, as the script is the bundle).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The compiled output to bundle (default dist/; the bundle test compiles into a folder of its own). */
const dist = resolve(root, process.argv[2] ?? 'dist');
const outdir = resolve(dist, 'bundle');

const EXTERNAL = [
  // Loaded with a require() or import() esbuild cannot follow (typeorm's of its driver,
  // BullMQ's of ioredis), or by such packages: one copy for everybody.
  'pg',
  'reflect-metadata',
  'ioredis',
  // Read their own files at run time.
  'argon2',
  'bullmq',
  'msgpackr',
  'swagger-ui-dist',
  'pdfkit',
  'exceljs',
  '@bull-board/*',
  // Nest loads them with import() when a pipe first needs them; from a bundle split into
  // chunks, import() of a CommonJS package would give only its default export.
  'class-validator',
  'class-transformer',
  // Nest's optional companions, not installed.
  '@fastify/multipart',
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@nestjs/platform-express',
];

const ENTRIES = {
  api: "import { runApi } from './main.js'; await runApi();",
  worker: "import { runWorker } from './worker.js'; await runWorker();",
  standalone: "import './standalone.js';",
};

/**
 * Some of Nest's packages load companions through
 * `const require = createRequire(import.meta.url)`, which esbuild cannot
 * follow (evanw/esbuild#1828): @nestjs/typeorm loads typeorm that way, and
 * would get a second TypeORM from node_modules beside the bundled one.
 * Without that line their `require('…')` calls are plain CommonJS requires,
 * which esbuild resolves to the bundled copy (or leaves to node_modules for
 * an external package).
 */
const NEST_CREATE_REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;

const nestRequires = {
  name: 'nest-requires',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/]@nestjs[\\/].*\.js$/ }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      if (!NEST_CREATE_REQUIRE.test(code)) return undefined;
      return { contents: code.replace(NEST_CREATE_REQUIRE, ''), loader: 'js' };
    });
  },
};

/**
 * TypeORM's DriverFactory imports the driver of every database it supports;
 * this project runs on PostgreSQL only. The others (MySQL, SQL Server,
 * Oracle, SAP HANA, Spanner, CockroachDB, MongoDB, the SQLite family, …:
 * about 650 KB of source, which V8 would hold and partly compile in every
 * process) are replaced by a class that says so if ever constructed.
 */
const DRIVER_IMPORT = /^\.\/([a-z0-9-]+)\/(\w+Driver)$/;

const postgresOnly = {
  name: 'postgres-only',
  setup(builder) {
    builder.onResolve({ filter: DRIVER_IMPORT }, (args) => {
      const [, folder, name] = DRIVER_IMPORT.exec(args.path);
      if (!args.importer.endsWith(`typeorm${sep}driver${sep}DriverFactory.js`)) return undefined;
      if (folder === 'postgres') return undefined;
      return { path: name, namespace: 'unbundled-driver' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'unbundled-driver' }, (args) => ({
      contents: `exports.${args.path} = class ${args.path} {
        constructor() { throw new Error('${args.path} is not in this build: Delegation Desk runs on PostgreSQL.'); }
      };`,
      loader: 'js',
    }));
  },
};

/**
 * Nest's two loggers (ConsoleLogger, Logger) each make an
 * Intl.DateTimeFormat when their module loads, for the timestamp of a line
 * Nest's console logger prints. Making one reads ICU's locale data: about
 * 6 MB of the node binary's pages and 2 MB of heap in every process, though
 * our processes log through pino and never print such a line. Here each
 * formatter is made when first used. Should a Nest release change those
 * lines, the build fails and says so, rather than quietly keeping the cost.
 */
const NEST_DATE_FORMATTER = /^const dateTimeFormatter = (new Intl\.DateTimeFormat\([^;]*?\));$/ms;
const NEST_LOGGERS =
  /[\\/]@nestjs[\\/]common[\\/]services[\\/](console-logger|logger)\.service\.js$/;

const lazyNestFormatters = {
  name: 'lazy-nest-formatters',
  setup(builder) {
    builder.onLoad({ filter: NEST_LOGGERS }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      if (!NEST_DATE_FORMATTER.test(code)) {
        throw new Error(
          `${args.path}: Nest's date formatter is no longer where lazy-nest-formatters expects it`,
        );
      }
      const lazy = code.replace(
        NEST_DATE_FORMATTER,
        'let madeFormatter;\nconst dateTimeFormatter = { format: (date) => (madeFormatter ??= $1).format(date) };',
      );
      return { contents: lazy, loader: 'js' };
    });
  },
};

/** `entry:api` and the others: the few lines of ENTRIES, resolved from dist/src. */
const entries = {
  name: 'entries',
  setup(builder) {
    builder.onResolve({ filter: /^entry:/ }, (args) => ({
      path: args.path.slice('entry:'.length),
      namespace: 'entry',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'entry' }, (args) => ({
      contents: ENTRIES[args.path],
      resolveDir: resolve(dist, 'src'),
      loader: 'js',
    }));
  },
};

/**
 * Each compiled module of ours keeps `import.meta.url` pointing at its file
 * in dist/, and the names of its classes and functions: they are Nest's and
 * TypeORM's tokens, entity names, log contexts and OpenAPI schema names,
 * and the bundle renames a top-level name that two modules share
 * (`Trip2`). Only our modules: esbuild's `keepNames` for the whole bundle
 * wraps every function of every package, closures made per request
 * included (Fastify's hook runners, Nest's contexts), in a call that
 * redefines its `name`: about 4 % of the CPU of a GET (issue 21). What a
 * package would lose is the name of a few internal functions and classes
 * the bundle renamed (rxjs's, TypeORM's decorators, Fastify's Request and
 * Reply), which nothing reads.
 */
const ownModules = {
  name: 'own-modules',
  setup(builder) {
    builder.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + sep) || args.path.includes(`${sep}node_modules${sep}`)) {
        return undefined;
      }
      const code = await readFile(args.path, 'utf8');
      const own = JSON.stringify(relative(outdir, args.path));
      const named = await transform(
        code.replaceAll('import.meta.url', `new URL(${own}, import.meta.url).href`),
        { keepNames: true, format: 'esm', loader: 'js', target: 'node20', sourcefile: args.path },
      );
      return { contents: named.code, loader: 'js' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  // BUNDLE_META=file writes esbuild's account of what went into each output file.
  metafile: !!process.env.BUNDLE_META,
  entryPoints: Object.keys(ENTRIES).map((name) => ({ in: `entry:${name}`, out: name })),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Bundled CommonJS calls require(), __dirname and __filename; an ES module has none of them.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      "const __dirname = __fileURLToPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
  // Our own modules keep their names (see ownModules), packages do not need theirs.
  keepNames: false,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // The Swagger plugin's generated metadata repeats `enum` keys (the last wins, in the bundle as in dist).
  logOverride: { 'duplicate-object-key': 'silent' },
  plugins: [entries, ownModules, nestRequires, lazyNestFormatters, postgresOnly],
  write: false,
});
// esbuild escapes non-ASCII characters in strings but not in regular expressions (one
// `…` in markdown-it's): V8 would hold a whole 5 MB file of source as two-byte text.
await mkdir(outdir, { recursive: true });
for (const file of result.outputFiles) {
  const ascii = file.text.replace(
    /[^\0-\x7f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  await writeFile(file.path, ascii);
}
if (process.env.BUNDLE_META) {
  await writeFile(process.env.BUNDLE_META, JSON.stringify(result.metafile));
}
