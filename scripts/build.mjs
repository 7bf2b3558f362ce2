// Bundles the extension, the CLI and the scan worker, and compiles tests and benchmarks, with esbuild.
// Type-checking is `npm run typecheck` (esbuild does not check types).
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const release = process.argv.includes('--release');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: release ? false : 'linked',
  minify: release,
  logLevel: 'warning',
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

function walk(dir, keep) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

await Promise.all([
  esbuild.build({ ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: { worker: 'src/worker/scan.ts' }, outdir: 'dist' }),
  ...(release
    ? []
    : [
        esbuild.build({
          ...common,
          entryPoints: [...walk('test', (p) => p.endsWith('.ts')), ...walk('bench', (p) => p.endsWith('.ts'))],
          outdir: 'out',
          outbase: '.',
          external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron', 'vscode-textmate', 'vscode-oniguruma', 'fast-check'],
        }),
      ]),
]);
