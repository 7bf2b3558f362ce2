/**
 * One big `.log.gz` on several workers: the scan pool inflates it here, on its own thread (zlib works on
 * libuv's thread pool; this thread only cuts and copies), and hands runs of whole lines to the workers as
 * parts of the file. Only a few runs are inflated ahead of the workers (back-pressure): the whole text is
 * never held. The read ends as `readLogFile` ends a gzip read, with the same reasons in the same words.
 */
import { close, createReadStream, fstat, open, type ReadStream } from 'node:fs';
import type { PartReport } from '../report/fileCheck';
import { describeGzipProblem, GzipDecoder, INFLATE_CHUNK } from '../read/gzipDecoder';
import { sniffEncoding } from '../read/lines';
import type { TextRun } from '../read/textRun';
import { formatBytes } from '../text';

const DEFAULT_MAX_DECOMPRESSED = 4 * 1024 * 1024 * 1024;
const DEFAULT_MAX_LINE = 16 * 1024 * 1024;

export interface GzipRunsOptions {
  /** Bytes of text per run, cut after the first line break past it. */
  runBytes: number;
  /** Runs made and not yet checked (waiting or on a worker) before inflating pauses. */
  maxRuns: number;
  maxDecompressedBytes?: number;
  maxLineLength?: number;
  /** A run is ready, or the text has ended ({@link GzipRuns.ended}). */
  onReady: () => void;
  /** Compressed bytes read so far. */
  onProgress: (bytesRead: number) => void;
}

/**
 * How the text ended: `tail` is the file's last part, with no lines, that carries the compressed bytes
 * read and why the read ended early (a `file-incomplete` problem once merged); or `error` when the file
 * could not be read at all.
 */
export type GzipRunsEnd = { parts: number; tail: PartReport } | { error: unknown };

/** The runs of one `.log.gz`, made as the workers take them. Parts are numbered from 0 in file order. */
export class GzipRuns {
  private readonly ready: Array<TextRun & { part: number }> = [];
  /** Inflated text not yet in a run; it starts at a line's start. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** How many of the held bytes are known to hold no line break: a long line is not looked through again. */
  private clean = 0;
  /** Set while a line too long to hold is dropped: its bytes so far. */
  private skipping: number | undefined;
  /** The last byte dropped while skipping was a `\r`: a `\n` right after it belongs to the same break. */
  private skippedCR = false;
  private made = 0;
  private outstanding = 0;
  /**
   * Buffers of checked runs, back from the workers, for the next runs. A fresh buffer costs far more than
   * the copy into it (the system maps and clears its pages: some 20 ms per 8 MiB on a 2-core machine, ten
   * times the copy), and the runs in flight are few, so a handful of buffers go round.
   */
  private readonly free: ArrayBuffer[] = [];
  private inflated = 0;
  private bytesRead = 0;
  private sizeAtOpen = -1;
  private readToEnd = false;
  private paused = false;
  private stream: ReadStream | undefined;
  private decoder: GzipDecoder | undefined;
  private stopped = false;
  /** Set once the text has ended. */
  ended: GzipRunsEnd | undefined;

  constructor(
    path: string,
    private readonly options: GzipRunsOptions,
  ) {
    open(path, 'r', (err, fd) => {
      if (err) return this.end({ error: err });
      if (this.stopped) return close(fd, () => undefined);
      fstat(fd, (statErr, stats) => {
        if (this.stopped) return close(fd, () => undefined);
        if (!statErr && stats.isFile()) this.sizeAtOpen = stats.size;
        this.start(fd);
      });
    });
  }

  /** The number the next run will have. */
  get nextPart(): number {
    return this.ready.length > 0 ? this.ready[0].part : this.made;
  }

  /** The next run to check; 'wait' until one is inflated, 'end' when there are no more. */
  next(): (TextRun & { part: number }) | 'wait' | 'end' {
    const run = this.ready.shift();
    if (run) return run;
    return this.ended ? 'end' : 'wait';
  }

