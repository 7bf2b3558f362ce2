import { open, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import * as vscode from 'vscode';
import { isTlsLogLine, parseAwsLogName } from '../core/read/detect';
import { formatBytes } from '../core/text';
import { collectLogFiles } from '../core/report/report';
import { scanPickerOptions, scanTargets } from '../core/sources/scanTargets';
import { scanFiles, type ScannedFile } from '../core/threads/scanPool';
import type { SniModel } from '../core/sni/sniModel';
import type { SourceMeta } from '../core/sni/types';
import type { ConfigReader } from './config';
import { toCappedDiagnostics } from './convert';
import { gzipFileUri } from './gzip';
import { Commands, GZIP_SCHEME, Settings } from './ids';
import { sourceMeta } from './sniSources';
import { fileStamp, type LogSources } from './sources';

/** VS Code does not hand documents above this size to extensions. */
export const EXTENSION_HOST_LIMIT = 50 * 1024 * 1024;

/** What a finished scan found, for the command's caller and its message. */
export interface ScanSummary {
  files: number;
  entries: number;
  errors: number;
  warnings: number;
  information: number;
  unreadable: number;
  cancelled: boolean;
}

/** What scanning the folders again did: the files read (new or changed), those left as they were, those gone. */
export interface RescanSummary extends ScanSummary {
  unchanged: number;
  removed: number;
}

/**
 * Reads log files from disk on worker threads, for what the editor cannot hand over: whole download
 * folders, and files above VS Code's 50 MB limit for extensions (plain or `.log.gz`). Each file's result
 * goes into the source registry under the file's identity: its entries into the SNI model as they arrive
 * and its problems (errors first, within the cap) to the diagnostics, unless a document of the file is
 * open, which is then the file's live source. When that document closes, the file is read again. The
 * extension host only merges results.
 */
export class DiskScans implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The scan that is reading each file now, by source key. */
  private readonly running = new Map<string, AbortController>();
  private readonly told = new Set<string>();
  /** Folders scanned since the last clear, to offer scanning them again when the severity setting changes. */
  private readonly folders = new Set<string>();

  constructor(
    private readonly model: SniModel,
    private readonly sources: LogSources,
    private readonly config: ConfigReader,
    private readonly workerPath: string,
  ) {
    this.subscriptions.push(
      {
        dispose: sources.registry.onDidChange(({ id, before, after }) => {
          // Scanned entries of a file whose scan was cleared leave the model.
          if (before === 'scan' && after === undefined) this.model.removeSource(id);
          // A scanned file's document closed: its scan comes back, read again as the file is now.
          if (before === 'document' && after === 'scan') void this.rescan(id);
        }),
      },
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.opened) void this.checkLargeTab(tab);
        for (const tab of e.closed) this.closeLarge(tab);
      }),
      config.onDidChange((change) => {
        if (change.affects(Settings.diagnosticsSeverity)) void this.severityChanged();
      }),
    );
    for (const group of vscode.window.tabGroups.all) for (const tab of group.tabs) void this.checkLargeTab(tab);
  }

  /** Scans every TLS log under folders, and log files (plain or gzip), filling the SNI view; resolves when done or cancelled. */
  async scanFolder(...targets: vscode.Uri[]): Promise<ScanSummary> {
    for (const folder of targets) this.folders.add(folder.toString());
    const { files, unreadable } = await collectLogFiles(targets.map((t) => t.fsPath));
    const uris = files.map((f) => vscode.Uri.file(f));
    const place = placeName(targets);
    const summary = await this.scan(uris, `Scanning ${place} for TLS logs`);
    summary.unreadable += unreadable.length;
    const problems = `${summary.errors} errors, ${summary.warnings} warnings`;
    const what = `${summary.files} TLS log file${summary.files === 1 ? '' : 's'}, ${summary.entries} entries, ${problems}`;
    const missed = summary.unreadable > 0 ? ` ${summary.unreadable} could not be read.` : '';
    void vscode.window.showInformationMessage(summary.cancelled ? `Scan cancelled after ${what}.${missed}` : `Scanned ${what}.${missed}`);
    return summary;
  }

  /**
   * Scans the folders scanned since the last clear again, reading only what changed on disk: files that are
   * new, or whose size or modification time differ from when they were read. Files the folders no longer
   * hold leave the SNI view and the Problems panel. Undefined when no folder has been scanned.
   */
  async rescanFolders(): Promise<RescanSummary | undefined> {
    if (this.folders.size === 0) {
      void vscode.window.showInformationMessage('No folder has been scanned since the scanned files were last cleared.');
      return undefined;
    }
    const roots = [...this.folders].map((f) => vscode.Uri.parse(f));
    const { files, unreadable } = await collectLogFiles(roots.map((r) => r.fsPath));
    const registry = this.sources.registry;
    const current = new Map(files.map((f) => [this.sources.keyOf(vscode.Uri.file(f)), f]));
    // A scanned file under a folder that no longer holds it is gone (the folder itself may be gone).
    const under = roots.map((r) => vscode.Uri.parse(this.sources.keyOf(r)).fsPath);
    const inRoots = (path: string): boolean =>
      under.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
    let removed = 0;
    for (const key of registry.scannedIds()) {
      const file = vscode.Uri.parse(key);
      if (current.has(key) || file.scheme !== 'file' || !inRoots(file.fsPath)) continue;
      this.running.get(key)?.abort();
      registry.removeScan(key);
      removed++;
    }
    const entries = [...current];
    const stats = await Promise.all(entries.map(([, path]) => stat(path).catch(() => undefined)));
    const changed = entries.flatMap(([key, path], i) => {
      const stamp = registry.scan(key)?.stamp;
      const now = stats[i];
      return now !== undefined && stamp !== undefined && stamp === fileStamp(now) ? [] : [vscode.Uri.file(path)];
    });
    const place = placeName(roots);
    const read = await this.scan(changed, `Scanning ${place} again`);
    const summary: RescanSummary = {
      ...read,
      unreadable: read.unreadable + unreadable.length,
      unchanged: current.size - changed.length,
      removed,
    };
    const parts = [
      `${summary.files} file${summary.files === 1 ? '' : 's'} read (new or changed)`,
      `${summary.unchanged} unchanged`,
      `${summary.removed} gone`,
    ];
    const missed = summary.unreadable > 0 ? ` ${summary.unreadable} could not be read.` : '';
    void vscode.window.showInformationMessage(
      `${summary.cancelled ? 'Scan again cancelled' : 'Scanned again'}: ${parts.join(', ')}.${missed}`,
    );
    return summary;
  }

  /** Drops everything that scans alone brought in; open logs stay. */
  clear(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
    this.folders.clear();
    this.sources.registry.clearScans();
  }

  /** Reads a scanned file again, for its source to come back when its document closed. */
  private async rescan(key: string): Promise<void> {
    const scanned = this.sources.registry.scan(key);
    if (scanned === undefined) return;
    const file = vscode.Uri.parse(key);
    if (file.scheme !== 'file') return;
    await this.scan([file], `Reading ${file.fsPath.split(/[\\/]/).pop() ?? ''} again`, [scanned.target], vscode.ProgressLocation.Window);
  }

  /**
   * Problems from a scan were found under the old severities. Large files open in the editor are scanned
   * again at once; scanned folders (possibly gigabytes) are scanned again when the user says so.
   */
  private async severityChanged(): Promise<void> {
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (!(tab.input instanceof vscode.TabInputText)) continue;
        if (!this.told.has(tab.input.uri.toString())) continue;
        const key = this.sources.keyOf(tab.input.uri);
        this.running.get(key)?.abort();
        this.running.delete(key);
        this.sources.registry.removeScan(key);
        void this.checkLargeTab(tab);
      }
    }
    if (this.folders.size === 0) return;
    const folders = [...this.folders].map((f) => vscode.Uri.parse(f));
    const what = folders.length === 1 ? 'the scanned folder' : `the ${folders.length} scanned folders`;
    const choice = await vscode.window.showInformationMessage(
      `The severity setting changed. Problems of ${what} follow it once scanned again.`,
      'Scan Again',
    );
    if (choice === 'Scan Again') await this.scanFolder(...folders);
  }

  /**
   * Scans `uris` from disk. `views` are the URIs the results belong to (the decompressed view of a `.log.gz`
   * shown in an editor, or the file itself): the SNI model's source keys and the diagnostics' targets.
   */
  private async scan(
    uris: vscode.Uri[],
    title: string,
    views: vscode.Uri[] = uris,
    location = vscode.ProgressLocation.Notification,
  ): Promise<ScanSummary> {
    const keys = uris.map((u) => this.sources.keyOf(u));
    const registry = this.sources.registry;
    const summary: ScanSummary = { files: 0, entries: 0, errors: 0, warnings: 0, information: 0, unreadable: 0, cancelled: false };
    if (uris.length === 0) return summary;
    // Stamped before reading: a file that changes while it is read is read again by the next rescan.
    const stats = await Promise.all(uris.map((u) => stat(u.fsPath).catch(() => undefined)));
    const sizes = stats.map((s) => s?.size ?? 0);
    const cap = this.config.maxDiagnosticsPerFile();
    const metas: (SourceMeta | undefined)[] = [];
    /** Files some of whose entries were left out, as a document of the file was open. */
    const skipped = new Set<number>();
    const controller = new AbortController();
    for (const key of keys) {
      this.running.get(key)?.abort();
      this.running.set(key, controller);
      // An open document of the file stays its live source; the scan's result is set aside for when it closes.
      if (registry.live(key) !== 'document') this.model.removeSource(key);
    }
    await vscode.window.withProgress({ location, title, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      const result = await scanFiles(
        uris.map((u) => u.fsPath),
        {
          workerPath: this.workerPath,
          mode: 'entries',
          maxProblems: cap,
          maxDecompressedBytes: this.config.maxDecompressedBytes(),
          severities: this.config.severities(),
          signal: controller.signal,
          sizes,
          onEntries: (index, _path, batch) => {
            // A file's facts are worked out once, with its first batch.
            if (registry.live(keys[index]) === 'document') {
              skipped.add(index);
              return;
            }
            const meta = metas[index] ?? (metas[index] = sourceMeta(uris[index], { origin: 'disk' }));
            this.model.addBatch(keys[index], batch, meta);
          },
          // Each file's report is published and counted as it arrives; none is kept for the end.
          keepReports: false,
          onFile: (file) => {
            summary.files++;
            summary.entries += file.report.entries;
            const stamped = stats[file.index];
            this.publish(keys[file.index], views[file.index], file, stamped && fileStamp(stamped));
            // The file's document closed while it was read: the entries read before then are missing.
            if (skipped.has(file.index) && registry.live(keys[file.index]) === 'scan') void this.rescan(keys[file.index]);
          },
          onProgress: (p) => {
            const total = p.bytesTotal ?? 0;
            const percent = total > 0 ? (p.bytesRead / total) * 100 : 0;
            progress.report({
              increment: percent - reported,
              message: `${p.filesDone} of ${p.filesTotal} files, ${formatBytes(p.bytesRead)}${total > 0 ? ` of ${formatBytes(total)}` : ''}, ${p.entries} entries`,
            });
            reported = percent;
          },
        },
      );
      summary.cancelled = result.cancelled === true;
      summary.unreadable = result.unreadable?.length ?? 0;
      for (const u of result.unreadable ?? []) void vscode.window.showWarningMessage(`Could not read ${u.path}: ${u.reason}`);
    });
    for (const key of keys) if (this.running.get(key) === controller) this.running.delete(key);
    summary.errors = this.totals.error;
    summary.warnings = this.totals.warning;
    summary.information = this.totals.information;
    this.totals = { error: 0, warning: 0, information: 0 };
    return summary;
  }

  private totals = { error: 0, warning: 0, information: 0 };

  private publish(key: string, target: vscode.Uri, file: ScannedFile, stamp: string | undefined): void {
    const { counts, report } = file;
    this.totals.error += counts.error;
    this.totals.warning += counts.warning;
    this.totals.information += counts.information;
    const diagnostics = toCappedDiagnostics(
      report.problems,
      counts,
      this.config.maxDiagnosticsPerFile(),
      ', from a scan of the file on disk',
    );
    this.sources.registry.setScan(key, { target, diagnostics, stamp });
  }

  /** A tab showing a log that VS Code will not hand over (over 50 MB): scan the file from disk instead. */
  private async checkLargeTab(tab: vscode.Tab): Promise<void> {
    const input = tab.input;
    if (!(input instanceof vscode.TabInputText)) return;
    const uri = input.uri;
    if (uri.scheme !== 'file' && uri.scheme !== GZIP_SCHEME) return;
    const key = this.sources.keyOf(uri);
    if (this.running.has(key) || this.sources.registry.live(key) !== undefined) return;
    const file = uri.scheme === GZIP_SCHEME ? gzipFileUri(uri) : uri;
    const size = await textSize(file.fsPath, uri.scheme === GZIP_SCHEME);
    if (size === undefined || size <= EXTENSION_HOST_LIMIT) return;
    if (!(await looksLikeTlsLog(uri, file.fsPath))) return;
    if (!this.told.has(uri.toString())) {
      this.told.add(uri.toString());
      void vscode.window.showInformationMessage(
        `${file.fsPath.split(/[\\/]/).pop() ?? ''} is ${formatBytes(size)}, more than the 50 MB VS Code hands to extensions. Its problems and the SNI view come from a scan of the file on disk; hovers and re-checking while you edit are not available for it.`,
      );
    }
    await this.scan([file], `Scanning ${file.fsPath.split(/[\\/]/).pop() ?? ''} (${formatBytes(size)})`, [uri]);
  }

  private closeLarge(tab: vscode.Tab): void {
    const input = tab.input;
    if (!(input instanceof vscode.TabInputText)) return;
    const shown = input.uri.toString();
    if (!this.told.has(shown)) return;
    const stillOpen = vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === shown),
    );
    if (stillOpen) return;
    const key = this.sources.keyOf(input.uri);
    this.running.get(key)?.abort();
    this.told.delete(shown);
    this.sources.registry.removeScan(key);
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The size of a file's text: its size on disk, or for gzip the size its trailer records. */
async function textSize(path: string, gzip: boolean): Promise<number | undefined> {
  const s = await stat(path).catch(() => undefined);
  if (!s || !s.isFile()) return undefined;
  if (!gzip) return s.size;
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, Math.max(0, s.size - 4));
    // ISIZE is the size modulo 2^32; a compressed file smaller than that bound cannot be larger than 4 GiB of text per member.
    return Math.max(trailer.readUInt32LE(0), s.size);
  } finally {
    await handle.close();
  }
}

