import * as vscode from 'vscode';
import { escapeMarkdown } from '../core/explain/markdown';
import type { SniKey } from '../core/parse/entryKind';
import { readLinesOf } from '../core/read/pickLines';
import { nodeId, parseNodeId } from '../core/sni/nodeIds';
import { gatherLines, sniEntriesByTime, type SourceLineReader } from '../core/sni/sniEntries';
import type { SniModel } from '../core/sni/sniModel';
import type { Scope } from '../core/sni/types';
import { thousands } from '../core/text';
import type { ConfigReader } from './config';
import type { LogDocuments } from './documents';
import { gzipFileUri } from './gzip';
import { Commands, GZIP_SCHEME, LANGUAGE_ID, SNI_ENTRIES_SCHEME } from './ids';

/**
 * "Open Entries of This SNI": a read-only TLS log document (`nfw-tls-sni:`) holding one SNI's entries from
 * every open and scanned log, in time order, so they can be read side by side. It is a TLS log like any
 * other for diagnostics, hovers and hints; each of its lines remembers where it came from, and a command
 * (and a link in its hover) goes back there. Lines of open documents are read from the editor, those of
 * scanned files from disk (gzip too).
 */

/** Where a line of an SNI entries document came from. */
interface Origin {
  sourceKey: string;
  line: number;
}

/** Whether a URI is one of these documents: they are views of entries that sources already hold. */
export function isSniEntriesUri(uri: vscode.Uri): boolean {
  return uri.scheme === SNI_ENTRIES_SCHEME;
}

/** The document of an SNI's entries as the model holds them now (the model's version makes it a new one when they change). */
function entriesUri(sni: SniKey, scope: Scope, version: number): vscode.Uri {
  const name = (sni === null ? 'no-SNI-field' : sni === '-' ? 'no-SNI' : sni).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'SNI';
  return vscode.Uri.from({
    scheme: SNI_ENTRIES_SCHEME,
    path: `/${version}/${name} entries.log`,
    query: nodeId({ type: 'sni', scope, sni }),
  });
}

/** Documents whose lines' origins are kept (a few hundred kilobytes at most each). */
const KEPT_DOCUMENTS = 20;

class SniEntriesProvider implements vscode.TextDocumentContentProvider {
  /** The origins of each document's lines, by URI, for the last {@link KEPT_DOCUMENTS} documents. */
  readonly origins = new Map<string, Origin[]>();

  constructor(
    private readonly model: SniModel,
    private readonly config: ConfigReader,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseNodeId(uri.query);
    if (ref?.type !== 'sni') return '';
    const list = sniEntriesByTime(this.model, ref.sni, ref.scope);
    const gathered = await gatherLines(list.items, (key) => this.readerFor(key));
    // Kept past the document's close event: a change of language closes and reopens it without asking again.
    this.origins.delete(uri.toString());
    this.origins.set(uri.toString(), gathered.origins);
    if (this.origins.size > KEPT_DOCUMENTS) this.origins.delete(this.origins.keys().next().value as string);
    const notes: string[] = [];
    if (list.total > list.items.length)
      notes.push(`the first ${thousands(list.items.length)} of ${thousands(list.total)} entries in time order`);
    if (gathered.missing > 0) notes.push(`${thousands(gathered.missing)} entries could not be read again from their files`);
    if (notes.length > 0) void vscode.window.showInformationMessage(`This view of the SNI's entries holds ${notes.join('; ')}.`);
    return gathered.text;
  }

  /** Lines of an open document from the editor; of anything else, from the file on disk. */
  private readerFor(sourceKey: string): SourceLineReader | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === sourceKey);
    if (open) {
      return (lines) => Promise.resolve(new Map(lines.filter((l) => l < open.lineCount).map((l) => [l, open.lineAt(l).text])));
    }
    const uri = vscode.Uri.parse(sourceKey);
    const file = uri.scheme === 'file' ? uri : uri.scheme === GZIP_SCHEME ? gzipFileUri(uri) : undefined;
    if (!file) return undefined;
    return (lines) =>
      readLinesOf(file.fsPath, lines, { maxDecompressedBytes: this.config.maxDecompressedBytes(file) }).catch(
        () => new Map<number, string>(),
      );
  }
}

