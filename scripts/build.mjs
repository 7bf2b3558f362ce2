// Bundles the extension, the CLI and the scan worker, and compiles tests and benchmarks, with esbuild.
// Type-checking is `npm run typecheck` (esbuild does not check types); `--watch` rebuilds on every change
// (`npm run watch`, the F5 launch's pre-launch task) and `npm run watch:tsc` type-checks alongside.
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const release = process.argv.includes('--release');
const watch = process.argv.includes('--watch');
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

/** The files under `dir` that `keep` accepts; generated data (`bench/data`) is not walked. */
function walk(dir, keep) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (p === join('bench', 'data')) continue;
    if (statSync(p).isDirectory()) out.push(...walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

/**
 * Prints one "started" when any bundle starts rebuilding and one "finished" when all have, with the errors
 * in between, in the form the watch task's problem matcher (.vscode/tasks.json) reads: F5 waits for the
 * first build, and errors land in the Problems view.
 */
let building = 0;
const watchReport = {
  name: 'watch-report',
  setup(build) {
    build.onStart(() => {
      if (building++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column + 1}:`);
      }
      if (--building === 0) console.log('[watch] build finished');
    });
  },
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: { worker: 'src/worker/scan.ts' }, outdir: 'dist' },
  // The AWS SDK clients, loaded by the extension only when the first remote query runs.
  { ...common, entryPoints: { remote: 'src/remote/awsQueries.ts' }, outdir: 'dist' },
  // The explorer's page runs in the webview, a browser: its own bundle, no Node.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { explorer: 'src/webview/explorer/main.ts' },
    outdir: 'dist',
  },
  ...(release
    ? []
    : [
        {
          ...common,
          // In watch mode a test file added later is picked up on the next start.
          entryPoints: [...walk('test', (p) => p.endsWith('.ts')), ...walk('bench', (p) => p.endsWith('.ts'))],
          outdir: 'out',
          outbase: '.',
          external: [
            'vscode',
            'mocha',
            'playwright-core',
            '@vscode/test-electron',
            'vscode-textmate',
            'vscode-oniguruma',
            'fast-check',
            '@duckdb/node-api',
            '@aws-sdk/client-athena',
            '@aws-sdk/client-cloudwatch-logs',
          ],
        },
      ]),
];

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context({ ...options, plugins: [watchReport] })));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
