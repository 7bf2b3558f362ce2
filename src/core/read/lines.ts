import { close, createReadStream, fstat, open, type ReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { formatBytes } from '../text';
import { describeGzipProblem, GzipDecoder } from './gzipDecoder';

/** Limits and controls for reading a log file from disk. */
export interface ReadOptions {
  /** Lines longer than this many UTF-16 code units are skipped and reported (default 16 Mi). */
  maxLineLength?: number;
  /** Stop decompressing after this many output bytes (default 4 GiB), a guard against gzip bombs. */
  maxDecompressedBytes?: number;
  /** Read size; 1 MiB keeps memory flat and syscalls few. */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the compressed bytes read so far, for progress. */
  onProgress?: (bytesRead: number) => void;
  /**
   * Read only these bytes of a plain UTF-8 file (`end` exclusive), one part of a file split across
   * threads ({@link ByteRange}). Line numbers then count from the part's first line. A part that does not
   * start at byte 0 has no byte order mark and no encoding to recognise: its bytes are UTF-8 text as they
   * are. Gzip is never recognised in a part.
   */
  range?: ByteRange;
}

/** Bytes `start` (inclusive) to `end` (exclusive) of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What a read saw besides the lines: sizes, encoding, and anything that stopped it early. */
export interface ReadSummary {
  /** Bytes read from disk (compressed bytes for gzip). */
  bytesRead: number;
  /** Bytes of log text after decompression. */
  textBytes: number;
  lines: number;
  gzip: boolean;
  encoding: 'utf8' | 'utf16le' | 'utf16be';
  /** Set when the file has no byte order mark and `encoding` (UTF-16) was recognised from its first bytes. */
  encodingGuessed?: true;
  /** Lines (0-based) that were longer than `maxLineLength` and were not read. */
  longLines: number[];
  /** Why the read ended before the end of the file, in words for a person; undefined when it read it all. */
  incomplete?: string;
  cancelled: boolean;
}

const DEFAULT_MAX_LINE = 16 * 1024 * 1024;
const DEFAULT_MAX_DECOMPRESSED = 4 * 1024 * 1024 * 1024;

/** Whether these first bytes are a gzip header. */
export function isGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Bytes of text decoded into one string at a time. A string of 32 KiB of UTF-8 (at most 64 KiB even as
 * UTF-16) is made in V8's young generation, whose memory is used again and again; a bigger one goes to the
 * large object space, which maps fresh memory for each. Decoding the bench's 100 MB log in pieces of 1 MiB
 * took 350 to 500 ms on a 2-core machine, in pieces of 32 KiB 20 ms. A line is a slice of such a string, so
 * a problem that quotes it holds on to no more than that.
 */
export const DECODE_BYTES = 32 * 1024;

/** Decodes `bytes` in pieces of {@link DECODE_BYTES} and splits them into lines. */
export function splitDecoded(splitter: LineSplitter, decoder: StringDecoder, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; at += DECODE_BYTES) splitter.push(decoder.write(bytes.subarray(at, at + DECODE_BYTES)));
}

/**
 * Splits decoded text into lines as it arrives, whatever the chunk boundaries, and skips over-long lines
 * without holding them. A line ends at `\n`, `\r\n` or a lone `\r`, as in VS Code's text model.
 */
export class LineSplitter {
  private pending = '';
  private skipping = false;
  private afterCR = false;
  private line = 0;

  constructor(
    private readonly onLine: (text: string, line: number) => void,
    private readonly onLongLine: (line: number) => void,
    private readonly maxLineLength = DEFAULT_MAX_LINE,
  ) {}

  get linesSeen(): number {
    return this.line;
  }

