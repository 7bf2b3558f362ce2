import * as vscode from 'vscode';
import {
  bucketDetailsInSteps,
  bucketLabel,
  entryAtTime,
  findLineInSteps,
  finerWidths,
  hasProblems,
  isOfKind,
  isRevokedOrUnknown,
  statusColumn,
  timedEntriesInSteps,
  timePickLevelInSteps,
  TIME_PICK_LIMIT,
  type LineFilter,
  type TimeBucket,
  type TimedEntry,
} from '../core/document/navigation';
import { entryOutcome, formatEntryTime, plural, sniText, thousands } from '../core/text';
import { matchesQuery, typedTime } from '../core/document/timeQuery';
import type { LogModel } from '../core/document/logModel';
import type { LogDocuments } from './documents';
import { Commands, LANGUAGE_ID } from './ids';

/** How long the "wrapped" and "none found" notes stay in the status bar. */
const NOTE_MS = 3000;
/** Quick pick items made per step on the documents' slice queue. */
const ITEMS_PER_STEP = 250;
/** Entries read again from their lines per step (each is parsed anew: some microseconds). */
const ENTRIES_READ_PER_STEP = 100;

/**
 * Commands that move the cursor between entries of the active TLS log: to the next or previous line with a
 * problem, to the next or previous revoked or unknown revocation check (both, or one of the two), to the next or
 * previous TLS error, and to an entry picked by time.
 * Each resolves with the 0-based line it moved to (undefined when it did not move). Their work over the
 * whole document runs a step at a time on the documents' slice queue, so a big log does not hold up the
 * extension host.
 */
export function registerNavigation(documents: LogDocuments): vscode.Disposable {
  // One move at a time: a move asked for while another still searches starts from where that one lands,
  // as it would if the searches took no time.
  let moves: Promise<unknown> = Promise.resolve();
  const stepper =
    (direction: 1 | -1, filter: LineFilter, noun: string, column: (model: LogModel, line: number, text: string) => number) => () => {
      const move = moves.then(() => step(documents, direction, filter, noun, column));
      moves = move.catch(() => undefined);
      return move;
    };
  const problemColumn = (model: LogModel, line: number): number => Math.min(...model.problemsOf(line).map((p) => p.startColumn));
  const entryColumn = (_model: LogModel, _line: number, text: string): number => statusColumn(text);
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.nextProblem, stepper(1, hasProblems, 'entry with a problem', problemColumn)),
    vscode.commands.registerCommand(Commands.previousProblem, stepper(-1, hasProblems, 'entry with a problem', problemColumn)),
    vscode.commands.registerCommand(Commands.nextRevokedOrUnknown, stepper(1, isRevokedOrUnknown, 'revoked or unknown entry', entryColumn)),
    vscode.commands.registerCommand(
      Commands.previousRevokedOrUnknown,
      stepper(-1, isRevokedOrUnknown, 'revoked or unknown entry', entryColumn),
    ),
    vscode.commands.registerCommand(Commands.nextRevoked, stepper(1, isOfKind('revoked'), 'REVOKED entry', entryColumn)),
    vscode.commands.registerCommand(Commands.previousRevoked, stepper(-1, isOfKind('revoked'), 'REVOKED entry', entryColumn)),
    vscode.commands.registerCommand(Commands.nextUnknown, stepper(1, isOfKind('unknown'), 'UNKNOWN entry', entryColumn)),
    vscode.commands.registerCommand(Commands.previousUnknown, stepper(-1, isOfKind('unknown'), 'UNKNOWN entry', entryColumn)),
    vscode.commands.registerCommand(Commands.nextTlsError, stepper(1, isOfKind('tlsError'), 'TLS error', entryColumn)),
    vscode.commands.registerCommand(Commands.previousTlsError, stepper(-1, isOfKind('tlsError'), 'TLS error', entryColumn)),
    vscode.commands.registerCommand(Commands.goToEntryByTime, (time?: unknown) => goToEntryByTime(documents, time)),
  );
}

/** The active editor once its document's first parse is done, when it shows a TLS log; says so otherwise. */
async function activeLog(documents: LogDocuments): Promise<vscode.TextEditor | undefined> {
  const editor = vscode.window.activeTextEditor;
  const model = editor && editor.document.languageId === LANGUAGE_ID ? await documents.ready(editor.document) : undefined;
  if (!editor || !model) {
    void vscode.window.showInformationMessage('Open an AWS Network Firewall TLS log in the editor first.');
    return undefined;
  }
  return editor;
}

/**
 * Runs `steps` on the documents' slice queue (the first slice at once when nothing else waits). Resolves
 * with what they return, or undefined when `stopped` says so before a step or the queue closes.
 */
async function runSteps<T>(
  documents: LogDocuments,
  steps: Generator<unknown, T, void>,
  stopped?: () => boolean,
): Promise<{ value: T } | undefined> {
  let result: { value: T } | undefined;
  const whole = (function* () {
    result = { value: yield* steps };
  })();
  return (await documents.slices.run(whole, stopped, true)) ? result : undefined;
}

/**
 * Runs `work` over the model of `document` a step at a time. An edit in between moves the model's lines
 * under it, so it then starts again on the edited document. Undefined when the document closes or stops
 * being a TLS log first.
 */
async function overModel<T>(
  documents: LogDocuments,
  document: vscode.TextDocument,
  work: (model: LogModel) => Generator<unknown, T, void>,
): Promise<{ model: LogModel; value: T } | undefined> {
  for (;;) {
    const model = await documents.ready(document);
    if (!model) return undefined;
    const version = document.version;
    const changed = (): boolean => document.isClosed || document.version !== version;
    const result = await runSteps(documents, work(model), changed);
    if (result && !changed()) return { model, value: result.value };
    // Only an edit starts it again; a closed document or a closed queue ends it.
    if (document.isClosed || document.version === version) return undefined;
  }
}

