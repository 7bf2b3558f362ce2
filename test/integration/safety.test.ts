import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { writeLog } from '../../bench/generate';
import { checkFile } from '../../src/core/report/report';
import {
  closeAllEditors,
  describeStalls,
  EXTENSION_ID,
  maxOnCpu,
  makeTempDir,
  measureLoop,
  openDocument,
  repoRoot,
  waitForDiagnostics,
} from './util';

/** SHA-256 of every file under a folder, by path. */
function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

function withTimeout<T>(promise: Thenable<T>, ms: number): Promise<T | 'timed out'> {
  return Promise.race([Promise.resolve(promise), new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms))]);
}

describe('safety', function () {
  this.timeout(180_000);
  afterEach(closeAllEditors);

  it('never writes to a log file, whatever command runs', async () => {
    const samples = join(repoRoot(), 'samples');
    const before = hashTree(samples);
    assert.ok(before.size >= 3);
    const logs = [...before.keys()].filter((p) => p.endsWith('.log'));
    for (const p of logs) await openDocument(vscode.Uri.file(p));
    const gz = [...before.keys()].find((p) => p.endsWith('.log.gz'));
    assert.ok(gz);

    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } };
    const commands = manifest.contributes.commands.map((c) => c.command);
    // Arguments for commands that would otherwise ask; the rest run as from the palette.
    const args: Record<string, unknown[]> = {
      'nfwTlsLogs.openGzipLog': [vscode.Uri.file(gz)],
      'nfwTlsLogs.scanFolder': [vscode.Uri.file(samples)],
      'nfwTlsLogs.sniTree.filterText': ['example'],
      'nfwTlsLogs.sniTree.filterKind': ['failing'],
      'nfwTlsLogs.sniTree.sort': ['latest'],
      'nfwTlsLogs.sniTree.groupBy': ['source'],
    };
    const ran: string[] = [];
    for (const command of commands) {
      await vscode.window.showTextDocument(vscode.Uri.file(logs[0]), { preview: false });
      const result = await withTimeout(
        vscode.commands.executeCommand(command, ...(args[command] ?? [])).then(
          () => 'ok',
          (err: unknown) => `failed: ${String(err)}`,
        ),
        5_000,
      );
      // A command that opened a picker or an input box waits for the user: dismiss it.
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      ran.push(`${command}: ${result}`);
    }
    console.log(`  ran ${ran.length} commands:\n    ${ran.join('\n    ')}`);
    assert.equal(ran.length, commands.length);
    // Every open editor is unchanged: nothing was edited into a log file either.
    for (const d of vscode.workspace.textDocuments)
      if (d.uri.scheme === 'file' && d.uri.fsPath.startsWith(samples)) assert.equal(d.isDirty, false, `${d.uri.fsPath} was edited`);
    // Exports opened untitled documents; close them without a save prompt.
    for (const d of vscode.workspace.textDocuments.filter((x) => x.isUntitled)) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await closeAllEditors();
    assert.deepEqual(hashTree(samples), before, 'a sample file changed on disk');
  });

  it('keeps the extension host responsive while a large file is validated', async () => {
    const dir = makeTempDir('nfw-busy-');
    const file = join(dir, '111122223333_network-firewall_tls_us-east-1_busy-fw_20240702T1805Z_0b5e55ed.log');
    await writeLog(file, 30 * 1024 * 1024, { malformed: 0.01, seed: 3 });
    const { entries, problems } = await checkFile(file);

    // The baseline: the same text opened and shown as plain text, which the extension does not read (its
    // first line is not a log entry and its name not a log's), so the event loop waits only on the workbench.
    const plainFile = join(dir, 'busy-baseline.txt');
    writeFileSync(plainFile, `not a log\n${readFileSync(file, 'utf8')}`);
    const plain = await vscode.workspace.openTextDocument(vscode.Uri.file(plainFile));
    assert.equal(plain.languageId, 'plaintext');
    const baseline = measureLoop();
    await vscode.window.showTextDocument(plain);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const base = baseline.stop();
    assert.equal(plain.languageId, 'plaintext');
    await closeAllEditors();

    const api = vscode.extensions.getExtension(EXTENSION_ID)?.exports as { sniModel: { sourceEntries(key: string): number } };
    const settings = vscode.workspace.getConfiguration('nfwTlsLogs');
    const lists: Array<Array<[number, number, string, string]>> = [];
    try {
      // Where the parse runs by default on this machine, then on the worker thread and on the extension host.
      for (const mode of ['auto', 'always', 'never'] as const) {
        await settings.update('parse.workerThread', mode === 'auto' ? undefined : mode, vscode.ConfigurationTarget.Global);
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        assert.equal(document.languageId, 'nfw-tls-log');
        const measured = measureLoop();
        const started = performance.now();
        await vscode.window.showTextDocument(document);
        // Every problem published (the file has fewer than the 1000 a file shows at most).
        const published = await waitForDiagnostics(document.uri, (d) => d.length === Math.min(problems.length, 1000), 120_000);
        await new Promise<void>((resolve, reject) => {
          const deadline = Date.now() + 60_000;
          const poll = (): void => {
            if (api.sniModel.sourceEntries(document.uri.toString()) === entries) resolve();
            else if (Date.now() > deadline) reject(new Error('the SNI view did not fill'));
            else setTimeout(poll, 20);
          };
          poll();
        });
        const elapsed = performance.now() - started;
        const run = measured.stop();
        lists.push(published.map((d) => [d.range.start.line, d.range.start.character, String(d.code), d.message]));
        const where =
          mode === 'auto'
            ? `by default (${availableParallelism()} CPUs)`
            : mode === 'always'
              ? 'on the worker thread'
              : 'on the extension host';
        console.log(
          `  parsed ${where}: ${document.lineCount} lines (${(statSync(file).size / 1024 / 1024).toFixed(0)} MB) checked and grouped in ${(elapsed / 1000).toFixed(2)} s; ` +
            `event loop delay ${run.summary}\n  ${describeStalls(run.stalls)}`,
        );
        // On this 2-core machine the histogram shows stalls of 40-200 ms, as the baseline does without any of
        // the extension's work: the thread waits for a CPU that the workbench's browser and server hold (and,
        // with the worker, that thread too). The bound catches any step that would hold the thread for a
        // whole document (a synchronous parse of this file takes seconds).
        assert.ok(run.maxMs < 400, `the event loop was blocked for ${run.maxMs.toFixed(1)} ms at once`);
        // The work done on this thread in any one stall (the extension's steps, the host's own calls, and
        // garbage collection) has been at most 42 ms, and up to 63 ms after the rest of the suite, when
        // young-generation collections of a fuller heap took up to 80 ms. The bound leaves room for that and
        // still fails on any step of the extension's that runs long.
        const cpu = maxOnCpu(run.stalls);
        assert.ok(Number.isNaN(cpu) || cpu < 100, `this thread worked for ${cpu.toFixed(0)} ms without letting the event loop turn`);
        await closeAllEditors();
        // Its problems go with its tab, so the next round waits for a parse of its own.
        await waitForDiagnostics(document.uri, (d) => d.length === 0);
      }
    } finally {
      await settings.update('parse.workerThread', undefined, vscode.ConfigurationTarget.Global);
    }
    console.log(
      `  baseline, the same text shown as plain text for 2.5 s: event loop delay ${base.summary}\n  ${describeStalls(base.stalls)}`,
    );
    // Wherever the parse ran, the problems are the same.
    assert.deepEqual(lists[1], lists[2]);
    assert.deepEqual(lists[0], lists[2]);
  });
});
