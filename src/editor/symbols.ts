import * as vscode from 'vscode';
import type { LogModel } from '../core/document/logModel';
import { OutlineBuilder } from '../core/document/outline';
import { toDocumentSymbol } from './convert';
import type { LogDocuments } from './documents';
import { LANGUAGE_ID } from './ids';

/**
 * Lines looked at per step (the model says each one's SNI and kind without reading it), and symbols made
 * per step, on the documents' slice queue (the outline's names are written in steps of core/outline.ts's
 * own size in between).
 */
const STEP_LINES = 1000;
const STEP_SYMBOLS = 200;

/**
 * The Outline view, breadcrumbs and "Go to Symbol in Editor" for TLS logs: one symbol per SNI, with its
 * entries beneath (core/outline.ts decides what is listed and how it is named). A big document's entries
 * are collected, named and converted a step at a time, so the extension host stays responsive.
 */
class LogSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly documents: LogDocuments) {}

  async provideDocumentSymbols(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[]> {
    const model = await this.documents.ready(document, token);
    if (!model || token.isCancellationRequested) return [];
    const version = document.version;
    const symbols: vscode.DocumentSymbol[] = [];
    // The model's lines move with edits; a changed document is asked for again by the editor.
    const stopped = (): boolean => token.isCancellationRequested || document.version !== version;
    const finished = await this.documents.slices.run(outlineSteps(model, document, symbols), stopped);
    return finished && !stopped() ? symbols : [];
  }
}

/** Builds the outline of `model` into `symbols`, a step at a time. */
function* outlineSteps(model: LogModel, document: vscode.TextDocument, symbols: vscode.DocumentSymbol[]): Generator<unknown, void, void> {
  // Only the entries listed are read from their lines, when they are named.
  const builder = new OutlineBuilder(undefined, (line) => model.entryOf(line));
  for (let line = 0; line < model.lineCount; line++) {
    const kind = model.kindOf(line);
    if (kind !== undefined) builder.addLine(line, model.sniOf(line), kind);
    if (line % STEP_LINES === STEP_LINES - 1) yield;
  }
  const { groups } = yield* builder.finishInSteps();
  yield;
  const last = document.lineCount - 1;
  const lineLength = (line: number): number => document.lineAt(Math.min(line, last)).text.length;
  let made = 0;
  for (const g of groups) {
    symbols.push(toDocumentSymbol(g, lineLength));
    made += 1 + g.entries.length;
    if (made >= STEP_SYMBOLS) {
      made = 0;
      yield;
    }
  }
}

/** Registers the document symbol provider for the TLS log language. */
export function registerSymbols(documents: LogDocuments): vscode.Disposable {
  return vscode.languages.registerDocumentSymbolProvider({ language: LANGUAGE_ID }, new LogSymbolProvider(documents), { label: 'SNIs' });
}
