import * as vscode from 'vscode';
import { escapeMarkdown } from '../core/explain/markdown';
import type { GroupKind, SniKey } from '../core/parse/entryKind';
import { rollupCsv, rollupMarkdown, type SniRollup, type SniRollups } from '../core/report/explorerReport';
import { parseNodeId, type NodeRef } from '../core/sni/nodeIds';
import type { KindFilter, Scope } from '../core/sni/types';
import { gzipViewUri } from './gzip';
import { Commands } from './ids';
import { saveExport } from './saveExport';
import { KIND_FILTER_LABELS, filterSummary, type RevealResult, type SniView, type SniViewState } from './sniTree';

/** Beyond any line: navigating backwards from here starts at a file's last entry. */
const AFTER_LAST_LINE = 0x7ffffffe;

const SORT_LABELS: Readonly<Record<SniViewState['sort'], [label: string, detail: string]>> = {
  count: ['Entry count', 'Most entries first'],
  name: ['Name', 'SNIs from A to Z'],
  latest: ['Latest', 'Most recently seen first'],
};

const GROUP_BY_LABELS: Readonly<Record<SniViewState['groupBy'], [label: string, detail: string]>> = {
  sni: ['All files together', 'One node per SNI across every open TLS log'],
  source: ['By file', 'Each open TLS log with its own SNIs'],
  firewall: ['By firewall', 'Each firewall with its own SNIs'],
};

/** The kind of entry that navigation visits under a kind filter, or undefined for every kind. */
const KIND_OF_FILTER: Readonly<Record<KindFilter, GroupKind | undefined>> = {
  all: undefined,
  failing: undefined,
  revoked: 'revoked',
  errors: 'tlsError',
  unknown: 'unknown',
};

/** Options of {@link Commands.sniTreeOpenEntry} beyond the source key and line. */
interface OpenEntryOptions {
  preserveFocus?: boolean;
}

/**
 * The SNI view's commands. Commands that ask the user something (sort, filter, group, where to save) also
 * take the answer as their argument, so keybindings and tests can skip the question. `rollups` gives every
 * entry's per-SNI rollup (first and last seen, destinations, firewalls, actions) for the exports.
 */
