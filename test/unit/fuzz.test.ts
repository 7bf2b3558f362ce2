/**
 * Property-based fuzzing of the engine with fast-check: random text, random bytes, random JSON and mutations
 * of valid entries go through the analyzer, the JSON walker, the hover, the document model and the CLI's
 * file reader. The seed is fixed so that a failure reproduces; fast-check prints the seed and the path of
 * the shrunk counterexample, which can be replayed with `{ seed, path }` in the assert parameters.
 *
 *   FUZZ_SEED=7 FUZZ_SCALE=20 node --test out/test/unit/fuzz.test.js
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { LogGenerator, Prng } from '../../bench/generate';
import { analyzeLine } from '../../src/core/parse/analyze';
import { hoverAt } from '../../src/core/explain/hover';
import { walkJson } from '../../src/core/parse/jsonLocate';
import { LogModel, type LineChange } from '../../src/core/document/logModel';
import { assertMatchesLines } from './modelCheck';
import { PROBLEM_CATALOG } from '../../src/core/parse/problems';
import { checkFile } from '../../src/core/report/report';
import type { LineResult, Problem, TlsEntry } from '../../src/core/parse/types';
import { validateValue } from '../../src/core/parse/validate';

/** Fixed, so that a failure reproduces; `FUZZ_SEED=<n>` explores elsewhere. */
const SEED = Number(process.env.FUZZ_SEED ?? 20240702);
/** `FUZZ_SCALE=20` runs every property twenty times as often, for a longer hunt than `npm test` allows. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** Runs per property: enough to find the classic mistakes, few enough for the whole file to stay well under a minute. */
const RUNS = 1000;
const params = (numRuns = RUNS): fc.Parameters<unknown> => ({ seed: SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)) });

const CONTEXT = { now: Date.UTC(2024, 6, 3, 12), timeZone: 'UTC', sniCount: (): number => 3 };
const SEVERITIES = new Set(['error', 'warning', 'information']);

/** Asserts the invariants every analyzed line keeps, whatever the input. */
function assertWellFormed(text: string, line: number, result: LineResult): void {
  assert.ok(Array.isArray(result.problems));
  for (const p of result.problems) {
    assert.equal(p.line, line);
    assert.ok(Object.hasOwn(PROBLEM_CATALOG, p.code), `unknown code ${p.code}`);
    assert.ok(SEVERITIES.has(p.severity), `unknown severity ${p.severity}`);
    assert.ok(Number.isInteger(p.startColumn) && Number.isInteger(p.endColumn), 'integer columns');
    if (text.length === 0) {
      assert.deepEqual([p.startColumn, p.endColumn], [0, 0]);
    } else {
      assert.ok(
        p.startColumn >= 0 && p.startColumn < p.endColumn && p.endColumn <= text.length,
        `range ${p.startColumn}-${p.endColumn} outside a line of ${text.length}: ${p.code}`,
      );
    }
    assert.equal(typeof p.message, 'string');
    assert.ok(p.message.length > 0);
    // Messages reach a terminal through the CLI: no log text may carry control characters into them, or any length.
    assert.ok(!UNSAFE_IN_MESSAGE.test(p.message), `control or invisible character in ${JSON.stringify(p.message)}`);
    assert.ok(p.message.length <= 300, `message of ${p.message.length} characters`);
  }
}

const UNSAFE_IN_MESSAGE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]/u;

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Valid entries and ways to spell them

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Valid compact entries of all three shapes, IPv4 and IPv6, from a few generator seeds. */
const VALID: string[] = [];
for (const seed of [1, 2, 3]) {
  const generator = new LogGenerator({ seed, reorderKeys: 0, pretty: 0, malformed: 0, ipv6: 0.3 });
  for (let i = 0; i < 60; i++) VALID.push(generator.next().text);
}

/** Dotted paths of every key of a parsed entry, containers included. */
function keyPaths(value: JsonObject, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    out.push(path);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...keyPaths(v, path));
  }
  return out;
}

