/**
 * The fast path (`readCleanEntry`) reads a clean entry straight from the text; the full path parses the
 * line with JSON.parse and checks the value. For every line the fast path accepts, the full path must give
 * the same entry and no problems; and the fast path must accept nearly every clean line, or it is no
 * faster. Lines come from the generator (with and without defects, reordered and pretty-spaced), from
 * random edits of clean lines, and from fast-check's objects built out of the format's fields.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateLogLines } from '../../bench/generate';
import { analyzeLine } from '../../src/core/parse/analyze';
import type { TlsEntry } from '../../src/core/parse/types';
import { readCleanEntry } from '../../src/core/parse/fastEntry';
import { validateValue } from '../../src/core/parse/validate';
import { random } from './random';

/** The full path's reading of a line: its entry when it has one and no problems, else undefined; null when it is not JSON. */
function fullPath(text: string): TlsEntry | undefined | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const result = validateValue(value, text, 0, 0);
  return result.problems.length === 0 ? result.entry : undefined;
}

/** Asserts that the fast path, when it accepts `text`, agrees with the full path. Returns whether it accepted it. */
function agrees(text: string): boolean {
  const fast = readCleanEntry(text);
  if (fast === undefined) return false;
  const full = fullPath(text);
  assert.notEqual(full, null, `fast path accepted text that is not JSON: ${JSON.stringify(text)}`);
  assert.notEqual(full, undefined, `fast path accepted a line the full path flags: ${JSON.stringify(text)}`);
  assert.deepStrictEqual(fast, full, `different entries for ${JSON.stringify(text)}`);
  assert.deepStrictEqual(Object.keys(fast), Object.keys(full as TlsEntry), 'same fields in the same order');
  return true;
}

const ALPHABET = [
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\\',
  ' ',
  '\t',
  '\u0000',
  '\u001f',
  '0',
  '9',
  '-',
  '.',
  'e',
  'a',
  'Z',
  '\u00e9',
  '\ud83d',
  'n',
  't',
];

/** One random edit of a line: a character changed, removed, doubled or inserted, or a run of it repeated or cut. */
function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const ch = ALPHABET[Math.floor(rnd() * ALPHABET.length)];
  switch (Math.floor(rnd() * 6)) {
    case 0:
      return text.slice(0, at) + ch + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + ch + text.slice(at);
    case 3: {
      const end = Math.min(text.length, at + 1 + Math.floor(rnd() * 40));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 4:
      return text.slice(0, at);
    default: {
      const end = Math.min(text.length, at + 1 + Math.floor(rnd() * 40));
      return text.slice(0, at) + text.slice(end);
    }
  }
}

