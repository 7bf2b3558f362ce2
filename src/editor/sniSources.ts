import * as vscode from 'vscode';
import { parseAwsLogName } from '../core/detect';
import type { LogModel } from '../core/logModel';
import type { EntryRef, SniModel, SourceMeta } from '../core/sniModel';
import type { LogDocuments } from './documents';

/** How long after the last keystroke a document's entries are regrouped. */
const EDIT_DEBOUNCE_MS = 200;

/** An open TLS log behind a source of the SNI model. */
export interface OpenSource {
  readonly document: vscode.TextDocument;
  readonly model: LogModel;
}

/**
 * Feeds the entries of every open TLS log into one SNI model, one source per document (keyed by its URI):
 * a document's contribution is replaced when it has been parsed, again a moment after the user stops
 * typing, and dropped when it closes. Only the document that changed is regrouped.
 */
export class SniSources implements vscode.Disposable {
  private readonly open = new Map<string, OpenSource>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly documents: LogDocuments,
    private readonly model: SniModel,
    private readonly debounceMs = EDIT_DEBOUNCE_MS,
  ) {
    this.subscriptions = [
      documents.onDidChangeModel(({ document, model: logModel, kind }) => {
        this.open.set(document.uri.toString(), { document, model: logModel });
        if (kind === 'parsed') this.sync(document, logModel);
        else this.schedule(document);
      }),
      documents.onDidCloseModel((uri) => {
        const key = uri.toString();
        this.cancel(key);
        this.open.delete(key);
        this.model.removeSource(key);
      }),
    ];
    this.syncAll();
  }

  /** The document behind a source key, while it is open. */
  lookup(sourceKey: string): OpenSource | undefined {
    return this.open.get(sourceKey);
  }

  /** The source key of a document, when the model holds it. */
  keyOf(document: vscode.TextDocument): string | undefined {
    const key = document.uri.toString();
    return this.open.has(key) ? key : undefined;
  }

  /** Regroups every open document now, dropping pending debounced updates. */
  syncAll(): void {
    for (const { document, model } of this.documents.all()) {
      this.open.set(document.uri.toString(), { document, model });
      this.sync(document, model);
    }
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        const logModel = this.documents.get(document);
        if (logModel && !document.isClosed) this.sync(document, logModel);
      }, this.debounceMs),
    );
  }

  private sync(document: vscode.TextDocument, logModel: LogModel): void {
    const key = document.uri.toString();
    this.cancel(key);
    const refs: EntryRef[] = [];
    for (const ref of logModel.entries()) refs.push(ref);
    this.model.setSourceEntries(key, refs, sourceMeta(document.uri));
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** What the tree shows about a file: its name and path, and what an AWS file name says. */
function sourceMeta(uri: vscode.Uri): SourceMeta {
  const path = uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
  const meta: Record<string, string> = { name: baseName(uri.path) || path, path };
  const aws = parseAwsLogName(uri.path);
  if (aws) {
    meta.account = aws.account;
    meta.region = aws.region;
    meta.firewall = aws.firewall;
    if (aws.timeMs !== undefined) meta.fileTime = new Date(aws.timeMs).toISOString();
  }
  return meta;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