/** How to write an entry out: which changes to make while serialising. */
interface Spelling {
  rng?: Prng;
  /** Random spaces and tabs around every token. */
  whitespace?: boolean;
  /** Keys of every object in a random order. */
  reorder?: boolean;
  /** Write this key twice: `first` (the same value when absent) and then the real value. */
  duplicate?: { path: string; first?: Json };
  /** Write this value at this path instead of the real one. */
  replace?: { path: string; value: Json };
  /** Drop the key at this path. */
  remove?: string;
  /** Add fields that the format does not know, with these values. */
  extra?: Json[];
}

/** Serialises an entry as one line and says where the value at each path ended up (its last occurrence). */
function spell(value: Json, s: Spelling): { text: string; at: Map<string, [number, number]> } {
  const at = new Map<string, [number, number]>();
  let text = '';
  const ws = (): void => {
    if (!s.whitespace || !s.rng) return;
    const n = s.rng.int(0, 2);
    for (let i = 0; i < n; i++) text += s.rng.chance(0.8) ? ' ' : '\t';
  };
  let extras = [...(s.extra ?? [])];
  const write = (v: Json, path: string): void => {
    ws();
    const start = text.length;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      let keys = Object.keys(v);
      if (s.reorder && s.rng) {
        for (let i = keys.length - 1; i > 0; i--) {
          const j = s.rng.int(0, i);
          [keys[i], keys[j]] = [keys[j], keys[i]];
        }
      }
      keys = keys.filter((k) => (path === '' ? k : `${path}.${k}`) !== s.remove);
      const pairs: Array<[string, Json, string]> = [];
      for (const k of keys) {
        const p = path === '' ? k : `${path}.${k}`;
        const real = s.replace?.path === p ? s.replace.value : v[k];
        if (s.duplicate?.path === p) pairs.push([k, s.duplicate.first === undefined ? v[k] : s.duplicate.first, p]);
        pairs.push([k, real, p]);
      }
      // Unknown fields go into the top level and the event, at random places.
      if ((path === '' || path === 'event') && extras.length > 0 && s.rng) {
        const take = extras.splice(0, path === '' ? Math.ceil(extras.length / 2) : extras.length);
        take.forEach((x, i) => pairs.splice(s.rng!.int(0, pairs.length), 0, [`x_extra_${path}_${i}`, x, `${path}.x_extra_${i}`]));
      }
      text += '{';
      pairs.forEach(([k, pv, p], i) => {
        if (i > 0) {
          ws();
          text += ',';
        }
        ws();
        text += JSON.stringify(k);
        ws();
        text += ':';
        write(pv, p);
      });
      ws();
      text += '}';
    } else if (Array.isArray(v)) {
      text += '[';
      v.forEach((item, i) => {
        if (i > 0) {
          ws();
          text += ',';
        }
        write(item, `${path}[]`);
      });
      ws();
      text += ']';
    } else {
      text += JSON.stringify(v);
    }
    at.set(path, [start, text.length]);
    ws();
  };
  extras = [...(s.extra ?? [])];
  write(value, '');
  return { text, at };
}

const validIndex = fc.nat({ max: VALID.length - 1 });
const validLine = validIndex.map((i) => VALID[i]);
const entryOf = (text: string): TlsEntry | undefined => analyzeLine(text, 0).entry;