describe('fast path for clean entries', () => {
  it('accepts the clean lines the generator writes, compact, reordered and pretty-spaced, with the full path’s entry', () => {
    let clean = 0;
    let accepted = 0;
    for (const options of [{ seed: 1 }, { seed: 2, reorderKeys: 0.5, pretty: 0.3, ipv6: 0.3 }]) {
      for (const text of generateLogLines(5000, options)) {
        const full = fullPath(text);
        const fast = agrees(text);
        if (full) clean++;
        if (fast) accepted++;
      }
    }
    assert.ok(clean > 9000, `${clean} clean lines`);
    assert.equal(accepted, clean, 'every clean generated line takes the fast path');
  });

  it('never accepts a line the full path flags, among lines with defects', () => {
    const lines = generateLogLines(20000, { seed: 3, malformed: 0.5, reorderKeys: 0.2, pretty: 0.1 });
    let flagged = 0;
    for (const text of lines) {
      if (!fullPath(text)) flagged++;
      agrees(text);
    }
    assert.ok(flagged > 8000, `${flagged} lines with problems`);
  });

  it('agrees with the full path on random edits of clean lines', () => {
    const rnd = random(99);
    const lines = generateLogLines(2000, { seed: 4, reorderKeys: 0.3, pretty: 0.2, ipv6: 0.2 });
    let accepted = 0;
    for (let n = 0; n < 40000; n++) {
      let text = lines[n % lines.length];
      const edits = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < edits; k++) text = mutate(text, rnd);
      if (agrees(text)) accepted++;
    }
    // Some edits keep a line clean (a changed digit in a port, a letter in a name): those must agree too.
    assert.ok(accepted > 1000, `${accepted} edited lines still clean`);
  });

  it('agrees with the full path on objects built from the format’s fields with values of any type', () => {
    const anyValue = fc.oneof(
      fc.constantFrom(
        '10.0.0.1',
        '2001:db8::1',
        '443',
        '0443',
        '65536',
        '',
        '-',
        'REVOKED',
        'UNKNOWN',
        'PASS',
        'DROP',
        'REJECT',
        'other',
        '2024-07-02T18:01:44.412778Z',
        '2024-07-02T18:01:44Z',
        'Server name is not found in client hello.',
        'SNI: a.example Match Failed to server certificate names: a.example ',
      ),
      fc.string(),
      fc.integer({ min: -5, max: 2_000_000_000 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
    );
    const fields = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: keys.length + 1 });
    const revocation = fc.record({ leaf_cert_fpr: anyValue, status: anyValue, action: anyValue }, { requiredKeys: [] });
    const tlsError = fc.record({ error_message: anyValue }, { requiredKeys: [] });
    const event = fc
      .tuple(
        fields(['timestamp', 'src_ip', 'src_port', 'dest_ip', 'dest_port', 'sni', 'event_type', 'extra']),
        fc.option(tlsError),
        fc.option(revocation),
      )
      .map(([e, t, r]) => ({
        ...e,
        ...(t ? { tls_error: t } : {}),
        ...(r ? { revocation_check: r } : {}),
      }));
    const entry = fc
      .tuple(fields(['firewall_name', 'availability_zone', 'event_timestamp', 'other']), fc.option(event), fc.boolean())
      .map(([top, e, pretty]) => {
        const value = e ? { ...top, event: e } : top;
        return pretty ? JSON.stringify(value, null, 1).replace(/\n/g, '') : JSON.stringify(value);
      });
    fc.assert(
      fc.property(entry, (text) => {
        agrees(text);
      }),
      { seed: 20240702, numRuns: 3000 },
    );
  });

  it('agrees with the full path on clean entries with one or two fields replaced, removed or added', () => {
    const clean = generateLogLines(300, { seed: 5, ipv6: 0.2 }).filter((t) => fullPath(t));
    const paths = [
      ['firewall_name'],
      ['availability_zone'],
      ['event_timestamp'],
      ['event'],
      ['event', 'timestamp'],
      ['event', 'src_ip'],
      ['event', 'src_port'],
      ['event', 'dest_ip'],
      ['event', 'dest_port'],
      ['event', 'sni'],
      ['event', 'tls_error'],
      ['event', 'tls_error', 'error_message'],
      ['event', 'revocation_check'],
      ['event', 'revocation_check', 'leaf_cert_fpr'],
      ['event', 'revocation_check', 'status'],
      ['event', 'revocation_check', 'action'],
      ['event', 'event_type'],
      ['other'],
      ['event', 'revocation_check', 'other'],
    ];
    const value = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        '',
        '-',
        '0',
        '65535',
        '65536',
        '1.5',
        'REVOKED',
        'PASS',
        'x',
        '2024-07-02T18:01:44+0000',
        '::1',
        '10.0.0.256',
        'Server name is not found in client hello.',
      ),
      fc.string({ maxLength: 4 }),
      fc.integer({ min: -1, max: 70000 }),
      fc.constantFrom(1.5, 1e21, -0, 1719943304, true, null, [], {}),
    );
    const edit = fc.tuple(fc.constantFrom(...paths), value);
    fc.assert(
      fc.property(fc.nat(clean.length - 1), fc.array(edit, { minLength: 1, maxLength: 2 }), fc.boolean(), (index, edits, pretty) => {
        const entry = JSON.parse(clean[index]) as Record<string, unknown>;
        for (const [path, v] of edits) {
          let holder: Record<string, unknown> | undefined = entry;
          for (const key of path.slice(0, -1)) {
            const next: unknown = holder?.[key];
            holder = typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : undefined;
          }
          if (!holder) continue;
          const key = path[path.length - 1];
          if (v === undefined) delete holder[key];
          else holder[key] = v;
        }
        agrees(pretty ? JSON.stringify(entry, null, 1).replace(/\n/g, '') : JSON.stringify(entry));
      }),
      { seed: 20240703, numRuns: 5000 },
    );
  });

  it('gives the entry of a clean line that differs from the canonical one only where the format allows', () => {
    const base = {
      firewall_name: 'fw',
      availability_zone: 'us-east-1a',
      event_timestamp: 1719943304,
      event: {
        timestamp: '2024-07-02T18:01:44.412778Z',
        src_ip: '10.0.2.53',
        src_port: '59844',
        dest_ip: '2001:db8::1',
        dest_port: 443,
        sni: 'a.example',
        tls_error: { error_message: 'SNI: a.example Match Failed to server certificate names: b.example ' },
      },
    };
    const text = JSON.stringify(base);
    assert.ok(agrees(text));
    assert.ok(agrees(` ${JSON.stringify(base, null, 2).replace(/\n/g, ' ')} `), 'spaced');
    assert.ok(agrees(JSON.stringify({ extra: [1, 2], ...base }).replace('"extra":[1,2],', '"extra":true,')), 'an unknown field');
    // Left to the full path: an escape, a repeated field, an array, a deep unknown object.
    assert.equal(readCleanEntry(text.replace('a.example"', 'a.exampl\\u0065"')), undefined);
    assert.equal(readCleanEntry(text.replace('{"firewall_name":"fw"', '{"firewall_name":"fw","firewall_name":"fw"')), undefined);
    assert.equal(readCleanEntry(text.replace('"dest_port":443', '"dest_port":[443]')), undefined);
    // Left to the full path: a numeric UTC offset (flagged as unusual) and an event_timestamp in a string.
    const offset = text.replace('412778Z', '412778+0000');
    assert.equal(readCleanEntry(offset), undefined);
    assert.deepEqual(
      analyzeLine(offset, 0).problems.map((p) => p.code),
      ['unusual-format'],
    );
    assert.equal(readCleanEntry(text.replace('1719943304', '"1719943304"')), undefined);
    // The analyzer returns the same either way.
    assert.deepStrictEqual(analyzeLine(text, 0), { entry: fullPath(text), problems: [] });
  });
});
