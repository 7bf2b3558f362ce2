// The outline's stepwise finish: the same groups and words as finishing at once (and as navigation.ts's
// own formatting of entries), in steps of bounded size.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateLogLines } from '../../bench/generate';
import { LogModel } from '../../src/core/document/logModel';
import { describeKindCounts } from '../../src/core/document/navigation';
import { entryEndpoints, entryOutcome, entryTimeMs, formatEntryTime, thousands } from '../../src/core/text';
import {
  FINISH_ITEMS_PER_STEP,
  GROUP_ITEMS,
  OUTLINE_LIMITS,
  OutlineBuilder,
  type OutlineGroup,
  type OutlineLimits,
  type OutlineResult,
} from '../../src/core/document/outline';
import { kindOf } from '../../src/core/parse/entryKind';
import type { TlsEntry } from '../../src/core/parse/types';

type Entry = { line: number; entry: TlsEntry };

function generatedEntries(lines: number, seed: number): Entry[] {
  const text = generateLogLines(lines, { seed, malformed: 0.02, ipv6: 0.2 });
  const model = new LogModel();
  model.reset(text.length, (i) => text[i]);
  return [...model.entries()];
}

function builder(entries: readonly Entry[], limits: Readonly<OutlineLimits> = OUTLINE_LIMITS): OutlineBuilder {
  const b = new OutlineBuilder(limits);
  for (const { line, entry } of entries) b.add(line, entry);
  return b;
}

function drain(b: OutlineBuilder, itemsPerStep?: number): { result: OutlineResult; steps: number[] } {
  const it = b.finishInSteps(itemsPerStep);
  const steps: number[] = [];
  for (;;) {
    const next = it.next();
    if (next.done) return { result: next.value, steps };
    steps.push(next.value);
  }
}

/** The outline written plainly with navigation.ts's functions, entry by entry and SNI by SNI. */
function reference(
  entries: readonly Entry[],
  limits: Readonly<OutlineLimits> = OUTLINE_LIMITS,
): { groups: OutlineGroup[]; omittedSnis: number } {
  const bySni = new Map<string | undefined, { group: OutlineGroup; listed: Entry[]; kinds: Record<ReturnType<typeof kindOf>, number> }>();
  const left = new Set<string | undefined>();
  // The names of the SNIs are OutlineBuilder.add's; take them from a real builder.
  const names = new Map(
    builder(entries, limits)
      .finish()
      .groups.map((g) => [g.sni, g.name]),
  );
  for (const { line, entry } of entries) {
    let g = bySni.get(entry.sni);
    if (!g) {
      if (bySni.size >= limits.snis) {
        left.add(entry.sni);
        continue;
      }
      g = {
        group: { sni: entry.sni, name: names.get(entry.sni) ?? '', detail: '', firstLine: line, lastLine: line, entries: [], total: 0 },
        listed: [],
        kinds: { tlsError: 0, revoked: 0, unknown: 0, other: 0 },
      };
      bySni.set(entry.sni, g);
    }
    g.group.lastLine = line;
    g.group.total++;
    g.kinds[kindOf(entry)]++;
    if (g.listed.length < limits.perSni) g.listed.push({ line, entry });
  }
  let budget = limits.entries;
  const groups: OutlineGroup[] = [];
  for (const { group, listed, kinds } of bySni.values()) {
    const shown = listed.slice(0, Math.max(0, budget));
    budget -= shown.length;
    group.entries = shown.map(({ line, entry }) => ({
      line,
      name: formatEntryTime(entryTimeMs(entry)),
      detail: `${entryOutcome(entry)} · ${entryEndpoints(entry)}`,
    }));
    const counts = describeKindCounts(kinds, group.total);
    group.detail = group.entries.length < group.total ? `${counts} (first ${thousands(group.entries.length)} listed)` : counts;
    groups.push(group);
  }
  return { groups, omittedSnis: left.size };
}