/** Text that is mostly JSON punctuation, so the walker's states are all visited. */
const jsonish = fc.string({
  unit: fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        '"',
        ':',
        ',',
        ' ',
        '\\',
        '0',
        '1',
        '-',
        '.',
        'e',
        'E',
        '+',
        't',
        'r',
        'u',
        'f',
        'n',
        'l',
        'a',
        's',
        '/',
        '*',
        '\t',
        '\r',
        '\n',
        'x',
      ),
    },
    { weight: 1, arbitrary: fc.nat({ max: 0xffff }).map((c) => String.fromCharCode(c)) },
  ),
  maxLength: 60,
});
/** Any UTF-16 code units, lone surrogates included. */
const codeUnits = fc.string({ unit: fc.nat({ max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const randomBytesAsUtf8 = fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('utf8'));
const randomJson = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
);

/** A valid line with one thing broken or changed; covers the whole line because the index is drawn over it. */
const mutated = fc.oneof(
  // cut off at any point
  fc.tuple(validLine, fc.double({ min: 0, max: 1, noNaN: true })).map(([t, f]) => t.slice(0, Math.floor(f * t.length))),
  // one UTF-16 unit replaced
  fc.tuple(validLine, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 0xffff })).map(([t, f, c]) => {
    const i = Math.min(t.length - 1, Math.floor(f * t.length));
    return t.slice(0, i) + String.fromCharCode(c) + t.slice(i + 1);
  }),
  // one bit of the UTF-8 bytes flipped
  fc.tuple(validLine, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 7 })).map(([t, f, bit]) => {
    const bytes = Buffer.from(t);
    const i = Math.min(bytes.length - 1, Math.floor(f * bytes.length));
    bytes[i] ^= 1 << bit;
    return bytes.toString('utf8');
  }),
  // a character deleted or duplicated
  fc.tuple(validLine, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()).map(([t, f, dup]) => {
    const i = Math.min(t.length - 1, Math.floor(f * t.length));
    return dup ? t.slice(0, i + 1) + t.slice(i) : t.slice(0, i) + t.slice(i + 1);
  }),
  // a character that looks like white space but is not JSON white space, spliced in
  fc
    .tuple(
      validLine,
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom('\v', '\f', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u200b', '\u0085', '\0'),
    )
    .map(([t, f, c]) => {
      const i = Math.floor(f * t.length);
      return t.slice(0, i) + c + t.slice(i);
    }),
  // a random piece of JSON-ish text spliced in
  fc.tuple(validLine, fc.double({ min: 0, max: 1, noNaN: true }), jsonish).map(([t, f, s]) => {
    const i = Math.floor(f * t.length);
    return t.slice(0, i) + s + t.slice(i);
  }),
);

/** Every kind of hostile line this file draws. */
const anyLine = fc.oneof(codeUnits, jsonish, randomBytesAsUtf8, randomJson, mutated, validLine);

// ---------------------------------------------------------------------------------------------------------

describe('analyzeLine on hostile input', () => {
  it('never throws and keeps every problem inside its line, for random UTF-16 text with lone surrogates', () => {
    fc.assert(
      fc.property(
        fc.oneof(codeUnits, fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 })),
        fc.nat({ max: 1e6 }),
        (text, line) => {
          assertWellFormed(text, line, analyzeLine(text, line));
        },
      ),
      params(),
    );
  });

  it('never throws and keeps every problem inside its line, for random bytes decoded as UTF-8', () => {
    fc.assert(
      fc.property(randomBytesAsUtf8, (text) => {
        assertWellFormed(text, 0, analyzeLine(text, 0));
      }),
      params(),
    );
  });

  it('reports invalid JSON exactly when JSON.parse rejects the line, and only then', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, randomJson, mutated), (text) => {
        const result = analyzeLine(text, 3);
        assertWellFormed(text, 3, result);
        const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
        const invalid = result.problems.filter((p) => p.code === 'invalid-json');
        if (body.trim() === '' && /^[ \t\r\n\uFEFF]*$/.test(text)) assert.equal(result.problems.length, 0, 'a blank line has no problems');
        else if (parses(body)) assert.equal(invalid.length, 0);
        else {
          assert.equal(result.problems.length, 1, 'a line that is not JSON has exactly one problem');
          assert.equal(invalid.length, 1);
          assert.equal(result.entry, undefined);
        }
      }),
      params(),
    );
  });

  it('reads any JSON value without throwing; only an object can be an entry', () => {
    fc.assert(
      fc.property(randomJson, (text) => {
        const result = analyzeLine(text, 0);
        assertWellFormed(text, 0, result);
        const value: unknown = JSON.parse(text);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          assert.equal(result.entry, undefined);
          assert.deepEqual(
            result.problems.map((p) => p.code),
            ['not-an-object'],
          );
        }
      }),
      params(),
    );
  });

  it('reports a cut-off entry as invalid JSON, whatever the cut', () => {
    fc.assert(
      fc.property(validLine, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (t, f) => {
        const text = t.slice(0, Math.max(1, Math.floor(f * t.length)));
        const result = analyzeLine(text, 0);
        assertWellFormed(text, 0, result);
        assert.deepEqual(
          result.problems.map((p) => p.code),
          ['invalid-json'],
        );
        assert.equal(result.entry, undefined);
      }),
      params(),
    );
  });

  it('quotes log text in messages without control characters and at a bounded length', () => {
    fc.assert(
      fc.property(fc.oneof(codeUnits, fc.string({ unit: 'binary', maxLength: 500 })), (hostile) => {
        // Outside a string, as an unknown token, and as the event_type of an entry of another log type.
        const token = `{"a":${hostile.replace(/["{}\[\],:\s/]/g, '')}}`;
        const eventType = JSON.stringify({
          firewall_name: 'fw',
          availability_zone: 'us-east-1a',
          event_timestamp: 1,
          event: { event_type: hostile },
        });
        for (const text of [token, eventType]) assertWellFormed(text, 0, analyzeLine(text, 0));
      }),
      params(),
    );
    const terminal = '\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b[2J\u009b31m\u202e';
    const message = analyzeLine(
      JSON.stringify({ firewall_name: 'fw', availability_zone: 'us-east-1a', event_timestamp: 1, event: { event_type: terminal } }),
      0,
    ).problems[0].message;
    assert.match(message, /"\\u001b\]52;c;ZWNobyBwd25lZA==\\u0007\\u001b\[2J\\u009b31m\\u202e"/);
    assert.equal(analyzeLine(`{"a":\u001bc}`, 0).problems[0].message, "Invalid JSON: Unexpected '\\u001bc': not a JSON token.");
  });

  it('keeps the invariants for one-character and one-bit changes of valid entries', () => {
    fc.assert(
      fc.property(mutated, fc.nat({ max: 100 }), (text, line) => {
        assertWellFormed(text, line, analyzeLine(text, line));
      }),
      params(3000),
    );
  });
});