  push(text: string): void {
    if (text.length === 0) return;
    if (this.afterCR) {
      // The previous chunk ended in \r: that ended the line; a \n right after it belongs to the same break.
      this.afterCR = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    let start = 0;
    let cr = text.indexOf('\r');
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
      let end: number;
      let next: number;
      // A line ends at \n, \r\n or a lone \r, as in VS Code's text model.
      if (cr >= 0 && (nl < 0 || cr < nl)) {
        end = cr;
        if (cr + 1 === text.length) {
          this.afterCR = true;
          next = cr + 1;
        } else next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (nl >= 0) {
        end = nl;
        next = nl + 1;
      } else break;
      if (this.skipping) {
        this.skipping = false;
        this.onLongLine(this.line++);
      } else {
        const piece = this.pending.length > 0 ? this.pending + text.slice(start, end) : text.slice(start, end);
        this.pending = '';
        if (piece.length > this.maxLineLength) this.onLongLine(this.line++);
        else this.onLine(piece, this.line++);
      }
      start = next;
    }
    if (start < text.length && !this.skipping) {
      this.pending += start === 0 ? text : text.slice(start);
      if (this.pending.length > this.maxLineLength) {
        this.pending = '';
        this.skipping = true;
      }
    }
  }

  /** Delivers the last line when the text does not end with a line break. */
  end(): void {
    if (this.skipping) {
      this.skipping = false;
      this.onLongLine(this.line++);
    } else if (this.pending.length > 0) {
      const piece = this.pending;
      this.pending = '';
      if (piece.length > this.maxLineLength) this.onLongLine(this.line++);
      else this.onLine(piece, this.line++);
    }
  }
}

/**
 * Streams a log file from disk, plain or gzip (recognised by its first bytes, not its name), and calls
 * `onLine` for every line in order. Memory stays at about a few chunks plus the longest line. Never rejects
 * for bad content: a truncated or corrupt gzip stream, a decompression limit, a file that shrinks while it
 * is read or an over-long line ends up in the summary. It rejects only when the file cannot be opened or
 * read at all.
 *
 * Gzip output is split into lines on a later turn of the event loop than the one that delivered it, so
 * that zlib (which works on libuv's thread pool) inflates the next piece while this thread reads the
 * lines of the last one.
 */
export function readLogFile(path: string, onLine: (text: string, line: number) => void, options: ReadOptions = {}): Promise<ReadSummary> {
  const maxDecompressed = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
  const summary: ReadSummary = { bytesRead: 0, textBytes: 0, lines: 0, gzip: false, encoding: 'utf8', longLines: [], cancelled: false };
  // Cleared on cancellation: an abort from inside `onLine` must not be followed by the rest of the chunk.
  let delivering = true;
  const splitter = new LineSplitter(
    (text, line) => {
      // Lines never split a surrogate pair, chunks can: the check is made on whole lines.
      if (delivering) onLine(summary.encoding === 'utf8' ? text : wellFormed(text), line);
    },
    (line) => {
      if (delivering) summary.longLines.push(line);
    },
    options.maxLineLength,
  );

  return new Promise<ReadSummary>((resolve, reject) => {
    let file: ReadStream | undefined;
    // A part that starts past byte 0 is UTF-8 from its first byte: a byte order mark is only one at the file's start.
    let decoder: StringDecoder | undefined = (options.range?.start ?? 0) > 0 ? new StringDecoder('utf8') : undefined;
    let gunzip: GzipDecoder | undefined;
    let settled = false;
    // A part of a file is plain text: its first bytes are not looked at for gzip.
    let first = options.range === undefined;
    // The file's size when it was opened (regular files only), to notice a file cut short while it is read.
    let sizeAtOpen = -1;
    // Set when the file was read to its end.
    let readToEnd = false;
    // The last byte of a UTF-16BE chunk of odd length, held until the next chunk completes its code unit.
    let oddByte: Buffer | undefined;
    // The first bytes, held until there are enough to recognise a byte order mark or UTF-16 without one:
    // a read or a gunzip output can be a single byte.
    let head: Buffer | undefined;
    // The first byte of the file when the first read returned only that.
    let sniffed: Buffer | undefined;
    // Decompressed output not yet split into lines, oldest first, and its total size.
    const queue: Buffer[] = [];
    let inflated = 0;
    let scheduled = false;
    let paused = false;
    // Set once no more output will come: why the read ends (undefined: it read everything).
    let ending: { reason: () => string | undefined } | undefined;

    const finish = (incomplete?: string): void => {
      if (settled) return;
      settled = true;
      // A cancelled read stops where it is: the text held back is the start of a line, not a line.
      if (delivering) {
        if (head) onText(Buffer.alloc(0), true);
        if (decoder) splitter.push(decoder.end());
        splitter.end();
      }
      summary.lines = splitter.linesSeen;
      if (incomplete) summary.incomplete = incomplete;
      queue.length = 0;
      file?.destroy();
      gunzip?.destroy();
      options.signal?.removeEventListener('abort', onAbort);
      resolve(summary);
    };
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      queue.length = 0;
      file?.destroy();
      gunzip?.destroy();
      options.signal?.removeEventListener('abort', onAbort);
      reject(err);
    };
    const onAbort = (): void => {
      if (settled) return;
      summary.cancelled = true;
      delivering = false;
      finish('cancelled');
    };
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) {
      onAbort();
      return;
    }

    const onText = (bytes: Buffer, last = false): void => {
      if (settled && !last) return;
      if (!decoder) {
        if (head) bytes = Buffer.concat([head, bytes]);
        head = undefined;
        if (bytes.length < SNIFF_BYTES && !last) {
          head = bytes;
          return;
        }
        const sniffed = sniffEncoding(bytes);
        summary.encoding = sniffed.encoding;
        if (sniffed.guessed) summary.encodingGuessed = true;
        decoder = new StringDecoder(summary.encoding === 'utf8' ? 'utf8' : 'utf16le');
        bytes = bytes.subarray(sniffed.bomLength);
      }
      summary.textBytes += bytes.length;
      if (summary.encoding === 'utf16be') {
        if (oddByte) bytes = Buffer.concat([oddByte, bytes]);
        oddByte = bytes.length % 2 === 1 ? Buffer.from(bytes.subarray(bytes.length - 1)) : undefined;
        bytes = swapBytes(bytes);
      }
      splitDecoded(splitter, decoder, bytes);
    };

    // Splits one queued piece of gzip output per turn of the event loop, so zlib's callbacks (which start
    // inflating the next piece) run in between.
    const drain = (): void => {
      scheduled = false;
      if (settled) return;
      const bytes = queue.shift();
      if (bytes) {
        try {
          onText(bytes);
        } catch (err) {
          fail(err);
          return;
        }
        if (settled) return;
      }
      if (paused && queue.length <= MAX_QUEUED / 2) {
        paused = false;
        gunzip?.resume();
      }
      if (queue.length > 0) schedule();
      else if (ending) finish(ending.reason());
    };
    const schedule = (): void => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    };
    const enqueue = (bytes: Buffer): void => {
      if (bytes.length > 0) queue.push(bytes);
      schedule();
      if (queue.length >= MAX_QUEUED && !paused) {
        paused = true;
        gunzip?.pause();
      }
    };
    // No more output will come: finish once the queue is split.
    const endAfterQueue = (reason: () => string | undefined): void => {
      if (ending || settled) return;
      ending = { reason };
      schedule();
    };
    // Compared at the end of the file: bytes that were there at open and could not be read were cut off.
    // A part of a file was planned when the file had its bytes: fewer of them is a cut too.
    const shrunk = (): string | undefined => {
      const range = options.range;
      if (range)
        return range.end - range.start > summary.bytesRead
          ? `the file was cut short while it was read: it had at least ${range.end} bytes when it was split into parts but only ${range.start + summary.bytesRead} could be read`
          : undefined;
      return sizeAtOpen > summary.bytesRead
        ? `the file was cut short while it was read: it had ${sizeAtOpen} bytes when opened but only ${summary.bytesRead} could be read`
        : undefined;
    };
    const start = (fd: number): void => {
      const range = options.range;
      const stream = createReadStream('', {
        fd,
        highWaterMark: options.chunkSize ?? 1024 * 1024,
        ...(range ? { start: range.start, end: range.end - 1 } : {}),
      });
      file = stream;
      stream.on('error', (err) => {
        if (settled || ending) return;
        gunzip?.destroy();
        if (summary.bytesRead === 0) fail(err);
        else if (gunzip) endAfterQueue(() => `reading stopped after ${summary.bytesRead} bytes: ${err.message}`);
        else finish(`reading stopped after ${summary.bytesRead} bytes: ${err.message}`);
      });
      stream.on('data', (chunk) => {
        if (settled || ending) return;
        let bytes = chunk as Buffer;
        summary.bytesRead += bytes.length;
        if (first) {
          // A read from a pipe can return a single byte: the gzip magic needs two.
          if (sniffed) bytes = Buffer.concat([sniffed, bytes]);
          sniffed = undefined;
          if (bytes.length < 2) {
            sniffed = bytes;
            options.onProgress?.(summary.bytesRead);
            return;
          }
          first = false;
          if (isGzipMagic(bytes)) startGunzip(stream);
        }
        if (gunzip) {
          if (!gunzip.write(bytes)) stream.pause();
        } else onText(bytes);
        options.onProgress?.(summary.bytesRead);
      });
      stream.on('end', () => {
        if (settled || ending) return;
        readToEnd = true;
        if (sniffed) onText(sniffed);
        if (gunzip) gunzip.end();
        else finish(shrunk());
      });
    };

