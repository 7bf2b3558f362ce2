import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyzeLine } from '../core/parse/analyze';
import { entryDetailsMarkdown } from '../core/explain/entryDetails';
import type { ExplainContext } from '../core/explain/explanation';
import type { LogDocuments } from './documents';
import { Commands, ENTRY_DETAILS_SCHEME, LANGUAGE_ID } from './ids';

/** Where the entry details of a line live: the log's URI and the line, never a value from the log. */
interface EntryRef {
  uri: string;
  line: number;
}

/**
 * The entry details (core/explain/entryDetails.ts) as read-only Markdown documents of their own scheme, shown
 * in the Markdown preview. A hover links here with the log's URI and the line as the command's arguments.
 */
export class EntryDetails implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly documents: LogDocuments,
    private readonly context: () => ExplainContext,
  ) {}

  /** The details document of a line. */
  static uriFor(ref: EntryRef): vscode.Uri {
    const name = path.posix.basename(vscode.Uri.parse(ref.uri).path) || 'log';
    return vscode.Uri.from({ scheme: ENTRY_DETAILS_SCHEME, path: `/${name} line ${ref.line + 1}.md`, query: JSON.stringify(ref) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = readRef(uri.query);
    if (ref === undefined) return '# Entry details\n\nThis link does not name a line of a log.\n';
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(ref.uri));
    const name = path.posix.basename(document.uri.path);
    if (ref.line >= document.lineCount) return `# Entry details\n\nThe log has no line ${ref.line + 1} any more.\n`;
    const text = document.lineAt(ref.line).text;
    const model = this.documents.get(document);
    const result = model?.lineResult(ref.line) ?? analyzeLine(text, ref.line, this.documents.analyzeOptions(document));
    return entryDetailsMarkdown(text, ref.line, name, result, this.context());
  }

  /** Opens the details of a line (the cursor's line of the active TLS log when no arguments are given). */
  async show(uri?: unknown, line?: unknown): Promise<vscode.Uri | undefined> {
    let ref: EntryRef | undefined;
    if (typeof uri === 'string' && typeof line === 'number' && Number.isInteger(line) && line >= 0) {
      ref = { uri, line };
    } else {
      const editor = vscode.window.activeTextEditor;
      if (editor === undefined || editor.document.languageId !== LANGUAGE_ID) {
        void vscode.window.showInformationMessage('Place the cursor on an entry of a TLS log to see its details.');
        return undefined;
      }
      ref = { uri: editor.document.uri.toString(), line: editor.selection.active.line };
    }
    const detailsUri = EntryDetails.uriFor(ref);
    const document = await vscode.workspace.openTextDocument(detailsUri);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', detailsUri);
    } catch {
      // Without the built-in Markdown extension, the Markdown text itself.
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
    return detailsUri;
  }
}

function readRef(query: string): EntryRef | undefined {
  try {
    const value = JSON.parse(query) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { uri, line } = value as Record<string, unknown>;
    return typeof uri === 'string' && typeof line === 'number' && Number.isInteger(line) && line >= 0 ? { uri, line } : undefined;
  } catch {
    return undefined;
  }
}

/** A command link to the details of a line, for a hover that trusts only {@link Commands.showEntryDetails}. */
export function entryDetailsLink(uri: vscode.Uri, line: number): vscode.MarkdownString {
  const args = encodeURIComponent(JSON.stringify([uri.toString(), line])).replace(
    /[()'!*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const markdown = new vscode.MarkdownString(
    `[More: background and every field of this entry](command:${Commands.showEntryDetails}?${args})`,
  );
  markdown.isTrusted = { enabledCommands: [Commands.showEntryDetails] };
  markdown.supportHtml = false;
  markdown.supportThemeIcons = false;
  return markdown;
}

/** Registers the details documents and their command. */
export function registerEntryDetails(documents: LogDocuments, context: () => ExplainContext): vscode.Disposable {
  const details = new EntryDetails(documents, context);
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(ENTRY_DETAILS_SCHEME, details),
    vscode.commands.registerCommand(Commands.showEntryDetails, (uri?: unknown, line?: unknown) => details.show(uri, line)),
  );
}
