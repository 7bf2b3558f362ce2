// The gzip decoder behind both readers of compressed logs: `readLogFile` (lines.ts) for scans, and
// `gunzipText` (gunzip.ts) for the editor's view of a `.log.gz`.
import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';
import { formatBytes } from '../text';

/** The part of a gzip member: its header, its compressed (deflate) data, or the checksum and length after them. */
export type GzipPart = 'header' | 'data' | 'trailer';

/** Why gzip data could not be read to its end. Offsets are bytes of the compressed file, from 0. */
export type GzipProblem =
  | {
      /** The gzip data ended properly (every member complete) and is followed by bytes that are not gzip. */
      kind: 'trailing';
      /** Where those bytes start. */
      offset: number;
    }
  | {
      /** The file ends inside a member: in its header, its compressed data or its trailer. */
      kind: 'truncated';
      part: GzipPart;
      /** The member, counted from 1, and where its header starts. */
      member: number;
      memberStart: number;
      /** Where the input ended. */
      offset: number;
    }
  | {
      /** A member's header is not valid, its compressed data is corrupt, or its text does not match its checksum. */
      kind: 'damaged';
      part: GzipPart;
      member: number;
      memberStart: number;
      /**
       * Where the damage was found, from `offset` to `end` (inclusive): the header, or the trailer when the
       * text does not match the checksum. For compressed data zlib says only that a piece of its input holds
       * bad data, not where: from the first byte it had not yet decoded to the last byte it was given, at
       * most {@link INFLATE_SLICE} bytes. (Damage can also go unnoticed for a while: zlib finds it where the
       * data stops making sense, which is usually at once, but can be later.)
       */
      offset: number;
      end: number;
      /** What zlib or the header check said. */
      detail: string;
    };

/**
 * The message for a person when gzip data could not be read to its end; `read` ends it and says what
 * became of the text before (it was read, it is shown). `fileSize` is -1 when it is not known.
 */
export function describeGzipProblem(problem: GzipProblem, textBytes: number, fileSize: number, read: string): string {
  if (problem.kind === 'trailing') {
    const rest = fileSize > problem.offset ? ` (${fileSize - problem.offset} bytes)` : '';
    return `the file has unreadable data after the end of its gzip data, from byte ${problem.offset}${rest}: it is not gzip data and was not read; ${read}`;
  }
  // Most files hold one member; where a later one starts helps to find it.
  const member = `gzip member ${problem.member}${problem.member > 1 ? `, which starts at byte ${problem.memberStart}` : ''}`;
  const text = `after ${formatBytes(textBytes)} of text`;
  if (problem.kind === 'truncated') {
    const part = problem.part === 'header' ? 'the header' : problem.part === 'data' ? 'the compressed data' : 'the checksum at the end';
    return `the gzip data is damaged or cut off: the file ends inside ${part} of ${member}, ${text}; ${read}`;
  }
  if (problem.part === 'header')
    return `the gzip data is damaged: the header of ${member} at byte ${problem.offset} is not valid (${problem.detail}); ${read}`;
  if (problem.part === 'trailer') {
    return `the gzip data is damaged: the checksum at byte ${problem.offset} does not match the text of ${member}, so some of the text read from it is wrong; ${read}`;
  }
  const where = problem.end > problem.offset ? `between bytes ${problem.offset} and ${problem.end}` : `at about byte ${problem.offset}`;
  return `the compressed data is damaged ${where} of the file (${member}: ${problem.detail}), ${text}; ${read}`;
}

/** Callbacks of a {@link GzipDecoder}. */
export interface GzipDecoderEvents {
  /** Output bytes of the gzip members, in order; sizes up to {@link INFLATE_CHUNK}. */
  onData(out: Buffer): void;
  /** Called after `write` returned false, once more input may be written. */
  onDrain(): void;
  /** Called once when the decoder is done, with why it stopped early; not called after `destroy`. */
  onEnd(problem?: GzipProblem): void;
}

/** Longest gzip member header accepted (file names and comments included). */
const MAX_GZIP_HEADER = 1024 * 1024;
/**
 * Output size of each inflate step: large, so that zlib's thread-pool round trips are few. The same for every
 * reader, so that they keep the same text before damaged data (zlib drops the output of the step that fails).
 */
