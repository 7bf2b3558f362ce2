import { analyzeLine } from '../parse/analyze';
import type { EntryBatch } from '../parse/entryBatch';
import { LineParser, NO_ENTRY, type ParsedLines } from '../parse/lineParse';
import { ownCopy } from '../ownCopy';
import { runToEnd } from '../threads/steps';
import { GROUP_KINDS, type GroupKind } from '../parse/entryKind';
import type { AnalyzeOptions, LineEntry, LineResult, Problem, Severity, SeverityCounts, TlsEntry } from '../parse/types';

/** Reads line `i` of the current text. */
export type LineReader = (line: number) => string;

/** A text change in line terms: lines `startLine..endLine` (inclusive, old numbering) became `newLineCount` lines. */
export interface LineChange {
  startLine: number;
  endLine: number;
  newLineCount: number;
}

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/** The group kind of each code. */
const KIND_NAMES: ReadonlyArray<GroupKind | undefined> = [undefined, ...GROUP_KINDS];
const TLS_ERROR = 1 + GROUP_KINDS.indexOf('tlsError');
const REVOKED = 1 + GROUP_KINDS.indexOf('revoked');
const UNKNOWN = 1 + GROUP_KINDS.indexOf('unknown');

/** Counts of a document's entries by kind, kept up to date as lines change. */
export interface EntryCounts {
  entries: number;
  tlsErrors: number;
  revoked: number;
  unknown: number;
  otherStatus: number;
}

/** A parse whose runs of lines come from elsewhere (see {@link LogModel.startReset}). */
export interface ModelReset {
  /** Records a run of parsed lines; the runs of one parse must come from one {@link LineParser}. */
  add(parsed: ParsedLines): void;
  /** Makes the parse the model's: `read` reads the text it was parsed from. */
  finish(read: LineReader): void;
}

/** Entries a parse gathers before it hands them on (see {@link LogModel.resetInSteps}). */
const ENTRIES_PER_HANDOVER = 250;

/** Lines whose entries are kept after a look-up, for hovers and tooltips that ask again. */
const CACHED_ENTRIES = 256;

/** One parse's per-line state, built in full before it replaces the model's. */
class LineTable {
  /** Per line: {@link NO_ENTRY} or the entry's kind code. Small integers: no object per line. */
  kinds: number[];
  /** Per line with an entry: the id of its SNI in {@link sniNames}. */
  sniIds: number[];
  problems: Array<Problem[] | undefined>;
  /** Problems by severity over the whole document, kept up to date as lines change. */
  readonly problemCounts: SeverityCounts = { error: 0, warning: 0, information: 0 };
  readonly entryCounts: EntryCounts = { entries: 0, tlsErrors: 0, revoked: 0, unknown: 0, otherStatus: 0 };
  readonly sniIdOf = new Map<string | undefined, number>();
  readonly sniNames: Array<string | undefined> = [];
  readonly sniTotals: number[] = [];

  constructor(lineCount: number) {
    this.kinds = new Array<number>(lineCount).fill(NO_ENTRY);
    this.sniIds = new Array<number>(lineCount).fill(-1);
    this.problems = new Array<Problem[] | undefined>(lineCount).fill(undefined);
  }

  /**
   * Records a run of parsed lines over lines that hold nothing (new, or {@link clear}ed). `sniMap` turns the
   * parse's SNI ids into this table's; it learns the run's new SNIs here.
   */
  add(p: ParsedLines, sniMap: number[]): void {
    if (!(p.start >= 0 && p.start + p.count <= this.kinds.length)) {
      throw new RangeError(`lines ${p.start}..${p.start + p.count - 1} are not all in a document of ${this.kinds.length} lines`);
    }
    for (const name of p.newSnis) sniMap.push(this.sniId(name));
    for (let k = 0; k < p.count; k++) {
      const code = p.kinds[k];
      if (code === NO_ENTRY) continue;
      const i = p.start + k;
      this.kinds[i] = code;
      this.countKind(code, 1);
      const id = sniMap[p.sniIds[k]];
      this.sniIds[i] = id;
      this.sniTotals[id]++;
    }
    for (let j = 0; j < p.problemLines.length; j++) {
      const list = p.problems[j];
      this.problems[p.start + p.problemLines[j]] = list;
      for (const x of list) this.problemCounts[x.severity]++;
    }
  }

