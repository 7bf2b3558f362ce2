import * as vscode from 'vscode';
import {
  bucketLabel,
  countByKind,
  entryAtTime,
  entryOutcome,
  findLine,
  finerWidths,
  formatEntryTime,
  hasProblems,
  isRevokedOrUnknown,
  plural,
  sniText,
  statusColumn,
  thousands,
  timedEntries,
  timePickLevel,
  TIME_PICK_LIMIT,
  type LineFilter,
  type TimeBucket,
  type TimedEntry,
  type TimePickLevel,
} from '../core/navigation';
import type { LogModel } from '../core/logModel';
import type { LogDocuments } from './documents';
import { Commands, LANGUAGE_ID } from './ids';

/** How long the "wrapped" and "none found" notes stay in the status bar. */
const NOTE_MS = 3000;

/**
 * Commands that move the cursor between entries of the active TLS log: to the next or previous line with a
 * problem, to the next or previous revoked or unknown revocation check, and to an entry picked by time.
 * Each resolves with the 0-based line it moved to (undefined when it did not move).
 */
export function registerNavigation(documents: LogDocuments): vscode.Disposable {
  const stepper = (direction: 1 | -1, filter: LineFilter, noun: string, column: (model: LogModel, line: number, text: string) => number) => () =>
    step(documents, direction, filter, noun, column);
  const problemColumn = (model: LogModel, line: number): number => Math.min(...(model.lineResult(line)?.problems.map((p) => p.startColumn) ?? [0]));
  const entryColumn = (_model: LogModel, _line: number, text: string): number => statusColumn(text);
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.nextProblem, stepper(1, hasProblems, 'entry with a problem', problemColumn)),
    vscode.commands.registerCommand(Commands.previousProblem, stepper(-1, hasProblems, 'entry with a problem', problemColumn)),
    vscode.commands.registerCommand(Commands.nextRevokedOrUnknown, stepper(1, isRevokedOrUnknown, 'revoked or unknown entry', entryColumn)),
    vscode.commands.registerCommand(Commands.previousRevokedOrUnknown, stepper(-1, isRevokedOrUnknown, 'revoked or unknown entry', entryColumn)),
    vscode.commands.registerCommand(Commands.goToEntryByTime, (time?: unknown) => goToEntryByTime(documents, time)),
  );
}

/** The active editor and its model, when it shows a TLS log; says so otherwise. */
async function activeLog(documents: LogDocuments): Promise<{ editor: vscode.TextEditor; model: LogModel } | undefined> {
  const editor = vscode.window.activeTextEditor;
  const model = editor && editor.document.languageId === LANGUAGE_ID ? await documents.ready(editor.document) : undefined;
  if (!editor || !model) {
    void vscode.window.showInformationMessage('Open an AWS Network Firewall TLS log in the editor first.');
    return undefined;
  }
  return { editor, model };
}

function moveTo(editor: vscode.TextEditor, line: number, character: number): void {
  const position = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function step(
  documents: LogDocuments,
  direction: 1 | -1,
  filter: LineFilter,
  noun: string,
  column: (model: LogModel, line: number, text: string) => number,
): Promise<number | undefined> {
  const log = await activeLog(documents);
  if (!log) return undefined;
  const { editor, model } = log;
  const hit = findLine(model, editor.selection.active.line, direction, filter);
  if (!hit) {
    vscode.window.setStatusBarMessage(`No ${noun} in this file.`, NOTE_MS);
    return undefined;
  }
  moveTo(editor, hit.line, column(model, hit.line, editor.document.lineAt(hit.line).text));
  if (hit.wrapped) vscode.window.setStatusBarMessage(`Went round to the ${direction === 1 ? 'first' : 'last'} ${noun}.`, NOTE_MS);
  return hit.line;
}

/** A time given to the command (epoch milliseconds, or a date string), for keybindings and scripts. */
function timeArgument(time: unknown): number | undefined {
  if (typeof time === 'number' && Number.isFinite(time)) return time;
  if (typeof time === 'string') {
    const ms = Date.parse(time);
    if (Number.isFinite(ms)) return ms;
  }
  return undefined;
}

/**
 * Goes to the entry at a time: the first entry at or after `time` when one is given, else one picked in a
 * quick pick. Up to 1000 entries are listed at once; more are narrowed down by hour, minute and second first.
 */
async function goToEntryByTime(documents: LogDocuments, time?: unknown): Promise<number | undefined> {
  const log = await activeLog(documents);
  if (!log) return undefined;
  const { editor, model } = log;
  const entries = timedEntries(model.entries());
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('This file has no TLS log entries.');
    return undefined;
  }
  const at = timeArgument(time);
  const target = at !== undefined ? entryAtTime(entries, at) : await pickEntry(entries, editor.selection.active.line);
  if (!target) return undefined;
  moveTo(editor, target.line, statusColumn(editor.document.lineAt(target.line).text));
  return target.line;
}

interface EntryItem extends vscode.QuickPickItem {
  entry: TimedEntry;
}
interface BucketItem extends vscode.QuickPickItem {
  bucket: TimeBucket;
}

async function pickEntry(entries: TimedEntry[], cursorLine: number): Promise<TimedEntry | undefined> {
  let level: TimePickLevel = timePickLevel(entries);
  const total = entries.length;
  for (;;) {
    if (level.kind === 'entries') {
      const items: EntryItem[] = level.entries.map((e) => ({
        label: noIcons(formatEntryTime(e.timeMs)),
        description: noIcons(entryOutcome(e.entry)),
        detail: `${noIcons(sniText(e.entry.sni))} · line ${thousands(e.line + 1)}`,
        entry: e,
      }));
      const placeholder =
        level.omitted > 0
          ? `The first ${thousands(TIME_PICK_LIMIT)} of ${thousands(items.length + level.omitted)} entries in this second; type to filter by time, outcome or SNI`
          : 'Type to filter by time, outcome or SNI';
      const picked = await pick(items, items.find((i) => i.entry.line === cursorLine), placeholder);
      return picked?.entry;
    }
    const items: BucketItem[] = level.buckets.map((b) => ({
      label: bucketLabel(b),
      description: 'UTC',
      detail: countByKind(b.entries),
      bucket: b,
    }));
    const active = items.find((i) => i.bucket.entries.some((e) => e.line === cursorLine));
    const picked = await pick(items, active, `${plural(total, 'entry', 'entries')}; pick a time to narrow down`);
    if (!picked) return undefined;
    level = timePickLevel(picked.bucket.entries, TIME_PICK_LIMIT, finerWidths(picked.bucket.widthMs));
  }
}

/** A quick pick that starts on `active` (where the cursor is) and filters on every text it shows. */
function pick<T extends vscode.QuickPickItem>(items: T[], active: T | undefined, placeholder: string): Promise<T | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<T>();
    qp.title = 'Go to Entry by Time (UTC)';
    qp.placeholder = placeholder;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.items = items;
    if (active) qp.activeItems = [active];
    let result: T | undefined;
    qp.onDidAccept(() => {
      result = qp.selectedItems[0] ?? qp.activeItems[0];
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(result);
    });
    qp.show();
  });
}

/** Quick picks draw `$(name)` as an icon; a log value must show as the text it is. */
function noIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
