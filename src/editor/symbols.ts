import * as vscode from 'vscode';
import { OutlineBuilder } from '../core/outline';
import { toDocumentSymbols } from './convert';
import type { LogDocuments } from './documents';
import { LANGUAGE_ID } from './ids';

/** How long one slice of collecting a big document's entries may hold the extension host. */
const SLICE_MS = 10;

/**
 * The Outline view, breadcrumbs and "Go to Symbol in Editor" for TLS logs: one symbol per SNI, with its
 * entries beneath (core/outline.ts decides what is listed and how it is named). A big document's entries
 * are collected a slice at a time, so the extension host stays responsive.
 */
class LogSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly documents: LogDocuments) {}

  async provideDocumentSymbols(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[]> {
    const model = await this.documents.ready(document, token);
    if (!model || token.isCancellationRequested) return [];
    const version = document.version;
    const builder = new OutlineBuilder();
    const entries = model.entries();
    for (;;) {
      const end = performance.now() + SLICE_MS;
      let next = entries.next();
      for (; !next.done && performance.now() < end; next = entries.next()) builder.add(next.value.line, next.value.entry);
      if (next.done) break;
      builder.add(next.value.line, next.value.entry);
      await new Promise<void>((resolve) => setImmediate(resolve));
      // The model's lines move with edits; a changed document is asked for again by the editor.
      if (token.isCancellationRequested || document.version !== version) return [];
    }
    const last = document.lineCount - 1;
    return toDocumentSymbols(builder.finish().groups, (line) => document.lineAt(Math.min(line, last)).text.length);
  }
}

/** Registers the document symbol provider for the TLS log language. */
export function registerSymbols(documents: LogDocuments): vscode.Disposable {
  return vscode.languages.registerDocumentSymbolProvider({ language: LANGUAGE_ID }, new LogSymbolProvider(documents), { label: 'SNIs' });
}
