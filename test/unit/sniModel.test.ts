import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf, sniLabel, type SniKey } from '../../src/core/parse/entryKind';
import type { LineEntry, TlsEntry } from '../../src/core/parse/types';
import { csvField } from '../../src/core/report/csv';
import { decodeIdPart, encodeIdPart, nodeId, parseNodeId, type NodeRef } from '../../src/core/sni/nodeIds';
import { SniModel } from '../../src/core/sni/sniModel';
import { SniTreeProjection } from '../../src/core/sni/tree';
import type { Scope, TreeNode } from '../../src/core/sni/types';
import { refsFromLineResults } from './lineEntries';

const T0 = Date.UTC(2024, 6, 2, 18, 0, 0);

function tlsError(sni: string | undefined, extra: Partial<TlsEntry> = {}): TlsEntry {
  return { kind: 'tlsError', sni, firewallName: 'fw-a', destIp: '10.0.1.27', destPort: 443, errorMessage: 'x', ...extra };
}

function revocation(
  sni: string | undefined,
  status: string | undefined,
  action: string | undefined,
  extra: Partial<TlsEntry> = {},
): TlsEntry {
  return { kind: 'revocation', sni, status, action, firewallName: 'fw-a', destIp: '54.92.160.72', destPort: 443, ...extra };
}

/** Refs on consecutive lines from `first`, each with a time `T0 + line seconds`. */
function refs(entries: TlsEntry[], first = 0): LineEntry[] {
  return entries.map((entry, i) => ({
    line: first + i,
    entry: entry.timeMs === undefined ? { ...entry, timeMs: T0 + (first + i) * 1000 } : entry,
  }));
}

function counts(model: SniModel, sni: SniKey, scope?: Scope): [number, number, number, number, number] | undefined {
  const g = model.group(sni, scope);
  return g && [g.entries, g.tlsErrors, g.revoked, g.unknown, g.otherStatus];
}

/** Two sources: a.log has example.com x3 (error, revoked, unknown) and "-" x1; b.log has example.com x2, other.org x1. */
function twoSources(): SniModel {
  const model = new SniModel();
  model.setSourceEntries(
    'a.log',
    refs([
      tlsError('example.com'),
      revocation('example.com', 'REVOKED', 'DROP'),
      tlsError('-'),
      revocation('example.com', 'UNKNOWN', 'PASS'),
    ]),
    { path: '/logs/a.log' },
  );
  model.setSourceEntries(
    'b.log',
    refs([revocation('example.com', 'REVOKED', 'REJECT'), revocation('other.org', 'GOOD', 'PASS'), tlsError('example.com')], 10),
  );
  return model;
}