export function registerSniTreeCommands(view: SniView, rollups: () => Promise<SniRollups | undefined>): vscode.Disposable {
  const { model, provider, sources } = view;
  const highlight = new EntryHighlight();

  const openEntry = async (sourceKey: unknown, line: unknown, options?: unknown): Promise<vscode.TextEditor | undefined> => {
    if (typeof sourceKey !== 'string' || typeof line !== 'number' || !Number.isInteger(line) || line < 0) return undefined;
    let document = sources.lookup(sourceKey)?.document;
    if (document === undefined) {
      try {
        // A source is named by its file: a `.log.gz` opens as its decompressed view.
        const file = vscode.Uri.parse(sourceKey);
        document = await vscode.workspace.openTextDocument(file.scheme === 'file' && /\.gz$/i.test(file.path) ? gzipViewUri(file) : file);
      } catch (err) {
        // VS Code does not hand files over 50 MB to extensions; entries read from disk can still point into one.
        const name = model.sourceMeta(sourceKey)?.name ?? sourceKey;
        void vscode.window.showErrorMessage(
          `Could not open ${name} at line ${line + 1}: ${err instanceof Error ? err.message : String(err)}`,
        );
        return undefined;
      }
    }
    if (line >= document.lineCount) return undefined;
    const range = document.lineAt(line).range;
    const preserveFocus = typeof options === 'object' && options !== null && (options as OpenEntryOptions).preserveFocus === true;
    // The cursor goes to the entry, which is highlighted rather than selected: a keystroke then cannot replace it.
    const editor = await vscode.window.showTextDocument(document, {
      preserveFocus,
      selection: new vscode.Selection(range.start, range.start),
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    highlight.show(editor, line);
    return editor;
  };

  /** The next (1) or previous (-1) entry of an SNI, from the cursor when the active editor holds that SNI. */
  const revealRelative = async (direction: 1 | -1, arg: unknown): Promise<vscode.TextEditor | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const editorKey = editor === undefined ? undefined : sources.keyOf(editor.document);
    const cursorLine = editor?.selection.active.line ?? 0;
    let target: { sni: SniKey; scope: Scope; kind?: GroupKind } | undefined;
    const ref = nodeRefOf(arg);
    if (ref !== undefined && ref.type !== 'source' && ref.type !== 'firewall' && ref.type !== 'more') {
      target = { sni: ref.sni, scope: ref.scope, kind: ref.type === 'sni' ? undefined : ref.kind };
    } else if (editorKey !== undefined) {
      const loc = model.findGroupForLine(editorKey, cursorLine);
      if (loc !== undefined) target = { sni: loc.sni, scope: { by: 'all' } };
    }
    if (target === undefined) {
      void vscode.window.showInformationMessage(
        'Put the cursor on a TLS log entry, or pick an SNI in the SNI view, to move between its entries.',
      );
      return undefined;
    }
    const kind = target.kind ?? KIND_OF_FILTER[provider.state.kind];
    const inScope = (key: string): boolean => target.scope.by !== 'source' || target.scope.source === key;
    let loc =
      editorKey !== undefined && inScope(editorKey) ? model.navigate(target.sni, editorKey, cursorLine, direction, kind) : undefined;
    if (loc === undefined) {
      // The active editor has none of them: start at the first (or last) such entry of the first file that has one.
      const keys = (model.details(target.sni, target.scope)?.sources ?? []).map((s) => s.sourceKey).filter(inScope);
      for (const key of direction === 1 ? keys : [...keys].reverse()) {
        loc = model.navigate(target.sni, key, direction === 1 ? -1 : AFTER_LAST_LINE, direction, kind);
        if (loc !== undefined) break;
      }
    }
    if (loc === undefined) {
      void vscode.window.showInformationMessage('The open TLS logs hold no other entry of this SNI.');
      return undefined;
    }
    return openEntry(loc.sourceKey, loc.line);
  };

  const copySni = async (arg: unknown, selected?: unknown): Promise<void> => {
    const nodes = Array.isArray(selected) && selected.length > 1 && selected.includes(arg) ? selected : [arg];
    const snis: string[] = [];
    for (const node of nodes) {
      const ref = nodeRefOf(node);
      if (ref === undefined || ref.type === 'source' || ref.type === 'firewall' || ref.type === 'more' || ref.sni === null) continue;
      if (!snis.includes(ref.sni)) snis.push(ref.sni);
    }
    if (snis.length === 0) {
      void vscode.window.showInformationMessage('These entries have no SNI field to copy.');
      return;
    }
    await vscode.env.clipboard.writeText(snis.join('\n'));
    vscode.window.setStatusBarMessage(snis.length === 1 ? 'Copied the SNI.' : `Copied ${snis.length} SNIs.`, 3000);
  };

  /** The groups the view shows (its filter and sort, all files together). */
  const viewGroups = () => model.groups({ ...provider.view, scope: { by: 'all' } });

  const copyFailingSnis = async (): Promise<void> => {
    // "-" and "" are not names a client can be sent to; a list meant for rules and tickets leaves them out.
    const snis = viewGroups()
      .filter((g) => g.tlsErrors + g.revoked + g.unknown > 0)
      .map((g) => g.sni)
      .filter((s): s is string => s !== null && s !== '-' && s !== '');
    if (snis.length === 0) {
      const where = provider.filtered ? 'the SNIs the view shows' : 'the open TLS logs';
      void vscode.window.showInformationMessage(`No SNI in ${where} has a revoked, unknown or TLS error entry.`);
      return;
    }
    await vscode.env.clipboard.writeText(snis.join('\n'));
    vscode.window.setStatusBarMessage(`Copied ${snis.length} failing SNI${snis.length === 1 ? '' : 's'}.`, 3000);
  };

  /** The rollups of the SNIs the view shows, in its order; undefined when the work was stopped. */
  const viewRollups = async (): Promise<SniRollup[] | undefined> => {
    const all = await rollups();
    if (all === undefined) return undefined;
    return viewGroups().flatMap((g) => {
      const r = all.bySni.get(g.sni);
      return r === undefined ? [] : [r];
    });
  };

  const exportCsv = (target?: unknown): Promise<vscode.Uri | undefined> =>
    saveExport(target, { kind: 'CSV', title: 'Export the SNI summary as CSV', fileName: 'tls-sni-summary' }, async () => {
      const r = await viewRollups();
      return r === undefined ? undefined : rollupCsv(r);
    });

  const exportMarkdown = (target?: unknown): Promise<vscode.Uri | undefined> =>
    saveExport(target, { kind: 'Markdown', title: 'Export the SNI summary as Markdown', fileName: 'tls-sni-summary' }, async () => {
      const r = await viewRollups();
      if (r === undefined) return undefined;
      const { state, filtered } = provider;
      const files = model.sourceKeys().length;
      let heading = `# SNIs in ${files} TLS log file${files === 1 ? '' : 's'}\n\n`;
      // The filter text is the user's own input, but it is still text, not markdown.
      if (filtered) heading += `Filtered: ${escapeMarkdown(filterSummary(state))}.\n\n`;
      return heading + rollupMarkdown(r);
    });

  const sort = async (arg?: unknown): Promise<void> => {
    const order = isOneOf(arg, SORT_LABELS) ? arg : await pick('Sort SNIs by', SORT_LABELS, provider.state.sort);
    if (order !== undefined) provider.setState({ sort: order });
  };

  const groupBy = async (arg?: unknown): Promise<void> => {
    const by = isOneOf(arg, GROUP_BY_LABELS) ? arg : await pick('Show SNIs', GROUP_BY_LABELS, provider.state.groupBy);
    if (by !== undefined) provider.setState({ groupBy: by });
  };

  const filterText = async (arg?: unknown): Promise<void> => {
    const text =
      typeof arg === 'string'
        ? arg
        : await vscode.window.showInputBox({
            title: 'Filter SNIs',
            prompt: 'Show the SNIs that contain this text (ignoring case). Leave empty to show all.',
            placeHolder: 'e.g. example.com',
            value: provider.state.text,
          });
    if (text !== undefined) provider.setState({ text: text.trim() });
  };

  const filterKind = async (arg?: unknown): Promise<void> => {
    const labels = Object.fromEntries(Object.entries(KIND_FILTER_LABELS).map(([k, label]) => [k, [label, '']])) as Record<
      KindFilter,
      [string, string]
    >;
    const kind = isOneOf(arg, labels) ? arg : await pick('Show SNIs with', labels, provider.state.kind);
    if (kind !== undefined) provider.setState({ kind });
  };

  /** Returns what happened, so that callers other than the palette can tell. */
  const revealCurrentEntry = async (): Promise<RevealResult | undefined> => {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined) {
      void vscode.window.showInformationMessage('Open a TLS log and put the cursor on an entry to find it in the SNI view.');
      return undefined;
    }
    const line = editor.selection.active.line;
    const result = await view.revealLine(editor.document, line, true);
    if (result === 'not-a-log') void vscode.window.showInformationMessage('The active editor is not an AWS Network Firewall TLS log.');
    else if (result === 'no-entry') void vscode.window.showInformationMessage(`Line ${line + 1} holds no TLS log entry.`);
    else if (result === 'hidden') {
      // Not awaited: the command returns at once and the filter is cleared if the user asks for it.
      const clear = 'Clear Filter';
      void vscode.window.showInformationMessage('The filter hides the entry under the cursor.', clear).then(async (answer) => {
        if (answer !== clear) return;
        provider.setState({ text: '', kind: 'all' });
        await view.revealLine(editor.document, line, true);
      });
    }
    return result;
  };

  const openLogFile = async (): Promise<void> => {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: 'Open',
      title: 'Open AWS Network Firewall TLS logs',
      filters: { 'Log files': ['log', 'json', 'jsonl', 'ndjson', 'txt'], 'All files': ['*'] },
    });
    for (const uri of uris ?? []) await vscode.window.showTextDocument(uri, { preview: false });
  };

  return vscode.Disposable.from(
    highlight,
    vscode.commands.registerCommand(Commands.openLogFile, openLogFile),
    vscode.commands.registerCommand(Commands.sniTreeRefresh, () => {
      sources.syncAll();
      provider.refresh();
    }),
    vscode.commands.registerCommand(Commands.sniTreeSort, sort),
    vscode.commands.registerCommand(Commands.sniTreeGroupBy, groupBy),
    vscode.commands.registerCommand(Commands.sniTreeFilterText, filterText),
    vscode.commands.registerCommand(Commands.sniTreeFilterKind, filterKind),
    vscode.commands.registerCommand(Commands.sniTreeClearFilter, () => provider.setState({ text: '', kind: 'all' })),
    vscode.commands.registerCommand(Commands.sniTreeOpenEntry, openEntry),
    vscode.commands.registerCommand(Commands.sniTreeCopySni, copySni),
    vscode.commands.registerCommand(Commands.sniTreeCopyFailingSnis, copyFailingSnis),
    vscode.commands.registerCommand(Commands.sniTreeRevealNext, (arg?: unknown) => revealRelative(1, arg)),
    vscode.commands.registerCommand(Commands.sniTreeRevealPrevious, (arg?: unknown) => revealRelative(-1, arg)),
    vscode.commands.registerCommand(Commands.sniTreeRevealCurrentEntry, revealCurrentEntry),
    vscode.commands.registerCommand(Commands.sniTreeExportCsv, exportCsv),
    vscode.commands.registerCommand(Commands.sniTreeExportMarkdown, exportMarkdown),
  );
}

