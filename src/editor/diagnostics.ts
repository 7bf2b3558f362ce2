import * as vscode from 'vscode';
import type { LogModel } from '../core/logModel';
import type { ConfigReader } from './config';
import { toCappedDiagnostics } from './convert';
import { DIAGNOSTIC_SOURCE } from './ids';
import type { LogDocuments } from './documents';

/** How long after the last keystroke the problems are published again. */
const EDIT_DEBOUNCE_MS = 150;

/**
 * Owns the diagnostic collection: publishes each TLS log's problems when it is parsed, again (debounced)
 * after edits, and removes them when the file closes. VS Code keeps at most 1000 diagnostics per file, so
 * errors go first, and when the list is capped the first diagnostic says how many there are in all.
 */
export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly documents: LogDocuments,
    private readonly config: ConfigReader,
  ) {
    this.subscriptions = [
      documents.onDidChangeModel(({ document, model, kind }) => {
        if (kind === 'parsed') this.publish(document, model);
        else this.schedule(document);
      }),
      documents.onDidCloseModel((uri) => {
        this.cancel(uri.toString());
        this.collection.delete(uri);
      }),
    ];
    for (const { document, model } of documents.all()) this.publish(document, model);
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        const model = this.documents.get(document);
        if (model && !document.isClosed) this.publish(document, model);
      }, EDIT_DEBOUNCE_MS),
    );
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private publish(document: vscode.TextDocument, model: LogModel): void {
    const cap = this.config.maxDiagnosticsPerFile(document.uri);
    const { problems } = model.problems(cap);
    const diagnostics = toCappedDiagnostics(problems, model.problemCounts(), cap);
    this.collection.set(document.uri, diagnostics);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
