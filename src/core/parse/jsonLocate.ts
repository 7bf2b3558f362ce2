import { createScanner, ScanError, SyntaxKind } from 'jsonc-parser';
import { messageText } from './problems';

/** Where a property sits in a line: the key (with quotes) and its value. Offsets are UTF-16 indices. */
export interface FieldLocation {
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** The first JSON syntax error of a line. */
export interface SyntaxErrorInfo {
  start: number;
  end: number;
  message: string;
}

/** The result of one pass over a line: the first syntax error, if any, and the places of shallow fields. */
export interface JsonWalk {
  error?: SyntaxErrorInfo;
  /** Field path (`event`, `event.tls_error.status`) to location. */
  fields: Map<string, FieldLocation>;
  /** The extent of the top-level value, when one was read. */
  rootStart: number;
  rootEnd: number;
}

const enum State {
  ObjectFirstKey, // after '{': a key or '}'
  ObjectColon, // after a key: ':'
  ObjectValue, // after ':': a value
  ObjectCommaOrEnd, // after a value: ',' or '}'
  ObjectKey, // after ',': a key
  ArrayFirstValue, // after '[': a value or ']'
  ArrayCommaOrEnd,
  ArrayValue, // after ',': a value
}

/** What is kept of an open container whose fields may be recorded (the shallow ones). */
interface Frame {
  path: string;
  /** The key being read in an object frame, and where it is. */
  key: string;
  keyStart: number;
  keyEnd: number;
  /** Whether the current key's path is deep enough that it is not recorded. */
  record: boolean;
}

/** Only fields this deep are recorded: the format's fields are at most three levels down. */
const MAX_RECORDED_DEPTH = 3;

const EMPTY_FRAME: Frame = { path: '', key: '', keyStart: 0, keyEnd: 0, record: false };

/**
 * Walks one line of JSON with an explicit stack (so any nesting depth is safe) and returns the first
 * syntax error with an exact range, and the locations of fields up to three levels deep. Strict JSON:
 * comments, trailing commas and text after the value are errors. Never throws.
 *
 * Valid JSON (every line that reaches range finding after JSON.parse, and every hover) is read by a
 * hand-written scanner that does no more than find the ends of tokens; anything it does not accept goes
 * through jsonc-parser's scanner, which also words the error. Both give the same fields for valid JSON.
 */
export function walkJson(text: string): JsonWalk {
  return locateValid(text) ?? walkJsonTokens(text);
}

/** Kinds of open containers in {@link locateValid}'s stack. */
const OBJECT = 1;
const ARRAY = 2;

/** Reused by {@link locateValid} (which never re-enters); a deeper line grows a copy of its own. */
const kindStack = new Uint8Array(64);

/** The index after JSON white space (space, tab, line feed, carriage return) from `i`. */
export function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else return i;
  }
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * A character that needs a string to be read one character at a time: a backslash (an escape) or a control
 * character (invalid in a string; outside one only tab, line feed and carriage return are allowed). Lines
 * without any, nearly all, have their strings found with indexOf.
 */
export const NEEDS_CARE = /[\u0000-\u001f\\]/;

/**
 * The index after the JSON string that opens at `i`, or -1 when it is not a valid one. `plain`: the text
 * holds no backslash or control character, so the next quote ends the string.
 */
function stringEnd(text: string, i: number, plain: boolean): number {
  if (plain) {
    const q = text.indexOf('"', i + 1);
    return q < 0 ? -1 : q + 1;
  }
  const n = text.length;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) {
      const e = text.charCodeAt(++j);
      if (e === 117) {
        if (!(
          isHex(text.charCodeAt(j + 1)) &&
          isHex(text.charCodeAt(j + 2)) &&
          isHex(text.charCodeAt(j + 3)) &&
          isHex(text.charCodeAt(j + 4))
        ))
          return -1;
        j += 4;
      } else if (e !== 34 && e !== 92 && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) return -1;
    } else if (c < 32) return -1;
  }
  return -1;
}

