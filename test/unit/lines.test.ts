import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, createGzip, gzipSync } from 'node:zlib';
import { tempFiles } from './tempFiles';
import { isGzipMagic, LineSplitter, readLogFile, type ReadOptions, type ReadSummary } from '../../src/core/read/lines';
import { formatBytes } from '../../src/core/text';
import { checkFile } from '../../src/core/report/report';
import { random, sampleLogLines } from './random';

/** The lines a reader should deliver: split at \r\n, \n or a lone \r (as VS Code does), no empty last line after a final break. */
function plainSplit(text: string): string[] {
  if (text === '') return [];
  const parts = text.split(/\r\n|\r|\n/);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

type Event = [kind: 'line', line: number, text: string] | [kind: 'long', line: number];

function splitInChunks(chunks: string[], maxLineLength?: number): Event[] {
  const events: Event[] = [];
  const splitter = new LineSplitter(
    (text, line) => events.push(['line', line, text]),
    (line) => events.push(['long', line]),
    maxLineLength,
  );
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return events;
}

function linesOf(events: Event[]): string[] {
  return events.map((e, i) => {
    assert.equal(e[1], i, 'lines are numbered in order from 0');
    assert.equal(e[0], 'line');
    return e[2] as string;
  });
}

function randomChunks(text: string, next: () => number, maxPiece: number): string[] {
  const chunks: string[] = [];
  let at = 0;
  while (at < text.length) {
    const n = Math.floor(next() * maxPiece); // empty chunks included
    chunks.push(text.slice(at, at + n));
    at += n;
  }
  return chunks;
}

describe('LineSplitter', () => {
  const samples = [
    'a\nbb\n\nccc',
    'a\nbb\n\nccc\n',
    'a\r\nbb\r\n\r\nccc\r\n',
    'mixed\r\nendings\nhere\r',
    '\n\n\n',
    '\r\n',
    '\r',
    'x',
    'only one line\n',
    'cr\rinside\r\nstays',
    'unicode é 😀\n\u2028 is not a break\n',
  ];

  it('matches a plain split for every split of the text into two chunks', () => {
    for (const text of samples) {
      const expected = plainSplit(text);
      for (let at = 0; at <= text.length; at++) {
        assert.deepEqual(linesOf(splitInChunks([text.slice(0, at), text.slice(at)])), expected, `${JSON.stringify(text)} split at ${at}`);
      }
    }
  });

  it('matches a plain split for random splits into many chunks, empty ones included', () => {
    const next = random(1);
    for (let round = 0; round < 300; round++) {
      let text = '';
      const n = Math.floor(next() * 40);
      for (let i = 0; i < n; i++) text += ['a', 'bc', '\n', '\r\n', '\r', ' ', '{"x":1}', '😀'][Math.floor(next() * 8)];
      assert.deepEqual(linesOf(splitInChunks(randomChunks(text, next, 6))), plainSplit(text), JSON.stringify(text));
      assert.deepEqual(linesOf(splitInChunks([...text])), plainSplit(text), JSON.stringify(text));
    }
  });

  it('delivers nothing for empty input', () => {
    assert.deepEqual(splitInChunks([]), []);
    assert.deepEqual(splitInChunks(['', '', '']), []);
  });

  it('ends a line at a lone \\r as at \\n, and takes \\r\\n as one break even across chunks', () => {
    assert.deepEqual(linesOf(splitInChunks(['a\r\r\n', 'b \r\n'])), ['a', '', 'b ']);
    assert.deepEqual(linesOf(splitInChunks(['a\r', '\nb\r', 'c'])), ['a', 'b', 'c']);
  });

  it('counts lines as they are delivered', () => {
    const splitter = new LineSplitter(
      () => undefined,
      () => undefined,
    );
    splitter.push('a\nb\nc');
    assert.equal(splitter.linesSeen, 2);
    splitter.end();
    assert.equal(splitter.linesSeen, 3);
  });

  it('skips lines longer than the limit and reports their numbers, whatever the chunking', () => {
    const text = 'abc\n123456\nxy\n1234567890123\n12345\nlast-long\n\nend';
    const expected: Event[] = [
      ['line', 0, 'abc'],
      ['long', 1],
      ['line', 2, 'xy'],
      ['long', 3],
      ['line', 4, '12345'],
      ['long', 5],
      ['line', 6, ''],
      ['line', 7, 'end'],
    ];
    assert.deepEqual(splitInChunks([text], 5), expected);
    for (let at = 0; at <= text.length; at++)
      assert.deepEqual(splitInChunks([text.slice(0, at), text.slice(at)], 5), expected, `split at ${at}`);
    const next = random(2);
    for (let round = 0; round < 200; round++) assert.deepEqual(splitInChunks(randomChunks(text, next, 4), 5), expected);
  });

  it('reports an over-long last line without a line break', () => {
    assert.deepEqual(splitInChunks(['ok\n', '123', '456'], 5), [
      ['line', 0, 'ok'],
      ['long', 1],
    ]);
    assert.deepEqual(splitInChunks(['ok\n123456'], 5), [
      ['line', 0, 'ok'],
      ['long', 1],
    ]);
  });

  it('keeps a line of exactly the limit, with or without a CRLF ending, whatever the chunking', () => {
    for (const text of ['12345\n', '12345\r\n', '12345', '12345\r', 'x\r\n12345\r\ny']) {
      const expected = plainSplit(text);
      for (let at = 0; at <= text.length; at++) {
        assert.deepEqual(linesOf(splitInChunks([text.slice(0, at), text.slice(at)], 5)), expected, `${JSON.stringify(text)} at ${at}`);
      }
    }
    assert.deepEqual(splitInChunks(['123456\r\n'], 5), [['long', 0]]);
    assert.deepEqual(splitInChunks(['12345', '6\r', '\n'], 5), [['long', 0]]);
    assert.deepEqual(splitInChunks(['12345', '6'], 5), [['long', 0]]);
  });
});

describe('readLogFile', () => {
  const { dir, file } = tempFiles('nfw-lines-');

  async function read(path: string, options?: ReadOptions): Promise<{ lines: string[]; summary: ReadSummary }> {
    const lines: string[] = [];
    const summary = await readLogFile(
      path,
      (text, line) => {
        assert.equal(line, lines.length, 'lines arrive in order, numbered from 0');
        lines.push(text);
      },
      options,
    );
    return { lines, summary };
  }

  const sampleLines = (count: number, seed = 3): string[] => sampleLogLines(count, seed);

  it('reads a plain file and sums it up', async () => {
    const lines = sampleLines(100);
    const content = lines.join('\n') + '\n';
    const path = file(content);
    const progress: number[] = [];
    const { lines: got, summary } = await read(path, { onProgress: (n) => progress.push(n) });
    assert.deepEqual(got, lines);
    assert.deepEqual(summary, {
      bytesRead: Buffer.byteLength(content),
      textBytes: Buffer.byteLength(content),
      lines: 100,
      gzip: false,
      encoding: 'utf8',
      longLines: [],
      cancelled: false,
    });
    assert.equal(progress[progress.length - 1], Buffer.byteLength(content));
  });

  it('decodes multi-byte characters split across small reads, with CRLF and no final line break', async () => {
    const lines = sampleLines(40);
    const content = lines.join('\r\n');
    for (const chunkSize of [1, 2, 3, 7, 64]) {
      const { lines: got, summary } = await read(file(content), { chunkSize });
      assert.deepEqual(got, lines, `chunk size ${chunkSize}`);
      assert.equal(summary.lines, 40);
      assert.equal(summary.incomplete, undefined);
    }
  });

  it('reads an empty file as no lines', async () => {
    const { lines, summary } = await read(file(''));
    assert.deepEqual(lines, []);
    assert.equal(summary.lines, 0);
    assert.equal(summary.bytesRead, 0);
    assert.equal(summary.incomplete, undefined);
    assert.equal(summary.gzip, false);
  });

  it('rejects with ENOENT for a missing file', async () => {
    await assert.rejects(
      readLogFile(join(dir(), 'no-such-file.log'), () => assert.fail('no lines')),
      (err: NodeJS.ErrnoException) => err.code === 'ENOENT',
    );
  });

  it('rejects for a directory', async () => {
    await assert.rejects(
      readLogFile(dir(), () => undefined),
      (err: NodeJS.ErrnoException) => err.code === 'EISDIR',
    );
  });

  it('reads a gzip file, recognised by its bytes whatever its name', async () => {
    const lines = sampleLines(500);
    const text = lines.join('\n') + '\n';
    const gz = gzipSync(text);
    assert.ok(isGzipMagic(gz));
    const { lines: got, summary } = await read(file(gz));
    assert.deepEqual(got, lines);
    assert.equal(summary.gzip, true);
    assert.equal(summary.bytesRead, gz.length);
    assert.equal(summary.textBytes, Buffer.byteLength(text));
    assert.equal(summary.lines, 500);
    assert.equal(summary.incomplete, undefined);
    // Small reads of the compressed bytes change nothing.
    assert.deepEqual((await read(file(gz), { chunkSize: 5 })).lines, lines);
  });

  it('reads every member of a multi-member gzip file', async () => {
    const first = sampleLines(30, 1);
    const second = sampleLines(20, 2);
    // The first member ends in the middle of a line, which the second member finishes.
    const gz = Buffer.concat([gzipSync(first.join('\n') + '\n' + 'split-'), gzipSync('line\n' + second.join('\n'))]);
    const { lines, summary } = await read(file(gz));
    assert.deepEqual(lines, [...first, 'split-line', ...second]);
    assert.equal(summary.incomplete, undefined);
  });

  describe('data that is not gzip after the gzip data', () => {
    const garbage = Buffer.from('garbage');
    /** Cases: the file, the lines before the unreadable data, and where that data starts. */
    function cases(): { name: string; content: Buffer; lines: string[]; offset: number }[] {
      const big = sampleLines(5000, 4);
      const bigGz = gzipSync(big.join('\n') + '\n');
      const first = sampleLines(300, 5);
      const second = sampleLines(200, 6);
      const firstGz = gzipSync(first.join('\n') + '\n');
      const secondGz = gzipSync(second.join('\n') + '\n');
      const tinyGz = gzipSync('{"a":1}\n{"b":2}\n');
      return [
        { name: 'after one member', content: Buffer.concat([firstGz, garbage]), lines: first, offset: firstGz.length },
        {
          name: 'after the second of two members',
          content: Buffer.concat([firstGz, secondGz, garbage]),
          lines: [...first, ...second],
          offset: firstGz.length + secondGz.length,
        },
        { name: 'between two members', content: Buffer.concat([firstGz, garbage, secondGz]), lines: first, offset: firstGz.length },
        {
          name: 'after zero padding',
          content: Buffer.concat([firstGz, Buffer.alloc(5), garbage]),
          lines: first,
          offset: firstGz.length + 5,
        },
        { name: 'a tiny file', content: Buffer.concat([tinyGz, Buffer.from('!')]), lines: ['{"a":1}', '{"b":2}'], offset: tinyGz.length },
        { name: 'a big file', content: Buffer.concat([bigGz, garbage]), lines: big, offset: bigGz.length },
        // Bytes that start like a gzip header but are not one.
        {
          name: 'a false gzip header',
          content: Buffer.concat([firstGz, Buffer.from([0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0, 0, 0, 1, 2])]),
          lines: first,
          offset: firstGz.length,
        },
      ];
    }

    it('delivers every line before it and says where it starts, whatever the read size', async () => {
      for (const c of cases()) {
        const path = file(c.content);
        for (const chunkSize of [undefined, 64 * 1024, 4096, 7, 1]) {
          if (chunkSize === 1 && c.content.length > 20000) continue;
          const label = `${c.name}, chunk ${chunkSize}`;
          const { lines, summary } = await read(path, { chunkSize });
          assert.deepEqual(lines, c.lines, label);
          assert.equal(summary.gzip, true, label);
          assert.equal(summary.cancelled, false, label);
          assert.ok(summary.incomplete, label);
          assert.match(
            summary.incomplete,
            new RegExp(`unreadable data after the end of its gzip data, from byte ${c.offset} \\(${c.content.length - c.offset} bytes\\)`),
            label,
          );
        }
      }
    });

    it('reads members whose headers carry extra fields, a name, a comment and a header checksum', async () => {
      const lines = sampleLines(200, 10);
      const plain = gzipSync(lines.join('\n') + '\n');
      const extra = Buffer.from([4, 0, 0x41, 0x42, 0, 0]);
      const head = Buffer.concat([
        Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2]),
        plain.subarray(4, 10),
        extra,
        Buffer.from('tls.log\0a comment\0'),
      ]);
      const headerCrc = Buffer.alloc(2);
      headerCrc.writeUInt16LE(crc32(head) & 0xffff);
      const member = Buffer.concat([head, headerCrc, plain.subarray(10)]);
      const content = Buffer.concat([member, member, garbage]);
      for (const chunkSize of [undefined, 13, 1]) {
        const { lines: got, summary } = await read(file(content), { chunkSize });
        assert.deepEqual(got, [...lines, ...lines], `chunk ${chunkSize}`);
        assert.match(summary.incomplete ?? '', new RegExp(`from byte ${2 * member.length} \\(7 bytes\\)`));
      }
      // A header whose checksum does not match is not a gzip header.
      headerCrc[0] ^= 1;
      const bad = Buffer.concat([head, headerCrc, plain.subarray(10)]);
      const { lines: got, summary } = await read(file(Buffer.concat([member, bad])));
      assert.deepEqual(got, lines);
      assert.match(summary.incomplete ?? '', new RegExp(`from byte ${member.length} `));
    });

    it('takes zero bytes after the gzip data for padding, not for damage', async () => {
      const lines = sampleLines(100, 7);
      const gz = gzipSync(lines.join('\n') + '\n');
      for (const content of [Buffer.concat([gz, Buffer.alloc(7)]), Buffer.concat([gz, Buffer.alloc(3), gz])]) {
        const { lines: got, summary } = await read(file(content), { chunkSize: 1000 });
        assert.deepEqual(got.slice(0, lines.length), lines);
        assert.ok(got.length === lines.length || got.length === 2 * lines.length);
        assert.equal(summary.incomplete, undefined);
      }
    });

    it('still stops at the decompression limit', async () => {
      const lines = sampleLines(2000, 8);
      const gz = Buffer.concat([gzipSync(lines.join('\n') + '\n'), garbage]);
      const { summary } = await read(file(gz), { maxDecompressedBytes: 50_000 });
      assert.match(summary.incomplete ?? '', /limit/);
      assert.equal(summary.textBytes, 50_000);
    });

    it('reports a member whose checksum does not match as damaged', async () => {
      const lines = sampleLines(100, 9);
      const gz = gzipSync(lines.join('\n') + '\n');
      gz[gz.length - 8] ^= 1;
      const { lines: got, summary } = await read(file(gz));
      assert.deepEqual(got, lines);
      assert.equal(
        summary.incomplete,
        `the gzip data is damaged: the checksum at byte ${gz.length - 8} does not match the text of gzip member 1, so some of the text read from it is wrong; everything before that was read`,
      );
    });
  });

  it('reads a truncated gzip file up to the cut and says it is incomplete', async () => {
    const lines = sampleLines(3000);
    const gz = gzipSync(lines.join('\n') + '\n');
    const cut = gz.subarray(0, Math.floor(gz.length * 0.7));
    const { lines: got, summary } = await read(file(cut));
    assert.ok(got.length > 100, `read ${got.length} lines before the cut`);
    assert.ok(got.length < lines.length);
    // Every complete line before the cut is delivered as written; only the last may be cut short.
    for (let i = 0; i < got.length - 1; i++) assert.equal(got[i], lines[i]);
    assert.ok(lines[got.length - 1].startsWith(got[got.length - 1]));
    assert.ok(summary.incomplete, 'incomplete is set');
    assert.match(summary.incomplete, /gzip/);
    assert.equal(summary.cancelled, false);
    assert.equal(summary.gzip, true);
    assert.equal(summary.lines, got.length);
  });

  it('does not reject for garbage after a gzip header', async () => {
    const next = random(9);
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(next() * 256);
    garbage[0] = 0x1f;
    garbage[1] = 0x8b;
    const { lines, summary } = await read(file(garbage));
    assert.deepEqual(lines, []);
    assert.equal(summary.gzip, true);
    assert.ok(summary.incomplete);
    assert.match(summary.incomplete, /damaged|cut off/);
  });

  it('does not reject for a file of only the two gzip magic bytes', async () => {
    const { summary } = await read(file(Buffer.from([0x1f, 0x8b])));
    assert.equal(summary.gzip, true);
    assert.ok(summary.incomplete);
  });

  it('stops decompressing at the limit, says so, and keeps memory bounded', async () => {
    const line = JSON.stringify({ firewall_name: 'fw', event: { sni: 'same.example.com', pad: 'x'.repeat(150) } });
    const block = Buffer.from((line + '\n').repeat(Math.floor((1024 * 1024) / (line.length + 1))));
    // 50 MB of the same line, compressed as one gzip member without ever holding the 50 MB.
    const gzip = createGzip();
    const parts: Buffer[] = [];
    gzip.on('data', (b: Buffer) => parts.push(b));
    const ended = new Promise((resolve) => gzip.on('end', resolve));
    let written = 0;
    while (written < 50 * 1024 * 1024) {
      if (!gzip.write(block)) await new Promise((resolve) => gzip.once('drain', resolve));
      written += block.length;
    }
    gzip.end();
    await ended;
    const gz = Buffer.concat(parts);
    assert.ok(gz.length < 1024 * 1024, 'the bomb is small on disk');
    const path = file(gz);

    const limit = 1024 * 1024;
    const base = process.memoryUsage();
    let peak = 0;
    let count = 0;
    const summary = await readLogFile(
      path,
      (text) => {
        count++;
        if (count % 500 === 0) {
          const m = process.memoryUsage();
          peak = Math.max(peak, m.heapUsed + m.arrayBuffers - (base.heapUsed + base.arrayBuffers));
        }
        if (text !== '') assert.ok(line.startsWith(text), 'lines are the line, or a cut-off piece of it at the limit');
      },
      { maxDecompressedBytes: limit },
    );
    assert.ok(summary.incomplete);
    assert.match(summary.incomplete, /limit/);
    assert.match(summary.incomplete, new RegExp(formatBytes(limit).replace('.', '\\.')));
    assert.ok(summary.textBytes <= limit, `${summary.textBytes} <= ${limit}`);
    assert.ok(count <= Math.ceil(limit / (line.length + 1)) + 1, `${count} lines`);
    assert.ok(count >= Math.floor((limit - 256 * 1024) / (line.length + 1)), `${count} lines`);
    assert.equal(summary.cancelled, false);
    assert.ok(peak < 40 * 1024 * 1024, `memory grew by ${peak} bytes`);
  });

  it('reads a UTF-8 file with a byte order mark without the mark', async () => {
    const lines = sampleLines(5);
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\n'))]);
    const { lines: got, summary } = await read(file(content));
    assert.deepEqual(got, lines);
    assert.equal(summary.encoding, 'utf8');
    assert.equal(summary.bytesRead, content.length);
  });

  it('decodes UTF-16LE with a byte order mark, whatever the read size', async () => {
    const lines = sampleLines(50);
    const content = Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf16le');
    assert.deepEqual([...content.subarray(0, 2)], [0xff, 0xfe]);
    for (const chunkSize of [3, 7, 1024 * 1024]) {
      const { lines: got, summary } = await read(file(content), { chunkSize });
      assert.deepEqual(got, lines, `chunk size ${chunkSize}`);
      assert.equal(summary.encoding, 'utf16le');
    }
  });

  it('decodes UTF-16BE with a byte order mark, whatever the read size', async () => {
    const lines = sampleLines(50);
    const content = Buffer.from('\uFEFF' + lines.join('\n'), 'utf16le').swap16();
    assert.deepEqual([...content.subarray(0, 2)], [0xfe, 0xff]);
    for (const chunkSize of [3, 7, 1024 * 1024]) {
      const { lines: got, summary } = await read(file(content), { chunkSize });
      assert.deepEqual(got, lines, `chunk size ${chunkSize}`);
      assert.equal(summary.encoding, 'utf16be');
    }
  });

  it('recognises UTF-16 without a byte order mark from its NUL bytes, and says it guessed', async () => {
    const lines = sampleLines(50);
    const le = Buffer.from(lines.join('\r\n') + '\r\n', 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [content, encoding] of [
      [le, 'utf16le'],
      [be, 'utf16be'],
    ] as const) {
      for (const chunkSize of [1, 3, 7, 1024 * 1024]) {
        const { lines: got, summary } = await read(file(content), { chunkSize });
        assert.deepEqual(got, lines, `${encoding}, chunk size ${chunkSize}`);
        assert.equal(summary.encoding, encoding);
        assert.equal(summary.encodingGuessed, true);
        assert.equal(summary.textBytes, content.length);
      }
      const { lines: got, summary } = await read(file(gzipSync(content)));
      assert.deepEqual(got, lines, `${encoding}, gzip`);
      assert.equal(summary.encoding, encoding);
      assert.equal(summary.encodingGuessed, true);
    }
    // A file shorter than the sample, and one whose first line is short.
    assert.deepEqual((await read(file(Buffer.from('{}\n{"a":1}', 'utf16le')))).lines, ['{}', '{"a":1}']);
    assert.deepEqual((await read(file(Buffer.from('{}\n{"a":1}', 'utf16le').swap16()))).lines, ['{}', '{"a":1}']);
  });

  it('reads a lone surrogate in UTF-16 as U+FFFD and keeps whole pairs, whatever the read size', async () => {
    const lines = sampleLines(20).map((l, i) => (i % 3 === 0 ? `\uDC00${l}\uD800` : i % 3 === 1 ? l.replace('😀', '\uD83D') : l));
    const expected = lines.map((l) => l.replace(/\uDC00|\uD83D(?!\uDE00)|\uD800/g, '\uFFFD'));
    assert.ok(
      expected.every((l, i) => l.length === lines[i].length),
      'columns do not move',
    );
    assert.ok(expected.join('').includes('😀'), 'whole pairs are kept');
    const le = Buffer.from('\uFEFF' + lines.join('\r\n'), 'utf16le');
    for (const [content, encoding] of [
      [le, 'le'],
      [Buffer.from(le).swap16(), 'be'],
      [gzipSync(le), 'le, gzip'],
    ] as const) {
      // Odd read sizes end reads between the two bytes of a code unit and between the halves of a pair.
      for (const chunkSize of [1, 3, 5, 7, 1024 * 1024]) {
        const { lines: got } = await read(file(content), { chunkSize });
        assert.deepEqual(got, expected, `${encoding}, chunk size ${chunkSize}`);
      }
    }
    // UTF-8 has no lone surrogates to replace: bytes that are not UTF-8 were U+FFFD already.
    const { lines: utf8 } = await read(file(Buffer.concat([Buffer.from('a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('b')])));
    assert.deepEqual(utf8, ['a\uFFFD\uFFFD\uFFFDb']);
  });

  it('reports a guessed UTF-16 encoding and a file cut short as problems of the file', async () => {
    const lines = sampleLines(30);
    const le = Buffer.from(lines.join('\n'), 'utf16le');
    const guessed = await checkFile(file(le));
    assert.equal(guessed.entries, 0, 'the sample lines are not TLS entries, but they are read');
    const format = guessed.problems.filter((p) => p.code === 'unusual-format' && p.line === 0 && /byte order mark/.test(p.message));
    assert.equal(format.length, 1, JSON.stringify(guessed.problems.slice(0, 3)));
    assert.match(format[0].message, /UTF-16 \(little-endian\)/);
    assert.ok(!guessed.problems.some((p) => p.code === 'invalid-json'), 'every line parses');

    const content = lines.join('\n') + '\n';
    const path = file(content);
    let reads = 0;
    const cut = await checkFile(path, {
      chunkSize: 512,
      onProgress: () => {
        if (++reads === 2) truncateSync(path, 700);
      },
    });
    const incomplete = cut.problems.filter((p) => p.code === 'file-incomplete');
    assert.equal(incomplete.length, 1);
    assert.equal(incomplete[0].line, cut.read.lines);
    assert.match(incomplete[0].message, /cut short while it was read/);
  });

  it('does not take UTF-8 text for UTF-16, and says nothing of a guess when there is a byte order mark', async () => {
    const lines = sampleLines(20);
    const { lines: got, summary } = await read(file(lines.join('\n')));
    assert.deepEqual(got, lines);
    assert.equal(summary.encoding, 'utf8');
    assert.equal(summary.encodingGuessed, undefined);
    // Mostly non-ASCII UTF-8 text holds no NUL bytes either.
    const accents = 'éàü€😀'.repeat(30);
    assert.equal((await read(file(accents))).summary.encoding, 'utf8');
    const withBom = await read(file(Buffer.from('\uFEFF' + lines.join('\n'), 'utf16le')));
    assert.equal(withBom.summary.encoding, 'utf16le');
    assert.equal(withBom.summary.encodingGuessed, undefined);
  });

  it('says so when the file is cut short while it is read', async () => {
    const lines = sampleLines(2000);
    const content = lines.join('\n') + '\n';
    const path = file(content);
    const cut = Math.floor(content.length / 2);
    let reads = 0;
    const { lines: got, summary } = await read(path, {
      chunkSize: 4096,
      onProgress: () => {
        if (++reads === 2) truncateSync(path, cut);
      },
    });
    assert.ok(got.length > 0 && got.length < lines.length, `${got.length} lines`);
    assert.ok(summary.bytesRead < Buffer.byteLength(content));
    assert.ok(summary.incomplete, 'incomplete is set');
    assert.match(summary.incomplete, /cut short while it was read/);
    assert.match(summary.incomplete, new RegExp(`${Buffer.byteLength(content)} bytes when opened`));
    assert.equal(summary.cancelled, false);
    // The same for gzip: the cut shows as damaged data, but the reason given is the shrinking file.
    const gz = gzipSync(content);
    const gzPath = file(gz);
    reads = 0;
    const zipped = await read(gzPath, {
      chunkSize: 1024,
      onProgress: () => {
        if (++reads === 2) truncateSync(gzPath, Math.floor(gz.length / 2));
      },
    });
    assert.ok(zipped.summary.incomplete);
    assert.match(zipped.summary.incomplete, /cut short while it was read/);
    // A file that grows while it is read is not cut short.
    const grow = file(content);
    reads = 0;
    const grown = await read(grow, {
      chunkSize: 4096,
      onProgress: () => {
        if (++reads === 2) appendFileSync(grow, lines[0] + '\n');
      },
    });
    assert.equal(grown.summary.incomplete, undefined);
  });

  it('decodes gzip-compressed UTF-16', async () => {
    const lines = sampleLines(2000);
    const le = Buffer.from('\uFEFF' + lines.join('\n'), 'utf16le');
    assert.deepEqual((await read(file(gzipSync(le)))).lines, lines);
    assert.deepEqual((await read(file(gzipSync(Buffer.from(le).swap16())))).lines, lines);
  });

  it('skips over-long lines, reporting their numbers, and keeps counting after them', async () => {
    const lines = ['short', 'x'.repeat(5000), 'after', 'y'.repeat(100_000), 'z'.repeat(1000), 'end'];
    const got: Array<[number, string]> = [];
    const summary = await readLogFile(file(lines.join('\n')), (text, line) => got.push([line, text]), {
      maxLineLength: 1000,
      chunkSize: 333,
    });
    assert.deepEqual(got, [
      [0, 'short'],
      [2, 'after'],
      [4, 'z'.repeat(1000)],
      [5, 'end'],
    ]);
    assert.deepEqual(summary.longLines, [1, 3]);
    assert.equal(summary.lines, 6);
  });

  it('returns at once, delivering nothing, when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { lines, summary } = await read(file(sampleLines(10).join('\n')), { signal: controller.signal });
    assert.deepEqual(lines, []);
    assert.equal(summary.cancelled, true);
    assert.equal(summary.incomplete, 'cancelled');
  });

  it('stops delivering lines as soon as the signal aborts from a line callback', async () => {
    const lines = sampleLines(5000);
    for (const content of [Buffer.from(lines.join('\n')), gzipSync(lines.join('\n'))]) {
      const controller = new AbortController();
      const got: string[] = [];
      const summary = await readLogFile(
        file(content),
        (text) => {
          got.push(text);
          if (got.length === 10) controller.abort();
        },
        { signal: controller.signal },
      );
      assert.equal(got.length, 10, 'no line after the abort');
      assert.deepEqual(got, lines.slice(0, 10));
      assert.equal(summary.cancelled, true);
      assert.equal(summary.incomplete, 'cancelled');
      assert.equal(summary.lines, 10);
    }
  });

  it('cancels mid-file between reads, delivering only whole lines', async () => {
    const lines = sampleLines(5000);
    for (const content of [Buffer.from(lines.join('\n') + '\n'), gzipSync(lines.join('\n') + '\n')]) {
      const controller = new AbortController();
      const got: string[] = [];
      let reads = 0;
      const summary = await readLogFile(file(content), (text) => got.push(text), {
        signal: controller.signal,
        chunkSize: 4096,
        onProgress: () => {
          if (++reads === 3) controller.abort();
        },
      });
      assert.equal(summary.cancelled, true);
      assert.ok(got.length > 0 && got.length < lines.length, `${got.length} lines`);
      assert.deepEqual(got, lines.slice(0, got.length), 'no line was cut short');
      assert.equal(summary.lines, got.length);
    }
  });
});

describe('formatBytes and isGzipMagic', () => {
  it('formats sizes for people', () => {
    assert.equal(formatBytes(0), '0 bytes');
    assert.equal(formatBytes(999), '999 bytes');
    assert.equal(formatBytes(1500), '2 kB');
    assert.equal(formatBytes(1024 * 1024), '1.0 MB');
    assert.equal(formatBytes(75e6), '75.0 MB');
    assert.equal(formatBytes(4 * 1024 ** 3), '4.3 GB');
  });

  it('recognises the gzip magic bytes only', () => {
    assert.equal(isGzipMagic(Buffer.from([0x1f, 0x8b, 8])), true);
    assert.equal(isGzipMagic(Buffer.from([0x1f])), false);
    assert.equal(isGzipMagic(Buffer.from('{"a":1}')), false);
    assert.equal(isGzipMagic(new Uint8Array()), false);
  });
});
