import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, fixtureUri, openDocument, waitFor, waitForDiagnostics, makeTempDir } from './util';

const AWS_NAMED = 'integration/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log';

type Row = [line: number, severity: string, code: string, text: string];

/** Diagnostics as [1-based line, severity, code, the text the range covers], in line order. */
function rows(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): Row[] {
  return [...diagnostics]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((d) => [d.range.start.line + 1, vscode.DiagnosticSeverity[d.severity], String(d.code), document.getText(d.range)]);
}

function languageOf(uri: vscode.Uri, languageId: string): Promise<vscode.TextDocument> {
  return waitFor(
    vscode.workspace.onDidOpenTextDocument,
    () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === languageId),
    10_000,
    `${uri.fsPath} in ${languageId}`,
  );
}

describe('language mode and diagnostics', () => {
  afterEach(closeAllEditors);

  it('claims AWS TLS log file names and underlines each malformed entry exactly', async () => {
    const editor = await openDocument(AWS_NAMED);
    const document = editor.document;
    assert.equal(document.languageId, 'nfw-tls-log');
    const diagnostics = await waitForDiagnostics(document.uri, (d) => d.length > 0);
    assert.deepEqual(rows(document, diagnostics), [
      [3, 'Warning', 'invalid-port', '"70000"'],
      [4, 'Error', 'invalid-json', '"revocatio'],
      [6, 'Error', 'missing-field', '"event"'],
      [7, 'Warning', 'unknown-status', '"GOOD"'],
      [8, 'Information', 'unknown-error-message', '"Handshake failed for an unexpected reason"'],
      [9, 'Warning', 'not-a-tls-entry', '"alert"'],
    ]);
    for (const d of diagnostics) assert.equal(d.source, 'nfw-tls-logs');
    const missing = diagnostics.find((d) => d.code === 'missing-field');
    assert.match(missing?.message ?? '', /"sni"/);
  });

  it('re-validates the lines an edit touches, live, without saving', async () => {
    // Edit a copy, so that nothing can change the fixture even if a save slipped through.
    const dir = makeTempDir('nfw-edit-');
    const copy = join(dir, AWS_NAMED.split('/')[1]);
    copyFileSync(fixtureUri(AWS_NAMED).fsPath, copy);
    const editor = await openDocument(vscode.Uri.file(copy));
    const document = editor.document;
    const before = readFileSync(document.uri.fsPath);
    await waitForDiagnostics(document.uri, (d) => d.length === 6);

    // Fix the bad port on line 3.
    const line3 = document.lineAt(2).text;
    const portStart = line3.indexOf('"70000"');
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(2, portStart, 2, portStart + 7), '"443"')));
    let diagnostics = await waitForDiagnostics(document.uri, (d) => d.length === 5);
    assert.ok(!diagnostics.some((d) => d.code === 'invalid-port'));

    // Break the first line and insert a new bad line above everything: later diagnostics move down.
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '{"not":"closed"\n')));
    diagnostics = await waitForDiagnostics(document.uri, (d) => d.length === 6 && d.some((x) => x.range.start.line === 0));
    assert.deepEqual(
      rows(document, diagnostics).map(([line, , code]) => [line, code]),
      [
        [1, 'invalid-json'],
        [5, 'invalid-json'],
        [7, 'missing-field'],
        [8, 'unknown-status'],
        [9, 'unknown-error-message'],
        [10, 'not-a-tls-entry'],
      ],
    );

    // Delete the two lines holding the unknown status and the undocumented message.
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(7, 0, 9, 0))));
    diagnostics = await waitForDiagnostics(document.uri, (d) => d.length === 4);
    assert.deepEqual(
      rows(document, diagnostics).map(([line, , code]) => [line, code]),
      [
        [1, 'invalid-json'],
        [5, 'invalid-json'],
        [7, 'missing-field'],
        [8, 'not-a-tls-entry'],
      ],
    );

    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.deepEqual(readFileSync(document.uri.fsPath), before, 'the log file on disk changed');
    await waitForDiagnostics(document.uri, (d) => d.length === 6);
  });

  it('drops the diagnostics when the file closes', async () => {
    const editor = await openDocument(AWS_NAMED);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (d) => d.length === 6);
    await closeAllEditors();
    await waitForDiagnostics(uri, (d) => d.length === 0, 15_000);
  });

  it('switches a file to the TLS log language by its content', async () => {
    const uri = fixtureUri('integration/downloaded-from-cloudwatch.log');
    await openDocument(uri);
    const document = await languageOf(uri, 'nfw-tls-log');
    const diagnostics = await waitForDiagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(
      rows(document, diagnostics).map(([line, severity, code]) => [line, severity, code]),
      [[5, 'Error', 'invalid-json']],
    );
  });

  it('leaves alert logs and other files alone', async () => {
    const editor = await openDocument('integration/alert-only.log');
    // Open a file that is switched afterwards: once it has been, the detector has seen both.
    const other = fixtureUri('integration/downloaded-from-cloudwatch.log');
    await openDocument(other);
    await languageOf(other, 'nfw-tls-log');
    assert.equal(editor.document.languageId, 'log');
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri), []);
  });

  it('publishes errors first and says how many there are when the list is capped', async () => {
    const dir = makeTempDir('nfw-cap-');
    const file = join(dir, '111122223333_network-firewall_tls_us-east-1_big-fw_20240702T1805Z_ffff0000.log');
    const good = readFileSync(fixtureUri(AWS_NAMED).fsPath, 'utf8').split('\n')[0];
    const lines: string[] = [];
    for (let i = 0; i < 1500; i++) {
      // 1500 warnings (bad port) first, then 300 errors further down the file.
      lines.push(good.replace('"dest_port":"443"', '"dest_port":"99999"'));
    }
    for (let i = 0; i < 300; i++) lines.push('{"broken":');
    writeFileSync(file, lines.join('\n'));
    const editor = await openDocument(vscode.Uri.file(file));
    const diagnostics = await waitForDiagnostics(editor.document.uri, (d) => d.length > 0);
    assert.equal(diagnostics.length, 1000);
    assert.equal(diagnostics[0].code, 'problems-capped');
    assert.match(diagnostics[0].message, /of 1800 problems/);
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.equal(errors.length, 300, 'every error is published before any warning');
  });
});
