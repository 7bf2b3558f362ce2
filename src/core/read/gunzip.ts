import { close, createReadStream, fstat, open, type ReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { describeGzipProblem, GzipDecoder } from './gzipDecoder';
import { isGzipMagic, utf16WithoutBom, wellFormed } from './lines';
import { formatBytes } from '../text';

/** The text of a `.log.gz` file for the editor, and why it stops early if it does. */
export interface GunzipResult {
  /**
   * The text as UTF-8 bytes. UTF-16 text (with a byte order mark, or recognised without one as the command
   * line's reader does) is converted to UTF-8 without a mark, so that the editor shows the text the
   * command line reads (a lone surrogate, which UTF-8 cannot hold, is U+FFFD in both); UTF-8 is handed over
   * as it is, a byte order mark included (the editor drops it).
   */
  bytes: Buffer;
  /** In words for a person: the data was damaged or cut off, the file shrank, or the limit was reached. */
  incomplete?: string;
  /** False when the file is not gzip data (a file saved already decompressed under its `.gz` name): it is shown as it is. */
  gzip: boolean;
  /** The encoding the text was read in. */
  encoding: 'utf8' | 'utf16le' | 'utf16be';
  /** Set when the file has no byte order mark and `encoding` (UTF-16) was recognised from its first bytes. */
  encodingGuessed?: true;
}

/** Controls for tests; the editor needs none. */
export interface GunzipOptions {
  /** Read size (default 1 MiB). */
  chunkSize?: number;
  /** Called after each read with the bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

/**
 * Reads a `.log.gz` file from disk for the editor: decompressed (gzip is recognised by its first bytes, not
 * its name, as the command line's reader does; other content is shown as it is), at most `limit` bytes of
 * it, decoded as the command line's reader decodes it. A damaged or truncated file, a file that shrinks
 * while it is read, or the limit resolves with everything before that point and says so; it rejects only
 * when the file cannot be opened or read at all.
 */
export function gunzipFile(path: string, limit: number, options: GunzipOptions = {}): Promise<GunzipResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let bytesRead = 0;
    // The file's size when it was opened (regular files only), to notice a file cut short while it is read.
    let sizeAtOpen = -1;
    // Set when the file was read to its end.
    let readToEnd = false;
    let settled = false;
    let gzip = false;
    let first = true;
    let file: ReadStream | undefined;
    let gunzip: GzipDecoder | undefined;
    // The first byte when the first read returned only that: the gzip magic needs two.
    let sniffed: Buffer | undefined;

    const done = (incomplete?: string): void => {
      if (settled) return;
      settled = true;
      file?.destroy();
      gunzip?.destroy();
      resolve(decodeText(Buffer.concat(chunks, size), gzip, incomplete));
    };
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      file?.destroy();
      gunzip?.destroy();
      reject(err);
    };
    // Compared at the end of the file: bytes that were there at open and could not be read were cut off.
    // The same words as the command line's reader (lines.ts).
    const shrunk = (): string | undefined =>
      sizeAtOpen > bytesRead
        ? `the file was cut short while it was read: it had ${sizeAtOpen} bytes when opened but only ${bytesRead} could be read`
        : undefined;
    // Keeps output up to the limit; false once the limit is reached (and the read is over).
    const keep = (chunk: Buffer): boolean => {
      if (size + chunk.length > limit) {
        chunks.push(chunk.subarray(0, limit - size));
        size = limit;
        done(
          `only the first ${formatBytes(limit)} were ${gzip ? 'decompressed' : 'read'} (the decompression limit); the rest of the file is not shown`,
        );
        return false;
      }
      chunks.push(chunk);
      size += chunk.length;
      return true;
    };

    const startGunzip = (stream: ReadStream): GzipDecoder => {
      gzip = true;
      return new GzipDecoder({
        onData: (chunk) => {
          if (!settled) keep(chunk);
        },
        onDrain: () => stream.resume(),
        // A file cut short while it was read ends in damaged gzip data: the cut is the better explanation.
        // Unreadable data found before the end of the file stops the read, which is not a cut.
        onEnd: (problem) =>
          done(
            (problem?.kind === 'trailing' || !readToEnd ? undefined : shrunk()) ??
              (problem && describeGzipProblem(problem, size, sizeAtOpen, 'what came before is shown')),
          ),
      });
    };

    const start = (fd: number): void => {
      const stream = createReadStream('', { fd, highWaterMark: options.chunkSize ?? 1024 * 1024 });
      file = stream;
      stream.on('error', (err) => {
        if (settled) return;
        if (bytesRead === 0) fail(err);
        else done(`reading stopped after ${bytesRead} bytes: ${err.message}`);
      });
      stream.on('data', (data) => {
        if (settled) return;
        let bytes = data as Buffer;
        bytesRead += bytes.length;
        if (first) {
          if (sniffed) bytes = Buffer.concat([sniffed, bytes]);
          sniffed = undefined;
          if (bytes.length < 2) {
            sniffed = bytes;
            options.onProgress?.(bytesRead);
            return;
          }
          first = false;
          if (isGzipMagic(bytes)) gunzip = startGunzip(stream);
        }
        if (gunzip) {
          if (!gunzip.write(bytes)) stream.pause();
        } else keep(bytes);
        options.onProgress?.(bytesRead);
      });
      stream.on('end', () => {
        if (settled) return;
        readToEnd = true;
        if (gunzip) gunzip.end();
        else {
          if (sniffed && keep(sniffed)) sniffed = undefined;
          done(shrunk());
        }
      });
    };

    open(path, 'r', (err, fd) => {
      if (err) {
        fail(err);
        return;
      }
      fstat(fd, (statErr, stats) => {
        if (statErr) {
          close(fd, () => undefined);
          fail(statErr);
          return;
        }
        if (stats.isFile()) sizeAtOpen = stats.size;
        start(fd);
      });
    });
  });
}

/**
 * The bytes as the editor should get them, decoded as the command line's reader (lines.ts) decodes a file:
 * a UTF-16 byte order mark, or UTF-16 recognised from the NUL bytes of the first bytes, means UTF-16, which
 * is converted to UTF-8; anything else is UTF-8 and left as it is.
 */
export function decodeText(bytes: Buffer, gzip: boolean, incomplete?: string): GunzipResult {
  let encoding: GunzipResult['encoding'] = 'utf8';
  let encodingGuessed: true | undefined;
  let body = bytes;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf16le';
  else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf16be';
  else {
    const guess = utf16WithoutBom(bytes);
    if (guess) {
      encoding = guess;
      encodingGuessed = true;
    }
  }
  const result: GunzipResult = { bytes, gzip, encoding };
  if (encoding !== 'utf8') {
    if (!encodingGuessed) body = body.subarray(2);
    else result.encodingGuessed = true;
    if (encoding === 'utf16be') {
      // As lines.ts does: a last odd byte is not a code unit and is dropped.
      body = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
      body.swap16();
    }
    const decoder = new StringDecoder('utf16le');
    // UTF-8 has no way to write a lone surrogate: it is U+FFFD, as the command line's reader reads it.
    result.bytes = Buffer.from(wellFormed(decoder.write(body) + decoder.end()), 'utf8');
  }
  if (incomplete) result.incomplete = incomplete;
  return result;
}
