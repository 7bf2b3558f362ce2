import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateLogLines } from '../../bench/generate';
import { analyzeLine } from '../../src/core/parse/analyze';
import type { LineEntry } from '../../src/core/parse/types';
import { SniCounter } from '../../src/core/report/sniCounter';
import { SniModel } from '../../src/core/sni/sniModel';
import type { TlsEntry } from '../../src/core/parse/types';

describe('SniCounter', () => {
  it('gives the same summary rows in the same order as the SNI model', () => {
    const lines = generateLogLines(5000, { seed: 17, malformed: 0.05 });
    const refs: LineEntry[] = [];
    const counter = new SniCounter();
    lines.forEach((text, line) => {
      const { entry } = analyzeLine(text, line);
      if (entry) {
        refs.push({ line, entry });
        counter.add(entry);
      }
    });
    const model = new SniModel();
    model.setSourceEntries('file', refs);
    assert.ok(refs.length > 4000);
    assert.deepEqual(counter.summary(), model.summary());
  });

  it('orders ties by name without regard to case, entries without an SNI field first', () => {
    const counter = new SniCounter();
    const entry = (sni: string | undefined, extra: Partial<TlsEntry> = {}): TlsEntry => ({
      kind: 'tlsError',
      ...(sni === undefined ? {} : { sni }),
      ...extra,
    });
    const entries = [
      ...['b.example', 'A.example', 'a.example', undefined, '-'].map((sni) => entry(sni)),
      entry('-', { kind: 'revocation', status: 'REVOKED' }),
      entry('-', { kind: 'revocation', status: 'UNKNOWN' }),
      entry('-', { kind: 'revocation', status: 'GOOD' }),
    ];
    for (const e of entries) counter.add(e);
    const model = new SniModel();
    model.setSourceEntries(
      'file',
      entries.map((e, line) => ({ line, entry: e })),
    );
    assert.deepEqual(counter.summary(), model.summary());
    assert.deepEqual(counter.summary(), [
      { sni: '-', entries: 4, tlsErrors: 1, revoked: 1, unknown: 1 },
      { sni: null, entries: 1, tlsErrors: 1, revoked: 0, unknown: 0 },
      { sni: 'A.example', entries: 1, tlsErrors: 1, revoked: 0, unknown: 0 },
      { sni: 'a.example', entries: 1, tlsErrors: 1, revoked: 0, unknown: 0 },
      { sni: 'b.example', entries: 1, tlsErrors: 1, revoked: 0, unknown: 0 },
    ]);
  });
});