export const INFLATE_CHUNK = 256 * 1024;
/**
 * Most compressed bytes handed to zlib at once. zlib does not say where in its input it found damage, only
 * in which piece, so the piece bounds how precisely a problem can say where the damage is; and the output
 * of the step that fails is lost. Small enough to keep both near; large enough that zlib's steps are still
 * bounded by their output for log text (32 KiB compressed is about 256 KiB of it), so no step is added.
 */
export const INFLATE_SLICE = 32 * 1024;

const enum GzipState {
  /** Reading a member header. */
  Header,
  /** Inflating a member's deflate data. */
  Body,
  /** Reading the 8-byte trailer: CRC-32 and size. */
  Trailer,
  /** After a complete member: another member, zero padding, or the end. */
  After,
}

/**
 * Decompresses gzip data written to it in pieces, member by member: each member's header and trailer are
 * read here and its deflate data is inflated by zlib (`createInflateRaw`, on libuv's thread pool), checked
 * against the trailer's CRC-32 and size. Unlike Node's `Gunzip`, bytes after the last member that are not
 * gzip (other than zero padding) cost none of the output before them: every member before is delivered,
 * and the bytes are reported with their offset. A file that ends inside a member, whichever member and
 * whichever part of it, is reported as `truncated`, with the output before the end delivered.
 *
 * Like a writable stream: `write` returns false when the writer should wait for `onDrain`. Output can be
 * held back with `pause` and `resume`. At most one piece of input is in zlib at a time.
 */
export class GzipDecoder {
  private state = GzipState.Header;
  /** Input not yet consumed in the header, trailer and after states; it starts at `offset`. */
  private pending: Buffer | undefined;
  /** Input written while a piece was in zlib. */
  private readonly queued: Buffer[] = [];
  private inflater: InflateRaw | undefined;
  /** A piece of input is in the inflater. */
  private busy = false;
  /** The inflater's `bytesWritten` when the piece in it was written, and that piece's length; it starts at `offset`. */
  private writtenBefore = 0;
  private sliceLength = 0;
  /** Input after the end of the current member's deflate data, held until the inflater has ended. */
  private leftover: Buffer | undefined;
  private inflaterEnded = false;
  /** The inflater was told that no more input comes. */
  private inflaterFinishing = false;
  private inputEnded = false;
  private finished = false;
  private paused = false;
  private waitingDrain = false;
  /** Offset in the compressed input of the next byte not yet consumed. */
  private offset = 0;
  /** Bytes written so far. */
  private received = 0;
  /** Complete members so far; the current one is `members + 1`. */
  private members = 0;
  /** Where the current member's header starts. */
  private memberStart = 0;
  private crc = 0;
  private size = 0;

  constructor(private readonly events: GzipDecoderEvents) {}

  write(chunk: Buffer): boolean {
    if (this.finished) return true;
    this.received += chunk.length;
    if (this.busy || this.queued.length > 0 || this.leftover) {
      this.queued.push(chunk);
      this.waitingDrain = true;
      return false;
    }
    this.process(chunk);
    if (this.busy || this.leftover) {
      this.waitingDrain = true;
      return false;
    }
    if (!this.finished && this.queued.length === 0 && this.inputEnded) this.endInput();
    return true;
  }

  /** No more input: the decoder ends once what was written is decoded. */
  end(): void {
    if (this.finished || this.inputEnded) return;
    this.inputEnded = true;
    if (!this.busy && !this.leftover && this.queued.length === 0) this.endInput();
  }

  pause(): void {
    this.paused = true;
    this.inflater?.pause();
  }

  resume(): void {
    this.paused = false;
    this.inflater?.resume();
  }

  /** Stops at once; no more callbacks. */
  destroy(): void {
    this.finished = true;
    this.queued.length = 0;
    this.pending = undefined;
    this.leftover = undefined;
    this.inflater?.destroy();
    this.inflater = undefined;
  }

  private done(problem?: GzipProblem): void {
    if (this.finished) return;
    this.destroy();
    this.events.onEnd(problem);
  }