describe('SniModel counts', () => {
  it('counts kinds and actions per SNI across two sources', () => {
    const model = twoSources();
    assert.deepEqual(counts(model, 'example.com'), [5, 2, 2, 1, 0]);
    assert.deepEqual(counts(model, '-'), [1, 1, 0, 0, 0]);
    assert.deepEqual(counts(model, 'other.org'), [1, 0, 0, 0, 1]);
    const g = model.group('example.com');
    assert.deepEqual(g?.actions, { PASS: 1, DROP: 1, REJECT: 1, other: 0 });
    assert.equal(g?.worst, 'revoked');
    assert.equal(model.group('-')?.worst, 'tlsError');
    assert.equal(model.group('other.org')?.worst, 'other');
    assert.equal(g?.firstSeen, T0);
    assert.equal(g?.lastSeen, T0 + 12_000);
    assert.equal(model.totalEntries, 7);
    assert.deepEqual(model.sourceKeys(), ['a.log', 'b.log']);
    assert.deepEqual(model.sourceMeta('a.log'), { path: '/logs/a.log' });
  });

  it('counts per source scope', () => {
    const model = twoSources();
    assert.deepEqual(counts(model, 'example.com', { by: 'source', source: 'a.log' }), [3, 1, 1, 1, 0]);
    assert.deepEqual(counts(model, 'example.com', { by: 'source', source: 'b.log' }), [2, 1, 1, 0, 0]);
    assert.equal(model.group('-', { by: 'source', source: 'b.log' }), undefined);
  });

  it('classifies entries', () => {
    assert.equal(kindOf(tlsError('a')), 'tlsError');
    assert.equal(kindOf(revocation('a', 'REVOKED', 'DROP')), 'revoked');
    assert.equal(kindOf(revocation('a', 'UNKNOWN', 'DROP')), 'unknown');
    assert.equal(kindOf(revocation('a', 'revoked', 'DROP')), 'other');
    assert.equal(kindOf(revocation('a', undefined, 'DROP')), 'other');
  });

  it('keeps a missing SNI field apart from "-" and from ""', () => {
    const model = new SniModel();
    model.setSourceEntries('s', refs([tlsError(undefined), tlsError('-'), tlsError(''), tlsError('')]));
    assert.deepEqual(counts(model, null), [1, 1, 0, 0, 0]);
    assert.deepEqual(counts(model, '-'), [1, 1, 0, 0, 0]);
    assert.deepEqual(counts(model, ''), [2, 2, 0, 0, 0]);
    assert.equal(sniLabel('-'), '(no SNI in client hello)');
    assert.equal(sniLabel(null), '(no SNI field)');
    assert.equal(sniLabel(''), '(empty SNI)');
    assert.equal(sniLabel('example.com'), 'example.com');
  });

  it('details: destinations, ports, firewalls and per-source counts', () => {
    const model = new SniModel({ distinctLimit: 3 });
    model.setSourceEntries(
      'a',
      refs([
        tlsError('x', { destIp: '1.1.1.1', destPort: 443 }),
        tlsError('x', { destIp: '2.2.2.2', destPort: 8443, firewallName: 'fw-b' }),
      ]),
    );
    model.setSourceEntries('b', refs([tlsError('x', { destIp: '2.2.2.2', destPort: 443, firewallName: undefined })]));
    const d = model.details('x');
    assert.deepEqual(d?.destIps, { values: ['1.1.1.1', '2.2.2.2'], total: 2, complete: true });
    assert.deepEqual(d?.destPorts, { values: [443, 8443], total: 2, complete: true });
    assert.deepEqual(d?.firewalls, ['fw-a', 'fw-b', null]);
    assert.deepEqual(d?.sources, [
      { sourceKey: 'a', entries: 2 },
      { sourceKey: 'b', entries: 1 },
    ]);
    // Past the limit the total is a lower bound.
    model.setSourceEntries('c', refs(['3', '4', '5', '6', '7'].map((n) => tlsError('x', { destIp: `${n}.0.0.1` }))));
    const d2 = model.details('x');
    assert.equal(d2?.destIps.complete, false);
    assert.equal(d2?.destIps.total, 3);
    assert.deepEqual(d2?.destPorts, { values: [443, 8443], total: 2, complete: true });
    assert.equal(model.details('nope'), undefined);
  });
});

