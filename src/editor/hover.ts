import * as vscode from 'vscode';
import { analyzeLine } from '../core/parse/analyze';
import { hoverAt } from '../core/explain/hover';
import type { ExplainContext } from '../core/explain/explanation';
import { toRange } from './convert';
import type { LogDocuments } from './documents';
import { entryDetailsLink } from './entryDetails';
import { LANGUAGE_ID } from './ids';

/**
 * Hovers for TLS log lines. The engine decides what to say (core/hover.ts); this only finds the line's
 * parse and hands the markdown to VS Code untrusted, without HTML, because it quotes log values. The link to
 * the entry details is a second markdown string, with no log text, that trusts only that one command.
 */
export class LogHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly documents: LogDocuments,
    private readonly context: () => Omit<ExplainContext, 'sniCount'>,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const model = this.documents.get(document);
    const text = document.lineAt(position.line).text;
    // While a big document's first parse runs, the hovered line is read on its own.
    const result = model?.lineResult(position.line) ?? analyzeLine(text, position.line, this.documents.analyzeOptions(document));
    const content = hoverAt(text, position.character, result, {
      ...this.context(),
      sniCount: model ? (sni) => model.sniCount(sni) : undefined,
    });
    if (!content) return undefined;
    const markdown = new vscode.MarkdownString(content.markdown);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    markdown.supportThemeIcons = false;
    const contents = result?.entry === undefined ? [markdown] : [markdown, entryDetailsLink(document.uri, position.line)];
    return new vscode.Hover(contents, toRange(position.line, content.startColumn, content.endColumn));
  }
}

/** Registers the hover provider for the TLS log language. */
export function registerHovers(documents: LogDocuments, context: () => Omit<ExplainContext, 'sniCount'>): vscode.Disposable {
  return vscode.languages.registerHoverProvider({ language: LANGUAGE_ID }, new LogHoverProvider(documents, context));
}