/** The index after the run of digits at `i`, or -1 when there is none. */
function digitsEnd(text: string, i: number): number {
  let c = text.charCodeAt(i);
  if (!(c >= 48 && c <= 57)) return -1;
  do c = text.charCodeAt(++i);
  while (c >= 48 && c <= 57);
  return i;
}

/** The index after the JSON number, `true`, `false` or `null` at `i`, or -1 when there is none. */
export function scalarEnd(text: string, i: number, c: number): number {
  if (c === 116) return text.startsWith('true', i) ? i + 4 : -1;
  if (c === 102) return text.startsWith('false', i) ? i + 5 : -1;
  if (c === 110) return text.startsWith('null', i) ? i + 4 : -1;
  let j = i;
  if (c === 45) c = text.charCodeAt(++j);
  if (c === 48) j++;
  else if ((j = digitsEnd(text, j)) < 0) return -1;
  c = text.charCodeAt(j);
  if (c === 46) {
    if ((j = digitsEnd(text, j + 1)) < 0) return -1;
    c = text.charCodeAt(j);
  }
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++j);
    if (c === 43 || c === 45) j++;
    if ((j = digitsEnd(text, j)) < 0) return -1;
  }
  return j;
}

/**
 * The paths of fields below a recorded object, by the object's path and the key: the same few dozen paths
 * come up on every line, and building each one anew (and hashing the new string for the map) costs more
 * than reading the line. Bounded, as keys come from the file.
 */
const childPaths = new Map<string, Map<string, string>>();
const MAX_CACHED_PATHS = 256;
const MAX_CACHED_KEY = 64;

function childPathsOf(parent: string): Map<string, string> {
  let paths = childPaths.get(parent);
  if (!paths) {
    paths = new Map();
    if (parent.length > 3 * MAX_CACHED_KEY) return paths;
    if (childPaths.size >= MAX_CACHED_PATHS) childPaths.clear();
    childPaths.set(parent, paths);
  }
  return paths;
}

/**
 * {@link walkJson} for strict JSON (the grammar JSON.parse accepts): the same fields and extent, without
 * tokens or token values, at a fraction of the cost. Undefined as soon as the text is anything else; the
 * caller then walks it with the scanner, which finds and words the error.
 */