/** `items` mapped by `map`, {@link ITEMS_PER_STEP} at a time. */
function* mapInSteps<T, U>(items: readonly T[], map: (item: T, index: number) => U): Generator<void, U[], void> {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % ITEMS_PER_STEP === 0) yield;
    out.push(map(items[i], i));
  }
  return out;
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
  const editor = await activeLog(documents);
  if (!editor) return undefined;
  const found = await overModel(documents, editor.document, (model) =>
    findLineInSteps(model, editor.selection.active.line, direction, filter),
  );
  if (!found) return undefined;
  const { model, value: hit } = found;
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
  const editor = await activeLog(documents);
  if (!editor) return undefined;
  // The entry at the cursor as the command was given: the selection can change while the entries are read.
  const cursorLine = editor.selection.active.line;
  const sorted = await overModel(documents, editor.document, (model) => timedEntriesInSteps(model.entries(), ENTRIES_READ_PER_STEP));
  if (!sorted) return undefined;
  const entries = sorted.value;
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('This file has no TLS log entries.');
    return undefined;
  }
  const at = timeArgument(time);
  const target = at !== undefined ? entryAtTime(entries, at) : await pickEntry(documents, entries, cursorLine);
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

async function pickEntry(documents: LogDocuments, entries: TimedEntry[], cursorLine: number): Promise<TimedEntry | undefined> {
  // A time typed at any level goes to the first entry at or after it, whether an entry has that time or not.
  const atTime = (value: string): TimedEntry | undefined => {
    const ms = typedTime(value, entries[0].timeMs);
    return ms === undefined ? undefined : entryAtTime(entries, ms);
  };
  let level = await runSteps(documents, timePickLevelInSteps(entries));
  const total = entries.length;
  for (;;) {
    if (!level) return undefined;
    if (level.value.kind === 'entries') {
      const { omitted } = level.value;
      const items = await runSteps(
        documents,
        mapInSteps(level.value.entries, (e): EntryItem => ({
          label: noIcons(formatEntryTime(e.timeMs)),
          description: noIcons(entryOutcome(e.entry)),
          detail: `${noIcons(sniText(e.entry.sni))} · line ${thousands(e.line + 1)}`,
          entry: e,
        })),
      );
      if (!items) return undefined;
      const placeholder =
        omitted > 0
          ? `The first ${thousands(TIME_PICK_LIMIT)} of ${thousands(items.value.length + omitted)} entries in this second; type to filter by time, outcome or SNI`
          : 'Type to filter by time, outcome or SNI';
      const picked = await pick(
        items.value,
        items.value.find((i) => i.entry.line === cursorLine),
        placeholder,
        atTime,
      );
      return 'entry' in picked ? picked.entry : picked.at;
    }
    const { buckets } = level.value;
    const described = await runSteps(documents, bucketDetailsInSteps(buckets, cursorLine));
    if (!described) return undefined;
    const { details, holding } = described.value;
    const items = await runSteps(
      documents,
      mapInSteps(buckets, (b, i): BucketItem => ({ label: bucketLabel(b), description: 'UTC', detail: details[i], bucket: b })),
    );
    if (!items) return undefined;
    const active = holding >= 0 ? items.value[holding] : undefined;
    const picked = await pick(items.value, active, `${plural(total, 'entry', 'entries')}; pick or type a time`, atTime);
    if ('at' in picked) return picked.at;
    level = await runSteps(documents, timePickLevelInSteps(picked.bucket.entries, TIME_PICK_LIMIT, finerWidths(picked.bucket.widthMs)));
  }
}

interface AtTimeItem extends vscode.QuickPickItem {
  at: TimedEntry | undefined;
}

/**
 * A quick pick that starts on `active` (where the cursor is) and keeps the items holding every word typed
 * in their time, outcome or SNI ({@link matchesQuery}: its own filter, as the quick pick's would not see
 * `REVOKED DROP` in `REVOKED → DROP`). When what is typed is a time, the first item goes to the entry at or
 * after it (`atTime`). Resolves with the item picked, or `{ at: undefined }` when the pick was dismissed.
 */
function pick<T extends vscode.QuickPickItem>(
  items: T[],
  active: T | undefined,
  placeholder: string,
  atTime: (value: string) => TimedEntry | undefined,
): Promise<T | AtTimeItem> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<T | AtTimeItem>();
    qp.title = 'Go to Entry by Time (UTC)';
    qp.placeholder = placeholder;
    const shown = items.map((i) => ({ ...i, alwaysShow: true }));
    qp.items = shown;
    if (active) qp.activeItems = [shown[items.indexOf(active)]];
    qp.onDidChangeValue((value) => {
      const at = atTime(value);
      const kept = shown.filter((i) => matchesQuery(value, [i.label, i.description, i.detail]));
      const jump: AtTimeItem[] =
        at === undefined
          ? []
          : [
              {
                label: `$(arrow-right) First entry at or after ${noIcons(value.trim())}`,
                detail: `line ${thousands(at.line + 1)}`,
                alwaysShow: true,
                at,
              },
            ];
      qp.items = [...jump, ...kept];
    });
    let result: T | AtTimeItem = { label: '', at: undefined };
    qp.onDidAccept(() => {
      result = qp.selectedItems[0] ?? qp.activeItems[0] ?? result;
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