  /** The id of an SNI, given one when new. */
  private sniId(sni: string | undefined): number {
    let id = this.sniIdOf.get(sni);
    if (id === undefined) {
      id = this.sniNames.length;
      // The SNI outlives its line: a copy, so that the line's text is not kept for it.
      const own = sni === undefined ? undefined : ownCopy(sni);
      this.sniIdOf.set(own, id);
      this.sniNames.push(own);
      this.sniTotals.push(0);
    }
    return id;
  }

  /** Takes line `i` out of the counts. */
  clear(i: number): void {
    const code = this.kinds[i];
    if (code !== NO_ENTRY) {
      this.countKind(code, -1);
      this.sniTotals[this.sniIds[i]]--;
    }
    const list = this.problems[i];
    if (list !== undefined) for (const p of list) this.problemCounts[p.severity]--;
    this.kinds[i] = NO_ENTRY;
    this.sniIds[i] = -1;
    this.problems[i] = undefined;
  }

  /** Lines `start..start+removed-1` become `added` empty lines. */
  replace(start: number, removed: number, added: number): void {
    this.kinds = replaceRange(this.kinds, start, removed, added, NO_ENTRY);
    this.sniIds = replaceRange(this.sniIds, start, removed, added, -1);
    this.problems = replaceRange(this.problems, start, removed, added, undefined);
  }

  private countKind(code: number, by: number): void {
    const c = this.entryCounts;
    c.entries += by;
    if (code === TLS_ERROR) c.tlsErrors += by;
    else if (code === REVOKED) c.revoked += by;
    else if (code === UNKNOWN) c.unknown += by;
    else c.otherStatus += by;
  }
}

/**
 * The parsed form of one log document, parsed once and then kept in step with edits by re-reading only
 * the lines an edit touched. Hovers, diagnostics and the SNI tree all read it.
 *
 * It keeps, per line, only small integers (whether the line holds an entry, of which kind, under which
 * SNI) and the problems of the few lines that have any; totals are kept as lines change. An entry itself
 * is read again from its line when asked for. A kept entry is a dozen objects and strings per line that
 * the garbage collector would have to copy and mark while a big log loads; a line is parsed in
 * microseconds.
 */
export class LogModel {
  private table = new LineTable(0);
  /** Reads the text the model reflects (set by the last parse or edit). */
  private read: LineReader = () => '';
  private readonly cache = new Map<number, TlsEntry | undefined>();

  constructor(private readonly options: AnalyzeOptions = {}) {}

  /** Parses every line. */
  reset(lineCount: number, read: LineReader): void {
    runToEnd(this.resetInSteps(lineCount, read, Number.POSITIVE_INFINITY));
  }

  /**
   * Parses every line in steps of `linesPerStep`, so that a caller can spread a big document over several
   * turns of the event loop. The model holds the new text's results only once the last step has run.
   * `onEntries`, when given, receives the entries as they are read, packed, a few hundred at a time at the
   * end of a step, and once more (perhaps with none) when the parse ends: for a caller that groups them as
   * the parse goes, instead of reading them all again afterwards.
   */
  *resetInSteps(
    lineCount: number,
    read: LineReader,
    linesPerStep = 100,
    onEntries?: (entries: EntryBatch) => void,
  ): Generator<number, void, void> {
    const parser = new LineParser(this.options, onEntries !== undefined);
    const reset = this.startReset(lineCount);
    for (let i = 0; i < lineCount; i += linesPerStep) {
      reset.add(parser.parse(i, Math.min(linesPerStep, lineCount - i), read));
      if (parser.pendingEntries >= ENTRIES_PER_HANDOVER) onEntries?.(parser.takeEntries() as EntryBatch);
      if (i + linesPerStep < lineCount) yield i + linesPerStep;
    }
    // The last hand-over comes even when empty, so that a caller hears of every parse that finished.
    if (onEntries) onEntries(parser.takeEntries() as EntryBatch);
    reset.finish(read);
  }

