import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EntryBatchBuilder } from '../../src/core/parse/entryBatch';
import type { LineEntry, TlsEntry } from '../../src/core/parse/types';
import { NO_SNI_MESSAGE } from '../../src/core/parse/format';
import { SniModel } from '../../src/core/sni/sniModel';
import { timeFromFields } from '../../src/core/text';
import { BUCKET_STEPS, MAX_BUCKETS, bucketLayout } from '../../src/core/explore/buckets';
import { Explorer } from '../../src/core/explore/explorer';
import { drain, sortedOrder } from '../../src/core/explore/timeOrder';
import {
  FACET_TOP,
  FACETS,
  SORT_COLUMNS,
  TIMELINE_KINDS,
  type ExplorerFilter,
  type ExplorerSort,
  type FacetName,
  type TimelineKind,
} from '../../src/core/explore/types';

/**
 * The explorer's aggregation against a reference: entries kept as plain objects in a list, filtered, counted,
 * bucketed and sorted by direct rules written here from the documented behaviour (types.ts, facets.ts).
 */

interface Ref {
  source: string;
  line: number;
  /** Arrival order within its source. */
  seq: number;
  entry: TlsEntry;
  time: number;
}

const MISMATCH = 'SNI: a.example Match Failed to server certificate names: b.example/c.example ';
const SOURCES = ['file:///a.log', 'file:///b.log', 'file:///c.log'];
const T0 = Date.UTC(2024, 6, 2, 10, 0, 0);

const entryArb: fc.Arbitrary<TlsEntry> = fc
  .record({
    revocation: fc.boolean(),
    sni: fc.constantFrom<string | undefined>('a.example', 'b.example', '-', '', undefined, '<img src=x onerror=alert(1)>'),
    fw: fc.constantFrom<string | undefined>('fw-1', 'fw-2', undefined),
    zone: fc.constantFrom<string | undefined>('us-east-1a', 'us-east-1b', undefined),
    status: fc.constantFrom<string | undefined>('REVOKED', 'UNKNOWN', 'GOOD', undefined),
    action: fc.constantFrom<string | undefined>('PASS', 'DROP', 'REJECT', 'ALERT', undefined),
    message: fc.constantFrom<string | undefined>(NO_SNI_MESSAGE, MISMATCH, 'something else', undefined),
    src: fc.constantFrom<string | undefined>('10.0.1.5', '10.0.1.17', '192.168.0.2', undefined),
    destIp: fc.constantFrom<string | undefined>('10.0.0.1', '10.0.0.2', '172.16.0.9', undefined),
    destPort: fc.constantFrom<number | undefined>(443, 8443, 70000, undefined),
    fpr: fc.constantFrom<string | undefined>('aa:bb', 'cc:dd', undefined),
    time: fc.option(fc.integer({ min: 0, max: 3 * 3600 }), { freq: 6 }),
    eventTs: fc.boolean(),
  })
  .map((r) => {
    const e: TlsEntry = r.revocation ? { kind: 'revocation' } : { kind: 'tlsError' };
    if (r.revocation) {
      if (r.status !== undefined) e.status = r.status;
      if (r.action !== undefined) e.action = r.action;
      if (r.fpr !== undefined) e.leafCertFpr = r.fpr;
    } else if (r.message !== undefined) e.errorMessage = r.message;
    if (r.sni !== undefined) e.sni = r.sni;
    if (r.fw !== undefined) e.firewallName = r.fw;
    if (r.zone !== undefined) e.availabilityZone = r.zone;
    if (r.src !== undefined) e.srcIp = r.src;
    if (r.destIp !== undefined) e.destIp = r.destIp;
    if (r.destPort !== undefined) e.destPort = r.destPort;
    if (r.time !== null) {
      if (r.eventTs) e.eventTimestamp = T0 / 1000 + r.time;
      else e.timeMs = T0 + r.time * 1000 + 7;
    }
    return e;
  });

const inputArb = fc.array(
  fc.record({ source: fc.constantFrom(...SOURCES), line: fc.integer({ min: 0, max: 80 }), entry: entryArb, packed: fc.boolean() }),
  { maxLength: 120 },
);

/** Fills a model as the editor does (refs for documents, packed batches for scans) and the reference list. */
function load(input: { source: string; line: number; entry: TlsEntry; packed: boolean }[]): { model: SniModel; refs: Ref[] } {
  const model = new SniModel();
  const refs: Ref[] = [];
  for (const source of SOURCES) {
    const mine = input.filter((i) => i.source === source);
    const seen = new Set<number>();
    const kept: Ref[] = [];
    for (const i of mine) {
      if (seen.has(i.line)) continue;
      seen.add(i.line);
      kept.push({ source, line: i.line, seq: kept.length, entry: i.entry, time: timeFromFields(i.entry.timeMs, i.entry.eventTimestamp) });
    }
    refs.push(...kept);
    if (mine.length === 0) continue;
    if (mine[0].packed) {
      const b = new EntryBatchBuilder(4);
      for (const i of mine) b.add(i.line, i.entry);
      model.addBatch(source, b.take());
    } else {
      model.setSourceEntries(
        source,
        mine.map((i): LineEntry => ({ line: i.line, entry: i.entry })),
      );
    }
  }
  return { model, refs };
}

