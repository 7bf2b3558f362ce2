/**
 * What a file check keeps must not hold on to the text it read. Values read from a line can be slices of
 * the reader's 1 MiB chunk of text; a kept slice (an SNI counted for the report, a value in a shared table)
 * would keep its whole chunk alive. A file with a new SNI every thousand lines, checked with its report
 * kept, must leave a small fraction of its size behind.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateLogLines } from '../../bench/generate';
import { LogModel } from '../../src/core/document/logModel';
import { checkFile } from '../../src/core/report/report';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('memory kept after checking a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nfw-retention-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps copies of the values it counts, not slices of the text it read', async () => {
    const base = generateLogLines(1000, { seed: 8, reorderKeys: 0 });
    const lines: string[] = [];
    // A new SNI (never seen before by this process) once every thousand lines, in every chunk of the file.
    for (let n = 0; n < 70; n++)
      for (const [i, line] of base.entries())
        lines.push(
          i === 0
            ? line
                .replace(/"sni":"[^"]*"/, `"sni":"retained-${n}-${process.pid}.example"`)
                .replace(/SNI: [^ ]* Match/, `SNI: retained-${n}-${process.pid}.example Match`)
            : line,
        );
    const file = join(dir, 'many-chunks.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const size = statSync(file).size;
    assert.ok(size > 20 * 1024 * 1024, `${size} bytes`);

    const before = heapAfterGc();
    const report = await checkFile(file);
    const kept = heapAfterGc() - before;
    assert.equal(report.entries, lines.length - report.problems.filter((p) => p.severity === 'error').length);
    assert.ok(report.snis.some((s) => s.sni === `retained-69-${process.pid}.example`));
    // Slices would keep most of the file's text (one-byte strings: about its size); copies keep kilobytes.
    assert.ok(kept < size / 8, `${(kept / 1024 / 1024).toFixed(1)} MB kept after checking a ${(size / 1024 / 1024).toFixed(1)} MB file`);
  });

  it('keeps a few small numbers per line of an open document, not its entries', () => {
    const lines = generateLogLines(60_000, { seed: 12 });
    const before = heapAfterGc();
    const model = new LogModel();
    model.reset(lines.length, (i) => lines[i]);
    const kept = heapAfterGc() - before;
    assert.ok(model.entryCounts().entries > 55_000);
    // Three small integers or holes per line, and the problems of the lines that have any. Entries kept
    // as objects came to some 300 bytes a line.
    const perLine = kept / lines.length;
    assert.ok(perLine < 64, `${perLine.toFixed(0)} bytes kept per line`);
    // The model is still in use here: what was measured is what it holds.
    assert.equal(model.lineCount, lines.length);
  });
});
