import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../core/parse/types';
import type { EntryBatch } from '../core/parse/entryBatch';
import { LogModel, type LineChange, type LineReader } from '../core/document/logModel';
import { DocumentParseWorker, type LineSource } from '../core/threads/parseWorker';
import { SliceQueue } from '../core/threads/sliceQueue';
import type { ConfigReader } from './config';
import { LANGUAGE_ID, Settings } from './ids';

/** Why a document's model changed: a full parse, or an edit that re-read some lines. */
export interface DocumentModelChange {
  document: vscode.TextDocument;
  model: LogModel;
  kind: 'parsed' | 'edited';
}

/** Entries read by a parse that is still running, packed: the first batch of a parse says so. */
export interface EntriesRead {
  document: vscode.TextDocument;
  model: LogModel;
  entries: EntryBatch;
  first: boolean;
}

interface Tracked {
  document: vscode.TextDocument;
  model: LogModel;
  /** The document version the model reflects; -1 while the first parse runs. */
  version: number;
  /** Set to stop a parse that is still running (the document closed or was replaced). */
  cancelled: boolean;
  /** Counts parses started for this document; a parse that is no longer the latest stops. */
  parses: number;
}

/** Lines parsed per step of a parse on this thread: small enough that a step stays well under a millisecond. */
const PARSE_LINES_PER_STEP = 25;
/**
 * Documents with more lines or characters than these are parsed on a worker thread. Smaller ones take a few
 * milliseconds here, and are ready before the worker would have their text; a few very long lines (a line
 * of megabytes is one step of a parse) go to the worker too.
 */
const WORKER_MIN_LINES = 5000;
const WORKER_MIN_CHARS = 1024 * 1024;

/**
 * The parsed form of every open TLS log document, shared by diagnostics, hovers and the SNI tree. Each
 * document is parsed once, in slices so that a big file never blocks the extension host, and then kept in
 * step with edits by re-reading only the lines that changed.
 */
