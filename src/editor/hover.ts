import * as vscode from 'vscode';
import { analyzeLine } from '../core/analyze';
import { hoverAt } from '../core/hover';
import type { LogModel } from '../core/logModel';
import { toRange } from './convert';
import type { LogDocuments } from './documents';
import { LANGUAGE_ID } from './ids';

/**
 * Hovers for TLS log lines. The engine decides what to say (core/hover.ts); this only finds the line's
 * parse and hands the markdown to VS Code untrusted, without HTML, because it quotes log values.
 */
export class LogHoverProvider implements vscode.HoverProvider {
  /** SNI counts per document, computed once per document version on the first hover that needs them. */
  private readonly sniCounts = new WeakMap<LogModel, { version: number; counts: Map<string, number> }>();

  constructor(private readonly documents: LogDocuments) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const model = this.documents.get(document);
    const text = document.lineAt(position.line).text;
    // While a big document's first parse runs, the hovered line is read on its own.
    const result = model?.lineResult(position.line) ?? analyzeLine(text, position.line, this.documents.analyzeOptions(document));
    const content = hoverAt(text, position.character, result, {
      now: Date.now(),
      sniCount: model ? (sni) => this.countSni(model, document.version, sni) : undefined,
    });
    if (!content) return undefined;
    const markdown = new vscode.MarkdownString(content.markdown);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    markdown.supportThemeIcons = false;
    return new vscode.Hover(markdown, toRange(position.line, content.startColumn, content.endColumn));
  }

  private countSni(model: LogModel, version: number, sni: string): number {
    let cached = this.sniCounts.get(model);
    if (!cached || cached.version !== version) {
      const counts = new Map<string, number>();
      for (const { entry } of model.entries()) if (entry.sni !== undefined) counts.set(entry.sni, (counts.get(entry.sni) ?? 0) + 1);
      cached = { version, counts };
      this.sniCounts.set(model, cached);
    }
    return cached.counts.get(sni) ?? 0;
  }
}

/** Registers the hover provider for the TLS log language. */
export function registerHovers(documents: LogDocuments): vscode.Disposable {
  return vscode.languages.registerHoverProvider({ language: LANGUAGE_ID }, new LogHoverProvider(documents));
}