describe('SniModel incremental updates', () => {
  it('replacing a source updates aggregates exactly', () => {
    const model = twoSources();
    const before = model.version;
    model.setSourceEntries('a.log', refs([tlsError('example.com'), tlsError('new.net')]));
    assert.ok(model.version > before);
    assert.deepEqual(counts(model, 'example.com'), [3, 2, 1, 0, 0]);
    assert.deepEqual(counts(model, 'new.net'), [1, 1, 0, 0, 0]);
    assert.equal(model.group('-'), undefined);
    assert.deepEqual(model.group('example.com')?.actions, { PASS: 0, DROP: 0, REJECT: 1, other: 0 });
    // Meta survives a replacement that does not pass one.
    assert.deepEqual(model.sourceMeta('a.log'), { path: '/logs/a.log' });
    // Same result as building from scratch.
    const fresh = new SniModel();
    fresh.setSourceEntries('a.log', refs([tlsError('example.com'), tlsError('new.net')]));
    fresh.setSourceEntries(
      'b.log',
      refs([revocation('example.com', 'REVOKED', 'REJECT'), revocation('other.org', 'GOOD', 'PASS'), tlsError('example.com')], 10),
    );
    assert.deepEqual(model.groups(), fresh.groups());
  });

  it('first/last seen follow removals', () => {
    const model = new SniModel();
    model.setSourceEntries('early', [{ line: 0, entry: tlsError('x', { timeMs: 1000 }) }]);
    model.setSourceEntries('late', [{ line: 0, entry: tlsError('x', { timeMs: 9000 }) }]);
    model.setSourceEntries('none', [{ line: 0, entry: tlsError('x', { timeMs: undefined, eventTimestamp: undefined }) }]);
    assert.deepEqual([model.group('x')?.firstSeen, model.group('x')?.lastSeen], [1000, 9000]);
    model.removeSource('late');
    assert.deepEqual([model.group('x')?.firstSeen, model.group('x')?.lastSeen], [1000, 1000]);
    model.removeSource('early');
    assert.equal(model.group('x')?.firstSeen, undefined);
    assert.equal(model.group('x')?.entries, 1);
  });

  it('falls back to event_timestamp for the time', () => {
    const model = new SniModel();
    model.setSourceEntries('s', [{ line: 0, entry: tlsError('x', { eventTimestamp: 1719943304 }) }]);
    assert.equal(model.group('x')?.firstSeen, 1719943304000);
  });

  it('removing a source', () => {
    const model = twoSources();
    assert.equal(model.removeSource('b.log'), true);
    assert.equal(model.removeSource('b.log'), false);
    assert.deepEqual(counts(model, 'example.com'), [3, 1, 1, 1, 0]);
    assert.equal(model.group('other.org'), undefined);
    assert.deepEqual(model.sourceKeys(), ['a.log']);
    assert.equal(model.findGroupForLine('b.log', 10), undefined);
    model.removeSource('a.log');
    assert.deepEqual(model.groups(), []);
    assert.deepEqual(model.containers('firewall'), []);
    assert.equal(model.totalEntries, 0);
  });

  it('appends batches and skips lines it already holds', () => {
    const model = new SniModel();
    assert.equal(model.addEntries('s', refs([tlsError('a'), tlsError('b')], 0)), 2);
    assert.equal(model.addEntries('s', refs([revocation('a', 'REVOKED', 'DROP'), tlsError('c')], 2)), 2);
    assert.equal(model.addEntries('s', refs([tlsError('z')], 1)), 0);
    assert.deepEqual(counts(model, 'a'), [2, 1, 1, 0, 0]);
    assert.equal(model.group('z'), undefined);
    assert.equal(model.sourceEntries('s'), 4);
  });

  it('rejects invalid lines before changing anything', () => {
    const model = twoSources();
    const version = model.version;
    assert.throws(
      () =>
        model.addEntries('a.log', [
          { line: 100, entry: tlsError('q') },
          { line: -1, entry: tlsError('q') },
        ]),
      RangeError,
    );
    assert.throws(() => model.setSourceEntries('a.log', [{ line: 1.5, entry: tlsError('q') }]), RangeError);
    assert.equal(model.version, version);
    assert.deepEqual(counts(model, 'example.com'), [5, 2, 2, 1, 0]);
  });

  it('notifies listeners with the changed sources and lets them unsubscribe', () => {
    const model = new SniModel();
    const seen: string[][] = [];
    const off = model.onDidChange((c) => seen.push([String(c.version), ...c.sources]));
    model.addEntries('s', refs([tlsError('a')]));
    model.removeSource('s');
    off();
    model.addEntries('t', refs([tlsError('a')]));
    assert.deepEqual(seen, [
      ['1', 's'],
      ['2', 's'],
    ]);
  });

  it('a throwing listener does not stop the others', () => {
    const model = new SniModel();
    let called = false;
    model.onDidChange(() => {
      throw new Error('boom');
    });
    model.onDidChange(() => (called = true));
    assert.throws(() => model.addEntries('s', refs([tlsError('a')])), /boom/);
    assert.equal(called, true);
    assert.equal(model.group('a')?.entries, 1);
  });

  it('refsFromLineResults keeps line numbers', () => {
    const r = refsFromLineResults([{ problems: [] }, { entry: tlsError('a'), problems: [] }, { entry: tlsError('b'), problems: [] }], 5);
    assert.deepEqual(
      r.map((x) => [x.line, x.entry.sni]),
      [
        [6, 'a'],
        [7, 'b'],
      ],
    );
  });
});