function locateValid(text: string): JsonWalk | undefined {
  const n = text.length;
  const plain = !NEEDS_CARE.test(text);
  const fields = new Map<string, FieldLocation>();
  // The frames whose keys are recorded are the objects at levels 1 to 3 reached through objects only,
  // as in the walker: a path that runs through an array (or a key containing "[]") is not recorded.
  const framePath: string[] = ['', '', '', ''];
  const frameChildren: Array<Map<string, string> | undefined> = [undefined, undefined, undefined, undefined];
  const frameRecord: boolean[] = [false, false, false, false];
  // The path of the field that holds the container at each level up to 4, to set its end when it closes.
  // Looked up by path, as the walker does: with empty keys a field inside can have the same path.
  const containerPath: Array<string | undefined> = [undefined, undefined, undefined, undefined, undefined];
  let kinds = kindStack;
  let depth = 0;
  let i = skipSpace(text, 0);
  const rootStart = i;
  // The field of the value about to be read, when it is recorded, and its path.
  let loc: FieldLocation | undefined;
  let path = '';
  let readKey = false;
  const holderOf = (level: number): FieldLocation | undefined => {
    const p = level <= 4 ? containerPath[level] : undefined;
    return p === undefined ? undefined : fields.get(p);
  };
  for (;;) {
    if (readKey) {
      readKey = false;
      if (text.charCodeAt(i) !== 34) return undefined;
      const keyStart = i;
      const keyEnd = stringEnd(text, i, plain);
      if (keyEnd < 0) return undefined;
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== 58) return undefined;
      i = skipSpace(text, i + 1);
      if (depth <= 3 && frameRecord[depth]) {
        let key = text.slice(keyStart + 1, keyEnd - 1);
        if (!plain && key.includes('\\')) key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
        const children = frameChildren[depth];
        if (children === undefined) path = key;
        else {
          const cached = children.get(key);
          if (cached !== undefined) path = cached;
          else {
            path = `${framePath[depth]}.${key}`;
            if (key.length <= MAX_CACHED_KEY) {
              if (children.size >= MAX_CACHED_PATHS) children.clear();
              children.set(key, path);
            }
          }
        }
        loc = { keyStart, keyEnd, valueStart: i, valueEnd: i };
        fields.set(path, loc);
      } else loc = undefined;
    }

    // A value starts at i.
    let c = text.charCodeAt(i);
    let end: number;
    if (c === 123 || c === 91) {
      if (depth === kinds.length) {
        const grown = new Uint8Array(kinds.length * 2);
        grown.set(kinds);
        kinds = grown;
      }
      const isObject = c === 123;
      kinds[depth++] = isObject ? OBJECT : ARRAY;
      if (depth <= 4) containerPath[depth] = loc ? path : undefined;
      if (depth <= 3) {
        const record = isObject && (depth === 1 || (loc !== undefined && !path.includes('[]')));
        frameRecord[depth] = record;
        if (record) {
          const framed = depth === 1 ? '' : path;
          framePath[depth] = framed;
          frameChildren[depth] = framed === '' ? undefined : childPathsOf(framed);
        }
      }
      i = skipSpace(text, i + 1);
      c = text.charCodeAt(i);
      if (c !== (isObject ? 125 : 93)) {
        if (isObject) readKey = true;
        else loc = undefined;
        continue;
      }
      // An empty container: it ends here.
      loc = holderOf(depth);
      depth--;
      end = i + 1;
    } else {
      end = c === 34 ? stringEnd(text, i, plain) : scalarEnd(text, i, c);
      if (end < 0) return undefined;
    }

    // A value ended at `end`; `loc` is its field when recorded. Close the containers that end after it.
    for (;;) {
      if (loc) loc.valueEnd = end;
      if (depth === 0) return skipSpace(text, end) === n ? { fields, rootStart, rootEnd: end } : undefined;
      i = skipSpace(text, end);
      c = text.charCodeAt(i);
      const kind = kinds[depth - 1];
      if (c === 44) {
        i = skipSpace(text, i + 1);
        if (kind === OBJECT) readKey = true;
        else loc = undefined;
        break;
      }
      if (c !== (kind === OBJECT ? 125 : 93)) return undefined;
      loc = holderOf(depth);
      depth--;
      end = i + 1;
    }
  }
}

