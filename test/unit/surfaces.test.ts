/**
 * Untrusted values on every surface the engine produces: hover markdown (and the explanation renderer under
 * it), the SNI summary as CSV and as a Markdown table, and problem messages. Field values come from network
 * traffic, so each is filled with hostile text, hand-written attacks and fast-check strings rich in markup,
 * and the output is read back the way its consumer reads it: markdown with CommonMark's code span and escape
 * rules, CSV with RFC 4180's, a table with GFM's cell rules.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeLine } from '../../src/core/parse/analyze';
import type { Explanation } from '../../src/core/explain/explanation';
import { explainField, FIELD_PATHS } from '../../src/core/explain/fields';
import { hoverAt } from '../../src/core/explain/hover';
import { walkJson } from '../../src/core/parse/jsonLocate';
import { MAX_VALUE_LENGTH, renderExplanation, showInvisibles } from '../../src/core/explain/markdown';
import { Explorer } from '../../src/core/explore/explorer';
import { rollupCsv, rollupMarkdown, SniRollups, type SniRollup } from '../../src/core/report/explorerReport';
import { sniLabel } from '../../src/core/parse/entryKind';
import { SniModel } from '../../src/core/sni/sniModel';

const SEED = Number(process.env.FUZZ_SEED ?? 20240702);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)) });
const CONTEXT = { now: Date.UTC(2024, 6, 3, 12), timeZone: 'UTC', sniCount: (): number => 2 };

/** Hand-written attacks on markdown, HTML, spreadsheets and terminals. */
const ATTACKS = [
  '[click](http://evil.example/x)',
  '![pixel](http://evil.example/p.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<http://evil.example>',
  'http://evil.example/',
  'www.evil.example',
  'mail@evil.example',
  '[ref]\n\n[ref]: http://evil.example',
  '`',
  '``',
  '` `` ```',
  '```\nfenced\n```',
  'a` [x](http://e) `b',
  '# heading',
  '> quote',
  '    indented code',
  '- list',
  '1. ordered',
  '***',
  '---',
  'text\n===',
  '*em* _em_ **strong** ~~del~~',
  '| a | b |',
  '\\',
  '\\`[x](http://e)\\`',
  '&lt;b&gt; &#60; &amp;',
  '$(alert) $(zap~spin)',
  'command:workbench.action.terminal.new',
  'javascript:alert(1)',
  'line1\nline2\r\nline3\u2028line4\u2029line5\u0085',
  '\u202eevil\u202c \u2066iso\u2069 zero\u200bwidth \ufeffbom',
  '\u0000\u0007\u001b[31m\u001b]52;c;AAAA\u0007\u009b2J',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(1)',
  '\t=1',
  '\r=1',
  '"quoted", and, commas',
  '  leading and trailing  ',
  ' ',
  '-',
  '😀\ud800lone\udc00',
];

/** Strings drawn mostly from markup characters. */
const markup = fc.string({
  unit: fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        '`',
        '*',
        '_',
        '[',
        ']',
        '(',
        ')',
        '<',
        '>',
        '!',
        '#',
        '|',
        '\\',
        '&',
        ':',
        '/',
        '~',
        '$',
        '{',
        '}',
        '-',
        '+',
        '=',
        '@',
        '.',
        ' ',
        '"',
        "'",
        ',',
        ';',
      ),
    },
    { weight: 3, arbitrary: fc.constantFrom('h', 't', 'p', 's', 'w', 'x', 'a', '1', '0') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '\n',
        '\r',
        '\t',
        '\u0000',
        '\u001b',
        '\u007f',
        '\u0085',
        '\u009b',
        '\u2028',
        '\u2029',
        '\u202e',
        '\u200b',
        '\ufeff',
        '\ud800',
        '😀',
      ),
    },
  ),
  maxLength: 40,
});
const hostile = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...ATTACKS) },
  { weight: 3, arbitrary: markup },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

// ---------------------------------------------------------------------------------------------------------
// Reading markdown back

