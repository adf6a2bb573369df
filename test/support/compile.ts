import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { before as swaggerPlugin } from '@nestjs/swagger/plugin';
import ts from 'typescript';
import { ROOT } from './spawn.js';

/** Compiles src/ and migrations/ the way `nest build` does, Swagger plugin included, into `outDir`. */
export function compileWithSwaggerPlugin(outDir: string): void {
  const nestCli = JSON.parse(ts.sys.readFile(join(ROOT, 'nest-cli.json')) ?? '{}') as {
    compilerOptions: {
      plugins: { name: string; options: Record<string, unknown> }[];
      assets?: { include: string }[];
    };
  };
  const plugin = nestCli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger');
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.build.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error('tsconfig.build.json could not be read');
  const program = ts.createProgram(config.fileNames, {
    ...config.options,
    outDir,
    sourceMap: false,
    noEmitOnError: false,
  });
  const { emitSkipped } = program.emit(undefined, undefined, undefined, false, {
    before: [swaggerPlugin(plugin?.options ?? {}, program)],
  });
  if (emitSkipped) throw new Error('compiling src/ and migrations/ failed');
  // The assets nest build copies beside the code (templates, word lists): a file or `dir/*`.
  for (const { include } of nestCli.compilerOptions.assets ?? []) {
    const from = join(ROOT, 'src', include.replace(/\/\*$/, ''));
    cpSync(from, join(outDir, 'src', include.replace(/\/\*$/, '')), { recursive: true });
  }
}