/** By AWS's file name, or by the first line of the file. */
async function looksLikeTlsLog(uri: vscode.Uri, path: string): Promise<boolean> {
  if (parseAwsLogName(uri.path)?.logType === 'tls' || /[\\/]network-firewall[\\/]tls[\\/]/.test(path)) return true;
  if (uri.scheme !== 'file') return false;
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const first = head
      .subarray(0, bytesRead)
      .toString('utf8')
      .split('\n')
      .find((l) => l.trim() !== '');
    return first !== undefined && isTlsLogLine(first);
  } finally {
    await handle.close();
  }
}

/** The scanned places in a progress title: the folder's or file's name, or how many. */
function placeName(targets: readonly vscode.Uri[]): string {
  return targets.length === 1 ? (targets[0].fsPath.split(/[\\/]/).pop() ?? targets[0].fsPath) : `${targets.length} places`;
}

/** Registers the folder scan commands. */
export function registerDiskScanCommands(scans: DiskScans): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(
      Commands.scanFolder,
      async (clicked?: unknown, selected?: unknown): Promise<ScanSummary | undefined> => {
        const targets =
          scanTargets((x): x is vscode.Uri => x instanceof vscode.Uri, clicked, selected) ??
          (await vscode.window.showOpenDialog(scanPickerOptions((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri))));
        if (!targets || targets.length === 0) return undefined;
        return scans.scanFolder(...targets);
      },
    ),
    vscode.commands.registerCommand(Commands.clearScans, () => scans.clear()),
    vscode.commands.registerCommand(Commands.rescanFolders, () => scans.rescanFolders()),
  );
}
