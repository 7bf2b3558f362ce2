import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/core/sni/types';
import type { ExtensionApi } from '../../src/extension';
import { EXTENSION_ID, closeAllEditors, fixtureUri, makeTempDir, openDocument, waitFor, waitForDiagnostics } from './util';

const FILE_A = 'sni-tree/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1810Z_5a1b2c3d.log';
const FILE_B = 'sni-tree/444455556666_network-firewall_tls_eu-west-1_ingress-fw_20240702T1815Z_6e7f8091.log';

const WITH_PROBLEMS = 'integration/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log';

let api: ExtensionApi;

/** The lines of `files` whose `event.sni` is `sni`, in time order (then file, then line), read without the extension. */
function expectedLines(files: Array<{ key: string; path: string }>, sni: string): string[] {
  const found: Array<{ text: string; ms: number; key: string; line: number }> = [];
  for (const { key, path } of files) {
    readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .forEach((text, line) => {
        try {
          const event = (JSON.parse(text) as { event?: { sni?: string; timestamp?: string } }).event;
          if (event?.sni === sni) found.push({ text, ms: Date.parse(event.timestamp ?? ''), key, line });
        } catch {
          // not an entry
        }
      });
  }
  found.sort((a, b) => a.ms - b.ms || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.line - b.line);
  return found.map((f) => f.text);
}

function linesOf(document: vscode.TextDocument): string[] {
  return Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
}

/** The SNI view's node of an SNI across every file, as its menus hand it to a command. */
function sniNode(sni: string): TreeNode {
  const group = api.sniModel.group(sni);
  assert.ok(group, `the SNI view has ${sni}`);
  return { type: 'sni', id: group.id, group };
}

async function modelHolds(keys: string[]): Promise<void> {
  const want = [...keys].sort().join('\n');
  await waitFor(
    api.sniTree.onDidChangeTreeData,
    () => [...api.sniModel.sourceKeys()].sort().join('\n') === want,
    20_000,
    `the SNI view to hold ${keys.length} file(s)`,
  );
}

describe("an SNI's entries side by side", () => {
  before(async () => {
    api = (await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)?.activate()) as ExtensionApi;
    await closeAllEditors();
  });
  afterEach(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
  });

  it('opens the entries of an SNI from the view: exactly its lines, in time order, as a TLS log with hints, hovers and a way back', async () => {
    const a = fixtureUri(FILE_A);
    const b = fixtureUri(FILE_B);
    await openDocument(a);
    await openDocument(b);
    await modelHolds([a.toString(), b.toString()]);
    const sources = api.sniModel.sourceKeys().length;

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('nfwTlsLogs.openSniEntries', sniNode('api.example.com'));
    const document = editor.document;
    assert.equal(document.uri.scheme, 'nfw-tls-sni');
    assert.equal(document.languageId, 'nfw-tls-log');
    const expected = expectedLines(
      [
        { key: a.toString(), path: a.fsPath },
        { key: b.toString(), path: b.fsPath },
      ],
      'api.example.com',
    );
    assert.equal(expected.length, 5);
    assert.deepEqual(linesOf(document), expected);
    // The view's own files: the entries it shows are not counted again.
    assert.equal(api.sniModel.sourceKeys().length, sources);

    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      'vscode.executeInlayHintProvider',
      document.uri,
      new vscode.Range(0, 0, document.lineCount, 0),
    );
    assert.deepEqual(
      hints.map((h) => h.position.line),
      expected.map((_, i) => i),
    );

    // The hover leads back: its link runs the command that opens the line in its file.
    const line = expected.indexOf(readFileSync(b.fsPath, 'utf8').split(/\r?\n/)[0]);
    assert.ok(line >= 0);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(line, 1),
    );
    const links = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .filter((v) => v.includes('command:nfwTlsLogs.goToEntrySource'));
    assert.equal(links.length, 1);
    assert.match(links[0], /Go to line 1 of 444455556666/);
    const args = JSON.parse(decodeURIComponent(/command:nfwTlsLogs\.goToEntrySource\?([^)]+)\)/.exec(links[0])?.[1] ?? '')) as [
      string,
      number,
    ];
    const back = await vscode.commands.executeCommand<vscode.TextEditor>('nfwTlsLogs.goToEntrySource', ...args);
    assert.equal(back.document.uri.toString(), b.toString());
    assert.equal(back.selection.start.line, 0);
  });

  it('opens the entries of the SNI under the cursor, with their problems, and goes back from the cursor', async () => {
    const a = fixtureUri(FILE_A);
    const withProblems = fixtureUri(WITH_PROBLEMS);
    await openDocument(a);
    const source = await openDocument(withProblems);
    await modelHolds([a.toString(), withProblems.toString()]);
    // Line 2: api.example.com, with port 70000.
    source.selection = new vscode.Selection(2, 0, 2, 0);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('nfwTlsLogs.openSniEntries');
    const expected = expectedLines(
      [
        { key: a.toString(), path: a.fsPath },
        { key: withProblems.toString(), path: withProblems.fsPath },
      ],
      'api.example.com',
    );
    assert.deepEqual(linesOf(editor.document), expected);
    const line = expected.indexOf(source.document.lineAt(2).text);
    const diagnostics = await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => x.code === 'invalid-port'));
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.code]),
      [[line, 'invalid-port']],
    );
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const back = await vscode.commands.executeCommand<vscode.TextEditor>('nfwTlsLogs.goToEntrySource');
    assert.equal(back.document.uri.toString(), withProblems.toString());
    assert.equal(back.selection.start.line, 2);
  });

  it('reads the lines of scanned files from disk, gzip too', async () => {
    const dir = makeTempDir('nfw-sni-entries-');
    const plain = join(dir, '111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1810Z_5a1b2c3d.log');
    const gz = join(dir, '444455556666_network-firewall_tls_eu-west-1_ingress-fw_20240702T1815Z_6e7f8091.log.gz');
    writeFileSync(plain, readFileSync(fixtureUri(FILE_A).fsPath));
    writeFileSync(gz, gzipSync(readFileSync(fixtureUri(FILE_B).fsPath)));
    const summary = await vscode.commands.executeCommand<{ files: number }>('nfwTlsLogs.scanFolder', vscode.Uri.file(dir));
    assert.equal(summary.files, 2);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('nfwTlsLogs.openSniEntries', sniNode('api.example.com'));
    assert.deepEqual(
      linesOf(editor.document),
      expectedLines(
        [
          { key: vscode.Uri.file(plain).toString(), path: fixtureUri(FILE_A).fsPath },
          { key: vscode.Uri.file(gz).toString(), path: fixtureUri(FILE_B).fsPath },
        ],
        'api.example.com',
      ),
    );
  });
});
