import * as vscode from 'vscode';
import { parseAwsLogName } from '../core/read/detect';
import type { LogModel } from '../core/document/logModel';
import type { LineEntry } from '../core/parse/types';
import type { SniModel } from '../core/sni/sniModel';
import type { SourceMeta } from '../core/sni/types';
import { PerKeyDebouncer } from '../core/threads/debouncer';
import type { LogDocuments } from './documents';
import { gzipFileUri } from './gzip';
import { GZIP_SCHEME } from './ids';
import type { LogSources } from './sources';
import { isSniEntriesUri } from './sniEntries';

/** How long after the last keystroke a document's entries are regrouped. */
const EDIT_DEBOUNCE_MS = 200;
/** Documents with up to this many lines are regrouped in one go (a few milliseconds). */
const SYNC_AT_ONCE = 4000;
/** Bigger ones a step of this many entries at a time (each read again from its line), on the documents' slice queue. */
const STEP_ENTRIES = 100;

/** An open TLS log behind a source of the SNI model. */
export interface OpenSource {
  readonly document: vscode.TextDocument;
  readonly model: LogModel;
}

/**
 * Feeds the entries of every open TLS log into one SNI model, one source per file (keyed by the file's
 * identity, so that a scan of the same file and its document are one source): a document's contribution
 * is replaced when it has been parsed, again a moment after the user stops typing, and dropped when it
 * closes. Only the document that changed is regrouped.
 */
export class SniSources implements vscode.Disposable {
  private readonly open = new Map<string, OpenSource>();
  /** Regroupings waiting for the user to stop typing, or (big documents) still running, by source key. */
  private readonly pending: PerKeyDebouncer;
  /** Documents whose running parse hands its entries over as it reads them, so the parse's end regroups nothing. */
  private readonly fed = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly documents: LogDocuments,
    private readonly sources: LogSources,
    private readonly model: SniModel,
    debounceMs = EDIT_DEBOUNCE_MS,
  ) {
    this.pending = new PerKeyDebouncer(debounceMs);
    this.subscriptions = [
      // A document being parsed fills its source as the parse goes: the view fills while a big file loads,
      // and the entries are grouped while they are at hand rather than read again from their lines.
      documents.onDidReadEntries(({ document, model: logModel, entries, first }) => {
        // A document of one SNI's entries shows entries that their own files already bring.
        if (isSniEntriesUri(document.uri)) return;
        const key = sources.keyOf(document.uri);
        if (first) {
          this.pending.cancel(key);
          this.fed.add(key);
          if (!this.open.has(key)) this.open.set(key, { document, model: logModel });
          this.model.setSourceEntries(key, [], documentMeta(document.uri));
        }
        if (this.fed.has(key) && entries.count > 0) this.model.addBatch(key, entries);
      }),
      documents.onDidChangeModel(({ document, model: logModel, kind }) => {
        // A document of one SNI's entries shows entries that their own files already bring.
        if (isSniEntriesUri(document.uri)) return;
        const key = sources.keyOf(document.uri);
        this.open.set(key, { document, model: logModel });
        if (kind === 'parsed' && this.fed.delete(key)) return;
        if (kind === 'parsed') this.sync(document, logModel);
        else this.schedule(document);
      }),
      // A file whose document closed leaves the model; a scan of it, if any, fills its source again.
      {
        dispose: sources.registry.onDidChange(({ id, before, after }) => {
          if (before !== 'document' || after === 'document') return;
          this.pending.cancel(id);
          this.fed.delete(id);
          this.open.delete(id);
          this.model.removeSource(id);
        }),
      },
    ];
    this.syncAll();
  }

  /** The document behind a source key, while it is open. */
  lookup(sourceKey: string): OpenSource | undefined {
    return this.open.get(sourceKey);
  }

  /** The source key of a document, when the model holds it. */
  keyOf(document: vscode.TextDocument): string | undefined {
    const key = this.sources.keyOf(document.uri);
    return this.open.get(key)?.document === document ? key : undefined;
  }

  /**
   * Rebuilds the model from the source registry: every open document is regrouped now (pending debounced
   * updates are dropped), files read by scans keep their entries, and anything else leaves.
   */
  syncAll(): void {
    for (const { document, model } of this.documents.all()) {
      if (isSniEntriesUri(document.uri)) continue;
      this.open.set(this.sources.keyOf(document.uri), { document, model });
      this.sync(document, model);
    }
    const live = new Set(this.sources.registry.ids());
    for (const key of [...this.model.sourceKeys()]) if (!live.has(key) && !this.open.has(key)) this.model.removeSource(key);
  }

  private schedule(document: vscode.TextDocument): void {
    this.pending.schedule(this.sources.keyOf(document.uri), () => {
      const logModel = this.documents.get(document);
      if (logModel && !document.isClosed) this.sync(document, logModel);
    });
  }

  private sync(document: vscode.TextDocument, logModel: LogModel): void {
    const key = this.sources.keyOf(document.uri);
    const meta = documentMeta(document.uri);
    this.pending.run(key, (stopped) => {
      if (logModel.lineCount <= SYNC_AT_ONCE) {
        const refs: LineEntry[] = [];
        for (const ref of logModel.entries()) refs.push(ref);
        this.model.setSourceEntries(key, refs, meta);
        return;
      }
      // A big document is regrouped a step at a time, so that the extension host stays responsive; a newer
      // change to the same document stops this one.
      return this.documents.slices.run(this.regroupSteps(key, logModel, meta), stopped);
    });
  }

  /** Replaces a source's entries with a document's, {@link STEP_ENTRIES} per step. */
  private *regroupSteps(key: string, logModel: LogModel, meta: SourceMeta): Generator<void, void, void> {
    const entries = logModel.entries();
    let first = true;
    for (;;) {
      const batch: LineEntry[] = [];
      let next = entries.next();
      for (; !next.done; next = entries.next()) {
        batch.push(next.value);
        if (batch.length === STEP_ENTRIES) break;
      }
      if (first) this.model.setSourceEntries(key, batch, meta);
      else if (batch.length > 0) this.model.addEntries(key, batch, meta);
      first = false;
      if (next.done) return;
      yield;
    }
  }

  dispose(): void {
    this.pending.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** What the tree shows about a document's file: a decompressed view is its `.gz` file. */
function documentMeta(uri: vscode.Uri): SourceMeta {
  return sourceMeta(uri.scheme === GZIP_SCHEME ? gzipFileUri(uri) : uri);
}

/** What the tree shows about a file: its name and path, and what an AWS file name says. */
export function sourceMeta(uri: vscode.Uri, extra: Record<string, string> = {}): SourceMeta {
  const path = uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
  const meta: Record<string, string> = { name: baseName(uri.path) || path, path, ...extra };
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
