import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import * as vscode from 'vscode';
import { EXTENSION_ID, canCaptureWorkbench, requestDom, requestScreenshot, screenshotPath } from './util';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width, height and the number of distinct byte values in the decompressed pixel data of a PNG. */
function inspectPng(png: Buffer): { width: number; height: number; distinctBytes: number } {
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'not a PNG');
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), distinctBytes: new Set(pixels).size };
}

describe('smoke', () => {
  it('loads and activates the extension', async () => {
    const ext = vscode.extensions.all.find((e) => e.id.toLowerCase() === EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not among the installed extensions`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('renders the workbench of an extension development host', async function () {
    if (!canCaptureWorkbench()) this.skip();
    const title = await requestDom('.window-title');
    assert.match(title.join(' '), /\[Extension Development Host\]/);

    const png = readFileSync(await requestScreenshot(screenshotPath('smoke')));
    const { width, height, distinctBytes } = inspectPng(png);
    assert.deepEqual([width, height], [1400, 900]);
    // A blank or single-colour page decompresses to a handful of byte values; text and icons give many.
    assert.ok(distinctBytes > 64, `screenshot looks blank (${distinctBytes} distinct byte values)`);
  });
});