describe('analyzeLine on valid entries written differently', () => {
  it('never flags an entry from the generator', () => {
    for (const [i, text] of VALID.entries()) {
      const result = analyzeLine(text, i);
      assert.deepEqual(result.problems, [], text);
      assert.ok(result.entry, text);
    }
  });

  it('reads reordered keys, spaces and tabs between tokens, unknown extra fields, a trailing CR and a BOM as the same entry, with no problem', () => {
    fc.assert(
      fc.property(
        validLine,
        fc.integer(),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 3 }),
        fc.constantFrom('', '\r', ' \t'),
        fc.boolean(),
        (compact, seed, whitespace, reorder, extra, tail, bom) => {
          const value = JSON.parse(compact) as JsonObject;
          const { text } = spell(value, { rng: new Prng(seed), whitespace, reorder, extra });
          const line = (bom ? '\uFEFF' : '') + text + tail;
          const result = analyzeLine(line, 0);
          assert.deepEqual(result.problems, [], line);
          assert.deepEqual(result.entry, entryOf(compact));
        },
      ),
      params(),
    );
  });

  it('reads the documentation spelling `{ "a": 1 }` and two-space pretty printing joined on one line as the same entry', () => {
    for (const compact of VALID.slice(0, 40)) {
      const value = JSON.parse(compact) as JsonObject;
      for (const line of [
        JSON.stringify(value, null, 1).replace(/\n/g, ''),
        JSON.stringify(value, null, 2).replace(/\n/g, ' '),
        JSON.stringify(value, null, '\t').replace(/\n/g, ''),
      ]) {
        const result = analyzeLine(line, 0);
        assert.deepEqual(result.problems, [], line);
        assert.deepEqual(result.entry, entryOf(compact));
      }
    }
  });

  it('keeps any free-text value (SNI, firewall name, fingerprint) exactly, lone surrogates and controls included, without a problem', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: VALID.length - 1 }),
        fc.oneof(codeUnits, fc.string({ unit: 'binary' })).filter((s) => s !== ''),
        fc.constantFrom('firewall_name', 'event.sni', 'leaf'),
        (i, value, field) => {
          const entry = JSON.parse(VALID[i]) as JsonObject & { event: JsonObject & { revocation_check?: JsonObject } };
          if (field === 'firewall_name') entry.firewall_name = value;
          else if (field === 'leaf' && entry.event.revocation_check) entry.event.revocation_check.leaf_cert_fpr = value;
          else if (entry.event.revocation_check) entry.event.sni = value;
          else return; // an error entry's SNI has to agree with its message
          const result = analyzeLine(JSON.stringify(entry), 0);
          assert.deepEqual(result.problems, []);
          if (field === 'firewall_name') assert.equal(result.entry?.firewallName, value);
          else if (field === 'leaf') assert.equal(result.entry?.leafCertFpr, value);
          else assert.equal(result.entry?.sni, value);
        },
      ),
      params(),
    );
  });

  it('takes the last of duplicated keys, as JSON.parse does, and marks the last one when it is wrong', () => {
    fc.assert(
      fc.property(validLine, fc.nat(), fc.integer(), (compact, pick, seed) => {
        const value = JSON.parse(compact) as JsonObject;
        const paths = keyPaths(value);
        const path = paths[pick % paths.length];
        // The same value twice: nothing changes.
        const same = spell(value, { duplicate: { path }, rng: new Prng(seed), whitespace: true });
        assert.deepEqual(analyzeLine(same.text, 0).problems, [], same.text);
        assert.deepEqual(analyzeLine(same.text, 0).entry, entryOf(compact));
        // A wrong value first and the right one last: the right one counts.
        const fixedLater = spell(value, { duplicate: { path, first: [null] } });
        assert.deepEqual(analyzeLine(fixedLater.text, 0).problems, [], fixedLater.text);
        // The right value first and a wrong one last: the last one is marked.
        const brokenLater = spell(value, { duplicate: { path }, replace: { path, value: [null] } });
        const problems = analyzeLine(brokenLater.text, 0).problems;
        const [start, end] = brokenLater.at.get(path)!;
        assert.ok(
          problems.some((p) => p.code === 'wrong-type' && p.startColumn === start && p.endColumn === end),
          `${brokenLater.text}\n${JSON.stringify(problems)}`,
        );
      }),
      params(),
    );
  });

  it('reports a missing field as an error for every key of an entry', () => {
    fc.assert(
      fc.property(validLine, fc.nat(), (compact, pick) => {
        const value = JSON.parse(compact) as JsonObject;
        const paths = keyPaths(value);
        const path = paths[pick % paths.length];
        const { text } = spell(value, { remove: path });
        const result = analyzeLine(text, 0);
        assertWellFormed(text, 0, result);
        assert.ok(
          result.problems.some((p) => p.severity === 'error' && (p.code === 'missing-field' || p.code === 'unknown-entry-kind')),
          `${path}: ${JSON.stringify(result.problems)}`,
        );
      }),
      params(),
    );
  });

  it('marks exactly the value whose type was swapped', () => {
    const other: fc.Arbitrary<Json> = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.nat(), { maxKeys: 2 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(validLine, fc.nat(), other, fc.integer(), fc.boolean(), (compact, pick, replacement, seed, whitespace) => {
        const value = JSON.parse(compact) as JsonObject;
        const paths = keyPaths(value);
        const path = paths[pick % paths.length];
        const leafIsNumberOk = path === 'event_timestamp' || path.endsWith('_port');
        if (typeof replacement === 'number' && leafIsNumberOk) return;
        const wasObject = ['event', 'event.tls_error', 'event.revocation_check'].includes(path);
        if (wasObject && replacement !== null && typeof replacement === 'object' && !Array.isArray(replacement)) return;
        const spelled = spell(value, { replace: { path, value: replacement }, rng: new Prng(seed), whitespace, reorder: true });
        const result = analyzeLine(spelled.text, 0);
        assertWellFormed(spelled.text, 0, result);
        const [start, end] = spelled.at.get(path)!;
        assert.ok(
          result.problems.some((p) => p.code === 'wrong-type' && p.startColumn === start && p.endColumn === end),
          `${path} = ${JSON.stringify(replacement)}: ${spelled.text}\n${JSON.stringify(result.problems)}`,
        );
      }),
      params(),
    );
  });
});

