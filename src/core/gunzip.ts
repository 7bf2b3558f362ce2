import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { formatBytes } from './lines';

/** The decompressed bytes of a gzip file, and why they stop early if they do. */
export interface GunzipResult {
  bytes: Buffer;
  /** In words for a person: the data was damaged or cut off, or the limit was reached. */
  incomplete?: string;
}

/**
 * Decompresses a gzip file from disk, streaming, keeping at most `limit` bytes of output. A damaged or
 * truncated file resolves with everything before the damage and says so; it rejects only when the file
 * cannot be read at all or is not gzip data from its first byte.
 */
export function gunzipFile(path: string, limit: number): Promise<GunzipResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const file = createReadStream(path);
    const gunzip = createGunzip();
    const done = (incomplete?: string): void => {
      if (settled) return;
      settled = true;
      file.destroy();
      gunzip.destroy();
      resolve({ bytes: Buffer.concat(chunks, size), incomplete });
    };
    file.on('error', (err) => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      reject(err);
    });
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.length > limit) {
        chunks.push(chunk.subarray(0, limit - size));
        size = limit;
        done(`only the first ${formatBytes(limit)} were decompressed (the decompression limit); the rest of the file is not shown`);
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    gunzip.on('error', (err) => {
      if (size === 0 && chunks.length === 0 && /incorrect header|unknown compression/i.test(err.message)) {
        if (!settled) {
          settled = true;
          file.destroy();
          reject(new Error('not gzip data'));
        }
        return;
      }
      done(`the gzip data is damaged or cut off after ${formatBytes(size)} of text (${err.message}); what came before is shown`);
    });
    gunzip.on('end', () => done());
    file.pipe(gunzip);
  });
}