/** The SNI under the cursor of the active TLS log. */
function sniAtCursor(documents: LogDocuments): SniKey | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== LANGUAGE_ID) return undefined;
  const model = documents.get(editor.document);
  const line = editor.selection.active.line;
  if (!model?.hasEntry(line)) return undefined;
  return model.sniOf(line) ?? null;
}

/** The SNI and scope of a tree node handed to a command. */
function sniOfNode(arg: unknown): { sni: SniKey; scope: Scope } | undefined {
  const id = typeof arg === 'object' && arg !== null ? (arg as { id?: unknown }).id : undefined;
  const ref = typeof id === 'string' ? parseNodeId(id) : undefined;
  if (ref === undefined || ref.type === 'source' || ref.type === 'firewall' || ref.type === 'more') return undefined;
  return { sni: ref.sni, scope: ref.scope };
}

/** Registers the documents of an SNI's entries, the command that opens one and the way back to the source. */
export function registerSniEntries(model: SniModel, documents: LogDocuments, config: ConfigReader): vscode.Disposable {
  const provider = new SniEntriesProvider(model, config);

  const open = async (arg?: unknown): Promise<vscode.TextEditor | undefined> => {
    const target =
      sniOfNode(arg) ??
      (() => {
        const sni = sniAtCursor(documents);
        return sni === undefined ? undefined : { sni, scope: { by: 'all' } as Scope };
      })();
    if (target === undefined) {
      void vscode.window.showInformationMessage('Put the cursor on a TLS log entry, or pick an SNI in the SNI view, to open its entries.');
      return undefined;
    }
    let document = await vscode.workspace.openTextDocument(entriesUri(target.sni, target.scope, model.version));
    if (document.languageId !== LANGUAGE_ID) document = await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
    return vscode.window.showTextDocument(document, { preview: false });
  };

  /** The line of an entries document (the active editor's cursor line when not given) in its source. */
  const goToSource = async (uri?: unknown, line?: unknown): Promise<vscode.TextEditor | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const key = typeof uri === 'string' ? uri : editor?.document.uri.toString();
    const at = typeof line === 'number' ? line : editor?.selection.active.line;
    const origin = key === undefined || at === undefined ? undefined : provider.origins.get(key)?.[at];
    if (!origin) {
      void vscode.window.showInformationMessage(
        'Put the cursor on a line of an SNI\u2019s entries (Open Entries of This SNI) to go to it in its file.',
      );
      return undefined;
    }
    return vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.sniTreeOpenEntry, origin.sourceKey, origin.line);
  };

  /** The hover's way back: a link that runs {@link goToSource} for the hovered line. */
  const hoverLink: vscode.HoverProvider = {
    provideHover(document, position) {
      const origin = provider.origins.get(document.uri.toString())?.[position.line];
      if (!origin) return undefined;
      const name = model.sourceMeta(origin.sourceKey)?.name ?? vscode.Uri.parse(origin.sourceKey).path.split('/').pop() ?? origin.sourceKey;
      const args = encodeURIComponent(JSON.stringify([document.uri.toString(), position.line]));
      const markdown = new vscode.MarkdownString(
        `[Go to line ${thousands(origin.line + 1)} of ${escapeMarkdown(name)}](command:${Commands.goToEntrySource}?${args})`,
      );
      markdown.isTrusted = { enabledCommands: [Commands.goToEntrySource] };
      markdown.supportHtml = false;
      markdown.supportThemeIcons = false;
      return new vscode.Hover(markdown, document.lineAt(position.line).range);
    },
  };

  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(SNI_ENTRIES_SCHEME, provider),
    vscode.languages.registerHoverProvider({ scheme: SNI_ENTRIES_SCHEME }, hoverLink),
    vscode.commands.registerCommand(Commands.openSniEntries, open),
    vscode.commands.registerCommand(Commands.goToEntrySource, goToSource),
  );
}
