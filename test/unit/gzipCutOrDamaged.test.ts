import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { constants, crc32, gzipSync, inflateRawSync } from 'node:zlib';
import { tempFiles } from './tempFiles';
import { gunzipFile } from '../../src/core/read/gunzip';
import { INFLATE_SLICE } from '../../src/core/read/gzipDecoder';
import { readLogFile } from '../../src/core/read/lines';
import { formatBytes } from '../../src/core/text';
import { random } from './random';

/**
 * Gzip files that end inside a member, or whose data is damaged, read by both readers: the command line's
 * (readLogFile) and the `.log.gz` view's (gunzipFile). Both keep the text before the problem and say the
 * same about it.
 */

/** Log-like lines with enough variety that gzip cannot shrink them to nothing. */
function sampleText(count: number, seed: number): string {
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const sni = Math.floor(next() * 1e9).toString(36) + '.example.com';
    out.push(
      `{"firewall_name":"fw","event_timestamp":${1719943304 + i},"event":{"sni":"${sni}","src_port":"${Math.floor(next() * 65536)}","n":${i},"é":"😀"}}`,
    );
  }
  return out.join('\n') + '\n';
}

/** A gzip member whose header carries an extra field, a file name, a comment and a header checksum. */
function memberWithLongHeader(text: string): { member: Buffer; headerLength: number } {
  const plain = gzipSync(text);
  const head = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2]),
    plain.subarray(4, 10),
    Buffer.from([4, 0, 0x41, 0x42, 0, 0]),
    Buffer.from('tls.log\0a comment\0'),
  ]);
  const headerCrc = Buffer.alloc(2);
  headerCrc.writeUInt16LE(crc32(head) & 0xffff);
  return { member: Buffer.concat([head, headerCrc, plain.subarray(10)]), headerLength: head.length + 2 };
}

