import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { writeLog, writeS3Tree } from '../../bench/generate';
import { collectLogFiles, checkFile } from '../../src/core/report/report';
import { SniModel } from '../../src/core/sni/sniModel';
import { scanFiles } from '../../src/core/threads/scanPool';
import { GZIP_RATIO, SPLIT_MIN_BYTES } from '../../src/core/threads/splitFile';
import { closeAllEditors, describeStalls, EXTENSION_ID, maxOnCpu, makeTempDir, waitFor, waitForDiagnostics, watchEventLoop } from './util';

interface Api {
  sniModel: SniModel;
}

function api(): Api {
  const exports = vscode.extensions.getExtension(EXTENSION_ID)?.exports as Api | undefined;
  assert.ok(exports, 'the extension exports its API');
  return exports;
}

describe('files on disk: folders and files past the 50 MB limit', function () {
  this.timeout(180_000);
  const dir = makeTempDir('nfw-disk-');

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });
  afterEach(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
  });

  it('scans a download folder in the S3 layout and fills the SNI model with every entry', async () => {
    const root = join(dir, 'download');
    await writeS3Tree(root, 3 * 1024 * 1024, { malformed: 0.01, seed: 5 });
    // What the command line finds in the same folder, through the same engine.
    const { files } = await collectLogFiles([root]);
    assert.ok(files.length >= 3, `the tree holds several files (${files.length})`);
    const expected = await Promise.all(files.map((f) => checkFile(f)));
    const expectedEntries = expected.reduce((n, r) => n + r.entries, 0);
    const expectedErrors = expected.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'error').length, 0);

    const summary = await vscode.commands.executeCommand<{ files: number; entries: number; errors: number; cancelled: boolean }>(
      'nfwTlsLogs.scanFolder',
      vscode.Uri.file(root),
    );
    assert.equal(summary.cancelled, false);
    assert.equal(summary.files, files.length);
    assert.equal(summary.entries, expectedEntries);
    assert.equal(summary.errors, expectedErrors);

    const model = api().sniModel;
    const keys = files.map((f) => vscode.Uri.file(f).toString());
    for (const key of keys) assert.ok(model.sourceKeys().includes(key), `${key} is a source of the SNI view`);
    const scanned = keys.reduce((n, k) => n + model.sourceEntries(k), 0);
    assert.equal(scanned, expectedEntries);
    // The per-SNI counts agree with the command line's summary of the same files.
    const bySni = new Map<string | null, number>();
    for (const r of expected) for (const s of r.snis) bySni.set(s.sni, (bySni.get(s.sni) ?? 0) + s.entries);
    for (const g of model.groups({ scope: { by: 'all' } })) assert.equal(g.entries, bySni.get(g.sni), `entries of ${String(g.sni)}`);

    // Each file's problems are in the Problems panel.
    const withErrors = expected.findIndex((r) => r.problems.some((p) => p.severity === 'error'));
    assert.ok(withErrors >= 0);
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(files[withErrors]));
    assert.equal(diagnostics.length, expected[withErrors].problems.length);
  });

  it('scans a folder with a big .log.gz (read in runs on 3 cores or more): the SNI model and problems of one pass', async () => {
    const root = join(dir, 'gz-download');
    const big = join(root, '111122223333_network-firewall_tls_us-east-1_gz-fw_20240702T1805Z_9a9a9a9a.log.gz');
    // 24 MB of text, some 3 MB compressed: past the 2 MB from which a .log.gz is read in runs where the machine has the cores.
    await writeLog(big, 24 * 1024 * 1024, { malformed: 0.002, seed: 13, gzip: true });
    const expected = await checkFile(big);
    assert.ok(statSync(big).size >= SPLIT_MIN_BYTES / GZIP_RATIO);
    const summary = await vscode.commands.executeCommand<{ files: number; entries: number; errors: number; cancelled: boolean }>(
      'nfwTlsLogs.scanFolder',
      vscode.Uri.file(root),
    );
    assert.equal(summary.cancelled, false);
    assert.equal(summary.entries, expected.entries);
    const key = vscode.Uri.file(big).toString();
    const model = api().sniModel;
    assert.equal(model.sourceEntries(key), expected.entries);
    // The same scan with splitting off: one worker reads the file in one pass.
    const reference = new SniModel();
    const workerPath = join(vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '', 'dist', 'worker.js');
    await scanFiles([big], {
      workerPath,
      mode: 'entries',
      maxProblems: 1000,
      splitBytes: Number.POSITIVE_INFINITY,
      onEntries: (_index, _path, batch) => reference.addBatch(key, batch),
    });
    const scope = { by: 'source' as const, source: key };
    assert.deepEqual(model.groups({ scope }), reference.groups({ scope }));
    for (const g of reference.groups({ scope }).slice(0, 5))
      assert.deepEqual(
        model.entriesOf(g.sni, g.worst, 0, 200, { order: 'line', scope }),
        reference.entriesOf(g.sni, g.worst, 0, 200, { order: 'line', scope }),
        `entries of ${String(g.sni)}`,
      );
    const errors = expected.problems.filter((p) => p.severity === 'error').length;
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(big));
    assert.equal(diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, Math.min(errors, 999));
  });

  it('scans a plain log over 50 MB from disk when it is opened, for diagnostics and the SNI view', async () => {
    const big = join(dir, '111122223333_network-firewall_tls_us-east-1_big-fw_20240702T1805Z_b16b16b1.log');
    await writeLog(big, 55 * 1024 * 1024, { malformed: 0.002, seed: 9 });
    const expected = await checkFile(big);
    const uri = vscode.Uri.file(big);
    // With the SNI view showing, everything the scan costs this thread is measured: merging the workers'
    // batches into the model, publishing diagnostics, redrawing the view.
    await vscode.commands.executeCommand('nfwTlsLogs.sniTree.focus');
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const watch = watchEventLoop();
    const started = performance.now();
    await vscode.commands.executeCommand('vscode.open', uri);
    // VS Code does not hand this document to extensions: the results come from the scan.
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()));
    const diagnostics = await waitForDiagnostics(uri, (d) => d.length > 0, 120_000);
    const errors = expected.problems.filter((p) => p.severity === 'error').length;
    assert.equal(diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, Math.min(errors, 999));
    const model = api().sniModel;
    await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      () => model.sourceEntries(uri.toString()) === expected.entries,
      30_000,
      'all entries in the SNI model',
    );
    histogram.disable();
    const stalls = watch.stop();

    // The file is past the size that is split: the workers read it in parts, and the model holds what one
    // pass over the file puts in it (the same scan with splitting off), and the counts of the command line.
    assert.ok(expected.read.textBytes >= 2 * SPLIT_MIN_BYTES);
    const key = uri.toString();
    const reference = new SniModel();
    const workerPath = join(vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '', 'dist', 'worker.js');
    const onePass = await scanFiles([big], {
      workerPath,
      mode: 'entries',
      maxProblems: 1000,
      splitBytes: Number.POSITIVE_INFINITY,
      onEntries: (_index, _path, batch) => reference.addBatch(key, batch),
    });
    assert.equal(onePass[0].entries, expected.entries);
    const scope = { by: 'source' as const, source: key };
    const all = { scope };
    assert.deepEqual(model.groups(all), reference.groups(all));
    const rows = (
      list: readonly { sni: string | null; entries: number; tlsErrors: number; revoked: number; unknown: number }[],
    ): string[] => list.map((r) => JSON.stringify([r.sni, r.entries, r.tlsErrors, r.revoked, r.unknown])).sort();
    assert.deepEqual(rows(model.groups(all)), rows(expected.snis));
    for (const g of reference.groups(all).slice(0, 5)) {
      assert.deepEqual(model.details(g.sni, scope), reference.details(g.sni, scope), `details of ${String(g.sni)}`);
      for (const order of ['time', 'line'] as const)
        assert.deepEqual(
          model.entriesOf(g.sni, g.worst, 0, 200, { order, scope }),
          reference.entriesOf(g.sni, g.worst, 0, 200, { order, scope }),
          `entries of ${String(g.sni)} by ${order}`,
        );
    }
    const maxMs = histogram.max / 1e6;
    console.log(
      `  ${expected.entries} entries scanned in ${((performance.now() - started) / 1000).toFixed(1)} s; event loop delay max ${maxMs.toFixed(1)} ms, ` +
        `p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms, mean ${(histogram.mean / 1e6).toFixed(1)} ms\n  ${describeStalls(stalls)}`,
    );
    // Merging batches, publishing and redrawing work in short turns: no stall holds much work of this thread.
    const cpu = maxOnCpu(stalls);
    assert.ok(Number.isNaN(cpu) || cpu < 150, `this thread worked for ${cpu.toFixed(0)} ms without letting the event loop turn`);

    // The severity setting applies to the scanned file too: it is scanned again.
    const code = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);
    assert.ok(diagnostics.some((d) => code(d) === 'invalid-json'));
    const config = vscode.workspace.getConfiguration('nfwTlsLogs');
    try {
      await config.update('diagnostics.severity', { 'invalid-json': 'off' }, vscode.ConfigurationTarget.Global);
      const after = await waitForDiagnostics(uri, (d) => d.length > 0 && !d.some((x) => code(x) === 'invalid-json'), 120_000);
      assert.ok(
        after.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
        'other errors stay',
      );
    } finally {
      await config.update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
