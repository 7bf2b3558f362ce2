/**
 * The entry details: every field of one entry with its whole explanation, background included, as one
 * Markdown document. The hover says what matters on call and links here for the rest. Log values are
 * escaped or shown as code exactly as in the hover (markdown.ts).
 */

import type { LineResult } from '../parse/types';
import type { EntryDetailsData, EntryDetailsField } from './detailsData';
import type { ExplainContext } from './explanation';
import { explainField } from './fields';
import { lineFields, renderProblems } from './hover';
import { escapeMarkdown, renderExplanation } from './markdown';

/** The objects, whose explanations summarise their fields: only `event` is shown, first, as the entry's summary. */
const SUMMARY_FIELDS = new Set(['event', 'event.tls_error', 'event.revocation_check']);

/**
 * The entry details of a line as Markdown.
 *
 * @param text the line as written
 * @param line 0-based line number, shown 1-based
 * @param sourceName the file's name, shown in the title (escaped)
 * @param result the line's parse, for its entry and problems
 */
export function entryDetailsMarkdown(
  text: string,
  line: number,
  sourceName: string,
  result: LineResult | undefined,
  context: ExplainContext,
): string {
  const blocks = [`# Entry on line ${line + 1} of ${escapeMarkdown(sourceName)}`];
  const problems = result?.problems ?? [];
  if (problems.length > 0) blocks.push(renderProblems(problems));
  const fields = lineFields(text);
  if (fields.length === 0) {
    blocks.push(problems.length > 0 ? 'This line could not be read as a TLS log entry.' : 'This line holds no TLS log entry.');
    return blocks.join('\n\n') + '\n';
  }
  const ordered = [...fields.filter((f) => f.path === 'event'), ...fields.filter((f) => !SUMMARY_FIELDS.has(f.path))];
  for (const { path, raw } of ordered) {
    const explanation = explainField(path, result?.entry, raw, context);
    if (explanation === undefined) continue;
    blocks.push(`## ${explanation.title}`, renderExplanation(explanation, [], { details: true }));
  }
  return blocks.join('\n\n') + '\n';
}

/** {@link entryDetailsMarkdown}'s content as data. */
export function entryDetailsData(
  text: string,
  line: number,
  sourceName: string,
  result: LineResult | undefined,
  context: ExplainContext,
): EntryDetailsData {
  const fields = lineFields(text);
  const ordered = [...fields.filter((f) => f.path === 'event'), ...fields.filter((f) => !SUMMARY_FIELDS.has(f.path))];
  const out: EntryDetailsField[] = [];
  for (const { path, raw } of ordered) {
    const e = explainField(path, result?.entry, raw, context);
    if (e === undefined) continue;
    out.push({
      path,
      title: e.title,
      ...(e.value === undefined ? {} : { value: e.value }),
      facts: e.facts.map((f) => ({ label: f.label, value: f.value, untrusted: f.untrusted })),
      paragraphs: [...e.sections, ...(e.details ?? [])],
    });
  }
  let json = text;
  try {
    json = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: the line as written.
  }
  return {
    title: `Entry on line ${line + 1} of ${sourceName}`,
    problems: (result?.problems ?? []).map((p) => p.message),
    fields: out,
    json,
  };
}

export type { EntryDetailsData, EntryDetailsField };
