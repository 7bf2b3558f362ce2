// Moving around a parsed log (next problem, next revoked or unknown entry, entries by time), the outline
// of SNIs and entries, and the status bar's counts: all from core, in plain data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statusText, statusTooltip, summarizeDocument } from '../../src/core/document/documentSummary';
import { LogModel } from '../../src/core/document/logModel';
import {
  bucketDetailsInSteps,
  bucketLabel,
  countByKind,
  entryAtTime,
  findLine,
  findLineInSteps,
  finerWidths,
  hasProblems,
  isRevokedOrUnknown,
  statusColumn,
  timedEntries,
  timedEntriesInSteps,
  timePickLevel,
  timePickLevelInSteps,
  TIME_BUCKET_WIDTHS,
  type LineResults,
  type TimeBucket,
  type TimedEntry,
  type TimePickLevel,
} from '../../src/core/document/navigation';
import { entryEndpoints, entryOutcome, entryTimeMs, formatEntryTime, sniText } from '../../src/core/text';
import { OutlineBuilder, buildOutline } from '../../src/core/document/outline';
import type { TlsEntry } from '../../src/core/parse/types';
import { random } from './random';

const BASE_MS = Date.UTC(2024, 6, 2, 18, 0, 0);

function tlsError(sni: string, ms: number, message = 'Server name is not found in client hello.'): string {
  const event = {
    timestamp: new Date(ms).toISOString(),
    src_ip: '10.0.2.53',
    src_port: '59844',
    dest_ip: '54.92.160.72',
    dest_port: '443',
    sni,
    tls_error: { error_message: message },
  };
  return JSON.stringify({ firewall_name: 'fw', availability_zone: 'us-east-1a', event_timestamp: Math.floor(ms / 1000), event });
}

function revocation(sni: string, ms: number, status: string, action = 'DROP'): string {
  const event = {
    timestamp: new Date(ms).toISOString(),
    src_ip: '10.0.2.60',
    src_port: '55930',
    dest_ip: '104.18.30.5',
    dest_port: '443',
    sni,
    revocation_check: { leaf_cert_fpr: 'ABCDEF', status, action },
  };
  return JSON.stringify({ firewall_name: 'fw', availability_zone: 'us-east-1a', event_timestamp: Math.floor(ms / 1000), event });
}

function model(lines: string[]): LogModel {
  const m = new LogModel();
  m.reset(lines.length, (i) => lines[i]);
  return m;
}

// 0 ok, 1 revoked, 2 broken, 3 blank, 4 unknown, 5 GOOD (neither), 6 bad port
const LINES = [
  tlsError('-', BASE_MS),
  revocation('revoked.example.com', BASE_MS + 1000, 'REVOKED'),
  '{"firewall_name":"fw",',
  '',
  revocation('ocsp-down.example.com', BASE_MS + 2000, 'UNKNOWN', 'PASS'),
  revocation('odd.example.com', BASE_MS + 3000, 'GOOD'),
  tlsError('-', BASE_MS + 4000).replace('"dest_port":"443"', '"dest_port":"70000"'),
];

