import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hoverAt } from '../../src/core/explain/hover';
import type { ExplainContext } from '../../src/core/explain/explanation';
import { analyzeLine } from '../../src/core/parse/analyze';

// The bundled test runs from out/test/unit; the samples stay in the source tree.
const ROOT = join(__dirname, '..', '..', '..');
const MAX_WORDS = 120;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

function sampleLines(): Array<{ file: string; line: number; text: string }> {
  const logs = [...files(join(ROOT, 'samples')), ...files(join(ROOT, 'test', 'fixtures', 'integration'))].filter((f) =>
    /\.log(\.gz)?$/.test(f),
  );
  assert.ok(logs.length >= 3, 'the samples are there');
  return logs.flatMap((file) => {
    const bytes = readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    return text.split(/\r?\n/).map((t, line) => ({ file, line, text: t }));
  });
}

/** Words as a reader counts them: runs between white space that hold a letter or a digit. */
export function wordCount(markdown: string): number {
  return markdown.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

// With the file's own evidence present, which makes an UNKNOWN hover longest.
const CONTEXT: ExplainContext = {
  now: Date.parse('2024-07-03T00:00:00Z'),
  timeZone: 'America/New_York',
  sniCount: () => 3,
  unknownAround: (ms) => ({ fromMs: ms - (ms % 300_000), toMs: ms - (ms % 300_000) + 300_000, snis: 30, entries: 45 }),
};
// Only the hovered SNI UNKNOWN in its window: the hover then also offers a command.
const ALONE: ExplainContext = {
  ...CONTEXT,
  unknownAround: (ms) => ({ fromMs: ms - (ms % 300_000), toMs: ms - (ms % 300_000) + 300_000, snis: 1, entries: 1 }),
};

describe('hover length', () => {
  it(`keeps every status, action and error-message hover on the samples to at most ${MAX_WORDS} words`, (t) => {
    const longest = new Map<string, { words: number; where: string }>();
    let measured = 0;
    for (const { file, line, text } of sampleLines()) {
      const result = analyzeLine(text, line);
      for (const key of ['"status"', '"action"', '"error_message"']) {
        const at = text.indexOf(key);
        if (at < 0) continue;
        const column = text.indexOf(':', at + key.length) + 2;
        for (const context of [CONTEXT, ALONE]) {
          const hover = hoverAt(text, column, result, context);
          if (hover === undefined) continue;
          measured++;
          // The explanation, after the line's other problems (if any), which are not about this field.
          const blocks = hover.markdown.split('\n\n---\n\n');
          const words = wordCount(blocks[blocks.length - 1]);
          const where = `${file.slice(ROOT.length)}:${line + 1}`;
          assert.ok(words <= MAX_WORDS, `${key} hover at ${where} has ${words} words:\n${hover.markdown}`);
          if (words > (longest.get(key)?.words ?? -1)) longest.set(key, { words, where });
        }
      }
    }
    assert.ok(measured > 100, `measured ${measured} hovers`);
    // The three kinds were all met.
    assert.deepEqual([...longest.keys()].sort(), ['"action"', '"error_message"', '"status"']);
    for (const [key, { words, where }] of longest) t.diagnostic(`longest ${key} hover: ${words} words (${where})`);
  });

  it('counts words the way a reader does', () => {
    assert.equal(wordCount('**Revoked**: the CA says `x` — it is.'), 7);
    assert.equal(wordCount('` 54.92.160.72:443 `'), 1);
  });
});