const ASCII_PUNCTUATION = /[!-\/:-@\[-`{-~]/;

/**
 * Splits markdown the way CommonMark reads inline text: a backslash before ASCII punctuation escapes it
 * (outside code spans), and a run of N backticks opens a code span that the next run of exactly N closes,
 * whatever lies between; an unclosed run is literal text. Returns the text outside code spans, with escaped
 * characters replaced by a space and each span by `\u0001`, and the contents of the spans as shown (one
 * space stripped from each side when both are spaces and the content is not all spaces).
 */
function readMarkdown(md: string): { outside: string; spans: string[] } {
  let outside = '';
  const spans: string[] = [];
  let i = 0;
  while (i < md.length) {
    const c = md[i];
    if (c === '\\' && i + 1 < md.length && ASCII_PUNCTUATION.test(md[i + 1])) {
      outside += ' ';
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 0;
      while (md[i + n] === '`') n++;
      let j = i + n;
      let close = -1;
      while (j < md.length) {
        if (md[j] !== '`') {
          j++;
          continue;
        }
        let m = 0;
        while (md[j + m] === '`') m++;
        if (m === n) {
          close = j;
          break;
        }
        j += m;
      }
      if (close < 0) {
        outside += '`'.repeat(n);
        i += n;
        continue;
      }
      let content = md.slice(i + n, close).replace(/\n/g, ' ');
      if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
      spans.push(content);
      outside += '\ue000';
      i = close + n;
      continue;
    }
    outside += c;
    i++;
  }
  return { outside, spans };
}

/**
 * Asserts that markdown holding untrusted values cannot do anything but show text: outside code spans and
 * escapes there is no link, image, HTML, autolink, theme icon, entity other than our `&#32;`, stray
 * backtick or control character, and no line starts a block other than our lists, bold and rules.
 */
