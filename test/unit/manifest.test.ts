// Checks package.json's `contributes` against the ids in src/editor/ids.ts, both ways, and the manifest
// rules that VS Code does not enforce itself (categories, icons, palette visibility, setting metadata).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ids from '../../src/editor/ids';

// The bundled test runs from out/test/unit; package.json stays at the repository root.
const root = join(__dirname, '..', '..', '..');

interface CommandContribution {
  command: string;
  title?: string;
  category?: string;
  icon?: string | { light: string; dark: string };
}
interface MenuItem {
  command?: string;
  submenu?: string;
  when?: string;
  group?: string;
}
interface SettingContribution {
  type?: string | string[];
  scope?: string;
  markdownDescription?: string;
  description?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  default?: unknown;
}
interface Manifest {
  activationEvents?: string[];
  contributes: {
    languages?: { id: string }[];
    grammars?: { language?: string }[];
    commands?: CommandContribution[];
    menus?: Record<string, MenuItem[]>;
    viewsContainers?: Record<string, { id: string; title: string; icon: string }[]>;
    views?: Record<string, { id: string; name: string; icon?: string }[]>;
    viewsWelcome?: { view: string; contents: string; when?: string }[];
    configuration?: { properties: Record<string, SettingContribution> } | { properties: Record<string, SettingContribution> }[];
    customEditors?: { viewType: string }[];
  };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;

const sorted = (values: Iterable<string>): string[] => [...values].sort();
const idValues = (group: Readonly<Record<string, string>> | undefined): string[] => sorted(Object.values(group ?? {}));

const commands = contributes.commands ?? [];
const menus = contributes.menus ?? {};
const views = Object.values(contributes.views ?? {}).flat();
const containers = Object.values(contributes.viewsContainers ?? {}).flat();
const configurations = Array.isArray(contributes.configuration)
  ? contributes.configuration
  : contributes.configuration
    ? [contributes.configuration]
    : [];
const settings: Record<string, SettingContribution> = Object.assign({}, ...configurations.map((c) => c.properties));

/** Every `when` clause in the manifest. */
function whenClauses(): string[] {
  const out: string[] = [];
  for (const items of Object.values(menus)) for (const item of items) if (item.when) out.push(item.when);
  for (const welcome of contributes.viewsWelcome ?? []) if (welcome.when) out.push(welcome.when);
  return out;
}

/** Commands linked from welcome views as `command:<id>`. */
function welcomeCommandLinks(): string[] {
  const out: string[] = [];
  for (const welcome of contributes.viewsWelcome ?? []) {
    for (const m of welcome.contents.matchAll(/\(command:([^)?\s]+)/g)) out.push(m[1]);
  }
  return out;
}

/** Commands that only make sense with a tree node (or other argument) and so never show in the palette. */
const NODE_ONLY_COMMANDS = [ids.Commands.sniTreeOpenEntry, ids.Commands.sniTreeCopySni];

describe('manifest ids agree with src/editor/ids.ts', () => {
  it('contributes exactly the language id', () => {
    assert.deepEqual(
      (contributes.languages ?? []).map((l) => l.id),
      [ids.LANGUAGE_ID],
    );
    for (const grammar of contributes.grammars ?? []) assert.equal(grammar.language, ids.LANGUAGE_ID);
  });

  // What package.json contributes for each group of ids in ids.ts.
  const contributedIds: Record<string, () => string[]> = {
    Commands: () => commands.map((c) => c.command),
    Views: () => views.map((v) => v.id),
    ViewContainers: () => containers.map((c) => c.id),
    Settings: () => Object.keys(settings),
    CustomEditors: () => (contributes.customEditors ?? []).map((e) => e.viewType),
  };
  const idGroups = Object.entries(ids as Record<string, unknown>).filter(([, value]) => typeof value === 'object' && value !== null) as [
    string,
    Record<string, string>,
  ][];

  it('checks every group of ids', () => {
    for (const [name] of idGroups) assert.ok(name in contributedIds || name === 'ContextKeys', `no check for ids.${name}`);
  });

  for (const [name, contributed] of Object.entries(contributedIds)) {
    it(`contributes every id in ${name}, and has an id for everything contributed`, () => {
      const list = contributed();
      assert.equal(new Set(list).size, list.length, `something in ${name} is contributed twice`);
      assert.deepEqual(sorted(list), idValues(idGroups.find(([n]) => n === name)?.[1]));
    });
  }

  it('puts views into our own containers or built-in ones; container ids hold no dots', () => {
    const builtIn = new Set(['explorer', 'scm', 'debug', 'test', 'remote']);
    for (const key of Object.keys(contributes.views ?? {})) {
      assert.ok(builtIn.has(key) || idValues(ids.ViewContainers).includes(key), `views are contributed to an unknown container ${key}`);
    }
    for (const container of containers)
      assert.match(container.id, /^[A-Za-z0-9_-]+$/, 'container ids may hold only letters, digits, _ and -');
  });

  it('uses every context key in a when clause, and only known ids of ours in when clauses', () => {
    const clauses = whenClauses();
    for (const key of Object.values(ids.ContextKeys)) {
      assert.ok(
        clauses.some((w) => w.includes(key)),
        `context key ${key} is set but no when clause reads it`,
      );
    }
    const known = new Set<string>([...Object.values(ids.ContextKeys), ...Object.values(ids.Views), ...Object.values(ids.Settings)]);
    for (const clause of clauses) {
      for (const m of clause.matchAll(/nfwTlsLogs\.[A-Za-z0-9_.]+/g))
        assert.ok(known.has(m[0]), `unknown id ${m[0]} in when clause "${clause}"`);
    }
  });
});

describe('manifest rules', () => {
  it('gives every command a title and a category', () => {
    for (const c of commands) {
      assert.ok(c.title, `${c.command} has no title`);
      assert.equal(c.category, 'AWS NFW TLS', `${c.command} has no category`);
    }
  });

  it('gives every command in a view title bar or item menu a codicon', () => {
    const byId = new Map(commands.map((c) => [c.command, c]));
    for (const menu of ['view/title', 'view/item/context']) {
      for (const item of menus[menu] ?? []) {
        if (item.command === undefined) continue;
        const icon = byId.get(item.command)?.icon;
        assert.ok(typeof icon === 'string' && /^\$\([a-z0-9-]+\)$/.test(icon), `${item.command} in ${menu} has no codicon`);
      }
    }
  });

  it('names only contributed commands and views in menus and welcome views', () => {
    const contributed = new Set(commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(menus)) {
      for (const item of items) if (item.command !== undefined) assert.ok(contributed.has(item.command), `${menu} names ${item.command}`);
    }
    for (const command of welcomeCommandLinks()) assert.ok(contributed.has(command), `a welcome view links ${command}`);
    const viewIds = new Set(views.map((v) => v.id));
    for (const welcome of contributes.viewsWelcome ?? []) assert.ok(viewIds.has(welcome.view), `welcome for unknown view ${welcome.view}`);
  });

  it('hides commands that need a tree node from the palette', () => {
    const palette = menus.commandPalette ?? [];
    for (const command of NODE_ONLY_COMMANDS) {
      assert.deepEqual(
        palette.filter((p) => p.command === command).map((p) => p.when),
        ['false'],
        `${command} shows in the palette`,
      );
    }
    // A command offered only on tree items must say when the palette may show it.
    const elsewhere = new Set(
      Object.entries(menus)
        .filter(([menu]) => menu !== 'view/item/context' && menu !== 'commandPalette')
        .flatMap(([, items]) => items.map((i) => i.command)),
    );
    for (const item of menus['view/item/context'] ?? []) {
      if (item.command === undefined || elsewhere.has(item.command)) continue;
      assert.ok(
        palette.some((p) => p.command === item.command && p.when),
        `${item.command} is offered on tree items only, but the palette shows it unconditionally`,
      );
    }
  });

  it('describes every setting with a scope and markdown, and every choice', () => {
    for (const [key, s] of Object.entries(settings)) {
      assert.ok(s.scope, `${key} has no scope`);
      assert.ok(s.markdownDescription, `${key} has no markdownDescription`);
      if (s.enum !== undefined) {
        const descriptions = s.enumDescriptions ?? s.markdownEnumDescriptions;
        assert.equal(descriptions?.length, s.enum.length, `${key} does not describe each choice`);
        assert.ok(s.enum.includes(s.default), `${key}'s default is not one of its choices`);
      }
    }
  });

  it('lists no activation event that VS Code derives from the contributions, and no "*"', () => {
    const events = manifest.activationEvents ?? [];
    assert.ok(!events.includes('*'));
    for (const c of commands) assert.ok(!events.includes(`onCommand:${c.command}`), `onCommand:${c.command} is derived`);
    for (const v of views) assert.ok(!events.includes(`onView:${v.id}`), `onView:${v.id} is derived`);
    assert.ok(!events.includes(`onLanguage:${ids.LANGUAGE_ID}`), `onLanguage:${ids.LANGUAGE_ID} is derived`);
  });

  it('ships the activity-bar icons as 24x24 single-colour SVGs', () => {
    for (const c of containers) {
      const path = join(root, c.icon);
      assert.ok(existsSync(path), `${c.icon} is missing`);
      const svg = readFileSync(path, 'utf8');
      assert.match(svg, /viewBox="0 0 24 24"/);
      // The workbench uses the icon as a mask: colours other than currentColor would be lost anyway.
      const colours = new Set([...svg.matchAll(/(?:fill|stroke)="([^"]+)"/g)].map((m) => m[1]));
      for (const colour of colours) assert.ok(colour === 'currentColor' || colour === 'none', `${c.icon} uses the colour ${colour}`);
    }
  });
});
