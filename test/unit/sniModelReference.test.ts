import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EntryBatchBuilder } from '../../src/core/parse/entryBatch';
import { GROUP_KINDS, kindOf, type GroupKind, type SniKey } from '../../src/core/parse/entryKind';
import type { LineEntry } from '../../src/core/parse/types';
import { SniModel } from '../../src/core/sni/sniModel';
import { SniTreeProjection } from '../../src/core/sni/tree';
import type { EntryLocation, Scope } from '../../src/core/sni/types';
import type { TlsEntry } from '../../src/core/parse/types';
import { random } from './random';

/**
 * The SNI model against a plain list of entries: random sources are replaced, appended to (as refs and as
 * packed worker batches), removed and cleared, and after every step every query is compared with what a
 * direct computation over the list gives.
 */

interface Row {
  source: string;
  line: number;
  entry: TlsEntry;
}

const SNIS: (string | undefined)[] = ['a.example', 'B.example', 'b.example', '-', '', undefined, 'c.test', 'zz.org'];
const FIREWALLS: (string | undefined)[] = ['fw-1', 'fw-2', undefined];
const STATUSES: (string | undefined)[] = ['REVOKED', 'UNKNOWN', 'GOOD', undefined];
const ACTIONS: (string | undefined)[] = ['PASS', 'DROP', 'REJECT', 'ALERT', undefined];
/** IPv4 at the edges of its range, spellings that are not the usual one (kept verbatim), IPv6, junk. */
const ODD_ADDRESSES = [
  '0.0.0.0',
  '255.255.255.255',
  '010.0.0.1',
  '10.0.0.256',
  '1.2.3.4.5',
  '1.2.3',
  '2001:db8::1',
  '::ffff:10.0.0.1',
  '',
  'x.y.z.w',
  '1..2.3',
];

function pick<T>(rand: () => number, values: readonly T[]): T {
  return values[Math.floor(rand() * values.length)];
}

function randomEntry(rand: () => number, fractional: boolean): TlsEntry {
  const base =
    rand() < 0.5
      ? ({ kind: 'tlsError', errorMessage: 'x' } as TlsEntry)
      : ({ kind: 'revocation', status: pick(rand, STATUSES), action: pick(rand, ACTIONS) } as TlsEntry);
  const entry: TlsEntry = { ...base };
  const sni = pick(rand, SNIS);
  if (sni !== undefined) entry.sni = sni;
  const fw = pick(rand, FIREWALLS);
  if (fw !== undefined) entry.firewallName = fw;
  if (rand() < 0.9) entry.destIp = rand() < 0.7 ? `10.0.0.${Math.floor(rand() * 6)}` : pick(rand, ODD_ADDRESSES);
  if (rand() < 0.9) entry.destPort = pick(rand, [443, 8443, 993]);
  const t = rand();
  if (t < 0.6) entry.timeMs = Date.UTC(2024, 0, 1) + Math.floor(rand() * 50) * 1000;
  else if (t < 0.75) entry.eventTimestamp = Date.UTC(2024, 0, 1) / 1000 + Math.floor(rand() * 50);
  else if (t < 0.8 && fractional) entry.eventTimestamp = Date.UTC(2024, 0, 1) / 1000 + Math.floor(rand() * 50) + 0.0004;
  return entry;
}

function timeOf(e: TlsEntry): number | undefined {
  if (e.timeMs !== undefined) return e.timeMs;
  if (e.eventTimestamp !== undefined) return e.eventTimestamp * 1000;
  return undefined;
}

/** Lines at random, or increasing from `after` (as a document or a file is read), which the model stores without a line index. */
function randomRefs(rand: () => number, n: number, after: number): LineEntry[] {
  const refs: LineEntry[] = [];
  const increasing = rand() < 0.5;
  const fractional = rand() < 0.3;
  let line = after;
  for (let i = 0; i < n; i++) {
    line = increasing ? line + 1 + Math.floor(rand() * 3) : Math.floor(rand() * 60);
    refs.push({ line, entry: randomEntry(rand, fractional) });
  }
  return refs;
}

class Reference {
  rows: Row[] = [];

  set(source: string, refs: LineEntry[]): void {
    this.rows = this.rows.filter((r) => r.source !== source);
    this.add(source, refs);
  }

  add(source: string, refs: LineEntry[]): void {
    const held = new Set(this.rows.filter((r) => r.source === source).map((r) => r.line));
    for (const ref of refs) {
      if (held.has(ref.line)) continue;
      held.add(ref.line);
      this.rows.push({ source, line: ref.line, entry: ref.entry });
    }
  }

  remove(source: string): void {
    this.rows = this.rows.filter((r) => r.source !== source);
  }