const ACTIONS = ['PASS', 'DROP', 'REJECT'];

function refKind(e: TlsEntry): TimelineKind {
  if (e.kind === 'revocation') return e.status === 'REVOKED' ? 'revoked' : e.status === 'UNKNOWN' ? 'unknown' : 'otherStatus';
  if (e.errorMessage === NO_SNI_MESSAGE) return 'noSni';
  if (e.errorMessage === MISMATCH) return 'mismatch';
  return 'tlsOther';
}

function refAction(e: TlsEntry): string | null {
  if (e.kind !== 'revocation') return null;
  return e.action !== undefined && ACTIONS.includes(e.action) ? e.action : 'other';
}

function refPort(e: TlsEntry): number | null {
  return e.destPort !== undefined && e.destPort <= 65535 ? e.destPort : null;
}

/** The value of a facet, as the key facets.ts documents: the JSON of the logged value, null when absent. */
function refValue(r: Ref, f: FacetName): string {
  const e = r.entry;
  const v = ((): unknown => {
    switch (f) {
      case 'sni':
        return e.sni;
      case 'destination':
        return e.destIp === undefined && refPort(e) === null ? null : [e.destIp ?? null, refPort(e)];
      case 'source':
        return e.srcIp;
      case 'firewall':
        return e.firewallName;
      case 'zone':
        return e.availabilityZone;
      case 'status':
        return e.status;
      case 'action':
        return refAction(e);
      case 'errorKind': {
        const k = refKind(e);
        return e.kind === 'revocation' ? null : k === 'noSni' ? 'noSni' : k === 'mismatch' ? 'mismatch' : 'other';
      }
      case 'fingerprint':
        return e.leafCertFpr;
    }
  })();
  return JSON.stringify(v ?? null);
}

function passes(r: Ref, filter: ExplorerFilter): boolean {
  if (filter.from !== undefined || filter.to !== undefined) {
    if (Number.isNaN(r.time) || r.time < (filter.from ?? -Infinity) || r.time >= (filter.to ?? Infinity)) return false;
  }
  for (const f of FACETS) {
    const v = refValue(r, f);
    const inc = filter.include?.[f] ?? [];
    if (inc.length > 0 && !inc.includes(v)) return false;
    if ((filter.exclude?.[f] ?? []).includes(v)) return false;
  }
  return true;
}

const cmpTime = (a: Ref, b: Ref): number =>
  Number.isNaN(a.time) || Number.isNaN(b.time) ? Number(Number.isNaN(a.time)) - Number(Number.isNaN(b.time)) : a.time - b.time;
const cmpArrival = (a: Ref, b: Ref): number => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source) || a.seq - b.seq;
const cmpFile = (a: Ref, b: Ref): number => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source) || a.line - b.line;
const str = (a: string | null | undefined, b: string | null | undefined): number =>
  a === b ? 0 : a === undefined || a === null ? 1 : b === undefined || b === null ? -1 : a < b ? -1 : 1;
const ip = (s: string | undefined): number => (s === undefined ? Infinity : s.split('.').reduce((n, p) => n * 256 + Number(p), 0));

function refOrder(refs: Ref[], sort: ExplorerSort): Ref[] {
  const byTime = [...refs].sort((a, b) => cmpTime(a, b) || cmpArrival(a, b));
  const desc = sort.descending === true;
  if (sort.column === 'time') {
    if (!desc) return byTime;
    const dated = byTime.filter((r) => !Number.isNaN(r.time));
    return [...dated.reverse(), ...byTime.filter((r) => Number.isNaN(r.time))];
  }
  if (sort.column === 'file') {
    const out = [...refs].sort(cmpFile);
    return desc ? out.reverse() : out;
  }
  const outcome = (r: Ref): number =>
    TIMELINE_KINDS.indexOf(refKind(r.entry)) * 5 + [null, ...ACTIONS, 'other'].indexOf(refAction(r.entry));
  // By address (entries with a port but no address first), then port; entries with neither last.
  const dest = (r: Ref): number =>
    r.entry.destIp === undefined && refPort(r.entry) === null
      ? Infinity
      : ((r.entry.destIp === undefined ? -1 : ip(r.entry.destIp)) + 1) * 1e6 + (refPort(r.entry) ?? -1);
  const key: (a: Ref, b: Ref) => number = {
    outcome: (a: Ref, b: Ref) => outcome(a) - outcome(b),
    sni: (a: Ref, b: Ref) => str(a.entry.sni, b.entry.sni),
    source: (a: Ref, b: Ref) => ip(a.entry.srcIp) - ip(b.entry.srcIp) || 0,
    destination: (a: Ref, b: Ref) => (dest(a) === dest(b) ? 0 : dest(a) < dest(b) ? -1 : 1),
    firewall: (a: Ref, b: Ref) => str(a.entry.firewallName, b.entry.firewallName),
  }[sort.column];
  // A stable sort of the time order: ties keep it.
  return byTime
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (desc ? key(b.r, a.r) : key(a.r, b.r)) || a.i - b.i)
    .map((x) => x.r);
}