    const startGunzip = (stream: ReadStream): void => {
      summary.gzip = true;
      const z: GzipDecoder = new GzipDecoder({
        onData: (out) => {
          if (settled || ending) return;
          if (inflated + out.length > maxDecompressed) {
            enqueue(out.subarray(0, Math.max(0, maxDecompressed - inflated)));
            inflated = maxDecompressed;
            // Stop reading and inflating now; what was inflated is still split into lines.
            stream.destroy();
            z.destroy();
            endAfterQueue(() => `decompression stopped at the limit of ${formatBytes(maxDecompressed)}; the rest of the file was not read`);
            return;
          }
          inflated += out.length;
          enqueue(out);
        },
        onDrain: () => stream.resume(),
        onEnd: (problem) => {
          if (problem) stream.destroy();
          // A file cut short while it was read ends in damaged gzip data: the cut is the better explanation.
          // Unreadable data found before the end of the file stops the read, which is not a cut. The text is
          // counted as the `.log.gz` view counts it, as it came out of zlib (a byte order mark included).
          endAfterQueue(
            () =>
              (problem?.kind === 'trailing' || !readToEnd ? undefined : shrunk()) ??
              (problem && describeGzipProblem(problem, inflated, sizeAtOpen, 'everything before that was read')),
          );
        },
      });
      gunzip = z;
    };