  /**
   * Starts a parse whose lines are parsed elsewhere (a worker thread): runs of parsed lines go in as they
   * come, in any order, and the model takes them all on {@link ModelReset.finish}. Until then it keeps
   * what it held.
   */
  startReset(lineCount: number): ModelReset {
    const table = new LineTable(lineCount);
    const sniMap: number[] = [];
    let finished = false;
    return {
      add: (parsed) => {
        if (finished) throw new Error('this parse has finished');
        table.add(parsed, sniMap);
      },
      finish: (read) => {
        if (finished) throw new Error('this parse has finished');
        finished = true;
        this.table = table;
        this.read = read;
        this.cache.clear();
      },
    };
  }

  /**
   * Applies a batch of edits given in the order the editor reports them (each relative to the text after
   * the ones before it), then re-reads only the lines they produced from the final text. Returns the
   * number of lines that were parsed again.
   */
  applyChanges(changes: readonly LineChange[], read: LineReader): number {
    const table = this.table;
    this.read = read;
    this.cache.clear();
    // Ranges of new lines still to parse, kept in current numbering as later changes shift them.
    let dirty: Array<[number, number]> = [];
    for (const change of changes) {
      const removed = change.endLine - change.startLine + 1;
      const delta = change.newLineCount - removed;
      for (let i = change.startLine; i <= change.endLine && i < table.kinds.length; i++) table.clear(i);
      table.replace(change.startLine, removed, change.newLineCount);
      const next: Array<[number, number]> = [];
      for (const [s, e] of dirty) {
        if (e < change.startLine) next.push([s, e]);
        else if (s > change.endLine) next.push([s + delta, e + delta]);
        // Ranges overlapping the edit are covered by the edit's own new range below.
        else next.push([Math.min(s, change.startLine), Math.max(change.startLine, e + delta)]);
      }
      next.push([change.startLine, change.startLine + change.newLineCount - 1]);
      dirty = next;
    }
    let parsed = 0;
    const parser = new LineParser(this.options);
    const sniMap: number[] = [];
    for (const [s, e] of dirty) {
      const end = Math.min(e, table.kinds.length - 1);
      if (end < s) continue;
      for (let i = s; i <= end; i++) table.clear(i);
      table.add(parser.parse(s, end - s + 1, read), sniMap);
      parsed += end - s + 1;
    }
    return parsed;
  }

  get lineCount(): number {
    return this.table.kinds.length;
  }

  /** The parse of one line, with problem line numbers as of now. */
  lineResult(line: number): LineResult | undefined {
    if (line < 0 || line >= this.lineCount) return undefined;
    const entry = this.entryOf(line);
    const problems = this.currentProblems(line);
    return entry === undefined ? { problems } : { entry, problems };
  }

  /** The problems of one line (none: an empty array), with line numbers as of now. */
  problemsOf(line: number): readonly Problem[] {
    return this.table.problems[line] === undefined ? NO_PROBLEMS : this.currentProblems(line);
  }

  /** Whether a line holds an entry, without reading it. */
  hasEntry(line: number): boolean {
    return (this.table.kinds[line] ?? NO_ENTRY) !== NO_ENTRY;
  }

  /** The group kind of a line's entry, without reading it; undefined when the line holds none. */
  kindOf(line: number): GroupKind | undefined {
    return KIND_NAMES[this.table.kinds[line] ?? NO_ENTRY];
  }

  /** The `event.sni` of a line's entry, without reading it (undefined also when the line holds no entry). */
  sniOf(line: number): string | undefined {
    return this.hasEntry(line) ? this.table.sniNames[this.table.sniIds[line]] : undefined;
  }

