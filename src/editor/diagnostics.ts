import * as vscode from 'vscode';
import type { LogModel } from '../core/document/logModel';
import { PerKeyDebouncer } from '../core/threads/debouncer';
import type { ConfigReader } from './config';
import { toCappedDiagnostics, toDiagnostic, withCapNote } from './convert';
import { DIAGNOSTIC_SOURCE } from './ids';
import type { LogDocuments } from './documents';
import type { FileNotes } from './fileNotes';
import type { LogSources } from './sources';

/** How long after the last keystroke the problems are published again. */
const EDIT_DEBOUNCE_MS = 150;
/** Documents with up to this many lines have their problems collected in one go. */
const SYNC_AT_ONCE = 4000;
/** Bigger ones this many lines per step, on the documents' slice queue. */
const STEP_LINES = 500;
/** Diagnostics made per step when many are published. */
const STEP_DIAGNOSTICS = 250;
/**
 * A big document's diagnostics are handed to VS Code this many per collection, one collection per turn of
 * the event loop: VS Code converts and sends a collection's whole list for a file in one call, and a
 * thousand diagnostics took it 15-43 ms.
 */
const DIAGNOSTICS_PER_COLLECTION = 250;

/**
 * Owns the diagnostic collection: publishes each TLS log's problems when it is parsed, again (debounced)
 * after edits, and removes them when the file closes. VS Code keeps at most 1000 diagnostics per file, so
 * errors go first, and when the list is capped the first diagnostic says how many there are in all.
 * A file read by a scan shows its scan's problems while no document of it is open, from the source
 * registry, in the same collection: each problem of a file is listed once.
 */
export class DiagnosticsPublisher implements vscode.Disposable {
  /** The first holds a small document's diagnostics; a big one's are spread over as many as they fill. */
  private readonly collections = [vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE)];
  /** Publications waiting for the user to stop typing, or (big documents) still collecting, by document URI. */
  private readonly pending = new PerKeyDebouncer(EDIT_DEBOUNCE_MS);
  private readonly subscriptions: vscode.Disposable[];
  /** Where the scan of each file that shows its scan's problems put them, by source key. */
  private readonly scanTargets = new Map<string, vscode.Uri>();

  constructor(
    private readonly documents: LogDocuments,
    private readonly config: ConfigReader,
    private readonly sources: LogSources,
    private readonly notes: FileNotes,
  ) {
    this.subscriptions = [
      { dispose: sources.registry.onDidChange(({ id, after }) => this.showScan(id, after === 'scan')) },
      documents.onDidChangeModel(({ document, model, kind }) => {
        if (kind === 'parsed') this.publish(document, model);
        else this.schedule(document);
      }),
      documents.onDidCloseModel((uri) => {
        this.pending.cancel(uri.toString());
        for (const c of this.collections) c.delete(uri);
        // A plain file's scan shows its problems where its document did.
        const key = sources.keyOf(uri);
        if (sources.registry.live(key) === 'scan') this.showScan(key, true);
      }),
    ];
    for (const { document, model } of documents.all()) this.publish(document, model);
  }

  /** Shows a file's scan result (`shown`), or takes it away (a document of the file is open, or the scan was cleared). */
  private showScan(key: string, shown: boolean): void {
    const previous = this.scanTargets.get(key);
    const scan = shown ? this.sources.registry.scan(key) : undefined;
    if (previous !== undefined && previous.toString() !== scan?.target.toString()) this.collections[0].delete(previous);
    if (scan === undefined) {
      this.scanTargets.delete(key);
      return;
    }
    this.collections[0].set(scan.target, [...scan.diagnostics]);
    this.scanTargets.set(key, scan.target);
  }

  private schedule(document: vscode.TextDocument): void {
    this.pending.schedule(document.uri.toString(), () => {
      const model = this.documents.get(document);
      if (model && !document.isClosed) this.publish(document, model);
    });
  }

  private publish(document: vscode.TextDocument, model: LogModel): void {
    const cap = this.config.maxDiagnosticsPerFile(document.uri);
    const notes = this.notes.get(document.uri).map(toDiagnostic);
    this.pending.run(document.uri.toString(), (stopped) => {
      if (model.lineCount <= SYNC_AT_ONCE) {
        const { problems } = model.problems(cap);
        this.collections[0].set(document.uri, [...notes, ...toCappedDiagnostics(problems, model.problemCounts(), cap)]);
        for (const c of this.collections.slice(1)) c.delete(document.uri);
        return;
      }
      // A big document's problems are collected a step at a time; a newer publication stops this one.
      return this.documents.slices.run(this.publishSteps(document.uri, model, cap, notes), stopped);
    });
  }

  /**
   * What {@link publish} does at once, in steps: the problems of `model.problems(cap)` collected a few
   * lines at a time, then turned into diagnostics and set.
   */
  private *publishSteps(uri: vscode.Uri, model: LogModel, cap: number, notes: vscode.Diagnostic[]): Generator<void, void, undefined> {
    const counts = { ...model.problemCounts() };
    const { problems } = yield* model.problemsInSteps(cap, STEP_LINES);
    yield;
    const diagnostics: vscode.Diagnostic[] = [];
    for (let i = 0; i < problems.length; i += STEP_DIAGNOSTICS) {
      diagnostics.push(...problems.slice(i, i + STEP_DIAGNOSTICS).map(toDiagnostic));
      yield;
    }
    const all = [...notes, ...withCapNote(diagnostics, counts, cap)];
    // In order, a collection per turn: the Problems panel and the editor show the union.
    let used = 0;
    for (let start = 0; start < all.length; start += DIAGNOSTICS_PER_COLLECTION, used++) {
      if (used > 0) yield;
      this.collection(used).set(uri, all.slice(start, start + DIAGNOSTICS_PER_COLLECTION));
    }
    for (const c of this.collections.slice(used)) c.delete(uri);
  }

  /** The `index`th collection, made when first needed (each has its own name, as VS Code keeps one list per name and file). */
  private collection(index: number): vscode.DiagnosticCollection {
    while (this.collections.length <= index)
      this.collections.push(vscode.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}#${this.collections.length + 1}`));
    return this.collections[index];
  }

  dispose(): void {
    this.pending.dispose();
    for (const s of this.subscriptions) s.dispose();
    for (const c of this.collections) c.dispose();
  }
}