describe('next and previous line of a kind', () => {
  const m = model(LINES);

  it('finds lines with problems both ways, going round the document', () => {
    assert.deepEqual(findLine(m, 0, 1, hasProblems), { line: 2, wrapped: false });
    assert.deepEqual(findLine(m, 2, 1, hasProblems), { line: 5, wrapped: false });
    assert.deepEqual(findLine(m, 5, 1, hasProblems), { line: 6, wrapped: false });
    assert.deepEqual(findLine(m, 6, 1, hasProblems), { line: 2, wrapped: true });
    assert.deepEqual(findLine(m, 6, -1, hasProblems), { line: 5, wrapped: false });
    assert.deepEqual(findLine(m, 2, -1, hasProblems), { line: 6, wrapped: true });
  });

  it('finds revoked and unknown revocation checks, not other statuses', () => {
    assert.deepEqual(findLine(m, 0, 1, isRevokedOrUnknown), { line: 1, wrapped: false });
    assert.deepEqual(findLine(m, 1, 1, isRevokedOrUnknown), { line: 4, wrapped: false });
    assert.deepEqual(findLine(m, 4, 1, isRevokedOrUnknown), { line: 1, wrapped: true });
    assert.deepEqual(findLine(m, 1, -1, isRevokedOrUnknown), { line: 4, wrapped: true });
  });

  it('comes back to the line it started from when it is the only one, and finds nothing in a clean file', () => {
    const one = model([tlsError('-', BASE_MS), revocation('a.example', BASE_MS, 'REVOKED'), tlsError('-', BASE_MS)]);
    assert.deepEqual(findLine(one, 1, 1, isRevokedOrUnknown), { line: 1, wrapped: true });
    assert.equal(findLine(one, 0, 1, hasProblems), undefined);
    assert.equal(findLine(model([]), 0, 1, hasProblems), undefined);
    // A cursor beyond the model's lines (a last empty line) counts as its last line.
    assert.deepEqual(findLine(one, 99, 1, isRevokedOrUnknown), { line: 1, wrapped: true });
  });

  it('puts the cursor inside the status value, else at the start of the entry', () => {
    const line = LINES[1];
    assert.equal(line.slice(statusColumn(line)).startsWith('REVOKED"'), true);
    assert.equal(statusColumn('  {"a":1}'), 2);
    assert.equal(statusColumn(''), 0);
  });
});

describe('entries as one line of text', () => {
  const entries = [...model(LINES).entries()];

  it('names times in UTC with milliseconds, outcomes and endpoints', () => {
    assert.equal(formatEntryTime(BASE_MS + 1234), '2024-07-02 18:00:01.234');
    assert.equal(formatEntryTime(undefined), '(no time)');
    assert.deepEqual(
      entries.map(({ entry }) => entryOutcome(entry)),
      ['TLS error: no SNI', 'REVOKED → DROP', 'UNKNOWN → PASS', 'GOOD → DROP', 'TLS error: no SNI'],
    );
    assert.equal(entryEndpoints(entries[1].entry), '10.0.2.60:55930 → 104.18.30.5:443');
    const v6: TlsEntry = { kind: 'tlsError', srcIp: '2001:db8::1', srcPort: 1, destIp: '2001:db8::2', destPort: 443 };
    assert.equal(entryEndpoints(v6), '[2001:db8::1]:1 → [2001:db8::2]:443');
  });

  it('keeps hostile values on one line and bounded', () => {
    assert.equal(sniText('-'), '(no SNI in client hello)');
    assert.equal(sniText(undefined), '(no SNI field)');
    assert.equal(sniText(''), '(empty SNI)');
    assert.equal(sniText('   '), '(blank SNI)');
    assert.equal(sniText('evil\ncom\u202e'), 'evil␊com⟨U+202E⟩');
    assert.equal(sniText('a'.repeat(500)).length, 200);
    const undocumented: TlsEntry = { kind: 'tlsError', errorMessage: `bad\r\n${'x'.repeat(200)}` };
    const outcome = entryOutcome(undocumented);
    assert.ok(!/[\r\n]/.test(outcome) && outcome.length <= 'TLS error: '.length + 60, outcome);
  });
});

