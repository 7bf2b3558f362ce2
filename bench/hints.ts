/**
 * What a request for the entry hints of one screen costs on a big document (the editor asks for the lines
 * on screen as the user scrolls): `entryHints` over the document's model, which reads each entry again from
 * its line, against a baseline of reading those lines' text and `JSON.parse` of each, alternating on the
 * same screens. Called by run.ts on its 40 MB document.
 */
import type { LogModel } from '../src/core/document/logModel';
import { entryHints } from '../src/core/document/entryHints';

/** Lines a screen shows: a tall editor window. */
const SCREEN_LINES = 60;
/** Screens spread over the document; more than the model keeps entries for, so no screen is served from it. */
const SCREENS = 300;
const ROUNDS = 5;

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Prints the median, 99th percentile and longest hint request for a screen, and the baseline's. */
export function measureHintRequests(model: LogModel, read: (line: number) => string, label: string): void {
  const engine: number[] = [];
  const baseline: number[] = [];
  let hints = 0;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let s = 0; s < SCREENS; s++) {
      const start = Math.floor(((s + round / ROUNDS) / SCREENS) * (model.lineCount - SCREEN_LINES));
      const end = start + SCREEN_LINES - 1;
      let t = performance.now();
      for (let i = start; i <= end; i++) {
        try {
          sink += (JSON.parse(read(i)) as object) ? 1 : 0;
        } catch {
          // a malformed line is read too
        }
      }
      baseline.push(performance.now() - t);
      t = performance.now();
      hints += entryHints(model, start, end, ['time', 'outcome', 'sni']).length;
      engine.push(performance.now() - t);
    }
  }
  const ms = (v: number): string => `${v.toFixed(2)} ms`;
  console.log(
    `Entry hints for one screen (${SCREEN_LINES} lines) of ${label}, ${SCREENS * ROUNDS} screens, ${(hints / (SCREENS * ROUNDS)).toFixed(0)} hints each (${sink > 0 ? 'read' : ''}):`,
  );
  console.log(`  hint request: median ${ms(quantile(engine, 0.5))}, p99 ${ms(quantile(engine, 0.99))}, max ${ms(Math.max(...engine))}`);
  console.log(
    `  baseline, those lines' text and JSON.parse of each: median ${ms(quantile(baseline, 0.5))}, p99 ${ms(quantile(baseline, 0.99))} (${(quantile(engine, 0.5) / quantile(baseline, 0.5)).toFixed(2)}x)`,
  );
}