  private truncated(part: GzipPart): void {
    this.done({ kind: 'truncated', part, member: this.members + 1, memberStart: this.memberStart, offset: this.received });
  }

  private damaged(part: GzipPart, offset: number, end: number, detail: string): void {
    this.done({ kind: 'damaged', part, member: this.members + 1, memberStart: this.memberStart, offset, end, detail });
  }

  /** Consumes a piece of input as far as it can without waiting for zlib. */
  private process(chunk: Buffer): void {
    let data = this.pending ? (chunk.length > 0 ? Buffer.concat([this.pending, chunk]) : this.pending) : chunk;
    this.pending = undefined;
    while (!this.finished) {
      if (this.state === GzipState.After) {
        let i = 0;
        while (i < data.length && data[i] === 0) i++;
        this.offset += i;
        data = data.subarray(i);
        if (data.length === 0) return;
        if (data[0] !== 0x1f || (data.length >= 2 && data[1] !== 0x8b)) {
          this.done({ kind: 'trailing', offset: this.offset });
          return;
        }
        this.state = GzipState.Header;
        this.memberStart = this.offset;
      }
      if (this.state === GzipState.Header) {
        const n = gzipHeaderLength(data);
        if (n < 0 || (n === 0 && data.length > MAX_GZIP_HEADER)) {
          // After a complete member, bytes that are not a gzip header are not gzip data at all.
          if (this.members > 0) this.done({ kind: 'trailing', offset: this.offset });
          else
            this.damaged(
              'header',
              this.offset,
              this.offset,
              n < 0 ? gzipHeaderFault(data) : `it is longer than ${formatBytes(MAX_GZIP_HEADER)}`,
            );
          return;
        }
        if (n === 0) {
          if (data.length > 0) this.pending = Buffer.from(data);
          return;
        }
        this.offset += n;
        data = data.subarray(n);
        this.startMember();
        continue;
      }
      if (this.state === GzipState.Body) {
        if (data.length > 0) this.inflate(data);
        return;
      }
      // Trailer.
      if (data.length < 8) {
        if (data.length > 0) this.pending = Buffer.from(data);
        return;
      }
      if (data.readUInt32LE(0) !== this.crc || data.readUInt32LE(4) !== this.size >>> 0) {
        this.damaged('trailer', this.offset, this.offset + 7, 'the text does not match its checksum');
        return;
      }
      this.offset += 8;
      this.members++;
      data = data.subarray(8);
      this.state = GzipState.After;
    }
  }

  private startMember(): void {
    this.state = GzipState.Body;
    this.crc = 0;
    this.size = 0;
    this.inflaterEnded = false;
    this.inflaterFinishing = false;
    const z = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    this.inflater = z;
    z.on('data', (out: Buffer) => {
      if (this.inflater !== z) return;
      this.crc = crc32(out, this.crc);
      this.size += out.length;
      this.events.onData(out);
    });
    z.on('error', (err) => {
      if (this.inflater !== z) return;
      this.inflateFailed(z, err);
    });
    z.on('end', () => {
      if (this.inflater !== z) return;
      this.inflaterEnded = true;
      if (this.leftover) this.afterMember();
    });
    if (this.paused) z.pause();
  }

  /**
   * zlib stopped with an error. At the end of the input, an incomplete stream: the file is cut off. Otherwise
   * the data is damaged in the piece zlib was given, after the steps of it that completed: zlib counts the
   * input of each completed step (`bytesWritten`), not of the one that failed.
   */
  private inflateFailed(z: InflateRaw, err: NodeJS.ErrnoException): void {
    if (this.inflaterFinishing && err.code === 'Z_BUF_ERROR') {
      this.truncated('data');
      return;
    }
    if (this.busy)
      this.damaged('data', this.offset + (z.bytesWritten - this.writtenBefore), this.offset + this.sliceLength - 1, err.message);
    else this.damaged('data', this.offset, this.offset, err.message);
  }

