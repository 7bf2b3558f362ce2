import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LineEntry } from '../../src/core/parse/types';
import { SniModel } from '../../src/core/sni/sniModel';
import { SourceRegistry, type SourceChange } from '../../src/core/sources/registry';

describe('SourceRegistry', () => {
  it('makes an open document the live source of its file and sets its scan aside until it closes', () => {
    const registry = new SourceRegistry<string, string>();
    const changes: SourceChange[] = [];
    registry.onDidChange((c) => changes.push(c));
    registry.setScan('a', 'scan of a');
    assert.equal(registry.live('a'), 'scan');
    registry.openDocument('a', 'document a');
    assert.equal(registry.live('a'), 'document');
    assert.ok(registry.isSetAside('a'));
    assert.deepEqual(registry.ids(), ['a']);
    registry.closeDocument('a');
    assert.equal(registry.live('a'), 'scan');
    assert.equal(registry.scan('a'), 'scan of a');
    assert.deepEqual(changes, [
      { id: 'a', before: undefined, after: 'scan' },
      { id: 'a', before: 'scan', after: 'document' },
      { id: 'a', before: 'document', after: 'scan' },
    ]);
  });

  it('clears only what scans alone brought in', () => {
    const registry = new SourceRegistry<string, string>();
    registry.setScan('a', 'scan of a');
    registry.setScan('b', 'scan of b');
    registry.openDocument('b', 'document b');
    registry.openDocument('c', 'document c');
    const changes: SourceChange[] = [];
    registry.onDidChange((c) => changes.push(c));
    assert.deepEqual(registry.clearScans(), ['a']);
    assert.deepEqual(registry.ids(), ['b', 'c']);
    assert.equal(registry.live('b'), 'document');
    assert.equal(registry.scan('b'), undefined);
    registry.closeDocument('b');
    assert.equal(registry.live('b'), undefined);
    assert.deepEqual(changes, [
      { id: 'a', before: 'scan', after: undefined },
      { id: 'b', before: 'document', after: 'document' },
      { id: 'b', before: 'document', after: undefined },
    ]);
  });

  it('tells every live source again on refresh, and a closed file that was never open changes nothing', () => {
    const registry = new SourceRegistry<string, string>();
    registry.setScan('a', 'scan');
    registry.openDocument('b', 'doc');
    const changes: SourceChange[] = [];
    const unsubscribe = registry.onDidChange((c) => changes.push(c));
    registry.closeDocument('z');
    registry.removeScan('z');
    registry.refresh();
    assert.deepEqual(changes, [
      { id: 'a', before: 'scan', after: 'scan' },
      { id: 'b', before: 'document', after: 'document' },
    ]);
    unsubscribe();
    registry.refresh();
    assert.equal(changes.length, 2);
  });

  it('runs every listener when one throws, then reports the failure', () => {
    const registry = new SourceRegistry<string, string>();
    let seen = 0;
    registry.onDidChange(() => {
      throw new Error('consumer failed');
    });
    registry.onDidChange(() => seen++);
    assert.throws(() => registry.openDocument('a', 'doc'), /consumer failed/);
    assert.equal(seen, 1);
    assert.equal(registry.live('a'), 'document');
  });
});

/**
 * The registry driven as the editor drives it, against a reference. A file's content is a list of entries,
 * each an SNI and whether it has a problem. Consumers built only from the registry's change events (an SNI
 * model, the published problems by file, as the editor's diagnostics and SNI view do) must after every step
 * count each file once, from its live source, and list each problem once.
 */
