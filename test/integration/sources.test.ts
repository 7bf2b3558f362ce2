import * as assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { checkFile, collectLogFiles } from '../../src/core/report/report';
import type { ExtensionApi } from '../../src/extension';
import { closeAllEditors, EXTENSION_ID, fixtureUri, makeTempDir, repoRoot, waitFor, waitForDiagnostics } from './util';

/**
 * One file, one source: an open log, a `.log.gz` view and a folder scan of the same files never show a
 * file twice or keep what is no longer true. Each case runs on a copy of the bundled samples.
 */
const EGRESS_DIR = 'AWSLogs/111122223333/network-firewall/tls/us-east-1/egress-fw/2024/07/02/18';
const LOG_1805 = `${EGRESS_DIR}/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_a1b2c3d4.log`;
const GZ_1810 = `${EGRESS_DIR}/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1810Z_9c0d1e2f.log.gz`;

interface ScanSummary {
  files: number;
  entries: number;
  errors: number;
  cancelled: boolean;
}

async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.activate();
}

/** A fresh copy of samples/. */
function samplesCopy(): string {
  const dir = join(makeTempDir('nfw-sources-'), 'samples');
  cpSync(join(repoRoot(), 'samples'), dir, { recursive: true });
  return dir;
}

/** Every diagnostic VS Code holds for files whose path is `path` (any scheme, any collection). */
function diagnosticsOfPath(path: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics()
    .filter(([uri]) => uri.path === path)
    .flatMap(([, d]) => d);
}

function documentWithScheme(scheme: string, path: string): Promise<vscode.TextDocument> {
  return waitFor(
    vscode.workspace.onDidOpenTextDocument,
    () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === scheme && d.uri.path === path && d.languageId === 'nfw-tls-log'),
    15_000,
    `a ${scheme} document for ${path}`,
  );
}

async function openGz(file: string): Promise<vscode.TextDocument> {
  await vscode.commands.executeCommand('nfwTlsLogs.openGzipLog', vscode.Uri.file(file));
  return documentWithScheme('nfw-tls-gz', file.replace(/\.gz$/, ''));
}

