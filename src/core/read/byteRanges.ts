import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { isGzipMagic, sniffEncoding, SNIFF_BYTES, type ByteRange } from './lines';

/** How many bytes are read at a time while looking for the line end after a cut point. */
const PROBE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Cuts a file of `size` bytes into ranges of about `partBytes` bytes, each ending just after a `\n` byte
 * (or at the end of the file), so that every line lies whole in one range. Only `\n` is a cut point: it is
 * never part of a multi-byte UTF-8 character, so no character is split, and a `\r\n` stays together. A line
 * longer than `partBytes` makes its range longer. Reads only a little around each cut point.
 */
export async function lineAlignedRanges(path: string, size: number, partBytes: number): Promise<ByteRange[]> {
  if (!(partBytes >= 1)) throw new RangeError(`partBytes must be at least 1, not ${partBytes}`);
  const ranges: ByteRange[] = [];
  const handle = await open(path, 'r');
  try {
    const probe = Buffer.alloc(Math.min(PROBE_BYTES, Math.max(1, size)));
    let start = 0;
    while (start < size) {
      let end = size;
      // The cut goes after the first \n at or after the byte before the target: a range is at least partBytes long.
      for (let at = start + partBytes - 1; at < size;) {
        const { bytesRead } = await handle.read(probe, 0, probe.length, at);
        if (bytesRead === 0) break;
        const nl = probe.subarray(0, bytesRead).indexOf(NEWLINE);
        if (nl >= 0) {
          end = at + nl + 1;
          break;
        }
        at += bytesRead;
      }
      ranges.push({ start, end });
      start = end;
    }
  } finally {
    await handle.close();
  }
  return ranges;
}

/**
 * Whether a file can be read in byte ranges: plain UTF-8 text (with or without a byte order mark). A gzip
 * stream has to be inflated from its start, and UTF-16 has no `\n` byte to cut at safely.
 */
export async function splittable(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    return !isGzipMagic(bytes) && sniffEncoding(bytes).encoding === 'utf8';
  } finally {
    await handle.close();
  }
}

/**
 * Whether a file is gzip whose text can be handed out in runs of lines: its start inflates to UTF-8 text
 * (UTF-16 has no `\n` byte to cut at safely). Inflates only the text of the first compressed bytes.
 */
export async function gzipSplittable(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(PROBE_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (!isGzipMagic(bytes)) return false;
    const text = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    return sniffEncoding(text.subarray(0, SNIFF_BYTES)).encoding === 'utf8';
  } catch {
    // Damaged from its start: read whole, which says what is wrong.
    return false;
  } finally {
    await handle.close();
  }
}