describe('go to entry by time', () => {
  function timed(times: Array<number | undefined>): TimedEntry[] {
    return timedEntries(times.map((t, line) => ({ line, entry: { kind: 'tlsError', timeMs: t } as TlsEntry })));
  }

  it('sorts by time, then line, with entries without a time last', () => {
    const sorted = timedEntries([
      { line: 0, entry: { kind: 'tlsError', timeMs: 3000 } },
      { line: 1, entry: { kind: 'tlsError' } },
      { line: 2, entry: { kind: 'tlsError', eventTimestamp: 1 } },
      { line: 3, entry: { kind: 'tlsError', timeMs: 1000 } },
    ]);
    assert.deepEqual(
      sorted.map((e) => e.line),
      [2, 3, 0, 1],
    );
  });

  it('lists up to the limit as entries', () => {
    const level = timePickLevel(timed([1, 2, 3]), 3);
    assert.equal(level.kind, 'entries');
    assert.deepEqual(level.kind === 'entries' && level.entries.map((e) => e.line), [0, 1, 2]);
  });

  it('narrows a big document by hour, minute and second, skipping a level that would not split it', () => {
    // 5 minutes, 40 entries a minute, all in one hour.
    const times = Array.from({ length: 200 }, (_, i) => BASE_MS + Math.floor(i / 40) * 60_000 + (i % 40) * 1000);
    const entries = timed([...times, undefined]);
    const top = timePickLevel(entries, 50);
    assert.equal(top.kind, 'buckets');
    if (top.kind !== 'buckets') return;
    assert.deepEqual(top.buckets.map(bucketLabel), [
      '2024-07-02 18:00',
      '2024-07-02 18:01',
      '2024-07-02 18:02',
      '2024-07-02 18:03',
      '2024-07-02 18:04',
      '(no time)',
    ]);
    assert.equal(top.buckets[0].entries.length, 40);
    // A minute of 40 entries fits the limit: its entries are listed.
    const minute = timePickLevel(top.buckets[0].entries, 50, finerWidths(top.buckets[0].widthMs));
    assert.equal(minute.kind, 'entries');
    // With a lower limit it is split by second.
    const seconds = timePickLevel(top.buckets[0].entries, 10, finerWidths(top.buckets[0].widthMs));
    assert.equal(seconds.kind === 'buckets' && bucketLabel(seconds.buckets[1]), '2024-07-02 18:00:01');
  });

  it('labels hours as a range and cuts a single crowded second to the limit', () => {
    const hours = timePickLevel(timed([BASE_MS, BASE_MS + 3_600_000, BASE_MS + 7_200_000]), 2);
    assert.equal(hours.kind === 'buckets' && bucketLabel(hours.buckets[0]), '2024-07-02 18:00–19:00');
    const crowded = timePickLevel(timed(Array.from({ length: 30 }, () => BASE_MS)), 10);
    assert.deepEqual(crowded.kind === 'entries' && [crowded.entries.length, crowded.omitted], [10, 20]);
  });

  it('goes to the first entry at or after a time, or the last one', () => {
    const entries = timed([BASE_MS, BASE_MS + 1000, BASE_MS + 1000, BASE_MS + 5000, undefined]);
    assert.equal(entryAtTime(entries, BASE_MS - 1)?.line, 0);
    assert.equal(entryAtTime(entries, BASE_MS + 1)?.line, 1);
    assert.equal(entryAtTime(entries, BASE_MS + 4000)?.line, 3);
    assert.equal(entryAtTime(entries, BASE_MS + 9000)?.line, 3);
    assert.equal(entryAtTime(timed([undefined]), BASE_MS), undefined);
  });
});