    open(path, 'r', (err, fd) => {
      if (err) {
        fail(err);
        return;
      }
      if (settled) {
        close(fd, () => undefined);
        return;
      }
      fstat(fd, (statErr, stats) => {
        if (settled) {
          close(fd, () => undefined);
          return;
        }
        if (!statErr && stats.isFile()) sizeAtOpen = stats.size;
        start(fd);
      });
    });
  });
}

/** How many bytes of the start of a file are looked at for a byte order mark or UTF-16 without one. */
export const SNIFF_BYTES = 64;

/**
 * A file's encoding from its first bytes (at least {@link SNIFF_BYTES} of them, or the whole file): a UTF-16
 * file (saved by some Windows tools) is decoded as such instead of as garbage, with or without a byte order
 * mark. `bomLength` bytes are the mark, not text: dropping a UTF-8 one keeps columns on the first line the
 * editor's.
 */
export function sniffEncoding(bytes: Uint8Array): { encoding: ReadSummary['encoding']; guessed: boolean; bomLength: number } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf16le', guessed: false, bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf16be', guessed: false, bomLength: 2 };
  const guess = utf16WithoutBom(bytes);
  if (guess) return { encoding: guess, guessed: true, bomLength: 0 };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { encoding: 'utf8', guessed: false, bomLength: bom ? 3 : 0 };
}
/** Pieces of gzip output that may wait to be split into lines before decompression pauses. */
const MAX_QUEUED = 4;

/**
 * UTF-16 without a byte order mark, recognised from where the NUL bytes fall in the first bytes: text that
 * is mostly ASCII has a NUL in every other byte (the odd ones in little-endian, the even ones in big-endian).
 * UTF-8 log text holds no NUL bytes at all.
 */
export function utf16WithoutBom(bytes: Uint8Array): 'utf16le' | 'utf16be' | undefined {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const units = n / 2;
  if (oddZeros * 2 >= units && evenZeros * 8 <= units && oddZeros > evenZeros) return 'utf16le';
  if (evenZeros * 2 >= units && oddZeros * 8 <= units && evenZeros > oddZeros) return 'utf16be';
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * UTF-16 text with each lone surrogate (one half of a pair without the other) replaced by U+FFFD, so that
 * columns do not move. Bytes that are not valid UTF-8 read as U+FFFD already (in `StringDecoder` as in the
 * editor); this does the same for UTF-16. It is what the `.log.gz` view shows too, since it hands the editor
 * UTF-8, which cannot hold a lone surrogate. One difference is left: VS Code's own UTF-16 decoder
 * (iconv-lite, in 1.100) keeps lone surrogates in a plain UTF-16 `.log` opened as a document, so a scan of
 * that file from disk has U+FFFD where the document has the surrogate, in the same column.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

function swapBytes(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  out.swap16();
  return out;
}
