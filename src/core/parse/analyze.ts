import { walkJson, walkJsonTokens, type JsonWalk } from './jsonLocate';
import { PROBLEM_CATALOG } from './problems';
import { readCleanEntry } from './fastEntry';
import type { AnalyzeOptions, LineResult, Problem } from './types';
import { validateValue } from './validate';

const BLANK: LineResult = Object.freeze({ problems: Object.freeze([]) as unknown as Problem[] });

const NO_PROBLEMS: Problem[] = BLANK.problems;

/** Lines up to this length are first offered to the fast path; an entry is a few hundred characters. */
const FAST_PATH_LENGTH = 16_384;

/** Only a line longer than this can nest deep enough for parsing it to cost real memory. */
const DEPTH_CHECK_LENGTH = 65_536;
/**
 * Containers nested deeper than this are parsed as empty ones. No field of the format is that deep, and
 * JSON.parse costs about 100 bytes a level: a 50 MB line of brackets would otherwise take gigabytes.
 */
const MAX_PARSE_DEPTH = 512;

/**
 * The JSON text with every container deeper than `limit` replaced by an empty one of the same kind, or
 * undefined when nothing is that deep. Only meaningful for valid JSON.
 */
function withoutDeepContainers(text: string, limit: number): string | undefined {
  let depth = 0;
  let inString = false;
  let skipping = false;
  let copyFrom = 0;
  let parts: string[] | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 || c === 123) {
      if (++depth === limit + 1 && !skipping) {
        (parts ??= []).push(text.slice(copyFrom, i), c === 91 ? '[]' : '{}');
        skipping = true;
      }
    } else if (c === 93 || c === 125) {
      if (--depth === limit && skipping) {
        skipping = false;
        copyFrom = i + 1;
      }
    }
  }
  if (!parts) return undefined;
  parts.push(text.slice(copyFrom));
  return parts.join('');
}

/** Whether a line holds nothing but white space (blank lines between entries are allowed). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 0xfeff) return false;
  }
  return true;
}

/**
 * Reads one line of a TLS log into an entry and/or problems. JSON.parse does the common case; only a line
 * that fails it is walked again to find the exact place of the syntax error. Never throws, whatever the
 * input: any length, any nesting depth, any characters.
 *
 * @param text the line without its line break (a trailing `\r` is tolerated)
 * @param line the 0-based line number, copied into the problems
 */
export function analyzeLine(text: string, line: number, options?: AnalyzeOptions): LineResult {
  if (isBlank(text)) return BLANK;
  // A UTF-8 byte order mark survives decoding as U+FEFF on the first line; it is not part of the JSON.
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const json = offset === 0 ? text : text.slice(offset);
  if (json.length <= FAST_PATH_LENGTH) {
    const entry = readCleanEntry(json);
    if (entry !== undefined) return { entry, problems: NO_PROBLEMS };
  }
  let parseText = json;
  if (json.length > DEPTH_CHECK_LENGTH) {
    const shallow = withoutDeepContainers(json, MAX_PARSE_DEPTH);
    if (shallow !== undefined) {
      // The cut-down copy stands for the line only when the line is valid JSON; the walker says whether it is.
      const walk = walkJson(json);
      if (walk.error) return { problems: [syntaxProblem(json, line, offset, options, walk)].filter((p): p is Problem => p !== undefined) };
      parseText = shallow;
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(parseText);
  } catch {
    return { problems: [syntaxProblem(json, line, offset, options)].filter((p): p is Problem => p !== undefined) };
  }
  try {
    return validateValue(value, text, line, offset, options);
  } catch (err) {
    // The rules read known fields of a parsed value and should not throw; if they ever do, the line is
    // reported rather than lost.
    return {
      problems: [
        {
          line,
          startColumn: 0,
          endColumn: Math.max(1, text.length),
          severity: 'error',
          code: 'invalid-json',
          message: `The entry could not be checked: ${String(err)}`,
        },
      ],
    };
  }
}

function syntaxProblem(json: string, line: number, offset: number, options?: AnalyzeOptions, walked?: JsonWalk): Problem | undefined {
  const severity = options?.severities?.['invalid-json'];
  if (severity === 'off') return undefined;
  let start = 0;
  let end = json.length;
  let message = 'The line is not valid JSON.';
  try {
    // The line failed JSON.parse: the scanner finds and words the error (the fast walk would only give up).
    const walk = walked ?? walkJsonTokens(json);
    if (walk.error) {
      start = walk.error.start;
      end = Math.min(walk.error.end, json.length);
      message = walk.error.message;
    }
  } catch {
    // Keep the whole-line range: the line is reported either way.
  }
  if (end <= start) end = Math.min(json.length, start + 1);
  if (start >= json.length) start = Math.max(0, json.length - 1);
  return {
    line,
    startColumn: start + offset,
    endColumn: Math.max(end, start + 1) + offset,
    severity: severity ?? PROBLEM_CATALOG['invalid-json'].severity,
    code: 'invalid-json',
    message: `Invalid JSON: ${message}`,
  };
}
