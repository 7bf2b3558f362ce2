import type { ExplainContext } from './explanation';
import type { FieldPath } from './explanation';
import { explainField, FIELD_PATHS, isFieldPath } from './fields';
import { walkJson, type FieldLocation } from '../parse/jsonLocate';
import { thousands } from '../text';
import { escapeMarkdown, renderExplanation } from './markdown';
import type { LineResult, Problem } from '../parse/types';

/** What to show for a position in a log line: markdown and the range it is about. */
export interface HoverContent {
  markdown: string;
  startColumn: number;
  endColumn: number;
}

/** Values larger than this are not parsed again for a hover; the explanation says what it can without them. */
const MAX_VALUE_TEXT = 1_000_000;

/**
 * The hover for a column of a line: the problems of the line in plain words first, then what the field
 * under the cursor means for this entry. A problem whose range holds the cursor is left out: the editor's
 * own marker hover shows it there. Every log value in the markdown is escaped or in a code span.
 *
 * @param text the line as written
 * @param column 0-based UTF-16 column of the cursor
 * @param result the line's parse (from the document model), for its entry and problems
 */
export function hoverAt(text: string, column: number, result: LineResult | undefined, context: ExplainContext): HoverContent | undefined {
  if (text.trim() === '') return undefined;
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fields: Map<string, FieldLocation>;
  try {
    fields = walkJson(offset === 0 ? text : text.slice(offset)).fields;
  } catch {
    fields = new Map();
  }
  const target = column - offset;
  let best: { path: string; loc: FieldLocation } | undefined;
  for (const [path, loc] of fields) {
    if (!isFieldPath(path) || target < loc.keyStart || target >= Math.max(loc.valueEnd, loc.keyEnd)) continue;
    if (!best || loc.valueEnd - loc.keyStart < best.loc.valueEnd - best.loc.keyStart) best = { path, loc };
  }

  const problems = result?.problems ?? [];
  const elsewhere = problems.filter((p) => !underCursor(p, column));
  const blocks: string[] = [];
  if (elsewhere.length > 0) blocks.push(renderProblems(elsewhere));

  let range: [number, number] | undefined;
  if (best && isFieldPath(best.path)) {
    const raw = readValue(text, best.loc, offset);
    let explanation = explainField(best.path, result?.entry, raw, context);
    const length = best.loc.valueEnd - best.loc.valueStart;
    if (explanation && length > MAX_VALUE_TEXT) {
      // The value is there but was not read: say so, rather than what the explanation of a missing field says.
      explanation = {
        field: explanation.field,
        title: explanation.title,
        facts: [],
        sections: [{ text: `The value takes ${thousands(length)} characters of the line, too long to explain here.` }],
      };
    }
    if (explanation) {
      blocks.push(renderExplanation(explanation));
      range = [best.loc.keyStart + offset, best.loc.valueEnd + offset];
    }
  }
  if (blocks.length === 0) return undefined;
  if (!range) {
    const under = problems.find((p) => column >= p.startColumn && column < p.endColumn);
    range = under ? [under.startColumn, under.endColumn] : [0, text.length];
  }
  return { markdown: blocks.join('\n\n---\n\n'), startColumn: range[0], endColumn: range[1] };
}

/** Whether the editor's marker hover shows this problem at `column` (its range holds the column, ends included). */
function underCursor(problem: Problem, column: number): boolean {
  return column >= problem.startColumn && column <= Math.max(problem.endColumn, problem.startColumn);
}

/** The line's fields that {@link explainField} knows, each with its parsed value, in the order of {@link FIELD_PATHS}. */
export function lineFields(text: string): Array<{ path: FieldPath; raw: unknown }> {
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fields: Map<string, FieldLocation>;
  try {
    fields = walkJson(offset === 0 ? text : text.slice(offset)).fields;
  } catch {
    return [];
  }
  const out: Array<{ path: FieldPath; raw: unknown }> = [];
  for (const path of FIELD_PATHS) {
    const loc = fields.get(path);
    if (loc !== undefined) out.push({ path, raw: readValue(text, loc, offset) });
  }
  return out;
}

function readValue(text: string, loc: FieldLocation, offset: number): unknown {
  if (loc.valueEnd <= loc.valueStart || loc.valueEnd - loc.valueStart > MAX_VALUE_TEXT) return undefined;
  try {
    return JSON.parse(text.slice(loc.valueStart + offset, loc.valueEnd + offset)) as unknown;
  } catch {
    return undefined;
  }
}

const SEVERITY_WORDS: Record<Problem['severity'], string> = { error: 'Error', warning: 'Warning', information: 'Note' };

/** The line's problems, most severe first, each in plain words with its code. Messages quote log values, so they are escaped. */
export function renderProblems(problems: readonly Problem[]): string {
  const order = { error: 0, warning: 1, information: 2 };
  const sorted = [...problems].sort((a, b) => order[a.severity] - order[b.severity] || a.startColumn - b.startColumn);
  const heading = sorted.length === 1 ? '**Problem on this line**' : `**${sorted.length} problems on this line**`;
  return [heading, ...sorted.map((p) => `- ${SEVERITY_WORDS[p.severity]}: ${escapeMarkdown(p.message)} \`${p.code}\``)].join('\n');
}