describe('analyzeLine on long, deeply nested lines', () => {
  /** Nested arrays `depth` deep around `inner`, left open at `openAt` levels when given. */
  const nested = (depth: number, inner: string, openAt = 0): string => '['.repeat(depth) + inner + ']'.repeat(depth - openAt);

  it('reads a line nested deeper than it parses exactly as a full parse would, valid or not', () => {
    fc.assert(
      fc.property(
        validLine,
        fc.nat(),
        fc.integer({ min: 300, max: 1500 }),
        fc.constantFrom(0, 0, 0, 1, 7),
        fc.boolean(),
        (compact, pick, depth, openAt, spaced) => {
          const value = JSON.parse(compact) as JsonObject;
          const paths = keyPaths(value);
          const path = paths[pick % paths.length];
          // Long enough for the depth check, with the deep value either as an unknown field or in place of a real one.
          // Brackets, quotes and backslashes inside a string must not count as nesting.
          const padding = JSON.stringify('[[["}\\ '.repeat(10_000));
          let text = spell(value, { rng: new Prng(pick), whitespace: spaced }).text;
          const deep = nested(depth, padding, openAt);
          text =
            pick % 2 === 0
              ? `${text.slice(0, -1)},"x_deep":${deep}}`
              : text.replace(JSON.stringify(path.split('.').pop()) + ':', (k) => `${k}${deep},"x_was":`);
          const result = analyzeLine(text, 2);
          assertWellFormed(text, 2, result);
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            assert.deepEqual(
              result.problems.map((p) => p.code),
              ['invalid-json'],
            );
            assert.equal(result.entry, undefined);
            return;
          }
          assert.deepEqual(result, validateValue(parsed, text, 2, 0));
        },
      ),
      params(60),
    );
  });
});