  /** A run was checked: another may be inflated. `buffer`, the run's bytes given back, is used again. */
  done(buffer?: ArrayBuffer): void {
    if (buffer && buffer.byteLength >= this.capacity && this.free.length < this.options.maxRuns) this.free.push(buffer);
    this.outstanding--;
    if (this.paused && this.outstanding < this.options.maxRuns) {
      this.paused = false;
      this.decoder?.resume();
    }
  }

  /** Stops reading; no more callbacks. */
  destroy(): void {
    this.stopped = true;
    this.ready.length = 0;
    this.held = [];
    this.free.length = 0;
    this.stream?.destroy();
    this.decoder?.destroy();
  }

  private start(fd: number): void {
    const stream = createReadStream('', { fd, highWaterMark: 1024 * 1024 });
    this.stream = stream;
    const maxDecompressed = this.options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
    const shrunk = (): string | undefined =>
      this.sizeAtOpen > this.bytesRead
        ? `the file was cut short while it was read: it had ${this.sizeAtOpen} bytes when opened but only ${this.bytesRead} could be read`
        : undefined;
    const decoder = new GzipDecoder({
      onData: (out) => {
        if (this.stopped || this.ended) return;
        if (this.inflated + out.length > maxDecompressed) {
          this.text(out.subarray(0, Math.max(0, maxDecompressed - this.inflated)));
          this.inflated = maxDecompressed;
          stream.destroy();
          decoder.destroy();
          this.finish(`decompression stopped at the limit of ${formatBytes(maxDecompressed)}; the rest of the file was not read`);
          return;
        }
        this.inflated += out.length;
        this.text(out);
      },
      onDrain: () => stream.resume(),
      onEnd: (problem) => {
        if (problem) stream.destroy();
        // As readLogFile says it: a cut while reading explains damaged data at the end best.
        this.finish(
          (problem?.kind === 'trailing' || !this.readToEnd ? undefined : shrunk()) ??
            (problem && describeGzipProblem(problem, this.inflated, this.sizeAtOpen, 'everything before that was read')),
        );
      },
    });
    this.decoder = decoder;
    stream.on('error', (err) => {
      if (this.stopped || this.ended) return;
      decoder.destroy();
      if (this.bytesRead === 0) this.end({ error: err });
      else this.finish(`reading stopped after ${this.bytesRead} bytes: ${err.message}`);
    });
    stream.on('data', (chunk) => {
      if (this.stopped || this.ended) return;
      const bytes = chunk as Buffer;
      this.bytesRead += bytes.length;
      if (!decoder.write(bytes)) stream.pause();
      this.options.onProgress(this.bytesRead);
    });
    stream.on('end', () => {
      if (this.stopped || this.ended) return;
      this.readToEnd = true;
      decoder.end();
    });
  }

  /** Inflated text: held until a run's worth ends in a line break. */
  private text(out: Buffer): void {
    if (out.length === 0) return;
    if (this.skipping !== undefined) {
      out = this.skip(out);
      if (out.length === 0) return;
    }
    this.held.push(out);
    this.heldBytes += out.length;
    if (this.heldBytes < this.options.runBytes) return;
    const cut = this.lastBreak();
    if (cut >= 0) {
      this.cutRun(cut);
      return;
    }
    // No line break in all that text: one line, longer than any the reader takes once it passes a bound that
    // holds for any UTF-8 (each UTF-16 code unit is at most 4 bytes). Drop it as it comes.
    if (this.heldBytes > 4 * (this.options.maxLineLength ?? DEFAULT_MAX_LINE) + this.options.runBytes) {
      const bom = this.made === 0 ? sniffEncoding(this.held[0]).bomLength : 0;
      this.skipping = this.heldBytes - bom;
      this.skippedCR = out[out.length - 1] === 13;
      this.held = [];
      this.heldBytes = 0;
      this.clean = 0;
    } else this.clean = this.heldBytes - 1;
  }

