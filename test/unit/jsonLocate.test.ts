import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { walkJson, walkJsonTokens, type FieldLocation } from '../../src/core/parse/jsonLocate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { random } from './random';

/** The key and value texts a location covers. */
function texts(text: string, loc: FieldLocation | undefined): [string, string] {
  assert.ok(loc, 'field located');
  return [text.slice(loc.keyStart, loc.keyEnd), text.slice(loc.valueStart, loc.valueEnd)];
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('walkJson: field locations', () => {
  const text =
    '{"firewall_name":"fw","event_timestamp":1719943304,"event":{"src_port":"443","revocation_check":{"status":"REVOKED","action":"DROP"},"tls_error":{"error_message":"x y"}},"tail":[1,{"k":2}]}';

  it('locates top-level, second- and third-level fields with their keys and values', () => {
    const walk = walkJson(text);
    assert.equal(walk.error, undefined);
    assert.deepEqual(texts(text, walk.fields.get('firewall_name')), ['"firewall_name"', '"fw"']);
    assert.deepEqual(texts(text, walk.fields.get('event_timestamp')), ['"event_timestamp"', '1719943304']);
    assert.deepEqual(texts(text, walk.fields.get('event.src_port')), ['"src_port"', '"443"']);
    assert.deepEqual(texts(text, walk.fields.get('event.revocation_check.status')), ['"status"', '"REVOKED"']);
    assert.deepEqual(texts(text, walk.fields.get('event.revocation_check.action')), ['"action"', '"DROP"']);
    assert.deepEqual(texts(text, walk.fields.get('event.tls_error.error_message')), ['"error_message"', '"x y"']);
  });

  it('gives containers their whole extent, braces included', () => {
    const walk = walkJson(text);
    assert.deepEqual(texts(text, walk.fields.get('event.revocation_check')), [
      '"revocation_check"',
      '{"status":"REVOKED","action":"DROP"}',
    ]);
    assert.deepEqual(texts(text, walk.fields.get('tail')), ['"tail"', '[1,{"k":2}]']);
    const event = texts(text, walk.fields.get('event'))[1];
    assert.ok(event.startsWith('{"src_port"') && event.endsWith('"x y"}}'));
    assert.deepEqual(JSON.parse(event), JSON.parse(text).event);
  });

  it('gives the extent of the top-level value, without surrounding white space', () => {
    const spaced = `  ${text}\t \r`;
    const walk = walkJson(spaced);
    assert.equal(walk.error, undefined);
    assert.equal(walk.rootStart, 2);
    assert.equal(walk.rootEnd, 2 + text.length);
    const scalar = walkJson(' "s" ');
    assert.equal(scalar.rootStart, 1);
    assert.equal(scalar.rootEnd, 4);
  });

  it('does not record fields inside arrays or deeper than three levels', () => {
    const walk = walkJson('{"a":{"b":{"c":{"d":1}}},"arr":[{"x":1}]}');
    assert.ok(walk.fields.has('a.b.c'));
    assert.equal(walk.fields.has('a.b.c.d'), false);
    assert.equal(walk.fields.has('arr.x'), false);
    assert.equal(walk.fields.has('arr[].x'), false);
    assert.ok(walk.fields.has('arr'));
  });

  it('reads pretty spacing and escaped keys as JSON.parse does', () => {
    const pretty = '{ "ev\\u0065nt" : { "s\\"ni" : "a\\"b" , "n" : -1.5e+3 } }';
    const walk = walkJson(pretty);
    assert.equal(walk.error, undefined);
    assert.deepEqual(texts(pretty, walk.fields.get('event.s"ni')), ['"s\\"ni"', '"a\\"b"']);
    assert.deepEqual(texts(pretty, walk.fields.get('event.n')), ['"n"', '-1.5e+3']);
    assert.ok(JSON.parse(pretty).event['s"ni'] === 'a"b');
  });

  it('keeps the last of duplicate keys, like JSON.parse', () => {
    const dup = '{"event":{"sni":"first","sni":"second"},"a":1,"a":[2]}';
    const walk = walkJson(dup);
    assert.equal(JSON.parse(dup).event.sni, 'second');
    assert.deepEqual(texts(dup, walk.fields.get('event.sni')), ['"sni"', '"second"']);
    assert.equal(walk.fields.get('event.sni')!.keyStart, dup.lastIndexOf('"sni"'));
    assert.deepEqual(texts(dup, walk.fields.get('a')), ['"a"', '[2]']);
  });

  it('keeps the last of duplicate objects, including their nested fields', () => {
    const dup = '{"event":{"src_port":"1"},"event":{"src_port":"2"}}';
    const walk = walkJson(dup);
    assert.deepEqual(texts(dup, walk.fields.get('event')), ['"event"', '{"src_port":"2"}']);
    assert.deepEqual(texts(dup, walk.fields.get('event.src_port')), ['"src_port"', '"2"']);
  });

  it('counts offsets in UTF-16 code units, like string indices', () => {
    const text = '{"a":"😀é","b":"\u2028"}';
    const walk = walkJson(text);
    assert.deepEqual(texts(text, walk.fields.get('b')), ['"b"', '"\u2028"']);
    assert.equal(walk.fields.get('b')!.keyStart, text.indexOf('"b"'));
  });

  it('returns the fields it found before a syntax error', () => {
    const text = '{"firewall_name":"fw","event":{"sni":"x",}}';
    const walk = walkJson(text);
    assert.ok(walk.error);
    assert.deepEqual(texts(text, walk.fields.get('firewall_name')), ['"firewall_name"', '"fw"']);
    assert.deepEqual(texts(text, walk.fields.get('event.sni')), ['"sni"', '"x"']);
  });
});

describe('walkJson: syntax errors', () => {
  const table: Array<[input: string, covers: string, start?: number]> = [
    ['', ''],
    ['   ', ''],
    ['{', '{'],
    ['{"a":1', '1'],
    ['{"a":1   ', '1'],
    ['{"a":[1,2', '2'],
    ['{"a":"bc', '"bc'],
    ['{"a":1,}', '}'],
    ['[1,]', ']'],
    ['{"a" 1}', '1'],
    ['{"a":}', '}'],
    ['{"a":1 "b":2}', '"b"'],
    ["{'a':1}", "'a'"],
    ['{a:1}', 'a'],
    ['{"a":1 // c', '// c'],
    ['{"a":/* c */1}', '/* c */'],
    ['{"a":1 /* open', '/* open'],
    ['/*', '/*'],
    ['{"a":1} x', 'x'],
    ['{"a":1}{}', '{', 7],
    ['{"a":1}]', ']'],
    ['{"a":"\u0001"}', '"\u0001"'],
    ['{"a":"\\x"}', '"\\x"'],
    ['{"a":"\\u00zz"}', '"\\u00zz"'],
    ['{"a":NaN}', 'NaN'],
    ['{"a":0443}', '0443'],
    ['{"a":-0.5.1}', '.1'],
    ['{"a":1.}', '1.'],
    ['{"a":1e}', '1e'],
    ['{"a":01.5}', '01.5'],
    ['{"a":+1}', '+1'],
    ['{"a":.5}', '.5'],
    ['{"a":tru}', 'tru'],
    ['{"a":True}', 'True'],
    ['{"a":[1}', '}'],
    ['{"a":1]', ']'],
    ['{,}', ','],
    ['{"a"}', '}'],
    ['[,1]', ','],
    ['}', '}'],
    [',', ','],
    ['\u00a0{}', '\u00a0'],
    ['{}\u000b', '\u000b'],
    ['{"a":1}\u0000', '\u0000'],
  ];
  for (const [input, covers, start] of table) {
    it(`finds the error in ${JSON.stringify(input)}`, () => {
      assert.equal(parses(input), false, 'the input must really be invalid');
      const walk = walkJson(input);
      assert.ok(walk.error, 'an error is reported');
      assert.ok(walk.error.end > walk.error.start);
      assert.ok(walk.error.message.length > 0);
      if (input.trim() === '') {
        assert.equal(walk.error.start, 0);
        return;
      }
      assert.ok(walk.error.end <= input.length, `end ${walk.error.end} within ${input.length}`);
      assert.equal(input.slice(walk.error.start, walk.error.end), covers);
      if (start !== undefined) assert.equal(walk.error.start, start);
    });
  }

  it('reports no error for valid JSON of every shape', () => {
    for (const input of [
      '{}',
      '[]',
      '0',
      '-0',
      '-0.0e-0',
      '1E+2',
      '"x"',
      'true',
      'null',
      ' {"a" : [ 1 , { } , [ ] , "\\u00e9\\n" ] } ',
      '{"":""}',
      '[[[[]]]]',
      '{"a":1}\r',
    ]) {
      assert.equal(parses(input), true, input);
      assert.equal(walkJson(input).error, undefined, input);
    }
  });

  it('agrees with JSON.parse on whether random near-JSON is valid, and keeps every error in bounds', () => {
    const next = random(7);
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      ':',
      ',',
      '"a"',
      '"',
      '1',
      '0',
      '-',
      '.',
      'e',
      '+',
      ' ',
      'true',
      'null',
      'x',
      '\\',
      '\\n',
      '"\\u0041"',
      '\t',
      '\r',
      '\n',
      '/',
      '*',
      '\u0000',
      '\u00a0',
      '\uFEFF',
    ];
    let errors = 0;
    for (let i = 0; i < 20000; i++) {
      let text = '';
      const n = Math.floor(next() * 12);
      for (let k = 0; k < n; k++) text += pieces[Math.floor(next() * pieces.length)];
      const walk = walkJson(text);
      assert.equal(walk.error === undefined, parses(text), JSON.stringify(text));
      if (walk.error) {
        errors++;
        assert.ok(walk.error.start >= 0 && walk.error.start < walk.error.end, JSON.stringify(text));
        if (text.length > 0) assert.ok(walk.error.end <= text.length, JSON.stringify(text));
      }
    }
    assert.ok(errors > 1000);
  });

  it('agrees with JSON.parse on mutations of a real entry', () => {
    const base = JSON.stringify({
      firewall_name: 'fw',
      event_timestamp: 1719943304,
      event: { src_port: '443', n: [1.5, -2e3, true, null], s: 'a\\"\u00e9' },
    });
    const next = random(11);
    const chars = '{}[]:,"\\ 0123456789.eE+-tfnaul\u0000\u2028\t';
    for (let i = 0; i < 5000; i++) {
      let text = base;
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        const at = Math.floor(next() * (text.length + 1));
        const ch = chars[Math.floor(next() * chars.length)];
        const op = next();
        text =
          op < 0.33
            ? text.slice(0, at) + text.slice(at + 1)
            : op < 0.66
              ? text.slice(0, at) + ch + text.slice(at)
              : text.slice(0, at) + ch + text.slice(at + 1);
      }
      const walk = walkJson(text);
      assert.equal(walk.error === undefined, parses(text), JSON.stringify(text));
      if (walk.error) assert.ok(walk.error.end <= text.length && walk.error.start < walk.error.end, JSON.stringify(text));
    }
  });

  it('walks a million levels of nesting without recursion', () => {
    const depth = 1_000_000;
    const ok = `{"a":${'['.repeat(depth)}${']'.repeat(depth)},"b":2}`;
    const walk = walkJson(ok);
    assert.equal(walk.error, undefined);
    assert.deepEqual(texts(ok, walk.fields.get('b')), ['"b"', '2']);
    const open = '{"a":'.repeat(depth);
    const bad = walkJson(open);
    assert.ok(bad.error);
    assert.match(bad.error.message, /cut off/);
    assert.equal(bad.error.end, open.length);
  });
});

