import { analyzeLine, type AnalyzeOptions } from './analyze';
import { runToEnd } from './steps';
import type { LineResult, Problem, Severity, TlsEntry } from './types';

/** Reads line `i` of the current text. */
export type LineReader = (line: number) => string;

/** Counts over a whole document, kept up to date as lines change. */
export interface ProblemCounts {
  error: number;
  warning: number;
  information: number;
}

/** A text change in line terms: lines `startLine..endLine` (inclusive, old numbering) became `newLineCount` lines. */
export interface LineChange {
  startLine: number;
  endLine: number;
  newLineCount: number;
}

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/**
 * The parsed form of one log document: each line's entry and problems, parsed once and then kept in step
 * with edits by re-reading only the lines an edit touched. Hovers, diagnostics and the SNI tree all read it.
 *
 * Entries and problems live in two arrays indexed by line, with nothing where a line has none: no wrapper
 * object per line for the garbage collector to move and keep, and collecting the problems of a large
 * document reads one array that is nearly all holes.
 */
export class LogModel {
  private entryAt: Array<TlsEntry | undefined> = [];
  private problemsAt: Array<Problem[] | undefined> = [];
  private counts: ProblemCounts = { error: 0, warning: 0, information: 0 };

  constructor(private readonly options: AnalyzeOptions = {}) {}

  /** Parses every line. */
  reset(lineCount: number, read: LineReader): void {
    runToEnd(this.resetInSteps(lineCount, read, Number.POSITIVE_INFINITY));
  }

  /**
   * Parses every line in steps of `linesPerStep`, so that a caller can spread a big document over several
   * turns of the event loop. The model holds the new text's results only once the last step has run.
   */
  *resetInSteps(lineCount: number, read: LineReader, linesPerStep = 100): Generator<number, void, void> {
    const entries = new Array<TlsEntry | undefined>(lineCount).fill(undefined);
    const problems = new Array<Problem[] | undefined>(lineCount).fill(undefined);
    const counts: ProblemCounts = { error: 0, warning: 0, information: 0 };
    for (let i = 0; i < lineCount; i++) {
      const r = analyzeLine(read(i), i, this.options);
      entries[i] = r.entry;
      if (r.problems.length > 0) {
        problems[i] = r.problems;
        for (const p of r.problems) counts[p.severity]++;
      }
      if (i % linesPerStep === linesPerStep - 1) yield i + 1;
    }
    this.entryAt = entries;
    this.problemsAt = problems;
    this.counts = counts;
  }

  /**
   * Applies a batch of edits given in the order the editor reports them (each relative to the text after
   * the ones before it), then re-reads only the lines they produced from the final text. Returns the
   * number of lines that were parsed again.
   */
  applyChanges(changes: readonly LineChange[], read: LineReader): number {
    // Ranges of new lines still to parse, kept in current numbering as later changes shift them.
    let dirty: Array<[number, number]> = [];
    for (const change of changes) {
      const removed = change.endLine - change.startLine + 1;
      const delta = change.newLineCount - removed;
      for (let i = change.startLine; i <= change.endLine && i < this.problemsAt.length; i++) this.uncount(i);
      this.entryAt = replaceRange(this.entryAt, change.startLine, removed, change.newLineCount);
      this.problemsAt = replaceRange(this.problemsAt, change.startLine, removed, change.newLineCount);
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
    for (const [s, e] of dirty) {
      for (let i = s; i <= e && i < this.entryAt.length; i++) {
        this.uncount(i);
        const r = analyzeLine(read(i), i, this.options);
        this.entryAt[i] = r.entry;
        if (r.problems.length > 0) {
          this.problemsAt[i] = r.problems;
          for (const p of r.problems) this.counts[p.severity]++;
        } else {
          this.problemsAt[i] = undefined;
        }
        parsed++;
      }
    }
    return parsed;
  }

  get lineCount(): number {
    return this.entryAt.length;
  }

  /** The parse of one line, with problem line numbers as of now. */
  lineResult(line: number): LineResult | undefined {
    if (line < 0 || line >= this.entryAt.length) return undefined;
    const entry = this.entryAt[line];
    const problems = this.currentProblems(line);
    return entry === undefined ? { problems } : { entry, problems };
  }

  /** The problems of one line (none: an empty array), with line numbers as of now. */
  problemsOf(line: number): readonly Problem[] {
    return this.problemsAt[line] === undefined ? NO_PROBLEMS : this.currentProblems(line);
  }

  /** The entry of one line, if it has one. */
  entryOf(line: number): TlsEntry | undefined {
    return this.entryAt[line];
  }

  /** Totals by severity across the document. */
  problemCounts(): Readonly<ProblemCounts> {
    return this.counts;
  }

  /**
   * Problems for publishing: at most `cap`, errors first, then warnings, then information, each in line
   * order. `total` is how many there are in all.
   */
  problems(cap = Number.POSITIVE_INFINITY): { problems: Problem[]; total: number } {
    const total = this.counts.error + this.counts.warning + this.counts.information;
    const out: Problem[] = [];
    const order: Severity[] = ['error', 'warning', 'information'];
    const needsFilter = total > cap;
    const at = this.problemsAt;
    for (const severity of needsFilter ? order : [undefined]) {
      for (let i = 0; i < at.length && out.length < cap; i++) {
        const list = at[i];
        if (list === undefined) continue;
        for (const p of list) {
          if (severity !== undefined && p.severity !== severity) continue;
          p.line = i;
          out.push(p);
          if (out.length >= cap) break;
        }
      }
      if (out.length >= cap) break;
    }
    return { problems: out, total };
  }

  /** Every entry with its current line number. */
  *entries(): IterableIterator<{ line: number; entry: TlsEntry }> {
    const at = this.entryAt;
    for (let i = 0; i < at.length; i++) {
      const entry = at[i];
      if (entry) yield { line: i, entry };
    }
  }

  /** A line's problems with their line numbers set to where the line is now (edits above it move it). */
  private currentProblems(line: number): Problem[] {
    const list = this.problemsAt[line];
    if (list === undefined) return NO_PROBLEMS as Problem[];
    for (const p of list) p.line = line;
    return list;
  }

  private uncount(line: number): void {
    const list = this.problemsAt[line];
    if (list !== undefined) for (const p of list) this.counts[p.severity]--;
  }
}

/** `array` with `removed` items at `start` replaced by `added` undefined ones; in place unless that would overflow the stack. */
function replaceRange<T>(array: Array<T | undefined>, start: number, removed: number, added: number): Array<T | undefined> {
  // Spreading a large paste's lines into splice's arguments overflows the call stack.
  if (added <= 10_000) {
    array.splice(start, removed, ...new Array<T | undefined>(added).fill(undefined));
    return array;
  }
  return array.slice(0, start).concat(new Array<T | undefined>(added).fill(undefined), array.slice(start + removed));
}
