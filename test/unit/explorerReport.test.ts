import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_SNI_MESSAGE } from '../../src/core/parse/format';
import { SniModel } from '../../src/core/sni/sniModel';
import { Explorer } from '../../src/core/explore/explorer';
import { drain } from '../../src/core/explore/timeOrder';
import { SniRollups, describeFilter, rollupCsv, rollupMarkdown, summaryReportMarkdown } from '../../src/core/report/explorerReport';
import type { TlsEntry } from '../../src/core/parse/types';
import type { ExplorerFilter, ExplorerSort } from '../../src/core/explore/types';

const T0 = Date.UTC(2024, 6, 2, 18, 0, 0);

function model(): SniModel {
  const m = new SniModel();
  const e = (sni: string | undefined, t: number, extra: Partial<TlsEntry>): TlsEntry => ({
    kind: 'revocation',
    firewallName: 'egress-fw',
    destIp: '10.0.0.1',
    destPort: 443,
    timeMs: T0 + t * 1000,
    ...(sni === undefined ? {} : { sni }),
    ...extra,
  });
  m.setSourceEntries('file:///a.log', [
    { line: 0, entry: e('b.example', 5, { status: 'REVOKED', action: 'DROP' }) },
    { line: 1, entry: e('a|b`c', 1, { status: 'UNKNOWN', action: 'PASS', destIp: '10.0.0.2' }) },
    { line: 2, entry: e('', 2, { kind: 'tlsError', errorMessage: NO_SNI_MESSAGE }) },
    { line: 3, entry: e('-', 3, { kind: 'tlsError', errorMessage: NO_SNI_MESSAGE }) },
    { line: 4, entry: e('ok.example', 4, { status: 'GOOD', action: 'PASS' }) },
    { line: 5, entry: e('b.example', 9, { status: 'REVOKED', action: 'DROP', firewallName: undefined }) },
  ]);
  return m;
}

function rollups(filter: ExplorerFilter, sort: ExplorerSort): SniRollups {
  const m = model();
  const out = new SniRollups();
  drain(new Explorer(() => m.columns()).forEachRow(filter, sort, (r) => out.add(r)));
  return out;
}

describe('explorer reports', () => {
  it('CSV: SNIs as the view spells them, first and last seen, destinations, firewalls, actions', () => {
    const csv = rollupCsv(rollups({}, { column: 'time' }).bySni.values());
    const lines = csv.split('\r\n');
    assert.equal(
      lines[0],
      'sni,entries,revoked,unknown,noSni,mismatch,tlsOther,otherStatus,firstSeen,lastSeen,destinations,firewalls,pass,drop,reject,otherAction',
    );
    assert.equal(lines[1], 'a|b`c,1,0,1,0,0,0,0,2024-07-02T18:00:01.000Z,2024-07-02T18:00:01.000Z,10.0.0.2:443,egress-fw,1,0,0,0');
    assert.equal(lines[2], '(empty SNI),1,0,0,1,0,0,0,2024-07-02T18:00:02.000Z,2024-07-02T18:00:02.000Z,10.0.0.1:443,egress-fw,0,0,0,0');
    assert.equal(lines[3].split(',')[0], '(no SNI in client hello)');
    assert.equal(
      lines[5],
      'b.example,2,2,0,0,0,0,0,2024-07-02T18:00:05.000Z,2024-07-02T18:00:09.000Z,10.0.0.1:443,egress-fw (no firewall name),0,2,0,0',
    );
  });

  it('Markdown: values in code spans, not a backslash before every dot', () => {
    const md = rollupMarkdown(rollups({}, { column: 'sni' }).bySni.values());
    assert.ok(md.includes('| `` a\\|b`c `` |'), md);
    assert.ok(md.includes('| ` b.example ` |'));
    assert.ok(md.includes('` 10.0.0.1:443 `'));
    assert.ok(!md.includes('b\\.example'));
    assert.ok(md.includes('*(empty SNI)*'));
  });

  it('a blank firewall name is named in words, never shown as an empty code span', () => {
    const m = new SniModel();
    const entry: TlsEntry = { kind: 'revocation', firewallName: '', sni: 'x.example', status: 'REVOKED', action: 'DROP', timeMs: T0 };
    m.setSourceEntries('file:///blank.log', [{ line: 0, entry }]);
    const explorer = new Explorer(() => m.columns());
    const out = new SniRollups();
    drain(explorer.forEachRow({}, { column: 'time' }, (r) => out.add(r)));
    const md = rollupMarkdown(out.bySni.values());
    assert.ok(md.includes('| *(blank firewall name)* |'), md);
    assert.ok(!/` +`/.test(md), md);
    assert.equal(rollupCsv(out.bySni.values()).split('\r\n')[1].split(',')[11], '(blank firewall name)');
    const summary = summaryReportMarkdown({
      summary: drain(explorer.summarize({})),
      filter: {},
      actionsByStatus: [],
      files: 1,
      generatedAt: T0,
    });
    assert.ok(summary.includes('| *(blank firewall name)* | 1 |'), summary);
    assert.ok(!/` +`/.test(summary), summary);
  });

  it('failing SNIs follow the filter and the sort, without "-", empty and absent SNIs', () => {
    assert.deepEqual(rollups({}, { column: 'time' }).failingSnis(), ['a|b`c', 'b.example']);
    assert.deepEqual(rollups({}, { column: 'time', descending: true }).failingSnis(), ['b.example', 'a|b`c']);
    assert.deepEqual(rollups({ exclude: { status: ['"UNKNOWN"'] } }, { column: 'time' }).failingSnis(), ['b.example']);
  });

  it('the summary report holds the range, totals, top values, actions by status, firewalls and the filter', () => {
    const m = model();
    const filter: ExplorerFilter = { exclude: { sni: ['"ok.example"'] } };
    const summary = drain(new Explorer(() => m.columns()).summarize(filter));
    const md = summaryReportMarkdown({
      summary,
      filter,
      actionsByStatus: [{ key: '"REVOKED"', label: 'REVOKED', actions: [0, 2, 0, 0] }],
      files: 1,
      generatedAt: T0,
    });
    assert.ok(md.includes('From 2024-07-02T18:00:01.000Z to 2024-07-02T18:00:09.000Z'));
    assert.ok(md.includes('| REVOKED | 2 |'));
    assert.ok(md.includes('| **All** | **5** of 6 |'));
    assert.ok(md.includes('- SNI is not ` ok.example `'));
    assert.ok(md.includes('| ` REVOKED ` | 0 | 2 | 0 | 0 |'));
    assert.ok(md.includes('| ` egress-fw ` | 4 |'));
    assert.ok(md.includes('| *(no firewall name)* | 1 |'));
    assert.ok(md.includes('## Top clients'));
    assert.deepEqual(describeFilter({}), []);
  });
});
