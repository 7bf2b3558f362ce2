// Checks the packaged extension as a user gets it: installs the .vsix (`npm run package`) into a fresh
// code-server with `--install-extension`, opens samples/ in the workbench without a development path, and
// checks through the rendered page that a sample log opens in the TLS log language with a hint at the
// start of each entry, that its problems reach the Problems panel, that the status bar item counts them
// and that a hover explains a value.
//
//   node out/test/installed.js [path/to/extension.vsix] [--screenshots]
//
// --screenshots also saves the README's pictures (media/screenshot-diagnostics.png and
// media/screenshot-hover.png). The run is bounded (NFW_INSTALLED_TIMEOUT_MS, default 120000) and always
// stops the server and browser it started and removes its temporary folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  ensureCodeServer,
  startCodeServer,
  TEST_WINDOW_SETTINGS,
  which,
  type RunningCodeServer,
} from '../scripts/vscode-host/code-server.mjs';

const root = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  version: string;
  contributes: { languages: { aliases: string[] }[] };
};
const args = process.argv.slice(2);
const vsix = resolve(args.find((a) => a.endsWith('.vsix')) ?? join(root, `${manifest.name}-${manifest.version}.vsix`));
const takeScreenshots = args.includes('--screenshots');
const timeoutMs = Number(process.env.NFW_INSTALLED_TIMEOUT_MS ?? 120_000);
const samples = join(root, 'samples');
const SAMPLE = join(
  samples,
  'AWSLogs/111122223333/network-firewall/tls/us-east-1/egress-fw/2024/07/02/18/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_a1b2c3d4.log',
);
/** 1-based lines of the sample (samples/README.md): a REVOKED status, and an entry cut off mid-JSON. */
const REVOKED_LINE = 3;
const BROKEN_LINE = 45;

// A test window's settings, and long lines wrap, so that whole entries (and their squiggles) are in view without scrolling sideways.
const SETTINGS = { ...TEST_WINDOW_SETTINGS, 'editor.wordWrap': 'on' };

const started = Date.now();
const say = (line: string): void => console.log(`[installed +${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);

let dataDir: string | undefined;
let server: RunningCodeServer | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let finished = false;

/** On failure: what the status bar showed, and a picture of the workbench in out/. */
async function describeFailure(): Promise<void> {
  if (!page) return;
  try {
    console.error(`status bar: ${JSON.stringify((await texts(page, '.statusbar-item')).map((t) => t.replace(/\s+/g, ' ').trim()))}`);
    const picture = join(root, 'out', 'installed-failure.png');
    writeFileSync(picture, await page.screenshot());
    console.error(`the workbench as it was: ${picture}`);
  } catch {
    // The page is gone; nothing more to tell.
  }
}

// Every way out goes through here, once: the first call decides the exit code.
async function finish(code: number, message?: string): Promise<void> {
  if (finished) return;
  finished = true;
  if (message) console.error(message);
  if (code !== 0) await describeFailure();
  await Promise.all([browser?.close().catch(() => undefined), server?.stop().catch(() => undefined)]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  say(code === 0 ? 'passed' : 'FAILED');
  process.exit(code);
}

/** Runs code-server's command line (not the server) and resolves with its output. */
function codeServerCli(entry: string, cliArgs: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env };
    delete env.VSCODE_IPC_HOOK_CLI;
    const child = spawn(process.execPath, [entry, ...cliArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise(output) : reject(new Error(`code-server ${cliArgs.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

/** The innerText of every element matching `selector`. */
function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (elements) => elements.map((e) => (e as unknown as { innerText: string }).innerText));
}

/**
 * Waits until some element matching `selector` has text that `pattern` matches (white space runs made one
 * space); resolves with that text.
 */