describe('SourceRegistry, model-based', () => {
  const FILES = ['a.log', 'b.log.gz', 'c.log'];
  interface Line {
    sni: string;
    bad: boolean;
  }
  type Content = Line[];
  type Action =
    | { type: 'open'; file: number }
    | { type: 'edit'; file: number; content: Content }
    | { type: 'close'; file: number }
    | { type: 'scan'; files: number[] }
    | { type: 'clear' }
    | { type: 'refresh' }
    | { type: 'write'; file: number; content: Content };

  const content = fc.array(fc.record({ sni: fc.constantFrom('x.example', 'y.example', '-'), bad: fc.boolean() }), { maxLength: 5 });
  const file = fc.nat({ max: FILES.length - 1 });
  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({ type: fc.constant('open' as const), file }),
    fc.record({ type: fc.constant('edit' as const), file, content }),
    fc.record({ type: fc.constant('close' as const), file }),
    fc.record({ type: fc.constant('scan' as const), files: fc.uniqueArray(file, { minLength: 1, maxLength: FILES.length }) }),
    fc.constant({ type: 'clear' as const }),
    fc.constant({ type: 'refresh' as const }),
    fc.record({ type: fc.constant('write' as const), file, content }),
  );

  const refs = (c: Content): LineEntry[] => c.map((l, line) => ({ line, entry: { kind: 'tlsError', sni: l.sni } }));
  const problems = (id: string, c: Content): string[] => c.flatMap((l, line) => (l.bad ? [`${id}:${line}`] : []));

  it('counts every file once and lists each problem once, whatever the order of opens, edits, closes, scans, clears and refreshes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ initial: content }), { minLength: FILES.length, maxLength: FILES.length }),
        fc.array(action, { maxLength: 40 }),
        (disks, actions) => {
          // The world: each file on disk, and the documents open in the editor.
          const disk: Content[] = disks.map((d) => d.initial);
          const documents = new Map<number, { content: Content }>();
          // The reference: what each file's last scan (since the last clear) read.
          const scanned = new Map<number, Content>();

          const registry = new SourceRegistry<{ content: Content }, { content: Content }>();
          const model = new SniModel();
          const published = new Map<string, string[]>();
          const show = (id: string): void => {
            const live = registry.live(id);
            const c = live === 'document' ? registry.document(id)?.content : live === 'scan' ? registry.scan(id)?.content : undefined;
            if (c === undefined) {
              model.removeSource(id);
              published.delete(id);
            } else {
              model.setSourceEntries(id, refs(c));
              published.set(id, problems(id, c));
            }
          };
          registry.onDidChange(({ id }) => show(id));

          for (const [step, a] of actions.entries()) {
            switch (a.type) {
              case 'open':
                if (!documents.has(a.file)) documents.set(a.file, { content: [...disk[a.file]] });
                registry.openDocument(FILES[a.file], documents.get(a.file) as { content: Content });
                break;
              case 'edit': {
                const d = documents.get(a.file);
                if (d === undefined) break;
                d.content = a.content;
                // The editor regroups and republishes an edited document that is its file's live source.
                if (registry.live(FILES[a.file]) === 'document') show(FILES[a.file]);
                break;
              }
              case 'close':
                documents.delete(a.file);
                registry.closeDocument(FILES[a.file]);
                break;
              case 'scan':
                for (const f of a.files) {
                  scanned.set(f, [...disk[f]]);
                  registry.setScan(FILES[f], { content: [...disk[f]] });
                }
                break;
              case 'clear':
                scanned.clear();
                registry.clearScans();
                break;
              case 'refresh':
                registry.refresh();
                break;
              case 'write':
                disk[a.file] = a.content;
                break;
            }

            const expected = new Map<string, Content>();
            FILES.forEach((id, f) => {
              const c = documents.get(f)?.content ?? scanned.get(f);
              if (c !== undefined) expected.set(id, c);
            });
            const where = `after step ${step} (${a.type})`;
            assert.deepEqual(registry.ids(), [...expected.keys()].sort(), `sources ${where}`);
            assert.deepEqual([...model.sourceKeys()], [...expected.keys()].sort(), `SNI model sources ${where}`);
            let total = 0;
            const bySni = new Map<string, number>();
            for (const c of expected.values()) {
              total += c.length;
              for (const l of c) bySni.set(l.sni, (bySni.get(l.sni) ?? 0) + 1);
            }
            assert.equal(model.totalEntries, total, `entries ${where}`);
            for (const g of model.groups()) assert.equal(g.entries, bySni.get(g.sni as string), `entries of ${String(g.sni)} ${where}`);
            const listed = [...published.values()].flat().sort();
            const reference = [...expected].flatMap(([id, c]) => problems(id, c)).sort();
            assert.deepEqual(listed, reference, `problems ${where}`);
            assert.equal(new Set(listed).size, listed.length, `each problem once ${where}`);
            for (const [f] of documents) assert.equal(registry.isSetAside(FILES[f]), scanned.has(f), `scan set aside ${where}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