  /** Drops the rest of a line too long to hold; returns the text after its end. */
  private skip(out: Buffer): Buffer {
    let end = -1;
    if (this.skippedCR && out[0] !== 10) end = 0;
    else
      for (let i = 0; i < out.length; i++) {
        const b = out[i];
        if (b === 10 || (b === 13 && i + 1 < out.length)) {
          end = b === 13 && out[i + 1] === 10 ? i + 2 : i + 1;
          break;
        }
      }
    if (end < 0) {
      (this.skipping as number) += out.length;
      this.skippedCR = out[out.length - 1] === 13;
      return out.subarray(out.length);
    }
    this.push({ bytes: new Uint8Array(0), first: this.made === 0, skipped: (this.skipping as number) + end });
    this.skipping = undefined;
    this.skippedCR = false;
    return out.subarray(end);
  }

  /** Where the held text can be cut: after its last line break (a `\r` at its very end may be half of `\r\n`); -1 if none. */
  private lastBreak(): number {
    let before = this.heldBytes;
    for (let c = this.held.length - 1; c >= 0; c--) {
      const chunk = this.held[c];
      before -= chunk.length;
      if (before + chunk.length <= this.clean) break;
      for (let i = chunk.length - 1; i >= 0 && before + i >= this.clean; i--) {
        const b = chunk[i];
        if (b === 10) return before + i + 1;
        if (b === 13 && before + i + 1 < this.heldBytes) return before + i + 1;
      }
    }
    return -1;
  }

  /**
   * Room in a run's buffer: a run is cut at the last line break once the held text reaches `runBytes`, so
   * within one more piece of the decoder's output (a longer run gets a buffer of its own).
   */
  private get capacity(): number {
    return this.options.runBytes + INFLATE_CHUNK;
  }

  /** The first `cut` held bytes as a run, copied once into a buffer of its own that can be transferred. */
  private cutRun(cut: number): void {
    const reused = cut <= this.capacity ? this.free.pop() : undefined;
    const bytes = new Uint8Array(reused ?? new ArrayBuffer(Math.max(cut, this.capacity)), 0, cut);
    let at = 0;
    const rest: Buffer[] = [];
    for (const chunk of this.held) {
      if (at >= cut) rest.push(chunk);
      else if (at + chunk.length <= cut) {
        bytes.set(chunk, at);
        at += chunk.length;
      } else {
        const n = cut - at;
        bytes.set(chunk.subarray(0, n), at);
        rest.push(chunk.subarray(n));
        at = cut;
      }
    }
    this.held = rest;
    this.heldBytes -= cut;
    // The text after the last break has none (but a `\r` at its end may become one).
    this.clean = Math.max(0, this.heldBytes - 1);
    this.push({ bytes, first: this.made === 0 });
  }

  private push(run: TextRun): void {
    this.ready.push({ ...run, part: this.made++ });
    this.outstanding++;
    if (!this.paused && this.outstanding >= this.options.maxRuns) {
      this.paused = true;
      this.decoder?.pause();
    }
    this.options.onReady();
  }

  /** The text has ended (`incomplete`: why early): the held text is the last run, then the tail. */
  private finish(incomplete?: string): void {
    if (this.ended || this.stopped) return;
    if (this.skipping !== undefined) {
      this.push({ bytes: new Uint8Array(0), first: this.made === 0, skipped: this.skipping });
      this.skipping = undefined;
    }
    if (this.heldBytes > 0 || this.made === 0) this.cutRun(this.heldBytes);
    const read = {
      bytesRead: this.bytesRead,
      textBytes: 0,
      lines: 0,
      gzip: true,
      encoding: 'utf8' as const,
      longLines: [],
      cancelled: false,
    };
    const tail: PartReport = {
      entries: 0,
      problems: [],
      counts: { error: 0, warning: 0, information: 0 },
      snis: [],
      read: incomplete === undefined ? read : { ...read, incomplete },
    };
    this.end({ parts: this.made + 1, tail });
  }

  private end(ended: GzipRunsEnd): void {
    if (this.ended || this.stopped) return;
    this.ended = ended;
    this.stream?.destroy();
    this.options.onReady();
  }
}