export class LogDocuments implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private readonly changed = new vscode.EventEmitter<DocumentModelChange>();
  private readonly closed = new vscode.EventEmitter<vscode.Uri>();
  private readonly read = new vscode.EventEmitter<EntriesRead>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly initial: NodeJS.Immediate;
  /** The queue that spreads every long piece of the extension's work over turns of the event loop. */
  readonly slices = new SliceQueue();

  /** Fires after a document's model was built or updated. */
  readonly onDidChangeModel = this.changed.event;
  /** Fires when a tracked document closes or stops being a TLS log. */
  readonly onDidCloseModel = this.closed.event;
  /**
   * Fires while a document is parsed, with the entries read so far, a batch at a time; a parse that starts
   * over (the text changed) starts again with a first batch. The model is not ready until
   * {@link onDidChangeModel} fires.
   */
  readonly onDidReadEntries = this.read.event;

  /** Parses big documents off this thread; undefined: every parse runs here, in slices. */
  private readonly worker: DocumentParseWorker | undefined;

  /** @param workerPath the bundled worker script (dist/worker.js), for parsing big documents off this thread. */
  constructor(
    private readonly config: ConfigReader,
    workerPath?: string,
  ) {
    this.worker = workerPath === undefined ? undefined : new DocumentParseWorker(workerPath);
    this.subscriptions.push(
      // Severities are fixed when a line is analysed, so a change of them means a new parse.
      config.onDidChange((change) => {
        if (!change.affects(Settings.diagnosticsSeverity)) return;
        for (const t of this.tracked.values()) void this.parse(t, new LogModel(this.analyzeOptions(t.document)));
      }),
      vscode.workspace.onDidOpenTextDocument((d) => this.open(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.close(d.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.edit(e)),
      // VS Code keeps a document alive for a while after its last tab closes; for the user the file is
      // closed when its last tab is, so its problems and tree entries go then.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = tabUri(tab);
          if (uri && !isShownInTab(uri)) this.close(uri);
        }
      }),
      // A document whose tab closed but which VS Code kept alive is shown again without a new open event.
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const e of editors) if (!this.tracked.has(e.document.uri.toString())) this.open(e.document);
      }),
      this.changed,
      this.closed,
      this.read,
    );
    // Logs already open when the extension starts are parsed just after activation, not during it.
    this.initial = setImmediate(() => {
      for (const d of vscode.workspace.textDocuments) if (!this.tracked.has(d.uri.toString())) this.open(d);
    });
  }

  /** The up-to-date model of a document, or undefined when it is not a TLS log or its first parse runs. */
  get(document: vscode.TextDocument): LogModel | undefined {
    const t = this.tracked.get(document.uri.toString());
    // A closed document's successor can have the same URI and version (untitled documents do).
    if (!t || t.version < 0 || t.document !== document) return undefined;
    if (t.version !== document.version) {
      // An edit we did not see (should not happen); parse again rather than serve stale results.
      t.model.reset(document.lineCount, lineReader(document));
      t.version = document.version;
    }
    return t.model;
  }

  /**
   * The model of a document once its first parse has finished; undefined when the document is not a TLS
   * log, closes first, or `token` is cancelled.
   */
  ready(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<LogModel | undefined> {
    const key = document.uri.toString();
    // Asked before the documents open at start-up were taken in, or before the open event of a document
    // that reuses a closed one's URI.
    if (this.tracked.get(key)?.document !== document && !document.isClosed) this.open(document);
    if (!this.tracked.has(key)) return Promise.resolve(undefined);
    const model = this.get(document);
    if (model) return Promise.resolve(model);
    return new Promise((resolve) => {
      const done = (value: LogModel | undefined): void => {
        for (const s of listeners) s.dispose();
        resolve(value);
      };
      const listeners = [
        this.changed.event((e) => {
          if (e.document.uri.toString() === key) done(e.model);
        }),
        this.closed.event((uri) => {
          if (uri.toString() === key) done(undefined);
        }),
        ...(token ? [token.onCancellationRequested(() => done(undefined))] : []),
      ];
    });
  }

  /** How a document's lines are analysed: the severities set for it. */
  analyzeOptions(document: vscode.TextDocument): AnalyzeOptions {
    return { severities: this.config.severities(document.uri) };
  }

  /** Every tracked document whose model is ready. */
  *all(): IterableIterator<{ document: vscode.TextDocument; model: LogModel }> {
    for (const t of this.tracked.values()) if (t.version >= 0) yield { document: t.document, model: t.model };
  }

  private open(document: vscode.TextDocument): void {
    if (document.languageId !== LANGUAGE_ID) return;
    const key = document.uri.toString();
    const previous = this.tracked.get(key);
    if (previous) previous.cancelled = true;
    const model = new LogModel(this.analyzeOptions(document));
    const t: Tracked = { document, model, version: -1, cancelled: false, parses: 0 };
    this.tracked.set(key, t);
    void this.parse(t, model);
  }

  /**
   * Parses the document into `model`: a big one on the worker thread, a small one (or any, when the worker
   * fails) here in slices. On a first parse `model` is the tracked one; on a later one (new settings) it is
   * a fresh model that replaces the tracked one when done, so hovers, diagnostics and the tree keep the old
   * results until then.
   */
  private async parse(t: Tracked, model: LogModel): Promise<void> {
    const id = ++t.parses;
    const stopped = (): boolean => t.cancelled || t.parses !== id;
    let onWorker = this.worker !== undefined && this.config.parseOnWorker();
    for (;;) {
      const { document } = t;
      const version = document.version;
      let first = true;
      const handOver = (entries: EntryBatch): void => {
        this.read.fire({ document, model, entries, first });
        first = false;
      };
      const read = lineReader(document);
      let finished: boolean;
      if (onWorker && this.worker && isBig(document)) {
        try {
          finished = await this.parseOnWorker(
            this.worker,
            document,
            read,
            model,
            handOver,
            () => stopped() || document.version !== version,
          );
        } catch (err) {
          // The worker could not parse it (it failed to start, or ran out of memory): parse here instead.
          console.error(`Parsing ${document.uri.toString(true)} on a worker thread failed; parsing it on the extension host instead:`, err);
          onWorker = false;
          continue;
        }
      } else {
        // False here only when stopped, or when a step threw (which a new try would repeat).
        if (!(await this.slices.run(model.resetInSteps(document.lineCount, read, PARSE_LINES_PER_STEP, handOver), stopped, true))) return;
        finished = true;
      }
      if (stopped()) return;
      // The text changed while it was being parsed: start over with the new text.
      if (!finished || document.version !== version) continue;
      t.model = model;
      t.version = version;
      this.changed.fire({ document, model, kind: 'parsed' });
      return;
    }
  }

  /** Parses a document on the worker; false when `stopped` said to stop first. */
  private async parseOnWorker(
    worker: DocumentParseWorker,
    document: vscode.TextDocument,
    read: LineReader,
    model: LogModel,
    handOver: (entries: EntryBatch) => void,
    stopped: () => boolean,
  ): Promise<boolean> {
    const source: LineSource = {
      lineCount: document.lineCount,
      eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
      readLines: (start, end) => document.getText(new vscode.Range(start, 0, end - 1, document.lineAt(end - 1).text.length)),
    };
    const reset = model.startReset(source.lineCount);
    const outcome = await worker.parse(
      source,
      this.analyzeOptions(document),
      (parsed, entries) => {
        reset.add(parsed);
        handOver(entries);
      },
      stopped,
    );
    if (outcome !== 'done' || stopped()) return false;
    reset.finish(read);
    return true;
  }

  private edit(e: vscode.TextDocumentChangeEvent): void {
    const t = this.tracked.get(e.document.uri.toString());
    if (!t || t.version < 0 || e.contentChanges.length === 0) return;
    const changes: LineChange[] = e.contentChanges.map((c) => ({
      startLine: c.range.start.line,
      endLine: c.range.end.line,
      newLineCount: countLineBreaks(c.text) + 1,
    }));
    t.model.applyChanges(changes, lineReader(e.document));
    t.version = e.document.version;
    this.changed.fire({ document: e.document, model: t.model, kind: 'edited' });
  }

  private close(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.tracked.get(key);
    if (!t) return;
    t.cancelled = true;
    this.tracked.delete(key);
    this.closed.fire(uri);
  }

  dispose(): void {
    clearImmediate(this.initial);
    for (const t of this.tracked.values()) t.cancelled = true;
    this.tracked.clear();
    for (const s of this.subscriptions) s.dispose();
    this.slices.dispose();
    this.worker?.dispose();
  }
}

/** Reads a document's lines by number, as the model reads them. */
function lineReader(document: vscode.TextDocument): LineReader {
  return (i) => document.lineAt(i).text;
}

/** Whether a document is big enough to be parsed on the worker. */
function isBig(document: vscode.TextDocument): boolean {
  if (document.lineCount > WORKER_MIN_LINES) return true;
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end) > WORKER_MIN_CHARS;
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return input.uri;
  if (input instanceof vscode.TabInputTextDiff) return input.modified;
  return undefined;
}

function isShownInTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => tabUri(t)?.toString() === key));
}
