import { after, before } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temporary folder for the enclosing `describe`, made before its tests and removed after them, and a
 * writer of numbered files in it (`f0<suffix>`, `f1<suffix>`, …). Call it inside `describe`.
 */
export function tempFiles(prefix: string, suffix = '.log'): { dir(): string; file(content: Buffer | string): string } {
  let dir = '';
  let fileNumber = 0;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    file(content) {
      const path = join(dir, `f${fileNumber++}${suffix}`);
      writeFileSync(path, content);
      return path;
    },
  };
}
