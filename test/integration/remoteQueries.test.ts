/**
 * Query Athena… in the real editor, against the protocol stand-in on 127.0.0.1 (the real service cannot be
 * reached from where the tests run). The stand-in answers with the engine's counts and lines of a sample log,
 * so the test checks what the extension makes of Athena's answers: the remote summary in the Remote Queries
 * view, and the fetched entries as a read-only TLS log with diagnostics, hovers and the SNI view.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { analyzeLine } from '../../src/core/parse/analyze';
import { SniCounter } from '../../src/core/report/sniCounter';
import type { ExtensionApi } from '../../src/extension';
import type { RemoteNode } from '../../src/editor/remoteQueries';
import { AwsStandIn, type StandInTable } from '../awsStandIn';
import { closeAllEditors, EXTENSION_ID, repoRoot, waitFor, waitForDiagnostics } from './util';

const SAMPLE =
  'samples/AWSLogs/111122223333/network-firewall/tls/us-east-1/egress-fw/2024/07/02/18/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_a1b2c3d4.log';
const ENTRY_COLUMNS = [
  'firewall_name',
  'availability_zone',
  'event_timestamp',
  'timestamp',
  'src_ip',
  'src_port',
  'dest_ip',
  'dest_port',
  'sni',
  'has_tls_error',
  'error_message',
  'has_revocation_check',
  'leaf_cert_fpr',
  'status',
  'action',
];

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** What Athena would answer over the sample: summary rows from the engine's counter, entry rows from the lines' fields. */
function sampleAnswers(lines: readonly string[]): (query: string) => StandInTable {
  const counter = new SniCounter();
  const parsed: Json[] = [];
  for (const [i, text] of lines.entries()) {
    const { entry } = analyzeLine(text, i);
    if (!entry) continue;
    counter.add(entry);
    parsed.push(JSON.parse(text) as Json);
  }
  return (query) => {
    if (!query.includes('has_tls_error')) {
      return {
        columns: ['sni', 'entries', 'tls_errors', 'revoked', 'unknown'],
        rows: counter.summary().map((r) => [r.sni, String(r.entries), String(r.tlsErrors), String(r.revoked), String(r.unknown)]),
      };
    }
    const sni = /event\.sni = '((?:[^']|'')*)'/.exec(query)?.[1].replace(/''/g, "'");
    const rows = parsed
      .filter((o) => (o.event as Json).sni === sni)
      .map((o) => {
        const e = o.event as Json;
        const tls = e.tls_error as Json | undefined;
        const rev = e.revocation_check as Json | undefined;
        return [
          str(o.firewall_name),
          str(o.availability_zone),
          str(o.event_timestamp),
          str(e.timestamp),
          str(e.src_ip),
          str(e.src_port),
          str(e.dest_ip),
          str(e.dest_port),
          str(e.sni),
          String(tls !== undefined),
          str(tls?.error_message),
          String(rev !== undefined),
          str(rev?.leaf_cert_fpr),
          str(rev?.status),
          str(rev?.action),
        ];
      });
    return { columns: ENTRY_COLUMNS, rows };
  };
}

describe('Remote queries', () => {
  let standIn: AwsStandIn;
  let lines: string[];
  const settings = vscode.workspace.getConfiguration('nfwTlsLogs');
  const savedEnv = { ...process.env };

  before(async () => {
    lines = readFileSync(join(repoRoot(), SAMPLE), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    standIn = new AwsStandIn({ answer: sampleAnswers(lines), states: ['QUEUED', 'RUNNING'], pageSize: 7 });
    const endpoint = await standIn.start();
    // The SDK's standard chain reads these from the extension host's environment.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDSTANDIN', AWS_SECRET_ACCESS_KEY: 'standin-secret' });
    await settings.update('aws.endpoint', endpoint, vscode.ConfigurationTarget.Global);
    await settings.update('aws.region', 'us-east-1', vscode.ConfigurationTarget.Global);
    await settings.update('athena.table', 'nfw.tls_logs', vscode.ConfigurationTarget.Global);
    await settings.update('athena.outputLocation', 's3://query-results/', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    process.env = savedEnv;
    for (const key of ['aws.endpoint', 'aws.region', 'athena.table', 'athena.outputLocation'])
      await settings.update(key, undefined, vscode.ConfigurationTarget.Global);
    await standIn.stop();
    await closeAllEditors();
  });

  it('runs Query Athena…, shows the remote counts, and opens an SNI’s fetched entries as a read-only TLS log', async () => {
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)?.activate();
    assert.ok(api);
    await vscode.commands.executeCommand('nfwTlsLogs.queryAthena', { from: '2024-07-02T18:00:00Z', to: '2024-07-02T19:00:00Z' });
    const sql = String(standIn.callsTo('AmazonAthena.StartQueryExecution')[0]?.body.QueryString);
    assert.match(sql, /FROM "nfw"\."tls_logs"/);
    assert.match(sql, /"day" BETWEEN '2024\/07\/02' AND '2024\/07\/02'/);

    const provider = api.remoteQueries;
    const [query] = provider.getChildren();
    assert.equal(query.type, 'query');
    const queryItem = provider.getTreeItem(query);
    assert.equal(queryItem.label, 'Athena (remote)');
    assert.match(String(queryItem.description), /2024-07-02T18:00:00Z – 2024-07-02T19:00:00Z/);
    const snis = provider.getChildren(query) as Extract<RemoteNode, { type: 'sni' }>[];
    const counter = new SniCounter();
    lines.forEach((l, i) => {
      const entry = analyzeLine(l, i).entry;
      if (entry) counter.add(entry);
    });
    assert.deepEqual(
      snis.map((n) => n.row),
      counter.summary(),
    );

    // An SNI whose fetched lines have problems of their own, so that diagnostics show they are checked.
    const target = snis.find(
      (n) =>
        n.row.sni !== null &&
        n.row.revoked > 0 &&
        lines.some((l, i) => analyzeLine(l, i).entry?.sni === n.row.sni && analyzeLine(l, i).problems.length > 0),
    );
    assert.ok(target?.row.sni);
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('nfwTlsLogs.remote.fetchEntries', target);
    assert.equal(document.uri.scheme, 'nfw-tls-remote');
    assert.equal(document.languageId, 'nfw-tls-log');
    const fetched = document
      .getText()
      .split('\n')
      .filter((l) => l !== '');
    assert.equal(fetched.length, target.row.entries);
    const expectedProblems = fetched.reduce((n, l, i) => n + analyzeLine(l, i).problems.length, 0);
    assert.ok(expectedProblems > 0);
    await waitForDiagnostics(document.uri, (d) => d.length === expectedProblems);
    assert.ok(fetched.every((l, i) => analyzeLine(l, i).entry?.sni === target.row.sni));

    const line = fetched.findIndex((l) => l.includes('"REVOKED"'));
    assert.ok(line >= 0);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(line, fetched[line].indexOf('REVOKED') + 2),
    );
    const markdown = hovers
      .flatMap((h) => h.contents)
      .map((c) => (c instanceof vscode.MarkdownString ? c.value : String(c)))
      .join('\n');
    assert.match(markdown, /revoked/i);

    const modelChanged: vscode.Event<unknown> = (listener) => ({ dispose: api.sniModel.onDidChange(() => listener(undefined)) });
    const group = await waitFor(
      modelChanged,
      () => api.sniModel.group(target.row.sni, { by: 'source', source: document.uri.toString() }),
      10_000,
      'the fetched log in the SNI model',
    );
    assert.equal(group.entries, target.row.entries);
    assert.ok(standIn.calls.every((c) => c.signed));
  });
});
