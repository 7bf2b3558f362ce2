import * as path from 'node:path';
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { analyzeLine } from '../../core/parse/analyze';
import { entryDetailsData, type EntryDetailsData } from '../../core/explain/entryDetails';
import type { ExplainContext } from '../../core/explain/explanation';
import { bucketLabel } from '../../core/explore/buckets';
import { Explorer } from '../../core/explore/explorer';
import { isPageMessage, type ExplorerPageCommand, type HostMessage, type PageMessage, type PageRow } from '../../core/explore/protocol';
import type { ExplorerFilter, ExplorerRow, ExplorerSort, ExplorerSummary } from '../../core/explore/types';
import { readLinesOf } from '../../core/read/pickLines';
import type { SniModel } from '../../core/sni/sniModel';
import type { SliceQueue } from '../../core/threads/sliceQueue';
import { Commands } from '../ids';
import type { LogSources } from '../sources';
import { explorerHtml } from './explorerHtml';

/** VS Code does not hand files larger than this to extensions: such an entry is shown by its details instead. */
const OPEN_LIMIT_BYTES = 50 * 1024 * 1024;
/** After the model changes, wait this long for more changes before repainting (a scan delivers many batches). */
const FOLLOW_DELAY_MS = 300;
/** Rows per answer at most, whatever the page asks. */
const MAX_PAGE = 500;

/** What the explorer needs from the rest of the extension. */
export interface ExplorerDeps {
  readonly model: SniModel;
  readonly sources: LogSources;
  readonly slices: SliceQueue;
  readonly explainContext: () => ExplainContext;
  readonly extensionUri: vscode.Uri;
}

/** The page's last question, as the host keeps it (the active filter and sort of reports and exports). */
interface Query {
  id: number;
  filter: ExplorerFilter;
  sort: ExplorerSort;
  offset: number;
  limit: number;
}

/**
 * The TLS Log Explorer panel: one webview over the SNI model, which it follows live. The page asks for what
 * it shows; the aggregation runs in the extension host's slice queue, one question at a time, a newer one
 * stopping an older one.
 */