describe('outline finished in steps', () => {
  const entries = generatedEntries(6000, 11);
  const limitsList: OutlineLimits[] = [
    OUTLINE_LIMITS,
    { snis: 300, perSni: 40, entries: 2500 },
    { snis: 50, perSni: 500, entries: 700 },
    { snis: 5000, perSni: 3, entries: 100_000 },
  ];

  it('gives what finish gives, and what navigation.ts writes for each entry', () => {
    assert.ok(entries.length > 5000);
    for (const limits of limitsList) {
      const atOnce = builder(entries, limits).finish();
      const { result, steps } = drain(builder(entries, limits));
      assert.deepEqual(result, atOnce);
      assert.deepEqual(result, reference(entries, limits));
      assert.ok(steps.length > 1);
      // Finishing again gives the same outline.
      const b = builder(entries, limits);
      assert.deepEqual(b.finish(), drain(b, 7).result);
    }
  });

  it('does at most so many SNIs and listed entries in one step', () => {
    for (const limits of limitsList) {
      for (const itemsPerStep of [FINISH_ITEMS_PER_STEP, 1, 2, 3, 50]) {
        // Count the entries named in each step by their reads of destPort, which naming an entry reads once.
        let reads = 0;
        const counted = entries.map(({ line, entry }) => {
          const copy = { ...entry };
          Object.defineProperty(copy, 'destPort', { get: () => (reads++, entry.destPort) });
          return { line, entry: copy };
        });
        const b = builder(counted, limits);
        reads = 0;
        const it = b.finishInSteps(itemsPerStep);
        const perStep: number[] = [];
        const claimed: number[] = [];
        let next = it.next();
        for (; ; next = it.next()) {
          perStep.push(reads);
          reads = 0;
          if (next.done) break;
          claimed.push(next.value);
        }
        const bound = Math.max(itemsPerStep, GROUP_ITEMS);
        const listed = next.value.groups.reduce((n, g) => n + g.entries.length, 0);
        const work = listed + GROUP_ITEMS * next.value.groups.length;
        assert.equal(
          perStep.reduce((a, n) => a + n, 0),
          listed,
        );
        assert.ok(Math.max(...perStep) <= bound, `${Math.max(...perStep)} entries named in one step`);
        assert.ok(claimed.every((n) => n > 0 && n <= bound));
        // The steps are full, but for the last: as few as the bound allows, give or take a split SNI.
        assert.ok(perStep.length <= Math.ceil(work / Math.max(1, bound - GROUP_ITEMS + 1)) + 1);
        assert.ok(perStep.length >= Math.ceil(work / bound));
      }
    }
  });

  it('names times, addresses and outcomes as navigation.ts does, also at the edges', () => {
    const day = 86_400_000;
    const times = [
      0,
      -0,
      0.4,
      -0.4,
      1.9,
      -1.9,
      -1,
      999,
      1000,
      day - 1,
      day,
      -day,
      -day - 1,
      Date.UTC(2024, 6, 2, 18, 0, 1, 5),
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999) + 0.5,
      -62_167_219_200_000,
      -62_167_219_200_001,
      -62_167_219_199_999.5,
      253_402_300_799_999,
      253_402_300_799_999.9,
      253_402_300_800_000,
      8.64e15,
      -8.64e15,
    ];
    const odd: TlsEntry[] = [
      ...times.map((timeMs): TlsEntry => ({
        kind: 'tlsError',
        sni: 't',
        timeMs,
        srcIp: '10.0.0.1',
        srcPort: 1,
        destIp: '10.0.0.2',
        destPort: 443,
      })),
      { kind: 'tlsError', sni: 't', eventTimestamp: 1_720_000_000.5 },
      { kind: 'tlsError', sni: 't', timeMs: Number.NaN, eventTimestamp: Number.POSITIVE_INFINITY },
      { kind: 'tlsError', sni: 't', timeMs: Number.POSITIVE_INFINITY },
      { kind: 'tlsError', sni: 't', srcIp: '2001:db8::1', srcPort: 5, destIp: '2001:db8::1' },
      { kind: 'tlsError', sni: 't', srcIp: '10.0.0.1\n\u200b', destIp: '', destPort: 0 },
      { kind: 'tlsError', sni: 't', srcIp: 'x'.repeat(60), srcPort: 1.5, destIp: `${'y:'.repeat(30)}`, destPort: -1 },
      { kind: 'tlsError', sni: '-', errorMessage: '  Server name is not found in client hello.  ' },
      { kind: 'tlsError', sni: 'a.example', errorMessage: 'Certificate does not match SNI. SNI: a.example Certificate names: b.example' },
      { kind: 'tlsError', sni: 'b.example', errorMessage: 'Certificate does not match SNI. SNI: a.example Certificate names: b.example' },
      { kind: 'tlsError', sni: 'a.example', errorMessage: 'Some other \u0007 message' },
      { kind: 'tlsError', sni: 'a.example' },
      { kind: 'revocation', sni: 'a.example', status: 'REVOKED', action: 'DROP' },
      { kind: 'revocation', sni: 'a.example', status: 'REVOKED' },
      { kind: 'revocation', sni: 'b.example', action: 'DROP' },
      { kind: 'revocation', sni: 'b.example', status: 'UNKNOWN\t', action: 'PASS' },
    ];
    const list = odd.map((entry, line) => ({ line, entry }));
    const limits = { snis: 100, perSni: 100, entries: 100 };
    assert.deepEqual(drain(builder(list, limits), 3).result, reference(list, limits));
  });
});
