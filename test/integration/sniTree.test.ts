import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/core/sni/types';
import type { ExtensionApi } from '../../src/extension';
import {
  EXTENSION_ID,
  canCaptureWorkbench,
  closeAllEditors,
  fixtureUri,
  openDocument,
  requestDom,
  requestScreenshot,
  screenshotPath,
  waitFor,
  makeTempDir,
} from './util';

const FILE_A = '111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1810Z_5a1b2c3d.log';
const FILE_B = '444455556666_network-firewall_tls_eu-west-1_ingress-fw_20240702T1815Z_6e7f8091.log';
const HOSTILE = 'evil.com](command:workbench.action.files.saveAll)';
const VIEW_ROWS = '[id="workbench.view.extension.nfwTlsLogs"] .monaco-list-row';

let api: ExtensionApi;

async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

/** Resolves once `check` holds, re-checked whenever the tree changes. */
function treeSettles<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  return waitFor(api.sniTree.onDidChangeTreeData, check, timeoutMs, what);
}

function sameKeys(keys: readonly string[], uris: readonly vscode.Uri[]): boolean {
  const want = uris.map((u) => u.toString()).sort();
  return keys.length === want.length && [...keys].sort().every((k, i) => k === want[i]);
}

/** Opens files and waits until the model holds exactly them. */
async function openLogs(...uris: vscode.Uri[]): Promise<vscode.TextEditor[]> {
  const editors: vscode.TextEditor[] = [];
  for (const uri of uris) editors.push(await openDocument(uri));
  // The model holds them, and the view (title included) has been redrawn since.
  await treeSettles(
    () => sameKeys(api.sniModel.sourceKeys(), uris) && !api.sniTree.refreshPending,
    `the SNI view to show ${uris.length} file(s)`,
  );
  return editors;
}

function sniFixture(name: string): vscode.Uri {
  return fixtureUri(`sni-tree/${name}`);
}

function item(node: TreeNode): vscode.TreeItem {
  return api.sniTree.getTreeItem(node) as vscode.TreeItem;
}