function assertInert(md: string, what: string): string[] {
  const { outside, spans } = readMarkdown(md);
  const context = `${what}\n${md}`;
  for (const [name, pattern] of [
    ['a link or image', /\]\s*[([]|!\[|\[[^\]]*\]/],
    ['a bracket', /[[\]]/],
    ['HTML or an autolink', /[<>]/],
    ['a bare URL', /:\/\/|\bwww\.|javascript:|command:/i],
    ['an e-mail autolink', /@/],
    ['a theme icon', /\$\(/],
    ['an entity reference', /&(?!#32;)/],
    ['a stray backtick', /`/],
    [
      'a control or invisible character',
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/,
    ],
  ] as const) {
    assert.doesNotMatch(outside, pattern, `${name} outside code spans in ${context}`);
  }
  for (const line of outside.split('\n')) {
    assert.doesNotMatch(
      line,
      /^( {4}|\t|#|>|\||```|~~~|=+\s*$|[*+] |\d+[.)]( |$)|<)/,
      `a block marker at the start of ${JSON.stringify(line)} in ${context}`,
    );
  }
  for (const span of spans) assert.doesNotMatch(span, /[\n\r\u2028\u2029]/, `a line break in a code span in ${context}`);
  return spans;
}

/** What a code span shows for a log value: invisible characters made visible, cut at the documented length. */
function shown(value: string): string {
  const points = [...value];
  return showInvisibles(points.length > MAX_VALUE_LENGTH ? points.slice(0, MAX_VALUE_LENGTH).join('') : value);
}

// ---------------------------------------------------------------------------------------------------------
// Entries carrying hostile values

interface Values {
  firewall: string;
  zone: string;
  sni: string;
  message: string;
  fpr: string;
  status: string;
  action: string;
  timestamp: string;
  srcIp: string;
  port: string;
}

function revocationLine(v: Values): string {
  return JSON.stringify({
    firewall_name: v.firewall,
    availability_zone: v.zone,
    event_timestamp: 1708361189,
    event: {
      src_ip: v.srcIp,
      src_port: v.port,
      revocation_check: { leaf_cert_fpr: v.fpr, status: v.status, action: v.action },
      dest_ip: '54.92.160.72',
      dest_port: '443',
      timestamp: v.timestamp,
      sni: v.sni,
    },
  });
}

function errorLine(v: Values, documented: boolean): string {
  const message = documented ? `SNI: ${v.sni} Match Failed to server certificate names: ${v.message}/${v.firewall}/${v.fpr} ` : v.message;
  return JSON.stringify({
    firewall_name: v.firewall,
    availability_zone: v.zone,
    event_timestamp: 1719943304,
    event: {
      timestamp: v.timestamp,
      src_ip: v.srcIp,
      src_port: v.port,
      dest_ip: '10.0.1.27',
      dest_port: '443',
      sni: v.sni,
      tls_error: { error_message: message },
    },
  });
}

const values: fc.Arbitrary<Values> = fc.record({
  firewall: hostile,
  zone: hostile,
  sni: hostile,
  message: hostile,
  fpr: hostile,
  status: hostile,
  action: hostile,
  timestamp: fc.oneof(hostile, fc.constant('2024-07-02T18:01:44.412778Z')),
  srcIp: fc.oneof(hostile, fc.constant('10.0.2.53')),
  port: fc.oneof(hostile, fc.constant('59844')),
});

/** Hovers at the start, middle and end of every field of a line, each checked. */
function checkHovers(text: string): void {
  const result = analyzeLine(text, 0);
  const fields = walkJson(text).fields;
  for (const [path, loc] of fields) {
    for (const column of [loc.keyStart, loc.valueStart, (loc.valueStart + loc.valueEnd) >> 1, Math.max(loc.valueStart, loc.valueEnd - 1)]) {
      const hover = hoverAt(text, column, result, CONTEXT);
      if (!hover) continue;
      assertInert(hover.markdown, `hover on ${path} at ${column} of ${JSON.stringify(text)}`);
      assert.ok(hover.markdown.length < 40_000, `a hover of ${hover.markdown.length} characters`);
    }
  }
}

describe('hover markdown with hostile values', () => {
  it('the hand-written attacks in every field of both kinds of entry', () => {
    for (const attack of ATTACKS) {
      const v: Values = {
        firewall: attack,
        zone: attack,
        sni: attack,
        message: attack,
        fpr: attack,
        status: attack,
        action: attack,
        timestamp: attack,
        srcIp: attack,
        port: attack,
      };
      checkHovers(revocationLine(v));
      checkHovers(errorLine(v, true));
      checkHovers(errorLine(v, false));
    }
  });

  it('random markup in every field', () => {
    fc.assert(
      fc.property(values, fc.constantFrom('revocation', 'documented', 'undocumented'), (v, kind) => {
        checkHovers(kind === 'revocation' ? revocationLine(v) : errorLine(v, kind === 'documented'));
      }),
      params(400),
    );
  });

  it('shows each value whole in one code span: nothing breaks out of it', () => {
    fc.assert(
      fc.property(
        hostile,
        fc.constantFrom(
          'firewall_name',
          'event.sni',
          'event.revocation_check.leaf_cert_fpr',
          'event.revocation_check.status',
          'event.tls_error.error_message',
        ),
        (value, field) => {
          const v: Values = {
            firewall: 'fw',
            zone: 'us-east-1a',
            sni: 'a.example',
            message: 'x',
            fpr: 'AB',
            status: 'REVOKED',
            action: 'DROP',
            timestamp: '2024-07-02T18:01:44.412778Z',
            srcIp: '10.0.2.53',
            port: '59844',
          };
          if (field === 'firewall_name') v.firewall = value;
          else if (field === 'event.sni') v.sni = value;
          else if (field === 'event.revocation_check.leaf_cert_fpr') v.fpr = value;
          else if (field === 'event.revocation_check.status') v.status = value;
          else v.message = value;
          const text = field === 'event.tls_error.error_message' ? errorLine(v, false) : revocationLine(v);
          const loc = walkJson(text).fields.get(field);
          assert.ok(loc);
          const hover = hoverAt(text, loc.valueStart, analyzeLine(text, 0), CONTEXT);
          assert.ok(hover);
          const spans = assertInert(hover.markdown, `${field} = ${JSON.stringify(value)}`);
          if (value !== '')
            assert.ok(spans.includes(shown(value)), `${JSON.stringify(shown(value))} is not one of the spans ${JSON.stringify(spans)}`);
        },
      ),
      params(300),
    );
  });

  it('renderExplanation keeps every untrusted part of an explanation inert', () => {
    fc.assert(
      fc.property(hostile, fc.array(hostile, { maxLength: 30 }), fc.array(hostile, { maxLength: 3 }), (value, list, problems) => {
        const explanation: Explanation = {
          field: 'event.sni',
          title: 'Server Name Indication (SNI)',
          value,
          facts: [
            { label: 'From the log', value, untrusted: true },
            { label: 'Ours', value: 'a **bold** fact with `code`', untrusted: false },
          ],
          sections: [{ heading: 'Values', text: 'Our prose.', values: list }],
        };
        const md = renderExplanation(explanation, problems);
        const spans = assertInert(md, JSON.stringify([value, list, problems]));
        for (const v of [value, ...list.slice(0, 25)])
          if (v !== '') assert.ok(spans.includes(shown(v)), `${JSON.stringify(v)} not shown whole`);
      }),
      params(300),
    );
  });

  it('every field explained with a raw value of any JSON type stays inert', () => {
    const raw = fc.oneof(hostile, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.constantFrom(...FIELD_PATHS), raw, values, (field, value, v) => {
        const entry = analyzeLine(revocationLine(v), 0).entry;
        const explanation = explainField(field, entry, value, CONTEXT);
        if (explanation) assertInert(renderExplanation(explanation, [String(value)]), `${field} = ${JSON.stringify(value)}`);
      }),
      params(300),
    );
  });

  it('the checker itself catches what it should: links, HTML, broken-out spans and block starts', () => {
    const cases = [
      '[a](http://x)',
      '<b>',
      'x `` ` `` [a](b) ` y',
      '`a` [b](c)',
      '# title',
      'ok\n> quote',
      'http://x',
      '`unclosed',
      '&amp;',
    ];
    for (const md of cases) assert.throws(() => assertInert(md, 'self-test'), assert.AssertionError, md);
    for (const md of ['`` [a](http://x) ` ``', '\\[a\\]\\(http\\:\\/\\/x\\)', '**bold** and `<b>`', '- item', '&#32;x'])
      assertInert(md, md);
    assert.deepEqual(readMarkdown('a ``b`c`` d ` e').spans, ['b`c']);
    assert.deepEqual(readMarkdown('` `` `').spans, ['``']);
    assert.deepEqual(readMarkdown('\\`a`').outside, ' a`');
  });
});

// ---------------------------------------------------------------------------------------------------------
// CSV

/** RFC 4180 reader: quoted fields may hold commas, quotes (doubled) and line breaks; records end in CRLF. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), (i += 2));
      else if (c === '"') ((quoted = false), i++);
      else ((field += c), i++);
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      atFieldStart = true;
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      atFieldStart = true;
      i += 2;
    } else {
      assert.ok(c !== '"' && c !== '\r' && c !== '\n', `an unquoted ${JSON.stringify(c)} in a field: ${JSON.stringify(text)}`);
      field += c;
      atFieldStart = false;
      i++;
    }
  }
  assert.ok(!quoted, 'an unclosed quote');
  assert.equal(field, '', 'the last record ends in CRLF');
  assert.equal(record.length, 0);
  return records;
}

/** One SNI's rollup as the exports get it: `entries` other TLS errors, seen by firewall `fw`. */
const row = (sni: string | null, entries = 1, fw = 'fw'): SniRollup => ({
  sni,
  entries,
  byKind: [0, 0, 0, 0, entries, 0],
  first: NaN,
  last: NaN,
  destinations: new Set(['10.0.0.1:443']),
  moreDestinations: false,
  firewalls: new Set([fw]),
  actions: [0, 0, 0, 0],
});
const CSV_COLUMNS = 16;

/** The SNI cell a spreadsheet should see for a value: a formula-looking value behind `'`, `-` alone as is. */
function expectedCell(sni: string | null): string {
  const label = sniLabel(sni);
  return /^[=+\-@\t\r]/.test(label) ? `'${label}` : label;
}

describe('the SNI exports as CSV', () => {
  it('read back to the values, one record per SNI, and no cell starts a formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(hostile, fc.constantFrom('-', '', '=1', '+1', '-1', '@a', '\t=1', '\r=1', '\n=1', '"=1"')), { maxLength: 12 }),
        (snis) => {
          const csv = rollupCsv(snis.map((s) => row(s, 1, s)));
          const records = readCsv(csv);
          assert.equal(records[0].length, CSV_COLUMNS);
          assert.equal(records.length, snis.length + 1);
          snis.forEach((sni, i) => {
            const record = records[i + 1];
            assert.equal(record.length, CSV_COLUMNS);
            assert.equal(record[0], expectedCell(sni));
            // A lone "-" cannot carry a formula.
            for (const cell of record)
              if (cell !== '-') assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `a formula-looking cell ${JSON.stringify(cell)}`);
          });
        },
      ),
      params(400),
    );
  });

  it('puts a quote before each character that starts a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      for (const rest of ['1+1', 'HYPERLINK("http://evil.example","x")', '']) {
        const value = start + rest;
        if (value === '-') continue;
        const cell = readCsv(rollupCsv([row(value)]))[1][0];
        assert.equal(cell, `'${value}`, JSON.stringify(value));
      }
    }
    assert.equal(readCsv(rollupCsv([row('--')]))[1][0], "'--");
    assert.equal(readCsv(rollupCsv([row(' =1')]))[1][0], ' =1');
  });

  it('spells "no SNI field", an empty SNI and the "-" of a client hello without SNI as the SNI view does', () => {
    const records = readCsv(rollupCsv([row(null), row(''), row('-')]));
    assert.deepEqual(
      records.slice(1).map((r) => r[0]),
      ['(no SNI field)', '(empty SNI)', '(no SNI in client hello)'],
    );
  });

  it('end to end: hostile SNIs in log lines, through the model and the explorer, into CSV and Markdown', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 8 }), (snis) => {
        const model = new SniModel();
        const refs = snis.map((sni, line) => {
          const v: Values = {
            firewall: 'fw',
            zone: 'us-east-1a',
            sni,
            message: 'x',
            fpr: 'AB',
            status: 'REVOKED',
            action: 'DROP',
            timestamp: '2024-07-02T18:01:44.412778Z',
            srcIp: '10.0.2.53',
            port: '59844',
          };
          const entry = analyzeLine(revocationLine(v), line).entry;
          assert.ok(entry);
          return { line, entry };
        });
        model.addEntries('file.log', refs);
        const rollups = new SniRollups();
        const steps = new Explorer(() => model.columns()).forEachRow({}, { column: 'sni' }, (r) => rollups.add(r));
        while (steps.next().done !== true);
        const rows = [...rollups.bySni.values()];
        assert.deepEqual(new Set(rows.map((r) => r.sni)), new Set(snis));
        const records = readCsv(rollupCsv(rows));
        assert.deepEqual(
          records.slice(1).map((r) => r[0]),
          rows.map((r) => expectedCell(r.sni)),
        );
        assertTable(rollupMarkdown(rows), rows);
      }),
      params(200),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Markdown table

