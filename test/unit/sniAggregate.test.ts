// Where the SNI tree's counts are made: row codes, and an aggregate's counts as rows come and go.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GROUP_KINDS, K_REVOKED, K_TLS, K_UNKNOWN } from '../../src/core/parse/entryKind';
import { addRow, Agg, kindOfCode, removeRow, rowCode, snapshot } from '../../src/core/sni/aggregate';

describe('SNI aggregates', () => {
  it('row codes keep the kind of every entry, with or without an action', () => {
    for (let k = 0; k < GROUP_KINDS.length; k++) {
      for (const action of ['PASS', 'DROP', 'REJECT', 'ALLOW', undefined]) {
        assert.equal(kindOfCode(rowCode(k, true, action)), k);
      }
      assert.equal(kindOfCode(rowCode(k, false, undefined)), k);
    }
  });

  it('counts rows by kind and action, and takes them back', () => {
    const agg = new Agg('example.com', 0, -1, undefined);
    const rows = [
      { code: rowCode(K_TLS, false, undefined), time: 2000 },
      { code: rowCode(K_REVOKED, true, 'PASS'), time: 1000 },
      { code: rowCode(K_UNKNOWN, true, 'DROP'), time: NaN },
      { code: rowCode(K_UNKNOWN, true, 'ALLOW'), time: 3000 },
    ];
    for (const r of rows) addRow(agg, r.code, r.time);
    const group = snapshot(agg, { by: 'all' });
    assert.deepEqual(
      { ...group },
      {
        id: 'sni:example.com',
        sni: 'example.com',
        scope: { by: 'all' },
        entries: 4,
        tlsErrors: 1,
        revoked: 1,
        unknown: 2,
        otherStatus: 0,
        actions: { PASS: 1, DROP: 1, REJECT: 0, other: 1 },
        worst: 'revoked',
        firstSeen: 1000,
        lastSeen: 3000,
      },
    );
    removeRow(agg, rows[1].code);
    // As the model does once it has taken a source's rows out: the next snapshot is built afresh.
    agg.revision++;
    const after = snapshot(agg, { by: 'all' });
    assert.equal(after.revoked, 0);
    assert.equal(after.worst, 'tlsError');
    assert.deepEqual(after.actions, { PASS: 0, DROP: 1, REJECT: 0, other: 1 });
  });
});
