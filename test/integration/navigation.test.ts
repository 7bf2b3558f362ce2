import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { canCaptureWorkbench, closeAllEditors, makeTempDir, openDocument, requestDom, waitForDiagnostics } from './util';

const AWS_NAMED = 'integration/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log';

// The fixture (0-based lines): problems on 2, 3, 5, 6, 7, 8; REVOKED on 1, UNKNOWN on 9, GOOD on 6.

async function openFixture(): Promise<vscode.TextEditor> {
  const editor = await openDocument(AWS_NAMED);
  await waitForDiagnostics(editor.document.uri, (d) => d.length === 6);
  return editor;
}

function placeCursor(editor: vscode.TextEditor, line: number): void {
  editor.selection = new vscode.Selection(line, 0, line, 0);
}

/** Runs a navigation command and returns [the line it reported, the line the cursor is on]. */
async function run(editor: vscode.TextEditor, command: string, ...args: unknown[]): Promise<[number | undefined, number]> {
  const line = await vscode.commands.executeCommand<number | undefined>(command, ...args);
  return [line, editor.selection.active.line];
}

describe('navigation', () => {
  afterEach(closeAllEditors);

  it('steps through the entries with problems, both ways, going round', async () => {
    const editor = await openFixture();
    placeCursor(editor, 0);
    const visited: number[] = [];
    for (let i = 0; i < 7; i++) {
      const [reported, cursor] = await run(editor, 'nfwTlsLogs.nextProblem');
      assert.equal(reported, cursor);
      visited.push(cursor);
    }
    assert.deepEqual(visited, [2, 3, 5, 6, 7, 8, 2]);
    // The cursor lands on the first problem's range, where a hover explains it.
    placeCursor(editor, 0);
    await run(editor, 'nfwTlsLogs.nextProblem');
    const atCursor = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.range.contains(editor.selection.active));
    assert.deepEqual(
      atCursor.map((d) => d.code),
      ['invalid-port'],
    );

    placeCursor(editor, 9);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousProblem'), [8, 8]);
    placeCursor(editor, 2);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousProblem'), [8, 8]);
  });

  it('steps through revoked and unknown entries, skipping other statuses', async () => {
    const editor = await openFixture();
    placeCursor(editor, 0);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextRevokedOrUnknown'), [1, 1]);
    const text = editor.document.lineAt(1).text;
    assert.ok(text.slice(editor.selection.active.character).startsWith('REVOKED"'), 'the cursor is on the status value');
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextRevokedOrUnknown'), [9, 9]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextRevokedOrUnknown'), [1, 1]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousRevokedOrUnknown'), [9, 9]);
    placeCursor(editor, 7);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousRevokedOrUnknown'), [1, 1]);
  });

  it('steps through REVOKED, UNKNOWN and TLS error entries each on their own', async () => {
    const at = (i: number): string => new Date(Date.UTC(2024, 6, 2, 18, 0, i)).toISOString();
    const event = (i: number, kind: object): string =>
      JSON.stringify({
        firewall_name: 'fw',
        availability_zone: 'us-east-1a',
        event_timestamp: Date.UTC(2024, 6, 2, 18, 0, i) / 1000,
        event: {
          timestamp: at(i),
          src_ip: '10.0.0.1',
          src_port: 50000,
          dest_ip: '10.0.0.2',
          dest_port: 443,
          sni: `h${i}.example`,
          ...kind,
        },
      });
    const revoked = (i: number): string => event(i, { revocation_check: { leaf_cert_fpr: 'AB', status: 'REVOKED', action: 'DROP' } });
    const unknown = (i: number): string => event(i, { revocation_check: { leaf_cert_fpr: 'AB', status: 'UNKNOWN', action: 'PASS' } });
    const tls = (i: number): string => event(i, { tls_error: { error_message: 'Server name is not found in client hello.' } });
    // Lines: 0 REVOKED, 1 TLS error, 2 UNKNOWN, 3 TLS error, 4 blank, 5 REVOKED, 6 UNKNOWN.
    const file = join(makeTempDir('nfw-nav-kinds-'), '111122223333_network-firewall_tls_us-east-1_fw_20240702T1800Z_c0ffee00.log');
    writeFileSync(file, [revoked(0), tls(1), unknown(2), tls(3), '', revoked(5), unknown(6)].join('\n') + '\n');
    const editor = await openDocument(file);
    placeCursor(editor, 0);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextRevoked'), [5, 5]);
    assert.ok(
      editor.document.lineAt(5).text.slice(editor.selection.active.character).startsWith('REVOKED"'),
      'the cursor is on the status value',
    );
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextRevoked'), [0, 0]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousRevoked'), [5, 5]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextUnknown'), [6, 6]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextUnknown'), [2, 2]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousUnknown'), [6, 6]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextTlsError'), [1, 1]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextTlsError'), [3, 3]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousTlsError'), [1, 1]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousTlsError'), [3, 3]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('goes to the first entry at or after a time', async () => {
    const editor = await openFixture();
    placeCursor(editor, 0);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.goToEntryByTime', '2024-07-02T18:02:00Z'), [1, 1]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.goToEntryByTime', Date.UTC(2024, 6, 2, 18, 0)), [0, 0]);
    // Past the last entry: the last entry in time.
    assert.deepEqual(await run(editor, 'nfwTlsLogs.goToEntryByTime', '2024-07-03T00:00:00Z'), [9, 9]);
  });

  it('picks an entry by time in a quick pick that starts at the cursor', async function () {
    if (!canCaptureWorkbench()) this.skip();
    const editor = await openFixture();
    placeCursor(editor, 9);
    const picked = vscode.commands.executeCommand<number | undefined>('nfwTlsLogs.goToEntryByTime');
    let rows: string[] = [];
    // Until the picker shows its items, the rows can be an earlier picker's.
    for (let attempt = 0; attempt < 50 && !(rows.length === 7 && rows.every((r) => / · line \d/.test(r))); attempt++)
      rows = await requestDom('.quick-input-widget .quick-input-list .monaco-list-row');
    assert.equal(rows.length, 7, `rows: ${rows.join(' | ')}`);
    assert.match(rows[0], /2024-07-02 18:01:44\.412[\s\S]*TLS error: no SNI[\s\S]*\(no SNI in client hello\) · line 1/);
    assert.ok(
      rows.some((r) => /REVOKED → DROP[\s\S]*revoked-rsa-dv\.ssl\.com · line 2/.test(r)),
      rows.join(' | '),
    );
    placeCursor(editor, 0);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await picked, 9);
    assert.equal(editor.selection.active.line, 9);
  });

  it('says there is nothing to go to outside a TLS log', async () => {
    const plainFile = join(makeTempDir('nfw-plain-'), 'notes.txt');
    writeFileSync(plainFile, 'text\n');
    const plain = await vscode.workspace.openTextDocument(vscode.Uri.file(plainFile));
    await vscode.window.showTextDocument(plain);
    assert.equal(await vscode.commands.executeCommand('nfwTlsLogs.nextProblem'), undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

describe('navigation in a big log', () => {
  // 40,000 entries 100 ms apart from 18:00:00 (18:00 to 19:06:39.9 UTC): searches and the time picker take
  // many steps on the slice queue. One revoked entry, two entries with a problem (a port out of range).
  const COUNT = 40_000;
  const START_MS = Date.UTC(2024, 6, 2, 18, 0, 0);
  const PROBLEMS = [5_000, 30_000];
  const REVOKED = 20_000;

  function entryLine(i: number): string {
    const ms = START_MS + i * 100;
    const event: Record<string, unknown> = {
      timestamp: new Date(ms).toISOString(),
      src_ip: '10.0.2.53',
      src_port: String(40000 + (i % 20000)),
      dest_ip: '54.92.160.72',
      dest_port: PROBLEMS.includes(i) ? '70000' : '443',
      sni: '-',
      tls_error: { error_message: 'Server name is not found in client hello.' },
    };
    if (i === REVOKED) {
      delete event.tls_error;
      event.sni = 'revoked.example.com';
      event.revocation_check = { leaf_cert_fpr: 'ABCDEF', status: 'REVOKED', action: 'DROP' };
    }
    return JSON.stringify({ firewall_name: 'fw', availability_zone: 'us-east-1a', event_timestamp: Math.floor(ms / 1000), event });
  }

  let editor: vscode.TextEditor;

  before(async function () {
    this.timeout(120_000);
    const file = join(makeTempDir('nfw-nav-big-'), '111122223333_network-firewall_tls_us-east-1_fw_20240702T1800Z_b19b19b1.log');
    writeFileSync(file, `${Array.from({ length: COUNT }, (_, i) => entryLine(i)).join('\n')}\n`);
    editor = await openDocument(file);
    await waitForDiagnostics(editor.document.uri, (d) => d.length === PROBLEMS.length, 100_000);
  });

  after(async () => {
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('goes round the whole log to the only entries of a kind', async () => {
    placeCursor(editor, PROBLEMS[1] + 1);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextProblem'), [PROBLEMS[0], PROBLEMS[0]]);
    placeCursor(editor, PROBLEMS[0] - 1);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousProblem'), [PROBLEMS[1], PROBLEMS[1]]);
    placeCursor(editor, REVOKED);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.nextRevokedOrUnknown'), [REVOKED, REVOKED]);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.previousRevokedOrUnknown'), [REVOKED, REVOKED]);
    assert.ok(
      editor.document.lineAt(REVOKED).text.slice(editor.selection.active.character).startsWith('REVOKED"'),
      'the cursor is on the status value',
    );
  });

  it('makes moves asked for together one after the other', async () => {
    placeCursor(editor, 0);
    const moves = [
      vscode.commands.executeCommand<number | undefined>('nfwTlsLogs.nextProblem'),
      vscode.commands.executeCommand<number | undefined>('nfwTlsLogs.nextProblem'),
    ];
    assert.deepEqual(await Promise.all(moves), PROBLEMS);
    assert.equal(editor.selection.active.line, PROBLEMS[1]);
  });

  it('goes to the first entry at or after a time', async () => {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    assert.deepEqual(await run(editor, 'nfwTlsLogs.goToEntryByTime', START_MS + 12_345 * 100 - 50), [12_345, 12_345]);
    histogram.disable();
    console.log(`  ${COUNT} entries put in time order in steps; event loop delay max ${(histogram.max / 1e6).toFixed(1)} ms`);
    assert.deepEqual(await run(editor, 'nfwTlsLogs.goToEntryByTime', '2024-07-03T00:00:00Z'), [COUNT - 1, COUNT - 1]);
  });

  it('narrows the time picker down by hour and minute to the entry at the cursor', async function () {
    if (!canCaptureWorkbench()) this.skip();
    // 18:01:40.0, in the first hour and its second minute.
    placeCursor(editor, 1_000);
    const picked = vscode.commands.executeCommand<number | undefined>('nfwTlsLogs.goToEntryByTime');
    // The list's rows as shown, once `ready` holds for them: until the picker shows its new items, the rows
    // can still be those of an earlier picker or level.
    const rowsWhen = async (ready: (rows: string[]) => boolean): Promise<string[]> => {
      let rows: string[] = [];
      for (let attempt = 0; attempt < 50 && !ready(rows); attempt++)
        rows = await requestDom('.quick-input-widget .quick-input-list .monaco-list-row');
      return rows;
    };
    const hours = await rowsWhen((rows) => rows.length === 2 && /18:00–19:00/.test(rows[0]));
    assert.equal(hours.length, 2, hours.join(' | '));
    assert.match(hours[0], /2024-07-02 18:00–19:00[\s\S]*36,000 entries: 35,999 TLS errors, 1 revoked/);
    assert.match(hours[1], /2024-07-02 19:00–20:00[\s\S]*4,000 entries: 4,000 TLS errors/);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const minutes = await rowsWhen(
      (rows) => rows.some((r) => /2024-07-02 18:01\s*UTC/.test(r)) && !rows.some((r) => /19:00–20:00/.test(r)),
    );
    assert.ok(
      minutes.some((r) => /2024-07-02 18:01[\s\S]*600 entries: 600 TLS errors/.test(r)),
      minutes.join(' | '),
    );
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const entries = await rowsWhen((rows) => rows.some((r) => /18:01:40\.000/.test(r)));
    assert.ok(
      entries.some((r) => /2024-07-02 18:01:40\.000[\s\S]*TLS error: no SNI[\s\S]*line 1,001/.test(r)),
      entries.join(' | '),
    );
    placeCursor(editor, 0);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await picked, 1_000);
    assert.equal(editor.selection.active.line, 1_000);
  });
});

describe('document symbols', () => {
  afterEach(closeAllEditors);

  it('lists one symbol per SNI with its entries beneath', async () => {
    const editor = await openFixture();
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      editor.document.uri,
    );
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, vscode.SymbolKind[s.kind], s.range.start.line, s.children.length]),
      [
        ['(no SNI in client hello)', '1 entry: 1 TLS error', 'Namespace', 0, 1],
        ['revoked-rsa-dv.ssl.com', '1 entry: 1 revoked', 'Namespace', 1, 1],
        ['api.example.com', '1 entry: 1 TLS error', 'Namespace', 2, 1],
        ['(no SNI field)', '1 entry: 1 TLS error', 'Namespace', 5, 1],
        ['ocsp-down.example.com', '1 entry: 1 other status', 'Namespace', 6, 1],
        ['odd.example.com', '1 entry: 1 TLS error', 'Namespace', 7, 1],
        ['unknown-ca.example.com', '1 entry: 1 unknown', 'Namespace', 9, 1],
      ],
    );
    const entry = symbols[1].children[0];
    assert.deepEqual(
      [entry.name, entry.detail, vscode.SymbolKind[entry.kind], entry.range.start.line],
      ['2024-07-02 18:02:10.100', 'REVOKED → DROP · 10.0.2.60:55930 → 54.92.160.72:443', 'Event', 1],
    );
    assert.equal(entry.range.end.character, editor.document.lineAt(1).text.length);
  });

  it('names every SNI and entry of an outline that takes many steps to write', async () => {
    // 149 SNIs of three entries, one of each SNI a TLS error: 447 entries listed (the outline lists 500 at
    // most), the outline's names written over several steps.
    const lines = Array.from({ length: 447 }, (_, i) => {
      const ms = Date.UTC(2024, 6, 2, 18, 0, 0) + i * 1001;
      const event = {
        timestamp: new Date(ms).toISOString(),
        src_ip: `10.0.${i % 7}.53`,
        src_port: String(40000 + i),
        dest_ip: '2001:db8::5',
        dest_port: '443',
        sni: `host${i % 149}.example.com`,
      };
      const body =
        i % 3 === 0
          ? { tls_error: { error_message: 'Server name is not found in client hello.' } }
          : { revocation_check: { leaf_cert_fpr: 'ABCDEF', status: 'REVOKED', action: 'DROP' } };
      return JSON.stringify({
        firewall_name: 'fw',
        availability_zone: 'us-east-1a',
        event_timestamp: Math.floor(ms / 1000),
        event: { ...event, ...body },
      });
    });
    // A file, not an untitled document: a closed untitled document lingers in the extension host for a
    // while, and the next untitled document opened with content can be handed back as that one.
    const file = join(makeTempDir('nfw-outline-'), '111122223333_network-firewall_tls_us-east-1_fw_20240702T1805Z_0a11ce55.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    try {
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
      assert.equal(symbols.length, 149);
      assert.deepEqual(
        symbols
          .filter((_, i) => i % 49 === 0)
          .map((s) => [s.name, s.detail, s.children.map((c) => [c.name, c.detail, c.range.start.line])]),
        [0, 49, 98, 147].map((n) => {
          const lines = [n, n + 149, n + 298];
          return [
            `host${n}.example.com`,
            '3 entries: 1 TLS error, 2 revoked',
            lines.map((line) => {
              const iso = new Date(Date.UTC(2024, 6, 2, 18, 0, 0) + line * 1001).toISOString();
              const outcome = line % 3 === 0 ? 'TLS error: no SNI' : 'REVOKED → DROP';
              return [
                `${iso.slice(0, 10)} ${iso.slice(11, 23)}`,
                `${outcome} · 10.0.${line % 7}.53:${40000 + line} → [2001:db8::5]:443`,
                line,
              ];
            }),
          ];
        }),
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('keeps a hostile SNI on one line, as plain text', async () => {
    const hostile = 'evil.com](command:workbench.action.files.saveAll)\n$(alert)';
    const line = `{"firewall_name":"fw","availability_zone":"us-east-1a","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.412Z","src_ip":"10.0.2.53","src_port":"59844","dest_ip":"54.92.160.72","dest_port":"443","sni":${JSON.stringify(hostile)},"tls_error":{"error_message":"Server name is not found in client hello."}}}`;
    // A file: an untitled document opened with content can be handed a closed one's stale text.
    const file = join(makeTempDir('nfw-hostile-'), '111122223333_network-firewall_tls_us-east-1_fw_20240702T1805Z_e7118e71.log');
    writeFileSync(file, `${line}\n`);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    try {
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
      assert.deepEqual(
        symbols.map((s) => s.name),
        ['evil.com](command:workbench.action.files.saveAll)␊$(alert)'],
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