describe('the same moves, a step at a time', () => {
  /** Runs stepped work to its end: what it returns, and how many times it paused. */
  function drain<T>(steps: Generator<unknown, T, void>): { value: T; pauses: number } {
    let pauses = 0;
    for (;;) {
      const next = steps.next();
      if (next.done) return { value: next.value, pauses };
      pauses++;
    }
  }

  /** A log of `n` random lines: entries of every kind (some without a time), broken lines, blank lines. */
  function randomLines(next: () => number, n: number): string[] {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    return Array.from({ length: n }, () => {
      const ms =
        BASE_MS +
        Math.floor(next() * 4) * 3_600_000 +
        Math.floor(next() * 3) * 60_000 +
        Math.floor(next() * 5) * 1000 +
        Math.floor(next() * 3);
      const sni = pick(['-', 'a.example', 'b.example']);
      switch (Math.floor(next() * 9)) {
        case 0:
          return '{"firewall_name":"fw",';
        case 1:
          return '';
        case 2:
          return tlsError(sni, ms).replace('"dest_port":"443"', '"dest_port":"70000"');
        case 3:
          // No time at all.
          return tlsError(sni, ms)
            .replace(/"timestamp":"[^"]*",/, '')
            .replace(/"event_timestamp":\d+,/, '');
        case 4:
        case 5:
          return tlsError(sni, ms, pick(['Server name is not found in client hello.', 'Certificate does not match server name', 'odd']));
        default:
          return revocation(sni, ms, pick(['REVOKED', 'UNKNOWN', 'GOOD']), pick(['DROP', 'PASS', 'REJECT']));
      }
    });
  }

  /** Lines that say how many of their results were read: a step must look at no more than it says. */
  function counted(lines: LineResults): LineResults & { reads: number } {
    const out = {
      reads: 0,
      get lineCount() {
        return lines.lineCount;
      },
      problemsOf(line: number) {
        out.reads++;
        return lines.problemsOf(line);
      },
      kindOf(line: number) {
        out.reads++;
        return lines.kindOf(line);
      },
    };
    return out;
  }

  it('finds the same line as findLine, from every line, both ways, in steps of any size', () => {
    const next = random(0x4a11);
    const seen = new Set<string>();
    for (let round = 0; round < 40; round++) {
      const m = model(randomLines(next, Math.floor(next() * 60)));
      for (const filter of [hasProblems, isRevokedOrUnknown, () => false]) {
        for (let from = -1; from <= m.lineCount + 1; from++) {
          for (const direction of [1, -1] as const) {
            const perStep = 1 + Math.floor(next() * 8);
            const lines = counted(m);
            const steps = findLineInSteps(lines, from, direction, filter, perStep);
            let reads = 0;
            let pauses = 0;
            for (let step = steps.next(); ; step = steps.next()) {
              assert.ok(lines.reads - reads <= perStep, `a step read ${lines.reads - reads} lines`);
              reads = lines.reads;
              if (step.done) {
                assert.deepEqual(step.value, findLine(m, from, direction, filter), `from ${from}, direction ${direction}`);
                seen.add(step.value === undefined ? 'none' : step.value.wrapped ? 'wrapped' : 'found');
                break;
              }
              pauses++;
            }
            // It pauses only between steps that still have lines to look at.
            assert.ok(pauses <= Math.ceil(m.lineCount / perStep), `${pauses} pauses for ${m.lineCount} lines`);
          }
        }
      }
    }
    assert.deepEqual([...seen].sort(), ['found', 'none', 'wrapped']);
  });

  it('goes round a document with nothing to find in steps of the size asked for', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => tlsError('-', BASE_MS + i));
    const { value, pauses } = drain(findLineInSteps(model(lines), 10, 1, hasProblems, 100));
    assert.equal(value, undefined);
    assert.equal(pauses, 9);
  });

  it('sorts entries by time as timedEntries does, whatever their order and the size of a step', () => {
    const next = random(0x71de);
    for (let round = 0; round < 60; round++) {
      const n = Math.floor(next() * 300);
      // Times with many ties, some missing; lines in a random order, as a test of the merge (a model gives them in line order).
      const input = Array.from({ length: n }, (_, line) => {
        const entry: TlsEntry = { kind: next() < 0.5 ? 'tlsError' : 'revocation' };
        const r = next();
        if (r < 0.6) entry.timeMs = BASE_MS + Math.floor(next() * 20) * 1000;
        else if (r < 0.8) entry.eventTimestamp = BASE_MS / 1000 + Math.floor(next() * 20);
        return { line, entry };
      });
      // In line order, in a random order, or in time order with a few entries out of place (as a log is).
      if (round % 3 === 1) input.sort(() => next() - 0.5);
      if (round % 3 === 2) {
        input.sort((a, b) => (entryTimeMs(a.entry) ?? Infinity) - (entryTimeMs(b.entry) ?? Infinity));
        for (let swaps = Math.floor(next() * 4); swaps > 0 && n > 1; swaps--) {
          const [i, j] = [Math.floor(next() * n), Math.floor(next() * n)];
          [input[i], input[j]] = [input[j], input[i]];
        }
      }
      const perStep = 1 + Math.floor(next() * 40);
      const expected = timedEntries(input);
      const { value, pauses } = drain(timedEntriesInSteps(input, perStep));
      assert.deepEqual(value, expected);
      // It pauses at least after each part it takes in.
      assert.ok(pauses >= Math.floor(n / perStep), `${pauses} pauses for ${n} entries, ${perStep} a step`);
    }
  });

  it("sorts a random model's entries as timedEntries does, and takes no more of them in a step than asked", () => {
    const next = random(0x5e7);
    for (let round = 0; round < 20; round++) {
      const m = model(randomLines(next, 200 + Math.floor(next() * 200)));
      const perStep = 1 + Math.floor(next() * 50);
      let taken = 0;
      const entries = (function* () {
        for (const e of m.entries()) {
          taken++;
          yield e;
        }
      })();
      const steps = timedEntriesInSteps(entries, perStep);
      let before = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) {
        assert.ok(taken - before <= perStep);
        before = taken;
      }
      assert.deepEqual(step.value, timedEntries(m.entries()));
    }
  });

  it('makes the same level of the time picker as timePickLevel, and the same counts of each interval', () => {
    const next = random(0xb0c);
    const seen = new Set<string>();
    for (let round = 0; round < 60; round++) {
      const entries = timedEntries(model(randomLines(next, Math.floor(next() * 400))).entries());
      // Sometimes out of time order: the stepped level must still be the same.
      if (round % 5 === 4) entries.sort(() => next() - 0.5);
      const limit = Math.floor(next() * 60);
      const widths = round % 3 === 0 ? TIME_BUCKET_WIDTHS : [3_600_000, 60_000, 1_000, 1].filter(() => next() < 0.7);
      const perStep = 1 + Math.floor(next() * 30);
      const level = drain(timePickLevelInSteps(entries, limit, widths, perStep)).value;
      assert.deepEqual(level, timePickLevel(entries, limit, widths));
      seen.add(level.kind);
      if (level.kind !== 'buckets') continue;
      for (const b of level.buckets) seen.add(b.startMs === undefined ? 'no time' : `width ${b.widthMs}`);
      const line = Math.floor(next() * 420);
      const { details, holding } = drain(bucketDetailsInSteps(level.buckets, line, perStep)).value;
      assert.deepEqual(
        details,
        level.buckets.map((b) => countByKind(b.entries)),
      );
      assert.equal(
        holding,
        level.buckets.findIndex((b) => b.entries.some((e) => e.line === line)),
      );
      if (holding >= 0) seen.add('holding');
      // The levels below, as the picker asks for them when an interval is picked.
      for (let above: TimePickLevel = level; above.kind === 'buckets';) {
        const bucket: TimeBucket = above.buckets[Math.floor(next() * above.buckets.length)];
        const finer = finerWidths(bucket.widthMs, widths);
        const below = drain(timePickLevelInSteps(bucket.entries, limit, finer, perStep)).value;
        assert.deepEqual(below, timePickLevel(bucket.entries, limit, finer));
        if (below.kind === 'buckets') for (const b of below.buckets) seen.add(b.startMs === undefined ? 'no time' : `width ${b.widthMs}`);
        above = below;
      }
    }
    // Entries without a time never split a level, alongside timed ones or on their own.
    const oneSecond = timedEntries(
      [BASE_MS, BASE_MS + 1, undefined, BASE_MS + 2, undefined].map((timeMs, line) => ({ line, entry: { kind: 'tlsError', timeMs } })),
    );
    for (const entries of [oneSecond, oneSecond.filter((e) => e.timeMs === undefined)]) {
      const level = drain(timePickLevelInSteps(entries, 1, [60_000, 1000], 2)).value;
      assert.equal(level.kind, 'entries');
      assert.deepEqual(level, timePickLevel(entries, 1, [60_000, 1000]));
    }
    // The random cases reach every kind of level and interval.
    assert.deepEqual([...seen].sort(), [
      'buckets',
      'entries',
      'holding',
      'no time',
      'width 1',
      'width 1000',
      'width 3600000',
      'width 60000',
    ]);
  });
});