/** Everything a walk found, in a form deepEqual compares whole (a Map compares by its entries). */
function summary(text: string, walk = walkJson(text)): unknown {
  return {
    error: walk.error,
    rootStart: walk.rootStart,
    rootEnd: walk.rootEnd,
    fields: [...walk.fields.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

describe('walkJson: the fast reading of valid JSON agrees with the scanner', () => {
  /** Keys chosen to collide: dots that spell nested paths, "[]", escapes that spell the same key, duplicates. */
  const KEYS = ['event', 'sni', 'a', 'b', 'a.b', 'event.sni', 'x[]', '[]', '', 'tls_error', 'k"q', 'back\\slash', 'é', '😀'];
  const SPACES = ['', '', '', ' ', '  ', '\t', '\r', '\n', ' \r\n '];
  const SCALARS = [
    '0',
    '-0',
    '1',
    '-12',
    '3.25',
    '1e5',
    '-2.5E-3',
    '7e+2',
    'true',
    'false',
    'null',
    '""',
    '"x"',
    '"a\\"b"',
    '"\\u00e9\\n"',
    '"\\\\"',
    '"\u2028"',
    '"\ud800"',
    '"\\/"',
  ];

  /** A random JSON text, spelled with random white space and escapes, nested up to `depth`. */
  function spell(next: () => number, depth: number): string {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const sp = (): string => pick(SPACES);
    const r = next();
    if (depth <= 0 || r < 0.3) return pick(SCALARS);
    const n = Math.floor(next() * 5);
    const items: string[] = [];
    if (r < 0.75) {
      for (let k = 0; k < n; k++) {
        let key = JSON.stringify(pick(KEYS));
        // Now and then the same key spelled with an escape: JSON.parse and the scanner both read it back.
        if (next() < 0.15 && key.length > 2) key = `"\\u${key.charCodeAt(1).toString(16).padStart(4, '0')}${key.slice(2)}`;
        items.push(`${sp()}${key}${sp()}:${sp()}${spell(next, depth - 1)}${sp()}`);
      }
      return `{${items.join(',') || sp()}}`;
    }
    for (let k = 0; k < n; k++) items.push(`${sp()}${spell(next, depth - 1)}${sp()}`);
    return `[${items.join(',') || sp()}]`;
  }

  it('gives the same fields and extent as the scanner for random valid JSON', () => {
    const next = random(2024);
    let valid = 0;
    for (let i = 0; i < 20000; i++) {
      const text = `${next() < 0.2 ? ' ' : ''}${spell(next, 1 + Math.floor(next() * 6))}${next() < 0.2 ? ' \r' : ''}`;
      if (parses(text)) valid++;
      assert.deepEqual(summary(text), summary(text, walkJsonTokens(text)), JSON.stringify(text));
    }
    assert.ok(valid > 19000, `${valid} valid texts`);
  });

  it('gives the same result as the scanner for mutations of valid JSON, valid or not', () => {
    const next = random(99);
    const chars = '{}[]:,"\\ 0123456789.eE+-tfnaulx\u0000\u001f\u00a0\u000b\u000c\ufeff\u2028\t\r\n/*';
    let invalid = 0;
    for (let i = 0; i < 20000; i++) {
      let text = spell(next, 1 + Math.floor(next() * 5));
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        const at = Math.floor(next() * (text.length + 1));
        const ch = chars[Math.floor(next() * chars.length)];
        const op = next();
        text =
          op < 0.33
            ? text.slice(0, at) + text.slice(at + 1)
            : op < 0.66
              ? text.slice(0, at) + ch + text.slice(at)
              : text.slice(0, at) + ch + text.slice(at + 1);
      }
      if (!parses(text)) invalid++;
      assert.deepEqual(summary(text), summary(text, walkJsonTokens(text)), JSON.stringify(text));
    }
    assert.ok(invalid > 5000, `${invalid} invalid texts`);
  });

  it('agrees on every line of the engine fixture and on hand-picked corner cases', () => {
    const cases = [
      '{"a.b":1,"a":{"b":2}}',
      '{"a":{"b":2},"a.b":1}',
      '{"x[]":{"y":1},"z":[{"w":{"v":1}}]}',
      '{"a":{"b":{"c":{"d":{"e":1}},"c2":[]}},"f":{}}',
      '{"\\u0065vent":{"sni":"a"},"event":{"sni":"b"}}',
      '[{"a":1}]',
      '  "s"  ',
      '-0.0e-0',
      '{"a":1}\r',
      `{"a":${'['.repeat(5000)}${']'.repeat(5000)},"b":{"c":2}}`,
      `${'{"k":'.repeat(2000)}1${'}'.repeat(2000)}`,
      '{"a":1,"a":{"b":1},"a":2}',
      '{"n":12345678901234567890123,"m":1E400}',
    ];
    const fixture = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'engine', 'bad.log'), 'utf8').split(/\r?\n/);
    for (const text of [...cases, ...fixture])
      assert.deepEqual(summary(text), summary(text, walkJsonTokens(text)), JSON.stringify(text).slice(0, 200));
  });
});
