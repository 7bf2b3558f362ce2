import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempFiles } from './tempFiles';
import { gunzipFile, type GunzipResult } from '../../src/core/read/gunzip';
import { readLogFile } from '../../src/core/read/lines';
import { sampleLogLines } from './random';

const sampleLines = (count: number, seed = 5): string[] => sampleLogLines(count, seed);

/** The lines the editor shows for the bytes of the view: UTF-8, a byte order mark dropped, split as VS Code splits. */
function editorLines(result: GunzipResult): string[] {
  let text = result.bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split(/\r\n|\r|\n/);
}

describe('gunzipFile', () => {
  const { dir, file } = tempFiles('nfw-gunzip-', '.log.gz');

  /** What the command line's reader makes of the same file. */
  async function cli(path: string): Promise<{ lines: string[]; encoding: string; guessed?: true; incomplete?: string }> {
    const lines: string[] = [];
    const summary = await readLogFile(path, (text) => lines.push(text));
    return { lines, encoding: summary.encoding, guessed: summary.encodingGuessed, incomplete: summary.incomplete };
  }

  it('decompresses a gzip file and hands UTF-8 over as it is', async () => {
    const text = sampleLines(200).join('\n') + '\n';
    const result = await gunzipFile(file(gzipSync(text)), 1e9);
    assert.equal(result.bytes.toString('utf8'), text);
    assert.equal(result.gzip, true);
    assert.equal(result.encoding, 'utf8');
    assert.equal(result.incomplete, undefined);
  });

  it('keeps a UTF-8 byte order mark, which the editor drops', async () => {
    const text = '\uFEFF' + sampleLines(5).join('\n');
    const result = await gunzipFile(file(gzipSync(text)), 1e9);
    assert.deepEqual(result.bytes, Buffer.from(text, 'utf8'));
    assert.equal(result.encoding, 'utf8');
  });

  it('converts UTF-16 with a byte order mark to UTF-8 without one', async () => {
    const lines = sampleLines(50);
    const le = Buffer.from('\uFEFF' + lines.join('\r\n'), 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [content, encoding] of [
      [le, 'utf16le'],
      [be, 'utf16be'],
    ] as const) {
      const result = await gunzipFile(file(gzipSync(content)), 1e9);
      assert.equal(result.bytes.toString('utf8'), lines.join('\r\n'), encoding);
      assert.equal(result.encoding, encoding);
      assert.equal(result.encodingGuessed, undefined);
    }
  });

  it('recognises UTF-16 without a byte order mark as the command line does, and converts it', async () => {
    const lines = sampleLines(50);
    const le = Buffer.from(lines.join('\n') + '\n', 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [content, encoding] of [
      [le, 'utf16le'],
      [be, 'utf16be'],
    ] as const) {
      const result = await gunzipFile(file(gzipSync(content)), 1e9);
      assert.equal(result.bytes.toString('utf8'), lines.join('\n') + '\n', encoding);
      assert.equal(result.encoding, encoding);
      assert.equal(result.encodingGuessed, true);
      // No NUL byte is left for the editor to take the text for binary.
      assert.equal(result.bytes.indexOf(0), -1);
    }
  });

  it('reads a truncated file up to the damage and says so', async () => {
    const text = sampleLines(3000).join('\n') + '\n';
    const gz = gzipSync(text);
    const result = await gunzipFile(file(gz.subarray(0, Math.floor(gz.length * 0.6))), 1e9);
    assert.ok(result.bytes.length > 0 && result.bytes.length < Buffer.byteLength(text));
    assert.ok(text.startsWith(result.bytes.toString('utf8').slice(0, -2)));
    assert.match(result.incomplete ?? '', /damaged or cut off/);
  });

  it('says a file of only the gzip magic bytes is cut off, and does not reject', async () => {
    const result = await gunzipFile(file(Buffer.from([0x1f, 0x8b])), 1e9);
    assert.equal(result.bytes.length, 0);
    assert.match(result.incomplete ?? '', /damaged or cut off/);
  });

  it('stops at the decompression limit and says so', async () => {
    const text = sampleLines(3000).join('\n') + '\n';
    const result = await gunzipFile(file(gzipSync(text)), 10_000);
    assert.equal(result.bytes.length, 10_000);
    assert.deepEqual(result.bytes, Buffer.from(text).subarray(0, 10_000));
    assert.match(result.incomplete ?? '', /decompression limit/);
  });

  it('reads every member of a multi-member file', async () => {
    const a = sampleLines(100, 1).join('\n') + '\n';
    const b = sampleLines(100, 2).join('\n') + '\n';
    const result = await gunzipFile(file(Buffer.concat([gzipSync(a), gzipSync(b)])), 1e9);
    assert.equal(result.bytes.toString('utf8'), a + b);
    assert.equal(result.incomplete, undefined);
  });

  describe('data that is not gzip after the gzip data', () => {
    const garbage = Buffer.from('garbage');

    it('shows everything before it, and says where it starts, whatever the read size', async () => {
      const big = sampleLines(5000, 4).join('\n') + '\n';
      const bigGz = gzipSync(big);
      const a = sampleLines(300, 5).join('\n') + '\n';
      const b = sampleLines(200, 6).join('\n') + '\n';
      const aGz = gzipSync(a);
      const bGz = gzipSync(b);
      const tiny = '{"a":1}\n{"b":2}\n';
      const tinyGz = gzipSync(tiny);
      const cases: [string, Buffer, string, number][] = [
        ['after one member', Buffer.concat([aGz, garbage]), a, aGz.length],
        ['after the second of two members', Buffer.concat([aGz, bGz, garbage]), a + b, aGz.length + bGz.length],
        ['between two members', Buffer.concat([aGz, garbage, bGz]), a, aGz.length],
        ['a tiny file', Buffer.concat([tinyGz, Buffer.from('!')]), tiny, tinyGz.length],
        ['a big file', Buffer.concat([bigGz, garbage]), big, bigGz.length],
      ];
      for (const [name, content, text, offset] of cases) {
        const path = file(content);
        for (const chunkSize of [undefined, 64 * 1024, 4096, 7]) {
          const label = `${name}, chunk ${chunkSize}`;
          const result = await gunzipFile(path, 1e9, { chunkSize });
          assert.equal(result.bytes.toString('utf8'), text, label);
          assert.equal(result.gzip, true, label);
          assert.match(
            result.incomplete ?? '',
            new RegExp(`unreadable data after the end of its gzip data, from byte ${offset} \\(${content.length - offset} bytes\\)`),
            label,
          );
          // The command line reads the same lines and says the same.
          const read = await cli(path);
          assert.deepEqual(read.lines, text.split('\n').slice(0, -1), label);
          assert.match(read.incomplete ?? '', new RegExp(`from byte ${offset} `), label);
        }
      }
    });

    it('takes zero bytes after the gzip data for padding', async () => {
      const text = sampleLines(30).join('\n') + '\n';
      const result = await gunzipFile(file(Buffer.concat([gzipSync(text), Buffer.alloc(7)])), 1e9);
      assert.equal(result.bytes.toString('utf8'), text);
      assert.equal(result.incomplete, undefined);
    });

    it('still stops at the decompression limit', async () => {
      const text = sampleLines(3000).join('\n') + '\n';
      const result = await gunzipFile(file(Buffer.concat([gzipSync(text), garbage])), 10_000);
      assert.deepEqual(result.bytes, Buffer.from(text).subarray(0, 10_000));
      assert.match(result.incomplete ?? '', /decompression limit/);
    });
  });

  it('shows a file that is not gzip data as it is, as the command line reads it', async () => {
    const text = sampleLines(20).join('\n') + '\n';
    const result = await gunzipFile(file(text), 1e9);
    assert.equal(result.gzip, false);
    assert.equal(result.bytes.toString('utf8'), text);
    assert.equal(result.incomplete, undefined);
    const one = await gunzipFile(file(Buffer.from([0x1f])), 1e9);
    assert.deepEqual([...one.bytes], [0x1f]);
    const empty = await gunzipFile(file(''), 1e9);
    assert.deepEqual([empty.bytes.length, empty.incomplete], [0, undefined]);
  });

  it('says so when the file is cut short while it is read', async () => {
    const text = sampleLines(4000).join('\n') + '\n';
    const gz = gzipSync(text);
    const path = file(gz);
    let reads = 0;
    const result = await gunzipFile(path, 1e9, {
      chunkSize: 1024,
      onProgress: () => {
        if (++reads === 2) truncateSync(path, Math.floor(gz.length / 2));
      },
    });
    assert.match(result.incomplete ?? '', /cut short while it was read/);
    assert.match(result.incomplete ?? '', new RegExp(`${gz.length} bytes when opened`));
  });

  it('rejects a file that cannot be read', async () => {
    await assert.rejects(gunzipFile(join(dir(), 'missing.log.gz'), 1e9), /ENOENT/);
    await assert.rejects(gunzipFile(dir(), 1e9));
  });

  it('shows a lone surrogate in UTF-16 text as U+FFFD, in the same column, as the command line reads it', async () => {
    // High and low halves alone, at the start and end of lines and of the text, next to whole pairs.
    const body = ['\uD800{"sni":"a\uDC00b"}\uD83D', '\uDE00x\uD83D\uDE00\uDBFF', '', '{"sni":"\uD83D\uDE00"}\uDFFF'].join('\n') + '\uD800';
    const expected = body.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
    assert.equal(expected.length, body.length);
    assert.equal((expected.match(/\uFFFD/g) ?? []).length, 7);
    const le = Buffer.from(body, 'utf16le');
    for (const bytes of [
      le,
      Buffer.from(le).swap16(),
      Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
      Buffer.from(Buffer.concat([Buffer.from([0xff, 0xfe]), le])).swap16(),
    ]) {
      for (const content of [gzipSync(bytes), bytes]) {
        const path = file(content);
        const [view, read] = await Promise.all([gunzipFile(path, 1e9), cli(path)]);
        const label = `${view.encoding} ${view.encodingGuessed ? 'guessed' : 'with a mark'}, gzip ${view.gzip}`;
        assert.deepEqual(editorLines(view), expected.split('\n'), label);
        assert.deepEqual(read.lines, expected.split('\n'), label);
      }
    }
  });

  it('shows the lines the command line reads, whatever the encoding, compression and line breaks', async () => {
    const lines = sampleLines(40, 9);
    const bodies = [lines.join('\n'), lines.join('\r\n') + '\r\n', lines.join('\r'), '\uFEFF' + lines.join('\n')];
    for (const body of bodies) {
      const encodings: Buffer[] = [Buffer.from(body, 'utf8'), Buffer.from(body, 'utf16le'), Buffer.from(body, 'utf16le').swap16()];
      const bom = body.startsWith('\uFEFF') ? '' : '\uFEFF';
      encodings.push(Buffer.from(bom + body, 'utf16le'), Buffer.from(bom + body, 'utf16le').swap16());
      for (const bytes of encodings) {
        for (const content of [gzipSync(bytes), bytes]) {
          const path = file(content);
          const [view, read] = await Promise.all([gunzipFile(path, 1e9), cli(path)]);
          const shown = editorLines(view);
          // The command line has no empty last line after a final line break; the editor does.
          if (shown.length === read.lines.length + 1) assert.equal(shown.pop(), '');
          assert.deepEqual(shown, read.lines, `${JSON.stringify(body.slice(0, 3))} ${view.encoding}`);
          assert.equal(view.encoding, read.encoding);
          assert.equal(view.encodingGuessed, read.guessed);
          assert.equal(view.incomplete, read.incomplete);
        }
      }
    }
  });
});