describe('walkJson and hoverAt on hostile input', () => {
  it('walkJson finds a syntax error exactly when JSON.parse rejects the text', () => {
    fc.assert(
      fc.property(anyLine, (text) => {
        const walk = walkJson(text);
        assert.equal(walk.error === undefined, parses(text), `${JSON.stringify(text)}: ${JSON.stringify(walk.error)}`);
        if (walk.error) {
          assert.ok(
            walk.error.start >= 0 && walk.error.start < walk.error.end && walk.error.end <= Math.max(1, text.length),
            JSON.stringify(walk.error),
          );
        }
        for (const loc of walk.fields.values()) {
          assert.ok(
            loc.keyStart >= 0 &&
              loc.keyStart < loc.keyEnd &&
              loc.keyEnd <= loc.valueStart &&
              loc.valueStart <= loc.valueEnd &&
              loc.valueEnd <= text.length,
          );
        }
      }),
      params(3000),
    );
  });

  it('hoverAt never throws at any column and its range stays inside the line', () => {
    fc.assert(
      fc.property(anyLine, fc.double({ min: 0, max: 1, noNaN: true }), (text, f) => {
        const result = analyzeLine(text, 0);
        for (const column of [Math.floor(f * (text.length + 1)), 0, text.length]) {
          const hover = hoverAt(text, column, result, CONTEXT);
          if (!hover) continue;
          assert.equal(typeof hover.markdown, 'string');
          assert.ok(
            hover.startColumn >= 0 && hover.startColumn <= hover.endColumn && hover.endColumn <= text.length,
            `${hover.startColumn}-${hover.endColumn} of ${text.length}`,
          );
        }
      }),
      params(),
    );
  });

  it('hoverAt over every column of valid entries covers the column it was asked about', () => {
    for (const text of VALID.slice(0, 12)) {
      const result = analyzeLine(text, 0);
      for (let column = 0; column < text.length; column++) {
        const hover = hoverAt(text, column, result, CONTEXT);
        if (!hover) continue;
        assert.ok(hover.startColumn <= column && column < hover.endColumn, `column ${column}: ${hover.startColumn}-${hover.endColumn}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// The document model and the CLI against the same text

/** Splits text into lines as VS Code's text model does: `\r\n`, `\n` and a lone `\r` each end a line. */
function editorLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function modelOf(lines: readonly string[]): LogModel {
  const model = new LogModel();
  model.reset(lines.length, (i) => lines[i]);
  return model;
}

/** What the editor would publish for a file: VS Code strips a UTF-8 BOM when it opens one. */
function editorProblems(text: string): Problem[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return modelOf(editorLines(body)).problems().problems;
}

const key = (p: Problem): string => `${p.line}:${p.startColumn}-${p.endColumn} ${p.severity} ${p.code} ${p.message}`;

describe('LogModel under random edits', () => {
  it('holds what a fresh parse gives after any sequence of edits', () => {
    const edit = fc.record({
      a: fc.double({ min: 0, max: 1, noNaN: true }),
      b: fc.double({ min: 0, max: 1, noNaN: true }),
      lines: fc.array(
        anyLine.map((s) => s.replace(/[\r\n]/g, '')),
        { minLength: 1, maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(
          anyLine.map((s) => s.replace(/[\r\n]/g, '')),
          { minLength: 1, maxLength: 12 },
        ),
        fc.array(edit, { maxLength: 8 }),
        (initial, edits) => {
          const lines = [...initial];
          const model = modelOf(lines);
          for (const e of edits) {
            // Whole lines replaced: a range of old lines becomes the new lines.
            const s = Math.floor(e.a * lines.length);
            const end = Math.min(lines.length - 1, s + Math.floor(e.b * 3));
            lines.splice(s, end - s + 1, ...e.lines);
            const change: LineChange = { startLine: s, endLine: end, newLineCount: e.lines.length };
            model.applyChanges([change], (i) => lines[i]);
          }
          const fresh = modelOf(lines);
          assert.equal(model.lineCount, lines.length);
          assert.deepEqual(model.problems().problems.map(key), fresh.problems().problems.map(key));
          assert.deepEqual({ ...model.problemCounts() }, { ...fresh.problemCounts() });
          assert.deepEqual([...model.entries()], [...fresh.entries()]);
          assertMatchesLines(model, lines);
        },
      ),
      params(400),
    );
  });
});

describe('the CLI and the editor report the same problems for the same file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nfw-fuzz-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Problems that come from a line's text, as opposed to how the file was read (encoding, cut-off gzip). */
  const lineProblems = (problems: readonly Problem[]): Problem[] =>
    problems.filter(
      (p) => !(p.code === 'unusual-format' && p.startColumn === 0 && p.endColumn === 1 && p.message.startsWith('The file is')),
    );

  async function compare(name: string, text: string): Promise<void> {
    // Both sides read the same bytes: a lone surrogate, for one, is written as U+FFFD.
    const bytes = Buffer.from(text, 'utf8');
    const expected = editorProblems(bytes.toString('utf8')).map(key);
    for (const gzip of [false, true]) {
      const path = join(dir, gzip ? `${name}.log.gz` : `${name}.log`);
      writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
      // A small chunk size puts chunk boundaries inside lines, CRLFs and multi-byte characters.
      for (const chunkSize of [61, 64 * 1024]) {
        const report = await checkFile(path, { chunkSize });
        assert.deepEqual(lineProblems(report.problems).map(key), expected, `${name} gzip=${gzip} chunk=${chunkSize}`);
      }
      rmSync(path);
    }
  }

  function generated(lines: number, seed: number): string[] {
    const generator = new LogGenerator({ seed, malformed: 0.3, pretty: 0.1, reorderKeys: 0.2 });
    return Array.from({ length: lines }, () => generator.next().text);
  }

  it('a generated file with malformed lines, LF and CRLF, with and without a final line break', async () => {
    const lines = generated(400, 11);
    await compare('lf', lines.join('\n') + '\n');
    await compare('lf-open', lines.join('\n'));
    await compare('crlf', lines.join('\r\n') + '\r\n');
    await compare('mixed', lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join(''));
  });

  it('a file with a UTF-8 byte order mark', async () => {
    const lines = generated(50, 12);
    await compare('bom', '\uFEFF' + lines.join('\n') + '\n');
    await compare('bom-crlf', '\uFEFF' + lines.join('\r\n'));
    // A broken first line behind a BOM is marked at the same columns.
    await compare('bom-broken', '\uFEFF' + lines[0].slice(0, 40) + '\n' + lines.slice(1).join('\n'));
  });

  it('a file with lone CRs (classic Mac line ends) ends its lines in the same places', async () => {
    const lines = generated(20, 13);
    await compare('cr', lines.join('\r'));
  });

  it('random files of hostile lines joined by LF or CRLF', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            anyLine.map((s) => s.replace(/[\r\n]/g, ' ')),
            fc.constantFrom('\n', '\r\n'),
          ),
          { maxLength: 20 },
        ),
        fc.boolean(),
        async (pairs, bom) => {
          const text = (bom ? '\uFEFF' : '') + pairs.map(([l, eol]) => l + eol).join('');
          await compare('random', text);
        },
      ),
      params(100),
    );
  });
});
