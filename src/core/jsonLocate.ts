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
 */
export function walkJson(text: string): JsonWalk {
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
          return fail(start, end, end >= text.trimEnd().length ? 'The entry is cut off inside a string: the line ends before the closing quote.' : 'Unterminated string: the closing quote is missing.');
        case ScanError.InvalidEscapeCharacter:
          return fail(start, end, 'Invalid escape sequence in a string.');
        case ScanError.InvalidUnicode:
          return fail(start, end, 'Invalid \\u escape in a string.');
        case ScanError.UnexpectedEndOfNumber:
          return fail(start, end, 'Incomplete number.');
        case ScanError.InvalidCharacter:
          return fail(start, end, kind === SyntaxKind.StringLiteral ? 'Control character inside a string; it must be escaped.' : 'Invalid character.');
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
        const path = parent ? (states[depth - 1] === State.ObjectCommaOrEnd ? (parent.path === '' ? parent.key : `${parent.path}.${parent.key}`) : `${parent.path}[]`) : '';
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
