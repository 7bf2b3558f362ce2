import * as vscode from 'vscode';
import { entryHints } from '../core/document/entryHints';
import type { ConfigReader } from './config';
import type { LogDocuments } from './documents';
import { LANGUAGE_ID, Settings } from './ids';

/**
 * A hint at the start of each entry line: its time of day, outcome and SNI (core/document/entryHints.ts), with
 * the hover's answer in one line as its tooltip. VS Code asks only for the lines on screen; the hints are read
 * from the document's model, and labels and tooltips are plain text.
 */
class EntryHintsProvider implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly documents: LogDocuments,
    private readonly config: ConfigReader,
  ) {
    this.subscriptions = [
      // Until its first parse ends a document has no hints; edits are asked for again by VS Code itself.
      documents.onDidChangeModel((e) => {
        if (e.kind === 'parsed') this.changed.fire();
      }),
      config.onDidChange((change) => {
        if (change.affects(Settings.inlayHintsShow)) this.changed.fire();
      }),
      this.changed,
    ];
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const model = this.documents.get(document);
    if (!model) return [];
    return entryHints(model, range.start.line, range.end.line, this.config.inlayHintParts(document.uri)).map((h) => {
      const hint = new vscode.InlayHint(new vscode.Position(h.line, 0), h.label);
      hint.tooltip = h.tooltip;
      hint.paddingRight = true;
      return hint;
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Registers the entry hints for the TLS log language. */
export function registerEntryHints(documents: LogDocuments, config: ConfigReader): vscode.Disposable {
  const provider = new EntryHintsProvider(documents, config);
  return vscode.Disposable.from(provider, vscode.languages.registerInlayHintsProvider({ language: LANGUAGE_ID }, provider));
}
