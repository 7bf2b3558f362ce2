/**
 * The one place that turns text into markdown. Log values are untrusted (an SNI is whatever a client wrote),
 * so every one of them goes through {@link codeSpan} or {@link escapeMarkdown}; only our own prose is used
 * as markdown. The output is safe for a hover that is not trusted and has HTML support off. A value is shown
 * as literal text by {@link escapeMarkdown} in paragraphs and lists (hovers, tooltips), and as a
 * {@link codeSpan} everywhere else (facts, the exports' table cells).
 */

import type { Explanation } from './explanation';

/** Longest run of a log value shown in full; longer values are cut, saying how much was left out. */
export const MAX_VALUE_LENGTH = 200;

/** How many values of one section are listed before the rest are counted instead. */
export const MAX_VALUES_LISTED = 25;

// Bidirectional overrides and isolates, zero-width characters, line and paragraph separators and the
// byte order mark: invisible, or able to reorder what is shown around them.
const INVISIBLE = /^[\u061C\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u2069\uFEFF]$/;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Makes characters that could hide or disturb text visible: C0 controls (including line breaks and tabs)
 * and DEL become Unicode control pictures (`\n` → `␊`), and C1 controls, bidirectional controls,
 * zero-width characters, line separators and lone surrogates become `⟨U+XXXX⟩`. Everything else is kept.
 * The result has no line breaks, so it can never start a new markdown block.
 */
export function showInvisibles(text: string): string {
  // Nearly every value is printable ASCII: nothing to show then.
  if (PRINTABLE_ASCII.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20) out += String.fromCharCode(0x2400 + code);
    else if (code === 0x7f) out += '\u2421';
    else if ((code >= 0x80 && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || INVISIBLE.test(ch)) {
      out += `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
    } else out += ch;
  }
  return out;
}

/**
 * Escapes text so that markdown shows it literally, inline. Every ASCII punctuation character is
 * backslash-escaped (CommonMark allows that for all of them), which covers `\ ` * _ { } [ ] ( ) # + - . ! | < > ~`,
 * `&` (no entity references), `:` and `@` (no bare-URL or e-mail autolinks), `$` (no theme icons). Line breaks
 * and other invisible characters are made visible ({@link showInvisibles}), and leading spaces are written as
 * character references, so the text cannot start a block (heading, list, quote, indented code) even at the start
 * of a line.
 */
export function escapeMarkdown(text: string): string {
  const escaped = showInvisibles(text).replace(/[!-\/:-@\[-`{-~]/g, '\\$&');
  return escaped.replace(/^ +/, (spaces) => '&#32;'.repeat(spaces.length));
}

/**
 * A markdown code span that shows `text` literally, whatever it holds. The fence is one backtick longer than the
 * longest run of backticks in the text, and the content is padded with a space on each side (CommonMark strips
 * exactly one from each side), so a backtick at either end cannot merge with the fence. Line breaks and other
 * invisible characters are made visible first ({@link showInvisibles}), so the span cannot be split into blocks.
 */
export function codeSpan(text: string): string {
  const visible = showInvisibles(text);
  let longest = 0;
  for (const run of visible.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips nothing from content that is all spaces, so padding would show two spaces too many.
  if (/^ +$/.test(visible)) return `${fence}${visible}${fence}`;
  return `${fence} ${visible} ${fence}`;
}

/** Cuts a value to {@link MAX_VALUE_LENGTH} code points; the note saying so is ours and safe to show as is. */
function cut(value: string): { text: string; note: string } {
  const points = [...value];
  if (points.length <= MAX_VALUE_LENGTH) return { text: value, note: '' };
  return { text: points.slice(0, MAX_VALUE_LENGTH).join(''), note: ` *(${points.length - MAX_VALUE_LENGTH} more characters not shown)*` };
}

/** An untrusted value as an inline code span, cut when long; empty values are named rather than shown blank. */
function valueSpan(value: string): string {
  if (value === '') return '*(empty)*';
  const { text, note } = cut(value);
  return codeSpan(text) + note;
}

/**
 * Renders an explanation (and the problems on its line) to markdown. Titles, headings, section text, fact labels
 * and facts marked trusted are our own prose and are used as written; the value, section values and untrusted
 * facts are shown as code spans; problem messages, which may quote log values, are escaped.
 */
export function renderExplanation(explanation: Explanation, problems: readonly string[] = [], options: { details?: boolean } = {}): string {
  const blocks: string[] = [];
  let head = `**${explanation.title}** · \`${explanation.field}\``;
  if (explanation.value !== undefined) head += `  \nValue: ${valueSpan(explanation.value)}`;
  blocks.push(head);

  if (problems.length > 0) {
    blocks.push(['**Problems on this line**', ...problems.map((problem) => `- ${escapeMarkdown(problem)}`)].join('\n'));
  }

  if (explanation.facts.length > 0) {
    blocks.push(explanation.facts.map((fact) => `- **${fact.label}:** ${fact.untrusted ? valueSpan(fact.value) : fact.value}`).join('\n'));
  }

  const sections = options.details ? [...explanation.sections, ...(explanation.details ?? [])] : explanation.sections;
  for (const section of sections) {
    const lead = section.heading === undefined ? '' : `**${section.heading}.** `;
    let block = lead + section.text;
    const values = section.values ?? [];
    if (values.length > 0) {
      const listed = values.slice(0, MAX_VALUES_LISTED).map((value) => `- ${valueSpan(value)}`);
      if (values.length > MAX_VALUES_LISTED) listed.push(`- *…and ${values.length - MAX_VALUES_LISTED} more*`);
      block += `\n\n${listed.join('\n')}`;
    }
    // A command is shown whole (it is built from checked values and never long), so it can be copied as it is.
    if (section.command !== undefined) block += `\n\n${codeSpan(section.command)}`;
    blocks.push(block);
  }
  return blocks.join('\n\n');
}