/**
 * Splits a GFM table row into cells as cmark-gfm and markdown-it do: a `|` right after a backslash is part of
 * the cell (whatever comes before that backslash), any other `|` separates cells.
 */
function cellsOf(line: string): string[] {
  assert.ok(line.startsWith('| ') && line.endsWith(' |'), `a row that does not start and end with a pipe: ${JSON.stringify(line)}`);
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < line.length - 1; i++) {
    const c = line[i];
    if (c === '|' && line[i - 1] !== '\\') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells.map((c) => c.slice(1, -1));
}

/** A value's cell: one code span and nothing else live; it reads back as the value with invisibles shown. */
function assertValueCell(cell: string, value: string): void {
  const { outside, spans } = readMarkdown(cell);
  assert.equal(outside, '\ue000', `one code span and nothing else in ${JSON.stringify(cell)}`);
  // GFM takes `\|` as a pipe inside the cell, code spans included.
  assert.equal(spans[0].replace(/\\\|/g, '|'), showInvisibles(value));
}

function assertTable(md: string, rows: readonly SniRollup[]): void {
  const lines = md.split('\n');
  assert.equal(lines.pop(), '', 'the table ends with a line break');
  assert.equal(lines.length, rows.length + 2, `one line per row: ${JSON.stringify(md)}`);
  rows.forEach((r, i) => {
    const line = lines[i + 2];
    assert.doesNotMatch(line, /[\r\u2028\u2029\u0085]/);
    const cells = cellsOf(line);
    assert.equal(cells.length, 10, `ten cells in ${JSON.stringify(line)}`);
    assert.equal(cells[1], String(r.entries));
    if (r.sni !== null && r.sni !== '' && r.sni !== '-') assert.equal(readMarkdown(cells[0]).outside, '\ue000');
    if (r.sni !== null && r.sni !== '' && r.sni !== '-') assertValueCell(cells[0], r.sni);
    const fws = [...r.firewalls];
    // A blank firewall name is named in words: an empty or all-space code span would show as nothing.
    if (fws.length === 1 && fws[0] !== null && fws[0].trim() !== '') assertValueCell(cells[8], fws[0]);
    else if (fws.length === 1 && fws[0] !== null) assert.equal(cells[8], '*(blank firewall name)*');
  });
}

describe('the SNI exports as a Markdown table', () => {
  it('no value breaks out of its cell or its row, and each reads back as shown', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 10 }), (snis) => {
        const rows = snis.map((s, i) => row(s, i + 1, s));
        assertTable(rollupMarkdown(rows), rows);
      }),
      params(400),
    );
    const rows = ATTACKS.map((s) => row(s, 1, s));
    assertTable(rollupMarkdown(rows), rows);
  });

  it('marks the special SNIs in words that a value cannot produce', () => {
    const md = rollupMarkdown([row(null), row(''), row('-'), row('*(empty SNI)*')]);
    const cells = md
      .split('\n')
      .slice(2, 6)
      .map((l) => cellsOf(l)[0]);
    assert.deepEqual(cells.slice(0, 3), ['*(no SNI field)*', '*(empty SNI)*', '` - ` *(no SNI in client hello)*']);
    assert.equal(cells[3], '` *(empty SNI)* `');
  });
});