async function waitForText(page: Page, selector: string, pattern: RegExp, what: string, timeout = 30_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = (await texts(page, selector)).map((t) => t.replace(/\s+/g, ' ').trim()).find((t) => pattern.test(t));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${selector} ~ ${pattern})`);
    await page.waitForTimeout(200);
  }
}

/**
 * Saves a picture of the workbench for the README, made about three times smaller by pngquant where it is
 * installed (Debian: apt-get install pngquant).
 */
async function saveScreenshot(page: Page, name: string): Promise<void> {
  const path = join(root, 'media', name);
  writeFileSync(path, await page.screenshot());
  const pngquant = which('pngquant');
  if (pngquant) spawnSync(pngquant, ['--quality', '70-95', '--speed', '1', '--force', '--ext', '.png', path]);
  say(`saved ${path} (${(statSync(path).size / 1024).toFixed(0)} KiB)`);
}

/** Puts the cursor at a 1-based line and column with Go to Line. */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function main(): Promise<void> {
  setTimeout(
    () => void finish(1, `The installed-extension check did not finish within ${timeoutMs} ms (NFW_INSTALLED_TIMEOUT_MS)`),
    timeoutMs,
  ).unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(130, `Stopped by ${signal}`));
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist; run "npm run package" first`);
  const executablePath = process.env.NFW_CHROMIUM ?? which('chromium') ?? which('chromium-browser') ?? which('google-chrome');
  if (!executablePath) throw new Error('No Chromium found (Debian: apt-get install chromium; or set NFW_CHROMIUM)');

  const entry = await ensureCodeServer(root);
  dataDir = mkdtempSync(join(tmpdir(), 'nfw-installed-'));
  const extensionsDir = join(dataDir, 'extensions');
  const installed = await codeServerCli(entry, [
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    join(dataDir, 'user-data'),
    '--install-extension',
    vsix,
  ]);
  const folder = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  if (!existsSync(join(folder, 'package.json'))) throw new Error(`the extension is not in ${folder} after installing:\n${installed}`);
  say(`installed ${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KiB) into ${extensionsDir}`);

  server = await startCodeServer({ entry, dataDir, settings: SETTINGS, env: { EXTENSIONS_GALLERY: '{}' } });
  void server.exited.then((code) => finish(1, `code-server exited during the check (${code})`));
  browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('crash', () => void finish(1, 'The workbench page crashed'));

  // The workbench opens the sample itself (code-server takes the file to open in the URL's payload);
  // no extensionDevelopmentPath: the extension comes from the extensions folder like any installed one.
  const url = new URL(server.url);
  const remote = `vscode-remote://${url.host}`;
  const revokedColumn = readFileSync(SAMPLE, 'utf8').split('\n')[REVOKED_LINE - 1].indexOf('"REVOKED"') + 3;
  url.searchParams.set('folder', samples);
  url.searchParams.set(
    'payload',
    JSON.stringify([
      ['openFile', `${remote}${SAMPLE}:${REVOKED_LINE}:${revokedColumn}`],
      ['gotoLineMode', 'true'],
      ['skipWelcome', 'true'],
    ]),
  );
  await page.goto(url.toString());

  const title = await waitForText(page, '.window-title', /samples/, 'the window title');
  if (title.includes('Extension Development Host')) throw new Error(`the window is an extension development host: ${title}`);
  const language = manifest.contributes.languages[0].aliases[0];
  const mode = await waitForText(page, '.statusbar-item', new RegExp(`^${language}$`), 'the language mode');
  say(`language mode: ${mode}`);
  const counts = await waitForText(page, '.statusbar-item', /\d+ errors? · \d+ revoked · \d+ unknown/, 'the TLS log status bar item');
  say(`status bar item: ${counts}`);
  if (counts !== '3 errors · 19 revoked · 45 unknown') throw new Error(`unexpected counts in the status bar: ${counts}`);

  // A hover on the REVOKED status, as a user gets it by pointing at it.
  await page.locator('.monaco-editor .view-lines').first().waitFor();
  const token = page.locator('.monaco-editor .view-line span span', { hasText: /^"REVOKED"$/ }).first();
  await token.hover();
  const hover = await waitForText(page, '.monaco-hover .hover-contents', /RevokedStatusAction/, 'the hover on REVOKED');
  say(`hover: ${hover.slice(0, 80)}…`);
  if (takeScreenshots) await saveScreenshot(page, 'screenshot-hover.png');

  // The problems, in the editor and the Problems panel.
  // Away from the hover and from anything that shows a tooltip.
  await page.mouse.move(700, 860);
  await page.keyboard.press('Escape');
  // Centred a few entries further down, the broken entry and the next malformed one are both in view.
  await goTo(page, BROKEN_LINE + 4, 1);
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
  // Each entry starts with its hint: time, outcome, SNI.
  const hint = await waitForText(page, '.monaco-editor .view-line', /^\d\d:\d\d:\d\d (REVOKED→|UNKNOWN→|no SNI|mismatch)/, 'an entry hint');
  say(`entry hint: ${hint.slice(0, 60)}…`);
  await page.keyboard.press('Control+Shift+M');
  const rows = await waitForText(page, '.markers-panel .monaco-list-row', /invalid-json/, 'invalid-json in the Problems panel');
  say(`problems panel: ${rows}`);
  if (takeScreenshots) await saveScreenshot(page, 'screenshot-diagnostics.png');
}

main().then(
  () => finish(0),
  (err: unknown) => finish(1, err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