describe('outline', () => {
  it('groups entries by SNI in order of first appearance, with counts and entry details', () => {
    const groups = buildOutline(model([...LINES, revocation('revoked.example.com', BASE_MS + 9000, 'REVOKED', 'REJECT')]).entries());
    assert.deepEqual(
      groups.map((g) => [g.name, g.detail, g.firstLine, g.lastLine, g.entries.length]),
      [
        ['(no SNI in client hello)', '2 entries: 2 TLS errors', 0, 6, 2],
        ['revoked.example.com', '2 entries: 2 revoked', 1, 7, 2],
        ['ocsp-down.example.com', '1 entry: 1 unknown', 4, 4, 1],
        ['odd.example.com', '1 entry: 1 other status', 5, 5, 1],
      ],
    );
    assert.deepEqual(groups[1].entries[0], {
      line: 1,
      name: '2024-07-02 18:00:01.000',
      detail: 'REVOKED → DROP · 10.0.2.60:55930 → 104.18.30.5:443',
    });
  });

  it('lists at most so many entries per SNI and in all, and says so', () => {
    const lines = Array.from({ length: 30 }, (_, i) => tlsError(i < 20 ? 'a.example' : 'b.example', BASE_MS + i * 1000));
    const groups = buildOutline(model(lines).entries(), { snis: 10, perSni: 15, entries: 18 });
    assert.deepEqual(
      groups.map((g) => [g.name, g.entries.length, g.total, g.detail]),
      [
        ['a.example', 15, 20, '20 entries: 20 TLS errors (first 15 listed)'],
        ['b.example', 3, 10, '10 entries: 10 TLS errors (first 3 listed)'],
      ],
    );
  });

  it('lists at most so many SNIs, in order of first appearance, and counts the rest', () => {
    const builder = new OutlineBuilder({ snis: 2, perSni: 10, entries: 10 });
    ['a', 'b', 'a', 'c', 'd', 'c'].forEach((sni, line) => builder.add(line, { kind: 'tlsError', sni }));
    const { groups, omittedSnis } = builder.finish();
    assert.deepEqual(
      groups.map((g) => [g.name, g.total]),
      [
        ['a', 2],
        ['b', 1],
      ],
    );
    assert.equal(omittedSnis, 2);
  });
});

describe('status bar counts', () => {
  it('counts errors from the model and entries by kind', () => {
    const m = model(LINES);
    const summary = summarizeDocument(m);
    assert.deepEqual(summary, {
      problems: { error: 1, warning: 2, information: 0 },
      entries: 5,
      tlsErrors: 2,
      revoked: 1,
      unknown: 1,
      otherStatus: 1,
    });
    assert.equal(statusText(summary), '$(error) 1 error · $(workspace-untrusted) 1 revoked · $(question) 1 unknown');
    const tooltip = statusTooltip(summary);
    assert.match(tooltip, /1 error, 2 warnings, 0 information/);
    assert.match(tooltip, /Other status: 1/);
    assert.match(tooltip, /SNI view/);
  });

  it('groups thousands', () => {
    const summary = {
      problems: { error: 12345, warning: 0, information: 0 },
      entries: 0,
      tlsErrors: 0,
      revoked: 2,
      unknown: 0,
      otherStatus: 0,
    };
    assert.equal(statusText(summary), '$(error) 12,345 errors · $(workspace-untrusted) 2 revoked · $(question) 0 unknown');
  });
});