describe('SniModel queries', () => {
  function sortModel(): SniModel {
    const model = new SniModel();
    model.setSourceEntries('s', [
      { line: 0, entry: tlsError('beta.com', { timeMs: 5000 }) },
      { line: 1, entry: tlsError('Alpha.com', { timeMs: 1000 }) },
      { line: 2, entry: tlsError('Alpha.com', { timeMs: 2000 }) },
      { line: 3, entry: revocation('gamma.com', 'REVOKED', 'DROP', { timeMs: 9000 }) },
      { line: 4, entry: revocation('delta.com', 'UNKNOWN', 'PASS', { timeMs: 3000 }) },
      { line: 5, entry: revocation('delta.com', 'UNKNOWN', 'PASS', { timeMs: 4000 }) },
      { line: 6, entry: revocation('odd.com', 'WEIRD', 'PASS', { timeMs: undefined }) },
    ]);
    return model;
  }
  const names = (model: SniModel, q: Parameters<SniModel['groups']>[0]): SniKey[] => model.groups(q).map((g) => g.sni);

  it('sorts by count, then name', () => {
    assert.deepEqual(names(sortModel(), { sort: 'count' }), ['Alpha.com', 'delta.com', 'beta.com', 'gamma.com', 'odd.com']);
  });

  it('sorts by name, case-insensitively', () => {
    assert.deepEqual(names(sortModel(), { sort: 'name' }), ['Alpha.com', 'beta.com', 'delta.com', 'gamma.com', 'odd.com']);
  });

  it('sorts by latest, undated last', () => {
    assert.deepEqual(names(sortModel(), { sort: 'latest' }), ['gamma.com', 'beta.com', 'delta.com', 'Alpha.com', 'odd.com']);
  });

  it('filters by text, case-insensitively', () => {
    assert.deepEqual(names(sortModel(), { sort: 'name', text: 'ALPHA' }), ['Alpha.com']);
    assert.deepEqual(names(sortModel(), { sort: 'name', text: 'a.c' }), ['Alpha.com', 'beta.com', 'delta.com', 'gamma.com']);
    assert.deepEqual(names(sortModel(), { text: 'nothing' }), []);
  });

  it('filters by kind', () => {
    const m = sortModel();
    assert.deepEqual(names(m, { sort: 'name', kind: 'all' }), ['Alpha.com', 'beta.com', 'delta.com', 'gamma.com', 'odd.com']);
    assert.deepEqual(names(m, { sort: 'name', kind: 'revoked' }), ['gamma.com']);
    assert.deepEqual(names(m, { sort: 'name', kind: 'unknown' }), ['delta.com']);
    assert.deepEqual(names(m, { sort: 'name', kind: 'errors' }), ['Alpha.com', 'beta.com']);
    assert.deepEqual(names(m, { sort: 'name', kind: 'failing' }), ['Alpha.com', 'beta.com', 'delta.com', 'gamma.com']);
    assert.deepEqual(m.failingSnis(), ['Alpha.com', 'delta.com', 'beta.com', 'gamma.com']);
  });

  it('summary rows in count order', () => {
    assert.deepEqual(twoSources().summary(), [
      { sni: 'example.com', entries: 5, tlsErrors: 2, revoked: 2, unknown: 1 },
      { sni: '-', entries: 1, tlsErrors: 1, revoked: 0, unknown: 0 },
      { sni: 'other.org', entries: 1, tlsErrors: 0, revoked: 0, unknown: 0 },
    ]);
  });

  it('groups by source and by firewall', () => {
    const model = twoSources();
    model.setSourceEntries(
      'c.log',
      refs([tlsError('example.com', { firewallName: 'fw-b' }), tlsError('x.org', { firewallName: undefined })]),
    );
    const bySource = model.containers('source');
    assert.deepEqual(
      bySource.map((c) => [c.id, c.entries, c.groups]),
      [
        ['src:a.log', 4, 2],
        ['src:b.log', 3, 2],
        ['src:c.log', 2, 2],
      ],
    );
    assert.deepEqual(bySource[0].meta, { path: '/logs/a.log' });
    assert.deepEqual(
      model.groups({ scope: { by: 'source', source: 'b.log' } }).map((g) => [g.id, g.entries]),
      [
        ['src:b.log/sni:example.com', 2],
        ['src:b.log/sni:other.org', 1],
      ],
    );
    const byFw = model.containers('firewall');
    assert.deepEqual(
      byFw.map((c) => [c.id, c.entries]),
      [
        ['fw:fw-a', 7],
        ['fw:fw-b', 1],
        ['fw:!', 1],
      ],
    );
    assert.deepEqual(counts(model, 'example.com', { by: 'firewall', firewall: 'fw-b' }), [1, 1, 0, 0, 0]);
    assert.deepEqual(counts(model, 'example.com'), [6, 3, 2, 1, 0]);
    // A filter hides containers without a matching group.
    assert.deepEqual(
      model.containers('source', { kind: 'revoked' }).map((c) => [c.id, c.entries]),
      [
        ['src:a.log', 3],
        ['src:b.log', 2],
      ],
    );
  });

  it('findGroupForLine', () => {
    const model = twoSources();
    assert.deepEqual(model.findGroupForLine('a.log', 1), {
      sourceKey: 'a.log',
      line: 1,
      sni: 'example.com',
      kind: 'revoked',
      firewall: 'fw-a',
      timeMs: T0 + 1000,
    });
    assert.equal(model.findGroupForLine('a.log', 2)?.sni, '-');
    assert.equal(model.findGroupForLine('b.log', 11)?.kind, 'other');
    assert.equal(model.findGroupForLine('a.log', 4), undefined);
    assert.equal(model.findGroupForLine('a.log', 1_000_000), undefined);
    assert.equal(model.findGroupForLine('a.log', -1), undefined);
    assert.equal(model.findGroupForLine('zzz', 0), undefined);
  });
});

