import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { sampleSummary } from '../../bench/make-samples';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples');

function logFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? logFiles(join(dir, d.name)) : /\.log(\.gz)?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

describe('samples/README.md', () => {
  it("gives each sample's figures as the engine counts them in the file", () => {
    const readme = readFileSync(join(SAMPLES, 'README.md'), 'utf8');
    const files = logFiles(join(SAMPLES, 'AWSLogs'));
    assert.equal(files.length, 3);
    for (const file of files) {
      const bytes = readFileSync(file);
      const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const section = readme.split(/^## /m).find((s) => s.startsWith(`\`${basename(file)}\``));
      assert.ok(section, `README has a section for ${basename(file)}`);
      assert.ok(section.includes(sampleSummary(lines)), `${basename(file)}: ${sampleSummary(lines)}`);
    }
    assert.match(readme, /19 REVOKED, 45 UNKNOWN/);
  });
});