  /** Hands `data` to zlib a slice at a time; `offset` is where `data` starts. */
  private inflate(data: Buffer): void {
    const z = this.inflater as InflateRaw;
    if (this.inflaterEnded) {
      // The deflate data ended exactly at the end of the last piece.
      this.leftover = data;
      this.afterMember();
      return;
    }
    const slice = data.length > INFLATE_SLICE ? data.subarray(0, INFLATE_SLICE) : data;
    this.writtenBefore = z.bytesWritten;
    this.sliceLength = slice.length;
    this.busy = true;
    z.write(slice, (err) => {
      if (this.inflater !== z) return;
      if (err) {
        this.inflateFailed(z, err);
        return;
      }
      this.busy = false;
      const consumed = z.bytesWritten - this.writtenBefore;
      this.offset += consumed;
      if (consumed < slice.length) {
        // The deflate data ended inside this piece: the rest is the trailer and what follows. It waits
        // until the inflater has handed over all its output, which the checksum covers.
        this.leftover = data.subarray(consumed);
        if (this.inflaterEnded) this.afterMember();
      } else if (slice.length < data.length) this.inflate(data.subarray(slice.length));
      else this.next();
    });
  }

  private afterMember(): void {
    const rest = this.leftover as Buffer;
    this.leftover = undefined;
    this.inflater?.removeAllListeners('data');
    this.inflater = undefined;
    this.state = GzipState.Trailer;
    this.process(rest);
    this.next();
  }

  /** Takes the next queued input, or ends, or asks for more. */
  private next(): void {
    while (!this.finished && !this.busy && !this.leftover && this.queued.length > 0) this.process(this.queued.shift() as Buffer);
    if (this.finished || this.busy || this.leftover) return;
    if (this.inputEnded) this.endInput();
    else if (this.waitingDrain) {
      this.waitingDrain = false;
      this.events.onDrain();
    }
  }

  /** All input is consumed: the end is clean only after a complete member. */
  private endInput(): void {
    switch (this.state) {
      case GzipState.After:
        this.done();
        return;
      case GzipState.Body:
        // The inflater says whether the deflate data is complete (then the trailer is missing).
        this.leftover = Buffer.alloc(0);
        if (this.inflaterEnded) this.afterMember();
        else {
          this.inflaterFinishing = true;
          this.inflater?.end();
        }
        return;
      case GzipState.Header:
        // What there is of the header is a valid start of one (anything else ended the read already), in the
        // first member or in a later one: the file is cut off there.
        this.truncated('header');
        return;
      default:
        this.truncated('trailer');
    }
  }
}

/** Why the start of `b`, which {@link gzipHeaderLength} rejected, is not a gzip header. */
function gzipHeaderFault(b: Buffer): string {
  if (b[0] !== 0x1f || b[1] !== 0x8b) return 'it does not start with the gzip magic bytes';
  if (b[2] !== 8) return 'its compression method is not deflate';
  if ((b[3] & 0xe0) !== 0) return 'it sets reserved flags';
  return 'its checksum does not match';
}

/**
 * The length of the gzip member header at the start of `b`: 0 when more bytes are needed to tell, -1 when
 * it is not a gzip header (zlib's checks: magic, deflate method, no reserved flags, the header's CRC).
 */
function gzipHeaderLength(b: Buffer): number {
  if (
    (b.length >= 1 && b[0] !== 0x1f) ||
    (b.length >= 2 && b[1] !== 0x8b) ||
    (b.length >= 3 && b[2] !== 8) ||
    (b.length >= 4 && (b[3] & 0xe0) !== 0)
  )
    return -1;
  if (b.length < 10) return 0;
  const flags = b[3];
  let p = 10;
  if (flags & 4) {
    if (b.length < p + 2) return 0;
    p += 2 + b.readUInt16LE(p);
    if (b.length < p) return 0;
  }
  for (const flag of [8, 16]) {
    if (flags & flag) {
      const z = b.indexOf(0, p);
      if (z < 0) return 0;
      p = z + 1;
    }
  }
  if (flags & 2) {
    if (b.length < p + 2) return 0;
    if ((crc32(b.subarray(0, p)) & 0xffff) !== b.readUInt16LE(p)) return -1;
    p += 2;
  }
  return p;
}