  inScope(scope: Scope): Row[] {
    if (scope.by === 'source') return this.rows.filter((r) => r.source === scope.source);
    if (scope.by === 'firewall') return this.rows.filter((r) => (r.entry.firewallName ?? null) === scope.firewall);
    return this.rows;
  }
}

function location(r: Row): EntryLocation {
  const loc: EntryLocation = {
    sourceKey: r.source,
    line: r.line,
    sni: r.entry.sni ?? null,
    kind: kindOf(r.entry),
    firewall: r.entry.firewallName ?? null,
  };
  const t = timeOf(r.entry);
  return t === undefined ? loc : { ...loc, timeMs: t };
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function check(model: SniModel, ref: Reference, rand: () => number): void {
  const sources = [...new Set(ref.rows.map((r) => r.source))].sort(byKey);
  assert.equal(model.totalEntries, ref.rows.length);
  const scopes: Scope[] = [
    { by: 'all' },
    ...sources.map((source): Scope => ({ by: 'source', source })),
    ...FIREWALLS.map((fw): Scope => ({ by: 'firewall', firewall: fw ?? null })),
  ];
  for (const scope of scopes) {
    const rows = ref.inScope(scope);
    const bySni = new Map<SniKey, Row[]>();
    for (const r of rows) {
      const k = r.entry.sni ?? null;
      bySni.set(k, [...(bySni.get(k) ?? []), r]);
    }
    const groups = model.groups({ scope, sort: 'name' });
    assert.deepEqual(new Set(groups.map((g) => g.sni)), new Set(bySni.keys()), `SNIs of ${JSON.stringify(scope)}`);
    // Name order: the missing SNI first, then case-insensitive, then by code units; count order: most first, then by name.
    const byName = (a: SniKey, b: SniKey): number =>
      a === null || b === null ? (a === b ? 0 : a === null ? -1 : 1) : byKey(a.toLowerCase(), b.toLowerCase()) || byKey(a, b);
    const names = [...bySni.keys()].sort(byName);
    assert.deepEqual(
      groups.map((g) => g.sni),
      names,
      `name order in ${JSON.stringify(scope)}`,
    );
    const counted = [...names].sort((a, b) => (bySni.get(b) as Row[]).length - (bySni.get(a) as Row[]).length || byName(a, b));
    assert.deepEqual(
      model.groups({ scope, sort: 'count' }).map((g) => g.sni),
      counted,
      `count order in ${JSON.stringify(scope)}`,
    );
    for (const g of groups) {
      const mine = bySni.get(g.sni) as Row[];
      const kinds = mine.map((r) => kindOf(r.entry));
      const count = (k: GroupKind): number => kinds.filter((x) => x === k).length;
      const actions = (a: string | undefined): number => mine.filter((r) => r.entry.kind === 'revocation' && r.entry.action === a).length;
      assert.deepEqual(
        [g.entries, g.revoked, g.tlsErrors, g.unknown, g.otherStatus],
        [mine.length, count('revoked'), count('tlsError'), count('unknown'), count('other')],
        `counts of ${String(g.sni)} in ${JSON.stringify(scope)}`,
      );
      const revocations = mine.filter((r) => r.entry.kind === 'revocation').length;
      assert.deepEqual(g.actions, {
        PASS: actions('PASS'),
        DROP: actions('DROP'),
        REJECT: actions('REJECT'),
        other: revocations - actions('PASS') - actions('DROP') - actions('REJECT'),
      });
      const times = mine.map((r) => timeOf(r.entry)).filter((t): t is number => t !== undefined);
      assert.equal(g.firstSeen, times.length ? Math.min(...times) : undefined, `firstSeen of ${String(g.sni)}`);
      assert.equal(g.lastSeen, times.length ? Math.max(...times) : undefined, `lastSeen of ${String(g.sni)}`);
      // Entries of each kind, in line and in time order.
      for (const kind of GROUP_KINDS) {
        const list = mine.filter((r) => kindOf(r.entry) === kind);
        const byLine = [...list].sort((a, b) => byKey(a.source, b.source) || a.line - b.line).map(location);
        assert.deepEqual(
          model.entriesOf(g.sni, kind, 0, 1000, { scope, order: 'line' }).items,
          byLine,
          `${kind} of ${String(g.sni)} by line`,
        );
        const t = (r: Row): number => timeOf(r.entry) ?? Infinity;
        const byTime = [...list].sort((a, b) => t(a) - t(b) || byKey(a.source, b.source) || a.line - b.line).map(location);
        assert.deepEqual(
          model.entriesOf(g.sni, kind, 0, 1000, { scope, order: 'time' }).items,
          byTime,
          `${kind} of ${String(g.sni)} by time`,
        );
        if (byTime.length > 0) {
          const i = Math.floor(rand() * byTime.length);
          assert.equal(new SniTreeProjection(model).rankOf(scope, g.sni, kind, byTime[i].sourceKey, byTime[i].line, 'time'), i);
        }
      }
      const d = model.details(g.sni, scope);
      const ips = [...new Set(mine.map((r) => r.entry.destIp).filter((x): x is string => x !== undefined))].sort(byKey);
      assert.deepEqual(d?.destIps, { values: ips, total: ips.length, complete: true });
      const ports = [...new Set(mine.map((r) => r.entry.destPort).filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
      assert.deepEqual(d?.destPorts, { values: ports, total: ports.length, complete: true });
      const fws = [...new Set(mine.map((r) => r.entry.firewallName ?? null))];
      assert.deepEqual(d?.firewalls, [...fws.filter((x) => x !== null).sort(byKey), ...fws.filter((x) => x === null)]);
      const perSource = new Map<string, number>();
      for (const r of mine) perSource.set(r.source, (perSource.get(r.source) ?? 0) + 1);
      assert.deepEqual(
        d?.sources,
        [...perSource].sort((a, b) => byKey(a[0], b[0])).map(([sourceKey, entries]) => ({ sourceKey, entries })),
      );
    }
  }
  // Containers with a kind filter.
  const failing = (rows: Row[]): Row[] => {
    const snis = new Set(rows.filter((r) => kindOf(r.entry) !== 'other').map((r) => r.entry.sni ?? null));
    return rows.filter((r) => snis.has(r.entry.sni ?? null));
  };
  const bySource = model.containers('source', { kind: 'failing' });
  const expected = sources
    .map((source) => failing(ref.rows.filter((r) => r.source === source)))
    .filter((rows) => rows.length > 0)
    .map((rows) => [rows[0].source, rows.length, new Set(rows.map((r) => r.entry.sni ?? null)).size]);
  assert.deepEqual(
    bySource.map((c) => [c.scope.by === 'source' ? c.scope.source : '', c.entries, c.groups]),
    expected,
  );
  // Lines and navigation.
  for (const source of sources) {
    const mine = ref.rows.filter((r) => r.source === source);
    const lastLine = Math.max(...mine.map((r) => r.line)) + 2;
    for (let line = 0; line < lastLine; line++) {
      const r = mine.find((x) => x.line === line);
      assert.deepEqual(model.findGroupForLine(source, line), r && location(r));
    }
    const from = mine[Math.floor(rand() * mine.length)];
    const sni = from.entry.sni ?? null;
    const same = mine.filter((x) => (x.entry.sni ?? null) === sni).sort((a, b) => a.line - b.line);
    const fromLine = Math.floor(rand() * lastLine);
    const next = same.find((x) => x.line > fromLine) ?? same[0];
    const prev = [...same].reverse().find((x) => x.line < fromLine) ?? same[same.length - 1];
    assert.deepEqual(model.navigate(sni, source, fromLine, 1), location(next));
    assert.deepEqual(model.navigate(sni, source, fromLine, -1), location(prev));
  }
}

describe('SniModel against a direct computation', () => {
  for (const seed of [1, 2, 3]) {
    it(`random replaces, appends (refs and packed batches), removals, seed ${seed}`, () => {
      const rand = random(seed);
      const model = new SniModel();
      const ref = new Reference();
      const names = ['s/a.log', 's/b.log', 's/c.log', 'file:///x%20y.log'];
      for (let step = 0; step < 30; step++) {
        const source = pick(rand, names);
        const op = rand();
        const held = ref.rows.filter((r) => r.source === source).map((r) => r.line);
        const refs = randomRefs(rand, 1 + Math.floor(rand() * 30), op < 0.3 ? -1 : Math.max(-1, ...held));
        if (op < 0.3) {
          model.setSourceEntries(source, refs);
          ref.set(source, refs);
        } else if (op < 0.55) {
          model.addEntries(source, refs);
          ref.add(source, refs);
        } else if (op < 0.8) {
          const builder = new EntryBatchBuilder(64);
          for (const r of refs) builder.add(r.line, r.entry);
          assert.equal(
            model.addBatch(source, builder.take()),
            refs.filter(
              (r, i) => !ref.rows.some((x) => x.source === source && x.line === r.line) && refs.findIndex((y) => y.line === r.line) === i,
            ).length,
          );
          ref.add(source, refs);
        } else if (op < 0.97) {
          model.removeSource(source);
          ref.remove(source);
        } else {
          model.clear();
          ref.rows = [];
        }
        check(model, ref, rand);
      }
    });
  }
});
