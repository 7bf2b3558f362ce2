// Lint for what the type checker does not catch: promises nobody waits for, `vscode` reaching into the
// editor-free core, and import cycles between modules. Layout (line length, quotes) is Prettier's business.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { noTypeCycle } from './scripts/lint/noTypeCycle.mjs';

export default defineConfig(
  {
    ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', 'bench/data/', 'samples/', 'test/fixtures/', 'tmp/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // Deliberate: log text is untrusted, and the code that cleans or escapes it names control characters
      // and markdown punctuation in regular expressions explicitly.
      'no-control-regex': 'off',
      'no-useless-escape': 'off',
      // One-line branches written as comma sequences (`if (full) out.push(piece), (piece = '')`) are house style.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Work is written as generators run step by step (core/threads/steps.ts); one with no `yield` is one step.
      'require-yield': 'off',
      // A variable assigned after the closures that read it (a timer, a subscription) cannot be `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // tsconfig.json covers src, test, bench and scripts/*.ts.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Type-aware, and the main reason to lint: a dropped promise hides its rejection. Deliberate
      // fire-and-forget is written `void promise`. node:test's `test`/`describe` return promises the runner awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // tsc's noUnusedLocals/noUnusedParameters already check this, and they count `{@link name}` in JSDoc as a use.
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    // The explorer's page runs in the webview (a browser): its own tsconfig, with the DOM's types.
    files: ['src/webview/**/*.ts'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: false, project: './src/webview/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { caughtErrors: 'none' }] },
  },
  {
    // The engine runs in plain Node (CLI, worker, benchmarks, unit tests): it must never load the editor API.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core is editor-free: convert core results to editor types in src/editor.' }],
          patterns: [{ group: ['**/editor/*', '**/extension'], message: 'src/core must not depend on the editor adapters.' }],
        },
      ],
    },
  },
  {
    // Modules depend one way, down the pipeline. import-x/no-cycle finds cycles of value imports; it skips
    // type-only imports by design, so local/no-type-cycle reports the cycles that pass through one.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX, local: { rules: { 'no-type-cycle': noTypeCycle } } },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'local/no-type-cycle': 'error',
    },
  },
);
