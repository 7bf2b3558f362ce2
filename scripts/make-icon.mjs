// Draws media/icon.png (the marketplace icon, 128x128) from media/icon.svg with headless Chromium.
// Run after changing the SVG: node scripts/make-icon.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { which } from './vscode-host/code-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'media', 'icon.svg'), 'utf8');
const out = process.argv[2] ?? join(root, 'media', 'icon.png');
const executablePath = process.env.NFW_CHROMIUM ?? which('chromium') ?? which('chromium-browser') ?? which('google-chrome');
if (!executablePath) throw new Error('No Chromium found (Debian: apt-get install chromium; or set NFW_CHROMIUM)');

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  writeFileSync(out, await page.locator('svg').screenshot({ omitBackground: true }));
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