  /** The entry of one line, if it has one: read again from the line (the last few are kept). */
  entryOf(line: number): TlsEntry | undefined {
    if (!this.hasEntry(line)) return undefined;
    if (this.cache.has(line)) return this.cache.get(line);
    const entry = this.readEntry(line);
    if (this.cache.size >= CACHED_ENTRIES) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(line, entry);
    return entry;
  }

  /** Totals by severity across the document. */
  problemCounts(): Readonly<SeverityCounts> {
    return this.table.problemCounts;
  }

  /** Entries by kind across the document. */
  entryCounts(): Readonly<EntryCounts> {
    return this.table.entryCounts;
  }

  /** How many entries have this `event.sni` (undefined: entries without the field). */
  sniCount(sni: string | undefined): number {
    const id = this.table.sniIdOf.get(sni);
    return id === undefined ? 0 : this.table.sniTotals[id];
  }

  /**
   * Problems for publishing: at most `cap`, errors first, then warnings, then information, each in line
   * order (in line order alone when all of them fit). `total` is how many there are in all.
   */
  problems(cap = Number.POSITIVE_INFINITY): { problems: Problem[]; total: number } {
    return runToEnd(this.problemsInSteps(cap, Number.POSITIVE_INFINITY));
  }

  /**
   * {@link problems} in steps of `linesPerStep` lines, so that a caller can spread a big document over
   * several turns of the event loop. One pass over the lines: when there are more than `cap`, each
   * severity keeps its first `cap` on the way and the lists are joined at the end.
   */
  *problemsInSteps(cap = Number.POSITIVE_INFINITY, linesPerStep = 500): Generator<void, { problems: Problem[]; total: number }, undefined> {
    const counts = this.table.problemCounts;
    const total = counts.error + counts.warning + counts.information;
    const at = this.table.problems;
    const lineCount = at.length;
    const inLineOrder: Problem[] = [];
    const bySeverity: Record<Severity, Problem[]> = { error: [], warning: [], information: [] };
    const needsFilter = total > cap;
    for (let start = 0; start < lineCount; start += linesPerStep) {
      const end = Math.min(lineCount, start + linesPerStep);
      for (let i = start; i < end; i++) {
        const list = at[i];
        if (list === undefined) continue;
        for (const p of list) {
          const out = needsFilter ? bySeverity[p.severity] : inLineOrder;
          if (out.length >= cap) continue;
          p.line = i;
          out.push(p);
        }
      }
      if (end < lineCount) yield;
    }
    const problems = needsFilter ? bySeverity.error.concat(bySeverity.warning, bySeverity.information).slice(0, cap) : inLineOrder;
    return { problems, total };
  }

  /** Every entry with its current line number, each read again from its line as the iteration reaches it. */
  *entries(): IterableIterator<LineEntry> {
    const kinds = this.table.kinds;
    for (let i = 0; i < kinds.length; i++) {
      if (kinds[i] === NO_ENTRY) continue;
      const entry = this.cache.get(i) ?? this.readEntry(i);
      if (entry) yield { line: i, entry };
    }
  }

  /** A line's entry, parsed from its text; undefined if the text can no longer be read. */
  private readEntry(line: number): TlsEntry | undefined {
    let text: string;
    try {
      text = this.read(line);
    } catch {
      return undefined;
    }
    return analyzeLine(text, line, this.options).entry;
  }

  /** A line's problems with their line numbers set to where the line is now (edits above it move it). */
  private currentProblems(line: number): Problem[] {
    const list = this.table.problems[line];
    if (list === undefined) return NO_PROBLEMS as Problem[];
    for (const p of list) p.line = line;
    return list;
  }
}

/** `array` with `removed` items at `start` replaced by `added` copies of `empty`; in place unless that would overflow the stack. */
function replaceRange<T>(array: T[], start: number, removed: number, added: number, empty: T): T[] {
  // Spreading a large paste's lines into splice's arguments overflows the call stack.
  if (added <= 10_000) {
    array.splice(start, removed, ...new Array<T>(added).fill(empty));
    return array;
  }
  return array.slice(0, start).concat(new Array<T>(added).fill(empty), array.slice(start + removed));
}