describe('SniModel paging and navigation', () => {
  /** 'big.com' errors on even lines of two sources, plus a few other entries between them. */
  function pagingModel(): SniModel {
    const model = new SniModel();
    for (const key of ['b', 'a']) {
      const list: LineEntry[] = [];
      for (let line = 0; line < 500; line++) {
        const timeMs = key === 'a' ? T0 + line * 2 : T0 + line * 2 + 1; // interleaved in time
        list.push({
          line,
          entry: line % 2 === 0 ? tlsError('big.com', { timeMs }) : revocation('small.com', 'REVOKED', 'DROP', { timeMs }),
        });
      }
      model.setSourceEntries(key, list);
    }
    return model;
  }

  it('pages in (source, line) order', () => {
    const model = pagingModel();
    const p1 = model.entriesOf('big.com', 'tlsError', 0, 200);
    assert.equal(p1.total, 500);
    assert.equal(p1.items.length, 200);
    assert.deepEqual([p1.items[0].sourceKey, p1.items[0].line], ['a', 0]);
    assert.deepEqual([p1.items[199].sourceKey, p1.items[199].line], ['a', 398]);
    const p2 = model.entriesOf('big.com', 'tlsError', 200, 200);
    assert.deepEqual([p2.items[50].sourceKey, p2.items[50].line], ['b', 0]);
    const p3 = model.entriesOf('big.com', 'tlsError', 400, 200);
    assert.equal(p3.items.length, 100);
    assert.deepEqual([p3.items[99].sourceKey, p3.items[99].line], ['b', 498]);
    assert.equal(model.entriesOf('big.com', 'revoked', 0, 10).total, 0);
    assert.equal(model.entriesOf('nope', 'tlsError', 0, 10).total, 0);
  });

  it('pages in time order', () => {
    const model = pagingModel();
    const page = model.entriesOf('big.com', 'tlsError', 0, 4, { order: 'time' });
    assert.deepEqual(
      page.items.map((e) => `${e.sourceKey}:${e.line}`),
      ['a:0', 'b:0', 'a:2', 'b:2'],
    );
    const scoped = model.entriesOf('big.com', 'tlsError', 1, 2, { order: 'time', scope: { by: 'source', source: 'b' } });
    assert.equal(scoped.total, 250);
    assert.deepEqual(
      scoped.items.map((e) => `${e.sourceKey}:${e.line}`),
      ['b:2', 'b:4'],
    );
  });

  it('pages lines appended out of order, and several firewalls in one source', () => {
    const model = new SniModel();
    model.addEntries('s', [
      { line: 9, entry: tlsError('x', { firewallName: 'fw-b' }) },
      { line: 3, entry: tlsError('x') },
    ]);
    model.addEntries('s', [
      { line: 5, entry: tlsError('x', { firewallName: 'fw-b' }) },
      { line: 1, entry: tlsError('x') },
    ]);
    assert.deepEqual(
      model.entriesOf('x', 'tlsError', 0, 10).items.map((e) => [e.line, e.firewall]),
      [
        [1, 'fw-a'],
        [3, 'fw-a'],
        [5, 'fw-b'],
        [9, 'fw-b'],
      ],
    );
    assert.deepEqual(
      model.entriesOf('x', 'tlsError', 0, 10, { scope: { by: 'firewall', firewall: 'fw-b' } }).items.map((e) => e.line),
      [5, 9],
    );
    assert.equal(model.findGroupForLine('s', 5)?.firewall, 'fw-b');
    assert.equal(model.navigate('x', 's', 3, 1)?.line, 5);
  });

  it('navigates within a source, wrapping', () => {
    const model = new SniModel();
    model.setSourceEntries(
      's',
      refs([tlsError('x'), tlsError('y'), revocation('x', 'REVOKED', 'DROP'), tlsError('y'), tlsError('x'), tlsError('y')]),
    );
    assert.equal(model.navigate('x', 's', 0, 1)?.line, 2);
    assert.equal(model.navigate('x', 's', 2, 1)?.line, 4);
    assert.equal(model.navigate('x', 's', 4, 1)?.line, 0); // wraps
    assert.equal(model.navigate('x', 's', 0, -1)?.line, 4); // wraps
    assert.equal(model.navigate('x', 's', 4, -1)?.line, 2);
    assert.equal(model.navigate('x', 's', 3, -1)?.line, 2); // from a line of another SNI
    assert.equal(model.navigate('x', 's', 100, 1)?.line, 0);
    assert.equal(model.navigate('x', 's', 0, 1, 'tlsError')?.line, 4);
    assert.equal(model.navigate('x', 's', 0, 1, 'unknown'), undefined);
    assert.equal(model.navigate('z', 's', 0, 1), undefined);
    assert.equal(model.navigate('x', 'other', 0, 1), undefined);
    // A single entry wraps onto itself.
    model.setSourceEntries('one', refs([tlsError('solo')]));
    assert.equal(model.navigate('solo', 'one', 0, 1)?.line, 0);
    assert.equal(model.navigate('solo', 'one', 0, -1)?.line, 0);
  });

  it('tree: children, pages and parents in both orders', () => {
    const model = pagingModel();
    const tree = new SniTreeProjection(model);
    for (const order of ['line', 'time'] as const) {
      const view = { order, pageSize: 200 };
      const roots = tree.children(undefined, view);
      assert.deepEqual(
        roots.map((n) => n.id),
        ['sni:big.com', 'sni:small.com'],
      );
      const kinds = tree.children('sni:big.com', view);
      assert.deepEqual(
        kinds.map((n) => n.id),
        ['sni:big.com/kind:tlsError'],
      );
      // Walk every page; check that every entry's parent is the node that listed it.
      let parent: string | undefined = 'sni:big.com/kind:tlsError';
      let seen = 0;
      let pages = 0;
      while (parent !== undefined) {
        const kids: TreeNode[] = tree.children(parent, view);
        let next: string | undefined;
        for (const kid of kids) {
          assert.equal(tree.parentOf(kid.id, view), parent, kid.id);
          if (kid.type === 'entry') seen++;
          if (kid.type === 'page') {
            next = kid.id;
            assert.equal(kid.remaining, 500 - kid.offset);
          }
          assert.deepEqual(tree.node(kid.id, view), kid);
        }
        parent = next;
        pages++;
      }
      assert.equal(seen, 500);
      assert.equal(pages, 3);
      assert.equal(tree.parentOf('sni:big.com/kind:tlsError', view), 'sni:big.com');
      assert.equal(tree.parentOf('sni:big.com', view), undefined);
    }
  });

  it('tree: groups a page at a time at the first level and under a source, with parents through the pages', () => {
    const model = new SniModel();
    const tree = new SniTreeProjection(model);
    // host0 has 1 entry, host1 2, ... host6 7: by count the order is host6 ... host0.
    const entries: TlsEntry[] = [];
    for (let h = 0; h < 7; h++) for (let i = 0; i <= h; i++) entries.push(tlsError(`host${h}.example`));
    model.setSourceEntries('a.log', refs(entries));
    for (const scope of [{ by: 'all' }, { by: 'source', source: 'a.log' }] as Scope[]) {
      const view = { groupPageSize: 3, groupBy: scope.by === 'all' ? ('sni' as const) : ('source' as const) };
      const top = scope.by === 'all' ? undefined : 'src:a.log';
      const prefix = scope.by === 'all' ? '' : 'src:a.log/';
      const listed: string[] = [];
      let parent = top;
      let pages = 0;
      for (;;) {
        const kids = tree.children(parent, view);
        let next: string | undefined;
        for (const kid of kids) {
          assert.equal(tree.parentOf(kid.id, view), parent, kid.id);
          assert.deepEqual(tree.node(kid.id, view), kid);
          if (kid.type === 'sni') listed.push(kid.group.sni as string);
          if (kid.type === 'more') next = kid.id;
        }
        pages++;
        if (next === undefined) break;
        parent = next;
      }
      assert.deepEqual(listed, [
        'host6.example',
        'host5.example',
        'host4.example',
        'host3.example',
        'host2.example',
        'host1.example',
        'host0.example',
      ]);
      assert.equal(pages, 3);
      assert.deepEqual(tree.node(`${prefix}more:3`, view), { type: 'more', id: `${prefix}more:3`, scope, offset: 3, remaining: 4 });
      // Off-page offsets and offsets past the end are not nodes.
      assert.equal(tree.node(`${prefix}more:4`, view), undefined);
      assert.equal(tree.node(`${prefix}more:9`, view), undefined);
      // The chain from an entry of the last group up to the top.
      const entryId = tree.findNodeForLine('a.log', 0, view) as string;
      const chain: string[] = [];
      for (let id: string | undefined = entryId; id !== undefined; id = tree.parentOf(id, view)) chain.push(id);
      assert.deepEqual(chain.slice(1), [
        `${prefix}sni:host0.example/kind:tlsError`,
        `${prefix}sni:host0.example`,
        `${prefix}more:6`,
        `${prefix}more:3`,
        ...(top ? [top] : []),
      ]);
    }
    // The default page is big enough for small models: no "more" node.
    assert.equal(tree.children(undefined).filter((n) => n.type === 'more').length, 0);
  });

  it('tree: grouped by source, with filters, and the node for a line', () => {
    const model = twoSources();
    const tree = new SniTreeProjection(model);
    const view = { groupBy: 'source' as const, kind: 'revoked' as const };
    assert.deepEqual(
      tree.children(undefined, view).map((n) => n.id),
      ['src:a.log', 'src:b.log'],
    );
    assert.deepEqual(
      tree.children('src:a.log', view).map((n) => n.id),
      ['src:a.log/sni:example.com'],
    );
    // Only the kind the filter asks for.
    assert.deepEqual(
      tree.children('src:a.log/sni:example.com', view).map((n) => n.id),
      ['src:a.log/sni:example.com/kind:revoked'],
    );
    assert.equal(tree.parentOf('src:a.log/sni:example.com', view), 'src:a.log');
    const id = tree.findNodeForLine('a.log', 1, view);
    assert.equal(id, 'src:a.log/sni:example.com/kind:revoked/entry:a.log#1');
    assert.equal(tree.parentOf(id ?? '', view), 'src:a.log/sni:example.com/kind:revoked');
    // Hidden by the filter: no node.
    assert.equal(tree.findNodeForLine('a.log', 0, view), undefined);
    assert.equal(tree.findNodeForLine('a.log', 0, { groupBy: 'firewall' }), 'fw:fw-a/sni:example.com/kind:tlsError/entry:a.log#0');
    assert.equal(tree.findNodeForLine('a.log', 0), 'sni:example.com/kind:tlsError/entry:a.log#0');
    assert.equal(tree.findNodeForLine('a.log', 0, { text: 'other' }), undefined);
    // Stale ids.
    assert.deepEqual(tree.children('sni:gone', view), []);
    assert.deepEqual(tree.children('garbage', view), []);
    assert.equal(tree.node('sni:example.com/kind:tlsError/entry:a.log#1'), undefined); // line 1 is revoked
    assert.equal(tree.parentOf('garbage'), undefined);
  });
});