/** The text zlib can decode from the start of a member's deflate data, as far as it goes without an error. */
function decodablePrefix(deflate: Buffer): string {
  return inflateRawSync(deflate, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
}

/** Whether zlib finds an error (not just an early end) in these bytes of deflate data. */
function zlibFindsError(deflate: Buffer): boolean {
  try {
    inflateRawSync(deflate, { finishFlush: constants.Z_SYNC_FLUSH });
    return false;
  } catch {
    return true;
  }
}

/** The offset, in `deflate`, of the byte at which zlib finds the error: the shortest prefix with one ends there. */
function errorAt(deflate: Buffer): number {
  let lo = 1;
  let hi = deflate.length;
  assert.ok(zlibFindsError(deflate));
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (zlibFindsError(deflate.subarray(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** Where the view's message ends and the command line's does: the rest of the two is the same. */
const VIEW_END = /; what came before is shown$/;
const CLI_END = /; everything before that was read$/;

describe('gzip data cut off or damaged, as both readers see it', () => {
  const { file } = tempFiles('nfw-gzip-cut-', '.log.gz');

  /**
   * Reads the file with both readers at one read size; checks that they keep the same text and say the same,
   * and returns the text and the message (without the ending that differs).
   */
  async function readBoth(path: string, chunkSize: number | undefined, label: string): Promise<{ text: string; message: string }> {
    const before = readFileSync(path);
    const view = await gunzipFile(path, 1e9, { chunkSize });
    const lines: string[] = [];
    const summary = await readLogFile(path, (text) => lines.push(text), { chunkSize });
    const text = view.bytes.toString('utf8');
    const shown = text.split('\n');
    // The command line has no empty last line after a final line break; the editor does.
    if (shown.length === lines.length + 1) assert.equal(shown.pop(), '', label);
    assert.deepEqual(lines, shown, `${label}: both readers keep the same lines`);
    assert.equal(view.gzip, true, label);
    assert.equal(summary.gzip, true, label);
    assert.match(view.incomplete ?? '', VIEW_END, label);
    assert.match(summary.incomplete ?? '', CLI_END, label);
    const message = (view.incomplete ?? '').replace(VIEW_END, '');
    assert.equal((summary.incomplete ?? '').replace(CLI_END, ''), message, `${label}: both readers say the same`);
    assert.deepEqual(readFileSync(path), before, `${label}: the file is not changed`);
    return { text, message };
  }

  describe('a file that ends inside a later member', () => {
    const first = sampleText(100, 1);
    const second = sampleText(60, 2);
    const firstGz = gzipSync(first);
    const plainSecond = gzipSync(second);
    const longSecond = memberWithLongHeader(second);

    it('inside its header, at every cut point: cut off, with every member before it read', async () => {
      const cases: { name: string; lead: Buffer; text: string; member: number; cut: Buffer; headerLength: number }[] = [
        { name: 'a plain header', lead: firstGz, text: first, member: 2, cut: plainSecond, headerLength: 10 },
        {
          name: 'a header with an extra field, a name, a comment and a checksum',
          lead: firstGz,
          text: first,
          member: 2,
          cut: longSecond.member,
          headerLength: longSecond.headerLength,
        },
        {
          name: 'a plain header after zero padding',
          lead: Buffer.concat([firstGz, Buffer.alloc(3)]),
          text: first,
          member: 2,
          cut: plainSecond,
          headerLength: 10,
        },
        {
          name: 'a plain header after two members',
          lead: Buffer.concat([firstGz, firstGz]),
          text: first + first,
          member: 3,
          cut: plainSecond,
          headerLength: 10,
        },
      ];
      for (const c of cases) {
        for (let cut = 1; cut < c.headerLength; cut++) {
          const path = file(Buffer.concat([c.lead, c.cut.subarray(0, cut)]));
          // Reads that split the header in many places; single bytes, which are slow, at a few cuts.
          const sizes =
            c.headerLength === 10 ? [undefined, 4096, 7, ...(cut % 4 === 1 ? [1] : [])] : [undefined, 13, ...(cut % 5 === 1 ? [7] : [])];
          for (const chunkSize of sizes) {
            const label = `${c.name}, cut after ${cut} bytes, chunk ${chunkSize}`;
            const read = await readBoth(path, chunkSize, label);
            assert.equal(read.text, c.text, label);
            assert.equal(
              read.message,
              `the gzip data is damaged or cut off: the file ends inside the header of gzip member ${c.member}, which starts at byte ${c.lead.length}, after ${formatBytes(Buffer.byteLength(c.text))} of text`,
              label,
            );
          }
        }
      }
    });

    it('right after its header, inside its compressed data, and inside its trailer: cut off, with all it holds read', async () => {
      const deflate = plainSecond.subarray(10, plainSecond.length - 8);
      const cuts: [cut: number, part: string][] = [
        [10, 'the compressed data'],
        [11, 'the compressed data'],
        [10 + Math.floor(deflate.length / 2), 'the compressed data'],
        [10 + deflate.length - 1, 'the compressed data'],
        [10 + deflate.length, 'the checksum at the end'],
        [10 + deflate.length + 1, 'the checksum at the end'],
        [plainSecond.length - 1, 'the checksum at the end'],
      ];
      for (const [cut, part] of cuts) {
        const path = file(Buffer.concat([firstGz, plainSecond.subarray(0, cut)]));
        const expected = first + decodablePrefix(plainSecond.subarray(10, Math.min(cut, 10 + deflate.length)));
        for (const chunkSize of [undefined, 4096, 7]) {
          const label = `cut after ${cut} bytes of the second member, chunk ${chunkSize}`;
          const read = await readBoth(path, chunkSize, label);
          assert.equal(read.text, expected, `${label}: everything before the cut is kept`);
          assert.match(
            read.message,
            new RegExp(
              `^the gzip data is damaged or cut off: the file ends inside ${part} of gzip member 2, which starts at byte ${firstGz.length}, after `,
            ),
            label,
          );
        }
      }
    });

    it('says the same for a file that ends inside its only member', async () => {
      const deflateEnd = firstGz.length - 8;
      for (const [cut, part] of [
        [2, 'the header'],
        [9, 'the header'],
        [10, 'the compressed data'],
        [500, 'the compressed data'],
        [deflateEnd + 3, 'the checksum at the end'],
      ] as const) {
        const path = file(firstGz.subarray(0, cut));
        for (const chunkSize of [undefined, 7]) {
          const read = await readBoth(path, chunkSize, `cut after ${cut}, chunk ${chunkSize}`);
          assert.match(
            read.message,
            new RegExp(`^the gzip data is damaged or cut off: the file ends inside ${part} of gzip member 1, after `),
          );
          assert.doesNotMatch(read.message, /which starts at/);
        }
      }
    });
  });

  describe('damaged compressed data', () => {
    // The first member spans several slices given to zlib, so damage can fall in a later one.
    const first = sampleText(7000, 3);
    const second = sampleText(400, 4);
    const firstGz = gzipSync(first);
    const secondGz = gzipSync(second);

    /**
     * The two members with bytes overwritten at or after `at` in the deflate data of member `member`, where
     * zlib finds an error (not only a wrong checksum); and where, in the file, that error is found.
     */
    function damage(member: 1 | 2, at: number): { content: Buffer; damagedAt: number; foundAt: number } {
      const target = Buffer.from(member === 1 ? firstGz : secondGz);
      const deflate = target.subarray(10, target.length - 8);
      for (let p = at; p < deflate.length - 8; p++) {
        const copy = Buffer.from(deflate);
        copy.fill(0xff, p, p + 4);
        if (!zlibFindsError(copy)) continue;
        copy.copy(deflate);
        const base = member === 1 ? 10 : firstGz.length + 10;
        return {
          content: member === 1 ? Buffer.concat([target, secondGz]) : Buffer.concat([firstGz, target]),
          damagedAt: base + p,
          foundAt: base + errorAt(copy),
        };
      }
      throw new Error('no damage that zlib notices');
    }

    const cases: { name: string; member: 1 | 2; at: number }[] = [
      { name: 'early in the first member', member: 1, at: 200 },
      { name: 'in a later slice of the first member', member: 1, at: Math.floor(firstGz.length * 0.7) },
      { name: 'in the second member', member: 2, at: 1000 },
    ];

    it('names the bytes where zlib found it and the member, with only text of the file before it, whatever the read size', async () => {
      assert.ok(firstGz.length > 3 * INFLATE_SLICE, `the first member (${firstGz.length} bytes) spans several slices`);
      for (const c of cases) {
        const { content, damagedAt, foundAt } = damage(c.member, c.at);
        const path = file(content);
        for (const chunkSize of [undefined, 64 * 1024, 4096, 61]) {
          const label = `${c.name} (damaged at ${damagedAt}, found at ${foundAt}), chunk ${chunkSize}`;
          const read = await readBoth(path, chunkSize, label);
          const match =
            /^the compressed data is damaged between bytes (\d+) and (\d+) of the file \((.*?): (.*)\), after (.*) of text$/.exec(
              read.message,
            );
          assert.ok(match, `${label}: ${read.message}`);
          const [from, to] = [Number(match[1]), Number(match[2])];
          assert.ok(from <= foundAt && foundAt <= to, `${label}: ${from}..${to} holds ${foundAt}`);
          assert.ok(to - from < INFLATE_SLICE, `${label}: ${from}..${to} is narrow`);
          assert.equal(match[3], c.member === 1 ? 'gzip member 1' : `gzip member 2, which starts at byte ${firstGz.length}`, label);
          assert.ok(match[4].length > 0, `${label}: zlib's words`);
          // The text before the damage is the file's text; none of the second member is read after damage in the first.
          const original = first + second;
          const intact =
            c.member === 1
              ? decodablePrefix(content.subarray(10, damagedAt))
              : first + decodablePrefix(content.subarray(firstGz.length + 10, damagedAt));
          assert.ok(read.text.length <= first.length || c.member === 2, label);
          if (c.member === 2) assert.ok(read.text.startsWith(first), `${label}: the first member is read whole`);
          const common = Math.min(read.text.length, intact.length);
          assert.equal(read.text.slice(0, common), original.slice(0, common), label);
          // zlib drops the output of the step that fails, no more: at most 256 KiB.
          const lost = Buffer.byteLength(intact) - Buffer.byteLength(read.text);
          assert.ok(lost <= 256 * 1024, `${label}: ${lost} bytes of text lost`);
        }
      }
    });

    it('says why the first header is not valid', async () => {
      const { member } = memberWithLongHeader(second);
      const method = Buffer.from(member);
      method[2] = 7;
      const flags = Buffer.from(member);
      flags[3] |= 0x20;
      const checksum = Buffer.from(member);
      checksum[20] ^= 1;
      for (const [content, why] of [
        [method, 'its compression method is not deflate'],
        [flags, 'it sets reserved flags'],
        [checksum, 'its checksum does not match'],
      ] as const) {
        for (const chunkSize of [undefined, 7]) {
          const read = await readBoth(file(content), chunkSize, `${why}, chunk ${chunkSize}`);
          assert.equal(read.message, `the gzip data is damaged: the header of gzip member 1 at byte 0 is not valid (${why})`);
          assert.equal(read.text, '');
        }
      }
    });

    it('says which member does not match its checksum, and where that checksum is', async () => {
      const gz = Buffer.concat([firstGz, secondGz]);
      gz[gz.length - 8] ^= 1;
      const read = await readBoth(file(gz), undefined, 'checksum');
      assert.equal(
        read.message,
        `the gzip data is damaged: the checksum at byte ${gz.length - 8} does not match the text of gzip member 2, which starts at byte ${firstGz.length}, so some of the text read from it is wrong`,
      );
      assert.equal(read.text, first + second);
    });
  });
});
