// Every command, view and setting in package.json is documented in the README and wired up in src/, and
// everything the README's tables name exists in package.json.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ids from '../../src/editor/ids';

// The bundled test runs from out/test/unit; the sources stay at the repository root.
const root = join(__dirname, '..', '..', '..');

interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    views: Record<string, { id: string; name: string }[]>;
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const commands = manifest.contributes.commands;
const views = Object.values(manifest.contributes.views).flat();
const settings = manifest.contributes.configuration.properties;

/** The rows of the first table under the `## <heading>` section, as cells without surrounding space. */
function tableRows(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  // Drop the header and the separator row.
  return lines.slice(2).map((l) =>
    l
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim()),
  );
}

/** `` `nfwTlsLogs.x` `` → `nfwTlsLogs.x` */
function codeValue(cell: string): string {
  const m = /^`([^`]+)`$/.exec(cell);
  assert.ok(m, `expected a code span, found ${cell}`);
  return m[1];
}

function sources(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts')) out.push({ path: relative(root, p), text: readFileSync(p, 'utf8') });
  }
  return out;
}
const code = sources(join(root, 'src')).filter((f) => f.path !== join('src', 'editor', 'ids.ts'));

/** The name of the constant in an ids.ts group whose value is `id`. */
function constantFor(group: Readonly<Record<string, string>>, id: string): string {
  const entry = Object.entries(group).find(([, value]) => value === id);
  assert.ok(entry, `no constant in src/editor/ids.ts for ${id}`);
  return entry[0];
}

describe('README documents the manifest', () => {
  it('lists every command with its title, and only contributed commands', () => {
    const rows = tableRows('Commands');
    const documented = new Map(rows.map(([id, title]) => [codeValue(id), title]));
    assert.equal(documented.size, rows.length, 'a command is listed twice');
    for (const c of commands) assert.equal(documented.get(c.command), c.title, `${c.command} in the README's Commands table`);
    for (const id of documented.keys())
      assert.ok(
        commands.some((c) => c.command === id),
        `the README lists ${id}, which package.json does not contribute`,
      );
  });

  it('lists every setting with its default, and only contributed settings', () => {
    const rows = tableRows('Settings');
    const documented = new Map(rows.map(([id, defaultValue]) => [codeValue(id), defaultValue]));
    assert.equal(documented.size, rows.length, 'a setting is listed twice');
    for (const [key, s] of Object.entries(settings)) {
      const shown = documented.get(key);
      assert.ok(shown !== undefined, `${key} is missing from the README's Settings table`);
      const expected = typeof s.default === 'string' ? s.default : JSON.stringify(s.default);
      assert.equal(codeValue(shown), expected, `${key}'s default in the README`);
    }
    for (const id of documented.keys()) assert.ok(id in settings, `the README lists ${id}, which package.json does not contribute`);
  });

  it('names every view by its id', () => {
    for (const v of views) assert.ok(readme.includes(`\`${v.id}\``), `the README does not name the view ${v.id}`);
  });

  it('lists every problem code', () => {
    const codes = tableRows('Problems and their severities').map(([c]) => codeValue(c));
    const schema = settings[ids.Settings.diagnosticsSeverity] as { properties?: Record<string, unknown> };
    assert.deepEqual([...codes].sort(), Object.keys(schema.properties ?? {}).sort());
  });
});

describe('src/ wires up the manifest', () => {
  it('registers every command through its ids.ts constant', () => {
    for (const c of commands) {
      const name = constantFor(ids.Commands, c.command);
      const pattern = new RegExp(`registerCommand\\(\\s*Commands\\.${name}\\b`);
      assert.ok(
        code.some((f) => pattern.test(f.text)),
        `no src/ file registers Commands.${name} (${c.command})`,
      );
    }
  });

  it('creates every view through its ids.ts constant', () => {
    for (const v of views) {
      const name = constantFor(ids.Views, v.id);
      const pattern = new RegExp(`(createTreeView|registerTreeDataProvider|registerWebviewViewProvider)\\(\\s*Views\\.${name}\\b`);
      assert.ok(
        code.some((f) => pattern.test(f.text)),
        `no src/ file creates Views.${name} (${v.id})`,
      );
    }
  });

  it('reads every setting through its ids.ts constant', () => {
    for (const key of Object.keys(settings)) {
      const name = constantFor(ids.Settings, key);
      assert.ok(
        code.some((f) => new RegExp(`Settings\\.${name}\\b`).test(f.text)),
        `no src/ file reads Settings.${name} (${key})`,
      );
    }
  });
});