/** {@link walkJson} through jsonc-parser's scanner: any text, with the first syntax error worded. */
export function walkJsonTokens(text: string): JsonWalk {
  const fields = new Map<string, FieldLocation>();
  const scanner = createScanner(text, false);
  // One byte of state per open container, so that a line nested a million deep costs a megabyte, not the
  // hundreds an object per level would; only the levels whose fields are recorded keep a Frame.
  let states = new Uint8Array(64);
  let depth = 0;
  const frames: Frame[] = [];
  const frameOf = (level: number): Frame | undefined => (level >= 1 && level <= MAX_RECORDED_DEPTH ? frames[level - 1] : undefined);
  const push = (state: State, frame: Frame | undefined): void => {
    if (depth === states.length) {
      const grown = new Uint8Array(states.length * 2);
      grown.set(states);
      states = grown;
    }
    states[depth++] = state;
    if (depth <= MAX_RECORDED_DEPTH) frames[depth - 1] = frame ?? EMPTY_FRAME;
  };
  let rootStart = -1;
  let rootEnd = -1;
  let done = false; // the top-level value has been read

  const fail = (start: number, end: number, message: string): JsonWalk => ({
    // The scanner counts one character past the end for an unclosed block comment.
    error: { start, end: Math.max(Math.min(end, text.length), start + 1), message },
    fields,
    rootStart,
    rootEnd,
  });

  const describe = (kind: SyntaxKind, start: number, length: number): string => {
    switch (kind) {
      case SyntaxKind.EOF:
        return 'the end of the line';
      case SyntaxKind.StringLiteral:
        return 'a string';
      case SyntaxKind.NumericLiteral:
        return 'a number';
      default:
        return `'${messageText(text.substr(start, Math.min(length, 21)), 20)}'`;
    }
  };

  // Called when a value (primitive or container) starts, in whatever container is open.
  const valueStarted = (start: number): void => {
    if (depth === 0) {
      rootStart = start;
      return;
    }
    if (states[depth - 1] === State.ObjectValue) {
      states[depth - 1] = State.ObjectCommaOrEnd;
      const top = frameOf(depth);
      if (top?.record) {
        const path = top.path === '' ? top.key : `${top.path}.${top.key}`;
        fields.set(path, { keyStart: top.keyStart, keyEnd: top.keyEnd, valueStart: start, valueEnd: start });
      }
    } else {
      states[depth - 1] = State.ArrayCommaOrEnd;
    }
  };
  // Called when a value ends, with the container that holds it (if any) open.
  const valueEnded = (end: number): void => {
    if (depth === 0) {
      rootEnd = end;
      done = true;
      return;
    }
    const holder = frameOf(depth);
    if (holder?.record && states[depth - 1] === State.ObjectCommaOrEnd) {
      const path = holder.path === '' ? holder.key : `${holder.path}.${holder.key}`;
      const loc = fields.get(path);
      if (loc) loc.valueEnd = end;
    }
  };

  for (;;) {
    const kind = scanner.scan();
    const start = scanner.getTokenOffset();
    const length = scanner.getTokenLength();
    const end = start + length;
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) continue;
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      return fail(start, end, 'Comments are not allowed in JSON.');
    }
    const scanError = scanner.getTokenError();
    if (scanError !== ScanError.None) {
      switch (scanError) {
        case ScanError.UnexpectedEndOfString:
          return fail(
            start,
            end,
            end >= text.trimEnd().length
              ? 'The entry is cut off inside a string: the line ends before the closing quote.'
              : 'Unterminated string: the closing quote is missing.',
          );
        case ScanError.InvalidEscapeCharacter:
          return fail(start, end, 'Invalid escape sequence in a string.');
        case ScanError.InvalidUnicode:
          return fail(start, end, 'Invalid \\u escape in a string.');
        case ScanError.UnexpectedEndOfNumber:
          return fail(start, end, 'Incomplete number.');
        case ScanError.InvalidCharacter:
          return fail(
            start,
            end,
            kind === SyntaxKind.StringLiteral ? 'Control character inside a string; it must be escaped.' : 'Invalid character.',
          );
        default:
          return fail(start, end, 'Invalid token.');
      }
    }
    const topState = depth > 0 ? states[depth - 1] : -1;
    if (done) {
      if (kind === SyntaxKind.EOF) return { fields, rootStart, rootEnd };
      return fail(start, end, `Unexpected ${describe(kind, start, length)} after the end of the JSON value.`);
    }
    if (kind === SyntaxKind.Unknown) {
      return fail(start, end, `Unexpected ${describe(kind, start, length)}: not a JSON token.`);
    }
    if (kind === SyntaxKind.EOF) {
      const closer = depth > 0 ? (topState <= State.ObjectKey ? "'}'" : "']'") : 'a value';
      const at = Math.max(0, text.trimEnd().length - 1);
      return fail(at, at + 1, depth > 0 ? `The entry is cut off: the line ends before ${closer}.` : 'The line holds no JSON value.');
    }

    if (topState === State.ObjectFirstKey || topState === State.ObjectKey) {
      if (kind === SyntaxKind.StringLiteral) {
        const top = frameOf(depth);
        if (top?.record) {
          top.key = scanner.getTokenValue();
          top.keyStart = start;
          top.keyEnd = end;
        }
        states[depth - 1] = State.ObjectColon;
        continue;
      }
      if (kind === SyntaxKind.CloseBraceToken && topState === State.ObjectFirstKey) {
        depth--;
        valueEnded(end);
        continue;
      }
      if (kind === SyntaxKind.CloseBraceToken) return fail(start, end, "Trailing comma before '}'.");
      return fail(start, end, `Expected a property name in double quotes, found ${describe(kind, start, length)}.`);
    }
    if (topState === State.ObjectColon) {
      if (kind === SyntaxKind.ColonToken) {
        states[depth - 1] = State.ObjectValue;
        continue;
      }
      return fail(start, end, `Expected ':' after the property name, found ${describe(kind, start, length)}.`);
    }
    if (topState === State.ObjectCommaOrEnd) {
      if (kind === SyntaxKind.CommaToken) {
        states[depth - 1] = State.ObjectKey;
        continue;
      }
      if (kind === SyntaxKind.CloseBraceToken) {
        depth--;
        valueEnded(end);
        continue;
      }
      return fail(start, end, `Expected ',' or '}' after a property value, found ${describe(kind, start, length)}.`);
    }
    if (topState === State.ArrayCommaOrEnd) {
      if (kind === SyntaxKind.CommaToken) {
        states[depth - 1] = State.ArrayValue;
        continue;
      }
      if (kind === SyntaxKind.CloseBracketToken) {
        depth--;
        valueEnded(end);
        continue;
      }
      return fail(start, end, `Expected ',' or ']' after an array element, found ${describe(kind, start, length)}.`);
    }

    // A value is expected: at the top level, after ':', or in an array.
    if (kind === SyntaxKind.CloseBracketToken && topState === State.ArrayFirstValue) {
      depth--;
      valueEnded(end);
      continue;
    }
    switch (kind) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken: {
        valueStarted(start);
        const state = kind === SyntaxKind.OpenBraceToken ? State.ObjectFirstKey : State.ArrayFirstValue;
        if (depth >= MAX_RECORDED_DEPTH) {
          push(state, undefined);
          continue;
        }
        const parent = frameOf(depth);
        const path = parent
          ? states[depth - 1] === State.ObjectCommaOrEnd
            ? parent.path === ''
              ? parent.key
              : `${parent.path}.${parent.key}`
            : `${parent.path}[]`
          : '';
        push(state, {
          path,
          key: '',
          keyStart: 0,
          keyEnd: 0,
          record: kind === SyntaxKind.OpenBraceToken && !path.includes('[]'),
        });
        continue;
      }
      case SyntaxKind.NumericLiteral: {
        // The scanner ends a number after a leading 0, so `0443` would read as two numbers; mark it whole.
        const next = text.charCodeAt(end);
        if (next >= 48 && next <= 57) {
          let stop = end;
          while (stop < text.length && /[0-9.eE+-]/.test(text[stop])) stop++;
          return fail(start, stop, 'A number cannot start with a leading zero.');
        }
        valueStarted(start);
        valueEnded(end);
        continue;
      }
      case SyntaxKind.StringLiteral:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword:
        valueStarted(start);
        valueEnded(end);
        continue;
      case SyntaxKind.CloseBracketToken:
        return fail(start, end, topState === State.ArrayValue ? "Trailing comma before ']'." : "Unexpected ']'.");
      case SyntaxKind.CloseBraceToken:
        return fail(start, end, topState === State.ObjectValue ? "Expected a value after ':', found '}'." : "Unexpected '}'.");
      default:
        return fail(start, end, `Expected a value, found ${describe(kind, start, length)}.`);
    }
  }
}