/** The line of an entry opened from the view, highlighted until the cursor leaves it or the editor closes. */
class EntryHighlight implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
  });
  private shown: { editor: vscode.TextEditor; line: number } | undefined;
  private readonly subscription = vscode.window.onDidChangeTextEditorSelection(({ textEditor, selections }) => {
    if (this.shown?.editor === textEditor && selections.some((s) => s.active.line !== this.shown?.line)) this.clear();
  });

  show(editor: vscode.TextEditor, line: number): void {
    this.clear();
    editor.setDecorations(this.decoration, [new vscode.Range(line, 0, line, 0)]);
    this.shown = { editor, line };
  }

  private clear(): void {
    this.shown?.editor.setDecorations(this.decoration, []);
    this.shown = undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.decoration.dispose();
  }
}

/** A tree node handed to a command (menus pass the node; anything else is ignored), read by its id. */
function nodeRefOf(arg: unknown): NodeRef | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const id = (arg as { id?: unknown }).id;
  return typeof id === 'string' ? parseNodeId(id) : undefined;
}

function isOneOf<K extends string>(value: unknown, options: Readonly<Record<K, unknown>>): value is K {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(options, value);
}

async function pick<K extends string>(
  title: string,
  options: Readonly<Record<K, [label: string, detail: string]>>,
  current: K,
): Promise<K | undefined> {
  const items = (Object.keys(options) as K[]).map((key) => ({
    key,
    label: options[key][0],
    detail: options[key][1] || undefined,
    description: key === current ? '(current)' : undefined,
  }));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: title });
  return picked?.key;
}