export class ExplorerHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private explorer: Explorer | undefined;
  private query: Query = { id: 0, filter: {}, sort: { column: 'time' }, offset: 0, limit: 100 };
  private generation = 0;
  private followTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  /** Every message posted to the page (tests and the API wait on it). */
  readonly onDidPost = this.posted.event;
  /** The last summary posted. */
  lastSummary: ExplorerSummary | undefined;
  /** The last rows posted. */
  lastRows: readonly PageRow[] = [];

  /** The SNI model the explorer reads. */
  get model(): SniModel {
    return this.deps.model;
  }

  constructor(private readonly deps: ExplorerDeps) {
    const unsubscribe = deps.model.onDidChange(() => this.follow());
    this.subscriptions.push({ dispose: unsubscribe }, this.posted);
  }

  /** The filter and sort the page shows. */
  get state(): { filter: ExplorerFilter; sort: ExplorerSort } {
    return { filter: this.query.filter, sort: this.query.sort };
  }

  get webviewPanel(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** The aggregation, created with the panel (and its memory released with it). */
  get aggregation(): Explorer {
    return (this.explorer ??= new Explorer(() => this.deps.model.columns()));
  }

  /** Opens the panel, or brings it forward. */
  open(): vscode.WebviewPanel {
    if (this.panel !== undefined) {
      this.panel.reveal();
      return this.panel;
    }
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('nfwTlsLogs.explorer', 'TLS Log Explorer', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [media, dist],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'activity-bar.svg');
    panel.webview.html = explorerHtml(
      panel.webview,
      panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'explorer.js')),
      panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'explorer.css')),
    );
    panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.explorer = undefined;
      this.generation++;
    });
    this.panel = panel;
    return panel;
  }

  /** Opens the panel showing a filter and sort (commands that explore one SNI, tests). */
  show(filter: ExplorerFilter, sort: ExplorerSort = { column: 'time' }): vscode.WebviewPanel {
    const panel = this.open();
    this.query = { ...this.query, filter, sort };
    this.post({ type: 'restore', filter, sort, force: true });
    return panel;
  }

  /** Handles a message from the page (also called by tests, as the page would post it). */
  async receive(message: unknown): Promise<void> {
    if (!isPageMessage(message)) return;
    switch (message.type) {
      case 'ready':
        this.post({ type: 'restore', filter: this.query.filter, sort: this.query.sort });
        return;
      case 'query':
        this.query = { ...message, limit: Math.min(MAX_PAGE, message.limit) };
        await this.answer();
        return;
      case 'open':
        await this.openEntry(message.sourceKey, message.line);
        return;
      case 'details': {
        this.post({ type: 'details', details: await this.details(message.sourceKey, message.line) });
        return;
      }
      case 'copyJson': {
        const details = await this.details(message.sourceKey, message.line);
        if ('error' in details) {
          void vscode.window.showErrorMessage(details.error);
          return;
        }
        await vscode.env.clipboard.writeText(details.json);
        vscode.window.setStatusBarMessage('Copied the entry as JSON.', 3000);
        return;
      }
      case 'command':
        await this.runPageCommand(message.command);
        return;
    }
  }

  /** Set by the reports' registration: runs a toolbar command with the page's filter and sort. */
  pageCommands: Partial<Record<ExplorerPageCommand, () => Promise<unknown>>> = {};

  private async runPageCommand(command: ExplorerPageCommand): Promise<void> {
    await this.pageCommands[command]?.();
  }

  /** Computes what the page's last question asks and posts it; false when a newer question stopped it. */
  private async answer(): Promise<boolean> {
    const generation = ++this.generation;
    const q = this.query;
    const explorer = this.aggregation;
    this.post({ type: 'busy', busy: true });
    let summary: ExplorerSummary | undefined;
    let rows: { total: number; offset: number; rows: readonly ExplorerRow[] } | undefined;
    const steps = function* (): Generator<void, void, void> {
      summary = yield* explorer.summarize(q.filter);
      rows = yield* explorer.rows(q.filter, q.sort, q.offset, q.limit);
    };
    const finished = await this.deps.slices.run(steps(), () => generation !== this.generation);
    if (!finished || summary === undefined || rows === undefined) return false;
    this.lastSummary = summary;
    this.post({ type: 'summary', id: q.id, summary, bucketLabel: bucketLabel(summary.timeline.bucketMs) });
    const pageRows = rows.rows.map((r) => this.pageRow(r));
    this.lastRows = pageRows;
    this.post({ type: 'rows', id: q.id, version: summary.version, total: rows.total, offset: rows.offset, rows: pageRows });
    this.post({ type: 'busy', busy: false });
    // While the page is idle, get ready for the likely next question; a newer question stops it.
    void this.deps.slices.run(explorer.warm(), () => generation !== this.generation);
    return true;
  }

  /** Repaints after the model changed (edits, scans, closed files), once the changes pause. */
  private follow(): void {
    if (this.panel === undefined) return;
    if (this.followTimer !== undefined) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => {
      this.followTimer = undefined;
      if (this.panel !== undefined) void this.answer();
    }, FOLLOW_DELAY_MS);
  }

  /** Runs the explorer's steps for a filter and sort in the slice queue (reports and exports). */
  async run<T>(steps: Generator<void, T, void>): Promise<T | undefined> {
    let result: T | undefined;
    const wrap = function* (): Generator<void, void, void> {
      result = yield* steps;
    };
    return (await this.deps.slices.run(wrap())) ? result : undefined;
  }

  private pageRow(r: ExplorerRow): PageRow {
    const meta = this.deps.model.sourceMeta(r.sourceKey);
    return { ...r, file: meta?.name ?? fileName(r.sourceKey) };
  }

  /** Opens the log at an entry; a file VS Code will not open shows the entry's details instead. */
  async openEntry(sourceKey: string, line: number): Promise<vscode.TextEditor | undefined> {
    if (this.deps.sources.document(sourceKey) === undefined) {
      const uri = vscode.Uri.parse(sourceKey);
      if (uri.scheme === 'file') {
        const size = await stat(uri.fsPath).then(
          (s) => s.size,
          () => 0,
        );
        if (size > OPEN_LIMIT_BYTES) {
          this.post({ type: 'details', details: await this.details(sourceKey, line) });
          void vscode.window.showInformationMessage(
            `${fileName(sourceKey)} is larger than VS Code opens for extensions (50 MB): the explorer shows the entry's details instead.`,
          );
          return undefined;
        }
      }
    }
    return vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.sniTreeOpenEntry, sourceKey, line, {
      preserveFocus: false,
    });
  }

  /** The entry details of a line, read from the open document or from the file on disk. */
  async details(sourceKey: string, line: number): Promise<EntryDetailsData | { error: string }> {
    const name = this.deps.model.sourceMeta(sourceKey)?.name ?? fileName(sourceKey);
    let text: string | undefined;
    const document = this.deps.sources.document(sourceKey);
    try {
      if (document !== undefined) {
        if (line < document.lineCount) text = document.lineAt(line).text;
      } else {
        const uri = vscode.Uri.parse(sourceKey);
        if (uri.scheme !== 'file') return { error: `${name} is not open any more.` };
        text = (await readLinesOf(uri.fsPath, [line])).get(line);
      }
    } catch (err) {
      return { error: `Could not read ${name}: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (text === undefined) return { error: `${name} has no line ${line + 1} any more.` };
    return entryDetailsData(text, line, name, analyzeLine(text, line), this.deps.explainContext());
  }

  private post(message: HostMessage): void {
    this.posted.fire(message);
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    if (this.followTimer !== undefined) clearTimeout(this.followTimer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The last part of a source key's path. */
export function fileName(sourceKey: string): string {
  try {
    return path.posix.basename(vscode.Uri.parse(sourceKey).path) || sourceKey;
  } catch {
    return sourceKey;
  }
}

export type { PageMessage };