describe('node ids', () => {
  const hostile = [
    'a/b:c#d',
    'evil.com](command:x)',
    '',
    '-',
    'ünïcødé.例え.jp',
    '😀',
    '\ud800',
    '%0041',
    '!',
    'sni:x/kind:revoked',
    ' spaced out ',
    '\n\t',
  ];

  it('encodes and decodes any string, and null', () => {
    for (const s of hostile) {
      const enc = encodeIdPart(s);
      assert.doesNotMatch(enc, /[/:#]/);
      assert.equal(decodeIdPart(enc), s);
    }
    assert.equal(encodeIdPart(null), '!');
    assert.equal(decodeIdPart('!'), null);
    assert.equal(encodeIdPart('example.com'), 'example.com');
    assert.equal(encodeIdPart('a/b'), 'a%002Fb');
    assert.equal(decodeIdPart('%0061'), undefined); // non-canonical
    assert.equal(decodeIdPart('%zz'), undefined);
    assert.equal(decodeIdPart('a b'), undefined);
  });

  it('round-trips every node kind for hostile values, and ids are unique', () => {
    const refsList: NodeRef[] = [];
    const snis: SniKey[] = [...hostile, null];
    const scopes: Scope[] = [
      { by: 'all' },
      { by: 'source', source: 'file:///a/b#c.log' },
      { by: 'firewall', firewall: null },
      { by: 'firewall', firewall: 'fw/1' },
    ];
    for (const scope of scopes) {
      refsList.push({ type: 'more', scope, offset: 500 });
      for (const sni of snis) {
        refsList.push({ type: 'sni', scope, sni });
        refsList.push({ type: 'kind', scope, sni, kind: 'revoked' });
        refsList.push({ type: 'page', scope, sni, kind: 'unknown', offset: 400 });
        refsList.push({ type: 'entry', scope, sni, kind: 'tlsError', source: 'file:///x/y z#1.log', line: 12 });
      }
    }
    for (const s of hostile) refsList.push({ type: 'source', source: s });
    refsList.push({ type: 'firewall', firewall: null }, { type: 'firewall', firewall: '' });
    const ids = new Set<string>();
    for (const ref of refsList) {
      const id = nodeId(ref);
      assert.deepEqual(parseNodeId(id), ref, id);
      ids.add(id);
    }
    assert.equal(ids.size, refsList.length);
  });

  it('rejects malformed ids', () => {
    for (const bad of [
      '',
      'sni',
      'x:y',
      'sni:a/kind:bad',
      'sni:a/kind:revoked/page:01',
      'sni:a/kind:revoked/page:-1',
      'sni:a/kind:revoked/entry:s',
      'sni:a/kind:revoked/entry:!#1',
      'src:!',
      'sni:a/b',
      'src:a/src:b/sni:c',
      'sni:a/kind:revoked/page:1/x:y',
    ]) {
      assert.equal(parseNodeId(bad), undefined, bad);
    }
  });

  it('hostile SNIs work end to end in the tree', () => {
    const model = new SniModel();
    const tree = new SniTreeProjection(model);
    model.setSourceEntries(
      'file:///logs/a#1.log',
      refs(['a/b:c#d', 'evil.com](command:x)', '', '😀'].map((s) => revocation(s, 'REVOKED', 'DROP'))),
    );
    for (let line = 0; line < 4; line++) {
      const id = tree.findNodeForLine('file:///logs/a#1.log', line);
      assert.ok(id);
      const kindId = tree.parentOf(id);
      assert.ok(kindId);
      const sniId = tree.parentOf(kindId);
      assert.ok(sniId);
      assert.ok(tree.children(undefined).some((n) => n.id === sniId));
      assert.ok(tree.children(kindId).some((n) => n.id === id));
    }
  });
});

describe('CSV fields', () => {
  it('RFC 4180 quoting; formulas neutralised; the no-SNI "-" kept', () => {
    assert.equal(csvField('example.com'), 'example.com');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-1+2'), "'-1+2");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\tx'), "'\tx");
    assert.equal(csvField('\rx'), `"'\rx"`);
    assert.equal(csvField('-'), '-');
    assert.equal(csvField('--'), "'--");
    assert.equal(csvField('a=b'), 'a=b');
  });
});

describe('scale', () => {
  it('adds 1 000 000 entries in batches and counts them exactly', () => {
    const model = new SniModel();
    const templates: TlsEntry[] = [];
    for (let i = 0; i < 1000; i++) {
      const sni = i === 0 ? '-' : `host${i}.example.com`;
      templates.push(tlsError(sni, { timeMs: T0 + i }));
      templates.push(revocation(sni, 'REVOKED', 'DROP', { timeMs: T0 + i }));
      templates.push(revocation(sni, 'UNKNOWN', 'PASS', { timeMs: T0 + i }));
      templates.push(revocation(sni, 'GOOD', 'PASS', { timeMs: T0 + i }));
    }
    // Four sources of 250 000 entries in batches of 5 000; entry i uses template i % 4000.
    const perSource = 250_000;
    const batch = 5_000;
    for (let s = 0; s < 4; s++) {
      for (let start = 0; start < perSource; start += batch) {
        const list: LineEntry[] = new Array<LineEntry>(batch);
        for (let j = 0; j < batch; j++) list[j] = { line: start + j, entry: templates[(start + j) % templates.length] };
        model.addEntries(`part-${s}.log`, list);
      }
    }
    assert.equal(model.totalEntries, 1_000_000);
    const groups = model.groups();
    assert.equal(groups.length, 1000);
    // 250 000 / 4 000 templates = 62.5: the first 2 000 templates (SNIs 0..499) appear 63 times per source.
    for (const g of [groups[0], model.group('host999.example.com')]) assert.ok(g);
    const busy = model.group('-');
    const quiet = model.group('host999.example.com');
    assert.deepEqual([busy?.entries, busy?.tlsErrors, busy?.revoked, busy?.unknown, busy?.otherStatus], [1008, 252, 252, 252, 252]);
    assert.deepEqual([quiet?.entries, quiet?.tlsErrors, quiet?.revoked, quiet?.unknown], [992, 248, 248, 248]);
    const sum = model.summary().reduce((a, r) => a + r.entries, 0);
    assert.equal(sum, 1_000_000);
    // Paging a big group builds only the page.
    const page = model.entriesOf('-', 'tlsError', 200, 200);
    assert.equal(page.total, 252);
    assert.equal(page.items.length, 52);
    assert.equal(model.findGroupForLine('part-3.log', 249_999)?.sni, templates[249_999 % 4000].sni);
    model.removeSource('part-0.log');
    assert.equal(model.totalEntries, 750_000);
    assert.equal(model.group('-')?.entries, 756);
  });
});
