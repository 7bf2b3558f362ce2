import * as vscode from 'vscode';
import { buildOutline } from '../core/outline';
import { toDocumentSymbols } from './convert';
import type { LogDocuments } from './documents';
import { LANGUAGE_ID } from './ids';

/**
 * The Outline view, breadcrumbs and "Go to Symbol in Editor" for TLS logs: one symbol per SNI, with its
 * entries beneath (core/outline.ts decides what is listed and how it is named).
 */
class LogSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly documents: LogDocuments) {}

  async provideDocumentSymbols(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentSymbol[]> {
    const model = await this.documents.ready(document, token);
    if (!model || token.isCancellationRequested) return [];
    const last = document.lineCount - 1;
    return toDocumentSymbols(buildOutline(model.entries()), (line) => document.lineAt(Math.min(line, last)).text.length);
  }
}

/** Registers the document symbol provider for the TLS log language. */
export function registerSymbols(documents: LogDocuments): vscode.Disposable {
  return vscode.languages.registerDocumentSymbolProvider({ language: LANGUAGE_ID }, new LogSymbolProvider(documents), { label: 'SNIs' });
}