describe('one source per file', function () {
  this.timeout(90_000);
  let api: ExtensionApi;
  const inModel = (file: string): boolean => api.sniModel.sourceKeys().includes(vscode.Uri.file(file).toString());
  const modelChanged: vscode.Event<unknown> = (listener) => ({ dispose: api.sniModel.onDidChange(() => listener(undefined)) });

  before(async () => {
    api = await extensionApi();
  });
  afterEach(async () => {
    for (const d of vscode.workspace.textDocuments) {
      if (!d.isDirty) continue;
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await closeAllEditors();
    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
  });

  it('an open log and a scan of its folder list each problem once, and a fix clears it', async () => {
    const samples = samplesCopy();
    const file = join(samples, LOG_1805);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await waitForDiagnostics(document.uri, (d) => d.length === 9, 20_000);
    const summary = await vscode.commands.executeCommand<ScanSummary>('nfwTlsLogs.scanFolder', vscode.Uri.file(samples));
    assert.equal(summary.files, 3);
    assert.equal(diagnosticsOfPath(document.uri.path).length, 9, 'each of the 9 problems once');
    const line = 70;
    const text = document.lineAt(line).text;
    const at = text.indexOf('"dest_port":"70000"');
    assert.ok(at >= 0, 'line 71 holds the out-of-range port');
    await editor.edit((e) => e.replace(new vscode.Range(line, at, line, at + '"dest_port":"70000"'.length), '"dest_port":"443"'));
    await waitForDiagnostics(document.uri, (d) => d.length === 8 && !d.some((x) => x.code === 'invalid-port'), 20_000);
    assert.deepEqual(
      diagnosticsOfPath(document.uri.path).filter((d) => d.code === 'invalid-port'),
      [],
      'no copy of the fixed problem stays',
    );
    assert.equal(diagnosticsOfPath(document.uri.path).length, 8);
  });

  it("closing the log brings its scan's result back; Clear Scanned Files keeps open logs", async () => {
    const samples = samplesCopy();
    const file = join(samples, LOG_1805);
    const gz = join(samples, GZ_1810);
    const { files } = await collectLogFiles([samples]);
    const other = files.find((f) => f !== file && f !== gz) as string;
    await vscode.commands.executeCommand<ScanSummary>('nfwTlsLogs.scanFolder', vscode.Uri.file(samples));
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document, { preview: false });
    await waitForDiagnostics(document.uri, (d) => d.length === 9, 20_000);
    assert.equal(api.sniModel.sourceEntries(vscode.Uri.file(file).toString()), 159, 'the entries of the open log, once');

    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
    assert.ok(inModel(file), 'the open log stays in the SNI view');
    assert.ok(!inModel(gz) && !inModel(other), 'the files only the scan brought in leave');
    assert.equal(diagnosticsOfPath(document.uri.path).length, 9, 'the open log keeps its problems');
    assert.deepEqual(diagnosticsOfPath(vscode.Uri.file(other).path), []);

    // Scanned again and closed: its problems and entries come from the scan, once.
    await vscode.commands.executeCommand<ScanSummary>('nfwTlsLogs.scanFolder', vscode.Uri.file(samples));
    await closeAllEditors();
    await waitFor(
      modelChanged,
      () => api.sniModel.sourceEntries(vscode.Uri.file(file).toString()) === 159,
      20_000,
      'the scan of the closed log back in the model',
    );
    await waitForDiagnostics(document.uri, (d) => d.length === 9, 20_000);
    assert.equal(diagnosticsOfPath(document.uri.path).length, 9);
  });

  it('Refresh SNI View keeps open .log.gz views', async () => {
    const samples = samplesCopy();
    const gz = join(samples, GZ_1810);
    const second = join(samples, LOG_1805 + '.gz');
    writeFileSync(second, gzipSync(readFileSync(join(samples, LOG_1805))));
    await openGz(gz);
    await openGz(second);
    await waitFor(modelChanged, () => inModel(gz) && inModel(second), 20_000, 'both .log.gz files in the SNI model');
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.refresh');
    await waitFor(modelChanged, () => api.sniModel.sourceEntries(vscode.Uri.file(gz).toString()) === 60, 20_000, 'the refreshed entries');
    assert.ok(inModel(gz) && inModel(second), 'both .log.gz files stay after Refresh');
    assert.equal(api.sniModel.sourceEntries(vscode.Uri.file(second).toString()), 159);
    assert.equal(api.sniModel.sourceKeys().length, 2);
  });

  it('an open .log.gz and a scan of its folder count the file once', async () => {
    const samples = samplesCopy();
    const gz = join(samples, GZ_1810);
    const document = await openGz(gz);
    await waitFor(
      modelChanged,
      () => api.sniModel.sourceEntries(vscode.Uri.file(gz).toString()) === 60,
      20_000,
      'the .log.gz in the SNI model',
    );
    await vscode.commands.executeCommand<ScanSummary>('nfwTlsLogs.scanFolder', vscode.Uri.file(samples));
    // What the command line counts in the same three files.
    const { files } = await collectLogFiles([samples]);
    const reports = await Promise.all(files.map((f) => checkFile(f)));
    const expected = new Map<string | null, number>();
    for (const r of reports) for (const s of r.snis) expected.set(s.sni, (expected.get(s.sni) ?? 0) + s.entries);
    assert.equal(api.sniModel.sourceKeys().length, 3, 'three files, three sources');
    assert.equal(
      api.sniModel.totalEntries,
      reports.reduce((n, r) => n + r.entries, 0),
    );
    for (const g of api.sniModel.groups()) assert.equal(g.entries, expected.get(g.sni), `entries of ${String(g.sni)}`);
    const byFile = api.sniModel.containers('source').map((c) => c.meta?.name ?? c.id);
    assert.equal(
      byFile.filter((l) => l.includes('9c0d1e2f')).length,
      1,
      `one node for the file when grouped by file: ${byFile.join(', ')}`,
    );
    assert.ok(byFile.some((l) => l.endsWith('9c0d1e2f.log.gz')));
    assert.deepEqual(diagnosticsOfPath(vscode.Uri.file(gz).path), [], 'the view shows its problems, the .gz file none of its own');
    assert.equal(document.isClosed, false);
  });

  it('the status bar counts what the Problems panel lists for a truncated .log.gz', async () => {
    const document = await openGz(fixtureUri('pathological/truncated.log.gz').fsPath);
    const diagnostics = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.code === 'file-incomplete'), 20_000);
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const text = await waitFor(
      api.statusBar.onDidUpdate,
      () => api.statusBar.visible && /error/.test(api.statusBar.text) && api.statusBar.text,
      10_000,
      'the status bar',
    );
    assert.match(text, new RegExp(`\\$\\(error\\) ${errors} errors? `));
    assert.match(api.statusBar.tooltip, new RegExp(`\\*\\*Problems:\\*\\* ${errors} errors?,`));
  });

  it('scanning the folders again reads only new and changed files, and drops the files that are gone', async () => {
    const samples = samplesCopy();
    const first = await vscode.commands.executeCommand<ScanSummary>('nfwTlsLogs.scanFolder', vscode.Uri.file(samples));
    assert.equal(first.files, 3);
    const files = (await collectLogFiles([samples])).files;
    const changed = join(samples, LOG_1805);
    const unchanged = files.find((f) => f.endsWith('.log.gz')) as string;
    const gone = files.find((f) => f.includes('inspection-fw')) as string;
    assert.ok(unchanged !== undefined && gone !== undefined);
    const added = changed.replace('T1805Z_a1b2c3d4', 'T1815Z_0f0f0f0f');
    const text = readFileSync(changed, 'utf8');
    appendFileSync(changed, `${text.split('\n').slice(0, 5).join('\n')}\n`);
    writeFileSync(added, text);
    rmSync(gone);
    const unchangedEntries = api.sniModel.sourceEntries(vscode.Uri.file(unchanged).toString());
    assert.ok(unchangedEntries > 0);

    const again = await vscode.commands.executeCommand<ScanSummary & { unchanged: number; removed: number }>('nfwTlsLogs.rescanFolders');
    assert.deepEqual({ files: again.files, unchanged: again.unchanged, removed: again.removed }, { files: 2, unchanged: 1, removed: 1 });
    assert.ok(!inModel(gone), 'the deleted file left the SNI view');
    assert.deepEqual(diagnosticsOfPath(vscode.Uri.file(gone).path), [], 'and the Problems panel');
    for (const f of [changed, added])
      assert.equal(api.sniModel.sourceEntries(vscode.Uri.file(f).toString()), (await checkFile(f)).entries, f);
    assert.equal(api.sniModel.sourceEntries(vscode.Uri.file(unchanged).toString()), unchangedEntries);
    assert.equal(diagnosticsOfPath(vscode.Uri.file(added).path).length, (await checkFile(added)).problems.length);

    // Nothing changed since: nothing is read.
    const still = await vscode.commands.executeCommand<ScanSummary & { unchanged: number; removed: number }>('nfwTlsLogs.rescanFolders');
    assert.deepEqual({ files: still.files, unchanged: still.unchanged, removed: still.removed }, { files: 0, unchanged: 3, removed: 0 });
  });

  it('scans folders and log files given as a list, wherever they are', async () => {
    const samples = samplesCopy();
    const elsewhere = makeTempDir('nfw-downloads-');
    const plain = join(elsewhere, 'a.log');
    const gz = join(elsewhere, 'b.log.gz');
    cpSync(join(samples, LOG_1805), plain);
    cpSync(join(samples, GZ_1810), gz);
    const picked = await vscode.commands.executeCommand<ScanSummary>('nfwTlsLogs.scanFolder', [
      vscode.Uri.file(plain),
      vscode.Uri.file(gz),
    ]);
    assert.equal(picked.files, 2);
    assert.equal(picked.entries, 159 + 60);
    // The Explorer passes the clicked item and every selected one.
    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
    const selected = await vscode.commands.executeCommand<ScanSummary>('nfwTlsLogs.scanFolder', vscode.Uri.file(plain), [
      vscode.Uri.file(plain),
      vscode.Uri.file(samples),
    ]);
    assert.equal(selected.files, 4);
  });
});
