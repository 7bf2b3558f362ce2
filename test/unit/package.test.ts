// What the .vsix holds: `vsce ls` (the same file selection `npm run package` uses) lists exactly the
// bundles, the grammar, the manifest, the docs and the images the manifest and README show; no sources,
// tests, source maps or dependencies.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The bundled test runs from out/test/unit; the package is the repository root.
const root = join(__dirname, '..', '..', '..');

const ALWAYS = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/cli.js',
  'dist/explorer.js',
  'dist/extension.js',
  'dist/remote.js',
  'dist/worker.js',
  'language-configuration.json',
  'media/explorer.css',
  'package.json',
  'syntaxes/nfw-tls-log.tmLanguage.json',
];

function packagedFiles(): string[] {
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const out = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .sort();
}

describe('the .vsix file list', () => {
  it('holds the bundles, grammar, manifest, docs and the images the manifest and README use, and nothing else', () => {
    for (const f of ['dist/extension.js', 'dist/worker.js', 'dist/cli.js', 'dist/remote.js'])
      assert.ok(existsSync(join(root, f)), `${f} is missing: build first`);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      icon?: string;
      contributes: { viewsContainers?: Record<string, { icon: string }[]> };
    };
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const readmeImages = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((link) => !/^\w+:/.test(link));
    const containerIcons = Object.values(manifest.contributes.viewsContainers ?? {})
      .flat()
      .map((c) => c.icon);
    assert.ok(manifest.icon, 'package.json names no marketplace icon');
    const expected = new Set([...ALWAYS, manifest.icon, 'media/icon.svg', ...containerIcons, ...readmeImages]);
    assert.deepEqual(packagedFiles(), [...expected].sort());
  });

  it('ships a 128x128 PNG as the marketplace icon', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { icon: string };
    const png = readFileSync(join(root, manifest.icon));
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });
});