function filterArb(refs: Ref[]): fc.Arbitrary<ExplorerFilter> {
  const values = (f: FacetName): string[] => [...new Set(refs.map((r) => refValue(r, f)))];
  return fc
    .record(
      {
        from: fc.integer({ min: -600, max: 3 * 3600 }).map((s) => T0 + s * 1000),
        span: fc.integer({ min: 1, max: 4 * 3600 }),
        include: fc.dictionary(fc.constantFrom(...FACETS), fc.constant(null), { maxKeys: 2 }),
        exclude: fc.dictionary(fc.constantFrom(...FACETS), fc.constant(null), { maxKeys: 2 }),
        pick: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        timed: fc.boolean(),
      },
      { requiredKeys: ['include', 'exclude', 'pick', 'timed', 'from', 'span'] },
    )
    .map((r) => {
      const choose = (f: string, n: number): string[] => {
        const vs = values(f as FacetName);
        return vs.length === 0 ? ['"nothing"'] : [vs[n % vs.length], vs[(n * 7 + 1) % vs.length]].slice(0, 1 + (n % 2));
      };
      const include = Object.fromEntries(Object.keys(r.include).map((f, i) => [f, choose(f, r.pick[i])]));
      const exclude = Object.fromEntries(Object.keys(r.exclude).map((f, i) => [f, choose(f, r.pick[2 + i])]));
      return r.timed ? { from: r.from, to: r.from + r.span * 1000, include, exclude } : { include, exclude };
    });
}

const sortArb: fc.Arbitrary<ExplorerSort> = fc.record({ column: fc.constantFrom(...SORT_COLUMNS), descending: fc.boolean() });