function label(node: TreeNode): string {
  const l = item(node).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

/** [label, description] of each node. */
function rows(nodes: readonly TreeNode[]): [string, string][] {
  return nodes.map((n) => [label(n), String(item(n).description ?? '')]);
}

function children(node?: TreeNode): TreeNode[] {
  return api.sniTree.getChildren(node) as TreeNode[];
}

function root(name: string): TreeNode {
  const node = children().find((n) => label(n) === name);
  assert.ok(node, `no root node ${name}; roots: ${children().map(label).join(', ')}`);
  return node;
}

/** Where opening an entry leaves the cursor: at its line's start, nothing selected (the line is highlighted instead). */
function cursorAt(line: number): [number, number, number, number] {
  return [line, 0, line, 0];
}

function selectionOf(editor: vscode.TextEditor | undefined): [number, number, number, number] | undefined {
  if (!editor) return undefined;
  const s = editor.selection;
  return [s.start.line, s.start.character, s.end.line, s.end.character];
}

function placeCursor(editor: vscode.TextEditor, line: number): void {
  editor.selection = new vscode.Selection(line, 0, line, 0);
}

async function resetView(): Promise<void> {
  api.sniTree.setState({ text: '', kind: 'all', sort: 'count', groupBy: 'sni' });
}

describe('SNI tree view', () => {
  before(async () => {
    api = await extensionApi();
    await closeAllEditors();
    await treeSettles(() => api.sniModel.sourceKeys().length === 0, 'no TLS log to be open', 20_000);
  });

  afterEach(async () => {
    await resetView();
    await closeAllEditors();
    await treeSettles(() => api.sniModel.sourceKeys().length === 0, 'every TLS log to close', 20_000);
  });

  it('shows a welcome with an open button while no TLS log is open', async function () {
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.focus');
    assert.deepEqual(children(), []);
    if (!canCaptureWorkbench()) this.skip();
    // The welcome follows a context key, which reaches the workbench a moment after the last source left.
    const selector = '[id="workbench.view.extension.nfwTlsLogs"] .welcome-view-content';
    // The Remote Queries view below keeps an empty welcome element of its own once it has shown results.
    const shown = async (): Promise<string[]> => (await requestDom(selector)).filter((text) => text.trim() !== '');
    let welcome = await shown();
    for (let i = 0; i < 20 && !/No AWS Network Firewall TLS log is open/.test(welcome[0] ?? ''); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      welcome = await shown();
    }
    assert.equal(welcome.length, 1, `one welcome in the sidebar: ${JSON.stringify(welcome)}`);
    assert.match(welcome[0], /No AWS Network Firewall TLS log is open/);
    assert.match(welcome[0], /Open TLS Log File/);
  });

  it('groups the entries of the open files by SNI, most entries first, with counts by kind', async () => {
    await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.focus');
    const roots = children();
    assert.deepEqual(rows(roots), [
      ['api.example.com', '5: 4 TLS errors, 1 unknown'],
      ['revoked-rsa-dv.ssl.com', '3 revoked'],
      ['(no SNI in client hello)', '2 TLS errors'],
      [HOSTILE, '1 TLS error'],
      ['ocsp-down.example.com', '1 unknown'],
      ['unknown-ca.example.com', '1 unknown'],
    ]);
    const icons = roots.map((n) => {
      const icon = item(n).iconPath as vscode.ThemeIcon;
      return [icon.id, icon.color?.id];
    });
    assert.deepEqual(icons, [
      ['debug-disconnect', 'charts.orange'],
      ['workspace-untrusted', 'charts.red'],
      ['debug-disconnect', 'charts.orange'],
      ['debug-disconnect', 'charts.orange'],
      ['question', 'charts.yellow'],
      ['question', 'charts.yellow'],
    ]);
    for (const n of roots) {
      assert.equal(item(n).contextValue, 'sniGroup');
      assert.equal(item(n).id, n.id);
      assert.equal(item(n).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    }
    assert.equal(api.sniTreeView.description, '6 SNIs · by count');
  });

  it('lists entries by kind with time, addresses and outcome, and lists a one-kind group directly', async () => {
    await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    const api1 = root('api.example.com');
    const kinds = children(api1);
    assert.deepEqual(rows(kinds), [
      ['TLS errors', '4'],
      ['Unknown', '1'],
    ]);
    assert.deepEqual(rows(children(kinds[0])), [
      ['2024-07-02 18:10:05  10.0.2.53 → 54.92.160.72:443', `name mismatch · line 1 · ${FILE_A}`],
      ['2024-07-02 18:10:20  10.0.2.53 → 54.92.160.72:443', `name mismatch · line 4 · ${FILE_A}`],
      ['2024-07-02 18:10:50  10.0.2.54 → 54.92.160.73:443', `name mismatch · line 7 · ${FILE_A}`],
      ['2024-07-02 18:15:01  10.1.0.8 → 198.51.100.7:8443', `name mismatch · line 1 · ${FILE_B}`],
    ]);
    assert.deepEqual(rows(children(kinds[1])), [['2024-07-02 18:11:10  10.0.2.53 → 54.92.160.72:443', `REJECT · line 9 · ${FILE_A}`]]);

    const revoked = children(root('revoked-rsa-dv.ssl.com'));
    assert.deepEqual(rows(revoked), [
      ['2024-07-02 18:10:10  10.0.2.60 → 104.18.30.5:443', `DROP · line 2 · ${FILE_A}`],
      ['2024-07-02 18:10:40  10.0.2.62 → 104.18.30.5:443', `PASS · line 6 · ${FILE_A}`],
      ['2024-07-02 18:15:10  10.1.0.11 → 104.18.30.6:443', `REJECT · line 4 · ${FILE_B}`],
    ]);
    assert.deepEqual(
      rows(children(root('(no SNI in client hello)'))).map(([, d]) => d),
      [`no SNI · line 3 · ${FILE_A}`, `no SNI · line 2 · ${FILE_B}`],
    );
    for (const entry of revoked) {
      assert.equal(item(entry).contextValue, 'sniEntry');
      assert.equal(item(entry).collapsibleState, vscode.TreeItemCollapsibleState.None);
      assert.equal(item(entry).command?.command, 'nfwTlsLogs.sniTree.openEntry');
      // The kind level is left out, so an entry's parent is the SNI node itself.
      assert.equal(api.sniTree.getParent(entry)?.id, root('revoked-rsa-dv.ssl.com').id);
    }
    assert.equal(api.sniTree.getParent(children(kinds[0])[0])?.id, kinds[0].id);
    assert.equal(api.sniTree.getParent(kinds[0])?.id, api1.id);
    assert.equal(api.sniTree.getParent(api1), undefined);
  });

  it('selecting an entry opens its file with the cursor on the entry, selecting nothing', async () => {
    const [a] = await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    const entry = children(root('revoked-rsa-dv.ssl.com'))[1];
    const command = item(entry).command;
    assert.ok(command);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), a.document.uri.toString());
    assert.deepEqual(selectionOf(editor), cursorAt(5));
  });

  it('tooltips show first and last seen, destinations, ports and firewalls, escaped and untrusted', async () => {
    await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    const node = root('api.example.com');
    const resolved = (await api.sniTree.resolveTreeItem(item(node), node)) as vscode.TreeItem;
    const tooltip = resolved.tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.notEqual(tooltip.isTrusted, true);
    assert.notEqual(tooltip.supportHtml, true);
    assert.equal(
      tooltip.value,
      [
        '**SNI** ` api.example.com `',
        '',
        '- **Entries:** 5: 4 TLS errors, 1 unknown',
        '- **Revocation actions:** 1 REJECT',
        '- **First seen:** 2024-07-02 18:10:05 UTC',
        '- **Last seen:** 2024-07-02 18:15:01 UTC',
        '- **Destination addresses:** ` 198.51.100.7 `, ` 54.92.160.72 `, ` 54.92.160.73 `',
        '- **Destination ports:** ` 443 `, ` 8443 `',
        '- **Firewalls:** ` egress-fw `, ` ingress-fw `',
        `- **Files:** \` ${FILE_A} \` (4), \` ${FILE_B} \` (1)`,
      ].join('\n'),
    );
  });

  it('shows a hostile SNI as plain text in the label and as a code span in the tooltip', async () => {
    await openLogs(sniFixture(FILE_A));
    const node = root(HOSTILE);
    const resolved = (await api.sniTree.resolveTreeItem(item(node), node)) as vscode.TreeItem;
    const tooltip = resolved.tooltip as vscode.MarkdownString;
    assert.notEqual(tooltip.isTrusted, true);
    assert.equal(tooltip.value.split('\n')[0], `**SNI** \` ${HOSTILE} \``);
    // Outside code spans no link syntax survives.
    assert.ok(!tooltip.value.replace(/` [^`]* `/g, '').includes('](command:'));
    const entry = children(node)[0];
    const entryTooltip = (await api.sniTree.resolveTreeItem(item(entry), entry)) as vscode.TreeItem;
    const entryMd = entryTooltip.tooltip as vscode.MarkdownString;
    assert.notEqual(entryMd.isTrusted, true);
    assert.ok(entryMd.value.includes(`- **SNI:** \` ${HOSTILE} \``));
    assert.ok(!entryMd.value.replace(/` [^`]* `/g, '').includes('](command:'));
  });

  it('labels entries of files that are not open from the model alone, and opens them on selection', async () => {
    // As a folder scan does: entries of a file that no editor holds.
    const key = sniFixture(FILE_A).toString();
    api.sniModel.addEntries(
      key,
      [
        {
          line: 1,
          entry: {
            kind: 'revocation',
            sni: 'scanned.example.com',
            status: 'REVOKED',
            action: 'DROP',
            firewallName: 'egress-fw',
            timeMs: Date.UTC(2024, 6, 2, 18, 10, 10),
          },
        },
      ],
      { name: FILE_A },
    );
    try {
      const [entry] = children(
        await treeSettles(() => children().find((n) => label(n) === 'scanned.example.com'), 'the scanned SNI to show'),
      );
      assert.deepEqual(rows([entry]), [['2024-07-02 18:10:10', 'Revoked · line 2']]);
      const resolved = api.sniTree.resolveTreeItem(item(entry), entry);
      assert.equal(
        (resolved.tooltip as vscode.MarkdownString).value,
        [
          `**Revoked** · \` ${FILE_A} \` line 2`,
          '',
          '- **Time:** 2024-07-02 18:10:10 UTC',
          '- **SNI:** ` scanned.example.com `',
          '- **Firewall:** ` egress-fw `',
          '',
          "*Select the entry to open the file and read the entry's other fields.*",
        ].join('\n'),
      );
      const command = item(entry).command;
      assert.ok(command);
      await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.toString(), key);
      assert.deepEqual(selectionOf(editor), cursorAt(1));
    } finally {
      api.sniModel.removeSource(key);
    }
  });

  it('reveals the next and previous entry of an SNI from the cursor, wrapping around', async () => {
    const [a] = await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    const editorA = await vscode.window.showTextDocument(a.document);
    placeCursor(editorA, 0);
    const lines: number[] = [];
    for (let i = 0; i < 5; i++) {
      await vscode.commands.executeCommand('nfwTlsLogs.sniTree.revealNext');
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor);
      assert.equal(editor.document.uri.toString(), a.document.uri.toString());
      const line = editor.selection.start.line;
      assert.deepEqual(selectionOf(editor), cursorAt(line));
      lines.push(line);
    }
    // api.example.com is on lines 1, 4, 7 (TLS errors) and 9 (unknown) of file A.
    assert.deepEqual(lines, [3, 6, 8, 0, 3]);
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.revealPrevious');
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.revealPrevious');
    assert.deepEqual(selectionOf(vscode.window.activeTextEditor), cursorAt(8));

    // From a node: the revoked group's next entry after line 9 wraps to line 2.
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.revealNext', root('revoked-rsa-dv.ssl.com'));
    assert.deepEqual(selectionOf(vscode.window.activeTextEditor), cursorAt(1));
    // From a kind node: only that kind is visited.
    const unknownKind = children(root('api.example.com'))[1];
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.revealPrevious', unknownKind);
    assert.deepEqual(selectionOf(vscode.window.activeTextEditor), cursorAt(8));
    // An SNI that the active file does not hold: its first entry in the file that does.
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.revealNext', root('unknown-ca.example.com'));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.ok(editor.document.fileName.endsWith(FILE_B));
    assert.deepEqual(selectionOf(editor), cursorAt(2));
  });

  it('filters by text and kind and sorts by count, name and latest', async () => {
    await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.filterText', 'EXAMPLE');
    assert.deepEqual(children().map(label), ['api.example.com', 'ocsp-down.example.com', 'unknown-ca.example.com']);
    assert.equal(api.sniTreeView.description, '3 of 6 SNIs · by count');
    assert.equal(api.sniTreeView.message, 'Filtered: SNI contains "EXAMPLE". 3 of 6 SNIs shown.');

    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.filterText', '');
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.filterKind', 'revoked');
    assert.deepEqual(children().map(label), ['revoked-rsa-dv.ssl.com']);
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.filterKind', 'unknown');
    assert.deepEqual(children().map(label), ['api.example.com', 'ocsp-down.example.com', 'unknown-ca.example.com']);
    // Only the unknown entry of api.example.com is left, listed directly.
    assert.deepEqual(rows(children(root('api.example.com'))), [
      ['2024-07-02 18:11:10  10.0.2.53 → 54.92.160.72:443', `REJECT · line 9 · ${FILE_A}`],
    ]);
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.filterKind', 'errors');
    assert.deepEqual(children().map(label), ['api.example.com', '(no SNI in client hello)', HOSTILE]);
    assert.equal(api.sniTreeView.message, 'Filtered: only tls errors. 3 of 6 SNIs shown.');

    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.clearFilter');
    assert.equal(children().length, 6);
    assert.equal(api.sniTreeView.message, undefined);

    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.sort', 'name');
    assert.deepEqual(children().map(label), [
      '(no SNI in client hello)',
      'api.example.com',
      HOSTILE,
      'ocsp-down.example.com',
      'revoked-rsa-dv.ssl.com',
      'unknown-ca.example.com',
    ]);
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.sort', 'latest');
    assert.deepEqual(children().map(label), [
      'unknown-ca.example.com',
      'revoked-rsa-dv.ssl.com',
      '(no SNI in client hello)',
      'api.example.com',
      HOSTILE,
      'ocsp-down.example.com',
    ]);
    assert.equal(api.sniTreeView.description, '6 SNIs · by latest');
  });

  it('groups by file and by firewall', async () => {
    await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.groupBy', 'source');
    const files = children();
    assert.deepEqual(rows(files), [
      [FILE_A, '5 SNIs, 9 entries'],
      [FILE_B, '4 SNIs, 4 entries'],
    ]);
    assert.deepEqual(rows(children(files[1])), [
      ['(no SNI in client hello)', '1 TLS error'],
      ['api.example.com', '1 TLS error'],
      ['revoked-rsa-dv.ssl.com', '1 revoked'],
      ['unknown-ca.example.com', '1 unknown'],
    ]);
    const [entry] = children(children(files[1])[2]);
    assert.equal(item(entry).description, 'REJECT · line 4');
    assert.equal(api.sniTree.getParent(entry)?.id, children(files[1])[2].id);
    assert.equal(api.sniTree.getParent(children(files[1])[2])?.id, files[1].id);

    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.groupBy', 'firewall');
    assert.deepEqual(rows(children()), [
      ['egress-fw', '5 SNIs, 9 entries'],
      ['ingress-fw', '4 SNIs, 4 entries'],
    ]);
  });

  it('updates the counts as a file is edited, and drops its entries when it closes', async () => {
    const dir = makeTempDir('nfw-sni-edit-');
    const copyPath = join(dir, FILE_A);
    copyFileSync(sniFixture(FILE_A).fsPath, copyPath);
    const before = readFileSync(copyPath);
    const [opened] = await openLogs(vscode.Uri.file(copyPath), sniFixture(FILE_B));
    const document = opened.document;
    const editor = await vscode.window.showTextDocument(document);
    assert.equal(item(root('revoked-rsa-dv.ssl.com')).description, '3 revoked');

    // Line 2: REVOKED becomes UNKNOWN.
    const line1 = document.lineAt(1).text;
    const at = line1.indexOf('"REVOKED"');
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(1, at + 1, 1, at + 8), 'UNKNOWN')));
    await treeSettles(
      () => item(root('revoked-rsa-dv.ssl.com')).description === '3: 2 revoked, 1 unknown',
      'the edited status to be counted',
    );

    // Delete the hostile line (8) and add a new SNI at the top: the rest moves down a line.
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(7, 0, 8, 0))));
    const fresh = document.lineAt(0).text.replace(/api\.example\.com/g, 'fresh.example.com');
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), fresh + '\n')));
    await treeSettles(
      () => children().some((n) => label(n) === 'fresh.example.com') && !children().some((n) => label(n) === HOSTILE),
      'the inserted and deleted lines to show',
    );
    assert.deepEqual(rows(children()), [
      ['api.example.com', '5: 4 TLS errors, 1 unknown'],
      ['revoked-rsa-dv.ssl.com', '3: 2 revoked, 1 unknown'],
      ['(no SNI in client hello)', '2 TLS errors'],
      ['fresh.example.com', '1 TLS error'],
      ['ocsp-down.example.com', '1 unknown'],
      ['unknown-ca.example.com', '1 unknown'],
    ]);
    const apiErrors = children(children(root('api.example.com'))[0]);
    // Entries are in (file URI, line) order; where the copy sits relative to the fixtures depends on the checkout's path.
    const inA = [`name mismatch · line 2 · ${FILE_A}`, `name mismatch · line 5 · ${FILE_A}`, `name mismatch · line 8 · ${FILE_A}`];
    const inB = [`name mismatch · line 1 · ${FILE_B}`];
    const aFirst = vscode.Uri.file(copyPath).toString() < sniFixture(FILE_B).toString();
    assert.deepEqual(
      apiErrors.map((n) => item(n).description),
      aFirst ? [...inA, ...inB] : [...inB, ...inA],
    );

    await vscode.commands.executeCommand('workbench.action.files.revert');
    await treeSettles(() => children().some((n) => label(n) === HOSTILE), 'the reverted file to be regrouped');
    assert.deepEqual(readFileSync(copyPath), before, 'the log file on disk changed');

    // Close file B: its entries go.
    await vscode.window.showTextDocument(sniFixture(FILE_B));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await treeSettles(() => api.sniModel.sourceKeys().length === 1, 'file B to leave the model');
    assert.deepEqual(rows(children()), [
      ['api.example.com', '4: 3 TLS errors, 1 unknown'],
      ['revoked-rsa-dv.ssl.com', '2 revoked'],
      ['(no SNI in client hello)', '1 TLS error'],
      [HOSTILE, '1 TLS error'],
      ['ocsp-down.example.com', '1 unknown'],
    ]);
  });

  it('copies an SNI and all failing SNIs', async () => {
    await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.copySni', root(HOSTILE));
    assert.equal(await vscode.env.clipboard.readText(), HOSTILE);
    const entry = children(root('ocsp-down.example.com'))[0];
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.copySni', entry);
    assert.equal(await vscode.env.clipboard.readText(), 'ocsp-down.example.com');
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.copyFailingSnis');
    assert.equal(
      await vscode.env.clipboard.readText(),
      ['api.example.com', 'revoked-rsa-dv.ssl.com', HOSTILE, 'ocsp-down.example.com', 'unknown-ca.example.com'].join('\n'),
    );
  });

  it('exports the SNIs the view shows as CSV and Markdown, with first and last seen, destinations, firewalls and actions', async () => {
    await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    const dir = makeTempDir('nfw-sni-export-');
    const csvUri = vscode.Uri.file(join(dir, 'snis.csv'));
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>('nfwTlsLogs.sniTree.exportCsv', csvUri);
    assert.equal(saved?.fsPath, csvUri.fsPath);
    const lines = readFileSync(csvUri.fsPath, 'utf8').split('\r\n');
    assert.equal(lines.pop(), '', 'CRLF after the last record');
    const header = lines[0].split(',');
    assert.deepEqual(header.slice(0, 2), ['sni', 'entries']);
    for (const column of ['firstSeen', 'lastSeen', 'destinations', 'firewalls', 'pass', 'drop', 'reject'])
      assert.ok(header.includes(column), column);
    const records = lines.slice(1).map((l) => l.split(','));
    // The view's order (most entries first), "-" spelled as the view spells it.
    assert.deepEqual(
      records.map((r) => [r[0], r[1]]),
      [
        ['api.example.com', '5'],
        ['revoked-rsa-dv.ssl.com', '3'],
        ['(no SNI in client hello)', '2'],
        [HOSTILE, '1'],
        ['ocsp-down.example.com', '1'],
        ['unknown-ca.example.com', '1'],
      ],
    );
    const col = (name: string): number => header.indexOf(name);
    const revoked = records[1];
    assert.equal(revoked[col('revoked')], '3');
    assert.match(revoked[col('firstSeen')], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(revoked[col('lastSeen')] >= revoked[col('firstSeen')]);
    assert.notEqual(revoked[col('destinations')], '');
    assert.notEqual(revoked[col('firewalls')], '');
    assert.equal(
      ['pass', 'drop', 'reject', 'otherAction'].reduce((n, c) => n + Number(revoked[col(c)]), 0),
      3,
      'every revocation check has its action',
    );
    assert.equal(records[0][col('unknown')], '1');

    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.filterKind', 'revoked');
    const mdUri = vscode.Uri.file(join(dir, 'snis.md'));
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.exportMarkdown', mdUri);
    const md = readFileSync(mdUri.fsPath, 'utf8').split('\n');
    assert.deepEqual(md.slice(0, 4), ['# SNIs in 2 TLS log files', '', 'Filtered: only revoked.', '']);
    assert.match(
      md[4],
      /^\| SNI \| Entries \| REVOKED \| UNKNOWN \| TLS errors \| First seen \| Last seen \| Destinations \| Firewalls \|/,
    );
    const rows = md.slice(6).filter((l) => l.startsWith('|'));
    assert.equal(rows.length, 1, 'only the SNI the filter keeps');
    // Values are code spans, not a backslash before every "." and "-".
    assert.match(rows[0], /^\| ` revoked-rsa-dv\.ssl\.com ` \| 3 \| 3 \| 0 \| 0 \| /);

    // Copy All Failing SNIs follows the view's filter too.
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.copyFailingSnis');
    assert.equal(await vscode.env.clipboard.readText(), 'revoked-rsa-dv.ssl.com');
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.clearFilter');
  });

  it('reveals the node of the entry under the cursor, through pages of a big group', async () => {
    const dir = makeTempDir('nfw-sni-big-');
    const path = join(dir, '111122223333_network-firewall_tls_us-east-1_bulk-fw_20240702T1820Z_0f0f0f0f.log');
    const template = readFileSync(sniFixture(FILE_A).fsPath, 'utf8')
      .split('\n')[0]
      .replace(/api\.example\.com/g, 'bulk.example.com');
    writeFileSync(path, Array.from({ length: 450 }, () => template).join('\n') + '\n');
    const [editor] = await openLogs(vscode.Uri.file(path));
    const group = root('bulk.example.com');
    assert.equal(item(group).description, '450 TLS errors');
    const firstPage = children(group);
    assert.equal(firstPage.length, 201);
    const more = firstPage[200];
    assert.deepEqual(rows([more]), [['250 more entries', 'from #201']]);
    assert.equal(children(more).length, 201);

    placeCursor(editor, 420);
    assert.equal(await vscode.commands.executeCommand('nfwTlsLogs.sniTree.revealCurrentEntry'), 'revealed');
    const selected = await waitFor(
      api.sniTreeView.onDidChangeSelection,
      () => api.sniTreeView.selection.find((n) => n.type === 'entry'),
      10_000,
      'the tree to select the entry',
    );
    assert.equal(selected.type === 'entry' && selected.entry.line, 420);
    assert.equal(api.sniTreeView.visible, true);
    const chain: string[] = [];
    for (let n: TreeNode | undefined = selected; n !== undefined; n = api.sniTree.getParent(n) as TreeNode | undefined)
      chain.push(label(n));
    assert.deepEqual(chain.slice(1), ['50 more entries', '250 more entries', 'bulk.example.com']);
  });

  it('follows the cursor when the setting is on', async () => {
    const config = vscode.workspace.getConfiguration('nfwTlsLogs');
    await config.update('tree.followCursor', true, vscode.ConfigurationTarget.Global);
    try {
      const [a] = await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
      await vscode.commands.executeCommand('nfwTlsLogs.sniTree.focus');
      const editor = await vscode.window.showTextDocument(a.document);
      placeCursor(editor, 4);
      const selected = await waitFor(
        api.sniTreeView.onDidChangeSelection,
        () => api.sniTreeView.selection.find((n) => n.type === 'entry' && n.entry.line === 4),
        10_000,
        'the tree to follow the cursor to line 5',
      );
      assert.equal(selected.type === 'entry' && selected.entry.sni, 'ocsp-down.example.com');
    } finally {
      await config.update('tree.followCursor', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('renders the expanded tree', async function () {
    if (!canCaptureWorkbench()) this.skip();
    const [a] = await openLogs(sniFixture(FILE_A), sniFixture(FILE_B));
    const editor = await vscode.window.showTextDocument(a.document);
    placeCursor(editor, 6);
    assert.equal(await vscode.commands.executeCommand('nfwTlsLogs.sniTree.revealCurrentEntry'), 'revealed');
    await api.sniTreeView.reveal(root('revoked-rsa-dv.ssl.com'), { expand: true, select: false, focus: false });
    await api.sniTreeView.reveal(root(HOSTILE), { expand: true, select: false, focus: false });
    const rendered = await requestDom(VIEW_ROWS);
    // innerText runs a row's label and description together.
    assert.deepEqual(rendered.slice(0, 4), [
      'api.example.com5: 4 TLS errors, 1 unknown',
      'TLS errors4',
      `2024-07-02 18:10:05  10.0.2.53 → 54.92.160.72:443name mismatch · line 1 · ${FILE_A}`,
      `2024-07-02 18:10:20  10.0.2.53 → 54.92.160.72:443name mismatch · line 4 · ${FILE_A}`,
    ]);
    assert.ok(rendered.includes(`${HOSTILE}1 TLS error`), `rows: ${rendered.join(' | ')}`);
    // Narrow the editor so that the sidebar shows labels and descriptions in full, and give it back afterwards.
    const steps = 6;
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    for (let i = 0; i < steps; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    try {
      await requestScreenshot(screenshotPath('sni-tree'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      for (let i = 0; i < steps; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
    }
  });
});
