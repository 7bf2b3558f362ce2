import * as vscode from 'vscode';
import { LogModel, type LineChange } from '../core/logModel';
import { LANGUAGE_ID } from './ids';

/** Why a document's model changed: a full parse, or an edit that re-read some lines. */
export interface ModelChange {
  document: vscode.TextDocument;
  model: LogModel;
  kind: 'parsed' | 'edited';
}

interface Tracked {
  document: vscode.TextDocument;
  model: LogModel;
  /** The document version the model reflects; -1 while the first parse runs. */
  version: number;
  /** Set to stop a first parse that is still running (the document closed or was replaced). */
  cancelled: boolean;
}

/** How long one slice of a first parse may hold the extension host before it yields. */
const SLICE_MS = 12;

/**
 * The parsed form of every open TLS log document, shared by diagnostics, hovers and the SNI tree. Each
 * document is parsed once, in slices so that a big file never blocks the extension host, and then kept in
 * step with edits by re-reading only the lines that changed.
 */
export class LogDocuments implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private readonly changed = new vscode.EventEmitter<ModelChange>();
  private readonly closed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Fires after a document's model was built or updated. */
  readonly onDidChangeModel = this.changed.event;
  /** Fires when a tracked document closes or stops being a TLS log. */
  readonly onDidCloseModel = this.closed.event;

  constructor() {
    this.subscriptions.push(
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
    );
    for (const d of vscode.workspace.textDocuments) this.open(d);
  }

  /** The up-to-date model of a document, or undefined when it is not a TLS log or its first parse runs. */
  get(document: vscode.TextDocument): LogModel | undefined {
    const t = this.tracked.get(document.uri.toString());
    if (!t || t.version < 0) return undefined;
    if (t.version !== document.version) {
      // An edit we did not see (should not happen); parse again rather than serve stale results.
      t.model.reset(document.lineCount, (i) => document.lineAt(i).text);
      t.version = document.version;
    }
    return t.model;
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
    const t: Tracked = { document, model: new LogModel(), version: -1, cancelled: false };
    this.tracked.set(key, t);
    void this.parse(t);
  }

  private async parse(t: Tracked): Promise<void> {
    for (;;) {
      const { document } = t;
      const version = document.version;
      const steps = t.model.resetInSteps(document.lineCount, (i) => document.lineAt(i).text);
      let done = false;
      while (!done) {
        const sliceEnd = performance.now() + SLICE_MS;
        while (performance.now() < sliceEnd) {
          if (steps.next().done) {
            done = true;
            break;
          }
        }
        if (!done) await new Promise<void>((resolve) => setImmediate(resolve));
        if (t.cancelled) return;
      }
      // The text changed while it was being parsed: start over with the new text.
      if (document.version !== version) continue;
      t.version = version;
      this.changed.fire({ document, model: t.model, kind: 'parsed' });
      return;
    }
  }

  private edit(e: vscode.TextDocumentChangeEvent): void {
    const t = this.tracked.get(e.document.uri.toString());
    if (!t || t.version < 0 || e.contentChanges.length === 0) return;
    const changes: LineChange[] = e.contentChanges.map((c) => ({
      startLine: c.range.start.line,
      endLine: c.range.end.line,
      newLineCount: countLineBreaks(c.text) + 1,
    }));
    t.model.applyChanges(changes, (i) => e.document.lineAt(i).text);
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
    for (const t of this.tracked.values()) t.cancelled = true;
    this.tracked.clear();
    for (const s of this.subscriptions) s.dispose();
  }
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