describe('explorer aggregation', () => {
  // Each way of answering a filter: always a pass over every entry (0), the default choice, and always
  // through a facet's rows by value when the filter allows it (1).
  for (const listShare of [0, 1 / 3, 1])
    it(`agrees with a reference model on totals, facets, timeline and sorted rows (list share ${listShare.toFixed(2)})`, () => {
      fc.assert(
        fc.property(
          inputArb.chain((input) => {
            const loaded = load(input);
            return fc.tuple(fc.constant(loaded), fc.array(fc.tuple(filterArb(loaded.refs), sortArb), { minLength: 1, maxLength: 4 }));
          }),
          ([{ model, refs }, queries]) => {
            const explorer = new Explorer(() => model.columns(), listShare);
            for (const [filter, sort] of queries) {
              const expected = refs.filter((r) => passes(r, filter));
              const summary = drain(explorer.summarize(filter));
              assert.equal(summary.total, refs.length, 'total');
              assert.equal(summary.matched, expected.length, 'matched');
              const dated = expected.map((r) => r.time).filter((t) => !Number.isNaN(t));
              assert.deepEqual(
                summary.matchedExtent,
                dated.length === 0 ? { first: NaN, last: NaN } : { first: Math.min(...dated), last: Math.max(...dated) },
                'matched extent',
              );
              assert.deepEqual(
                summary.byKind,
                TIMELINE_KINDS.map((k) => expected.filter((r) => refKind(r.entry) === k).length),
              );
              for (const facet of summary.facets) {
                const counts = new Map<string, number>();
                for (const r of expected) counts.set(refValue(r, facet.name), (counts.get(refValue(r, facet.name)) ?? 0) + 1);
                const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, FACET_TOP);
                assert.deepEqual(
                  facet.values.map((v) => [v.key, v.count]),
                  top,
                  facet.name,
                );
                assert.equal(facet.distinct, counts.size, `${facet.name} distinct`);
                // A facet with values shown only: its values over the entries every other condition keeps,
                // the top ones, then the shown-only values not among them.
                const shown = filter.include?.[facet.name] ?? [];
                if (shown.length === 0) {
                  assert.equal(facet.others, undefined, `${facet.name} others`);
                  continue;
                }
                const rest: ExplorerFilter = {
                  ...filter,
                  include: { ...filter.include, [facet.name]: [] },
                  exclude: { ...filter.exclude, [facet.name]: [] },
                };
                const wide = new Map<string, number>();
                for (const r of refs.filter((x) => passes(x, rest)))
                  wide.set(refValue(r, facet.name), (wide.get(refValue(r, facet.name)) ?? 0) + 1);
                const byCount = (a: [string, number], b: [string, number]): number => b[1] - a[1] || (a[0] < b[0] ? -1 : 1);
                const wideTop = [...wide].sort(byCount).slice(0, FACET_TOP);
                const known = new Set(refs.map((r) => refValue(r, facet.name)));
                const pinned = [...new Set(shown)]
                  .filter((k) => known.has(k) && !wideTop.some(([t]) => t === k))
                  .map((k): [string, number] => [k, wide.get(k) ?? 0])
                  .sort(byCount);
                assert.deepEqual(
                  facet.others?.values.map((v) => [v.key, v.count]),
                  [...wideTop, ...pinned],
                  `${facet.name} others`,
                );
                assert.equal(facet.others?.distinct, wide.size, `${facet.name} others distinct`);
              }
              // Timeline: every dated passing entry in the bucket of its time, by kind.
              const t = summary.timeline;
              const buckets = new Array<number>(t.buckets * TIMELINE_KINDS.length).fill(0);
              for (const r of expected) {
                if (Number.isNaN(r.time)) continue;
                const b = Math.floor((r.time - t.start) / t.bucketMs);
                assert.ok(b >= 0 && b < t.buckets, 'a passing entry falls outside the timeline');
                buckets[b * TIMELINE_KINDS.length + TIMELINE_KINDS.indexOf(refKind(r.entry))]++;
              }
              assert.deepEqual(t.counts, buckets);
              assert.equal(t.undated, expected.filter((r) => Number.isNaN(r.time)).length, 'undated');
              // Rows: the whole list, and one page of it.
              const order = refOrder(expected, sort).map((r) => `${r.source}#${r.line}`);
              const got: string[] = [];
              drain(explorer.forEachRow(filter, sort, (row) => got.push(`${row.sourceKey}#${row.line}`)));
              assert.deepEqual(got, order, JSON.stringify(sort));
              const page = drain(explorer.rows(filter, sort, 3, 5));
              assert.equal(page.total, expected.length, 'page total');
              assert.deepEqual(
                page.rows.map((r) => `${r.sourceKey}#${r.line}`),
                order.slice(3, 8),
              );
            }
          },
        ),
        { numRuns: 150 },
      );
    });

  it('follows the model: a removed source leaves every figure', () => {
    const { model } = load([
      { source: SOURCES[0], line: 0, entry: { kind: 'tlsError', sni: 'a.example', timeMs: T0 }, packed: false },
      { source: SOURCES[1], line: 0, entry: { kind: 'revocation', status: 'REVOKED', sni: 'b.example', timeMs: T0 }, packed: true },
    ]);
    const explorer = new Explorer(() => model.columns());
    assert.equal(drain(explorer.summarize({})).matched, 2);
    model.removeSource(SOURCES[1]);
    const after = drain(explorer.summarize({}));
    assert.equal(after.matched, 1);
    assert.deepEqual(after.byKind, [0, 0, 0, 0, 1, 0]);
    assert.deepEqual(
      drain(explorer.rows({}, { column: 'time' }, 0, 10)).rows.map((r) => r.sni),
      ['a.example'],
    );
  });
});

describe('timeline buckets', () => {
  it('cover the range with round, UTC-aligned steps, at most MAX_BUCKETS until a day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 0, max: 400 * 86400e3 }), (first, span) => {
        const last = first + span;
        const l = bucketLayout(first, last);
        assert.ok(BUCKET_STEPS.includes(l.bucketMs));
        assert.equal(l.start % l.bucketMs, 0);
        assert.ok(l.start <= first && l.start + l.buckets * l.bucketMs > last);
        if (l.bucketMs < 86400e3) assert.ok(l.buckets <= MAX_BUCKETS);
        const smaller = BUCKET_STEPS[BUCKET_STEPS.indexOf(l.bucketMs) - 1];
        if (smaller !== undefined) assert.ok(Math.floor(last / smaller) - Math.floor(first / smaller) + 1 > MAX_BUCKETS);
      }),
    );
  });
});

describe('time order', () => {
  it('is a stable sort, in short steps', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(Infinity)), { maxLength: 300 }), (values) => {
        const keys = Float64Array.from(values);
        const got = Array.from(drain(sortedOrder(keys)));
        const want = values
          .map((v, i) => ({ v, i }))
          .sort((a, b) => (a.v === b.v ? a.i - b.i : a.v < b.v ? -1 : 1))
          .map((x) => x.i);
        assert.deepEqual(got, want);
      }),
    );
  });
});
