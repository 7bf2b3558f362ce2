#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests launches, on machines
// where desktop VS Code cannot be downloaded. It takes the same arguments
// (`--extensionDevelopmentPath=… --extensionTestsPath=… <folder>`, other flags ignored), runs the tests
// in code-server's workbench inside headless Chromium, prints the extension host's console output and
// exits with the suite's exit code.
//
// The test module logs NFW_TESTS_STARTED first; the workbench's own log lines before it are shown only
// when they are errors (or with NFW_VSCODE_HOST_DEBUG=1).
// While tests run they can ask for the workbench as rendered, by logging one line:
//   NFW_SCREENSHOT <absolute path>               a PNG of the page
//   NFW_DOM {"selector": "...", "out": "<path>"} JSON array of the innerText of matching elements,
//                                                or {"error": "..."} when the query fails
// The file is written atomically (renamed into place) once ready.
//
// Environment: NFW_TEST_TIMEOUT_MS bounds the whole run (default 600000), NFW_CHROMIUM overrides the
// browser executable, NFW_VSCODE_HOST_DEBUG=1 also prints code-server's own output.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureCodeServer, startCodeServer, TEST_WINDOW_SETTINGS, which, workbenchUrl } from './code-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const timeoutMs = Number(process.env.NFW_TEST_TIMEOUT_MS ?? 600_000);
const debug = process.env.NFW_VSCODE_HOST_DEBUG === '1';
const startedAt = Date.now();
const trace = (what) => debug && console.error(`[test host] ${what} after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

const SCREENSHOT_MARKER = 'NFW_SCREENSHOT ';
const DOM_MARKER = 'NFW_DOM ';
const TESTS_STARTED_MARKER = 'NFW_TESTS_STARTED';

function parseArgs(argv) {
  const options = { extensionDevelopmentPath: undefined, extensionTestsPath: undefined, folder: undefined };
  for (const arg of argv) {
    const match = /^--(extensionDevelopmentPath|extensionTestsPath)=(.*)$/.exec(arg);
    if (match) options[match[1]] = resolve(match[2]);
    else if (!arg.startsWith('-') && options.folder === undefined) options.folder = resolve(arg);
  }
  if (!options.extensionDevelopmentPath || !options.extensionTestsPath) {
    throw new Error('usage: code-server-test-host --extensionDevelopmentPath=DIR --extensionTestsPath=PATH [FOLDER]');
  }
  return options;
}

function writeAtomically(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}

// Held as the promises that start them, so a run that ends while they are still starting stops them too.
let server;
let browser;
const aborted = new AbortController();
let dataDir;
let finished = false;

// Every way out goes through here, so the server and browser this script started are always stopped.
async function finish(code, message) {
  if (finished) return;
  finished = true;
  if (message) console.error(message);
  aborted.abort();
  await Promise.all([browser?.then((b) => b.close()).catch(() => {}), server?.then((s) => s.stop()).catch(() => {})]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const entry = await ensureCodeServer(root);
  dataDir = mkdtempSync(join(tmpdir(), 'nfw-code-server-'));
  const timer = setTimeout(() => void finish(1, `Test run timed out after ${timeoutMs} ms (NFW_TEST_TIMEOUT_MS)`), timeoutMs);
  timer.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void finish(130, `Stopped by ${signal}`));

  server = startCodeServer({
    entry,
    signal: aborted.signal,
    dataDir,
    settings: TEST_WINDOW_SETTINGS,
    // No extension gallery: nothing to fetch from the network during a test run.
    env: { EXTENSIONS_GALLERY: '{}' },
    onOutput: (line) => debug && console.error(`[code-server] ${line}`),
  });
  const { url, exited } = await server;
  trace(`code-server listening on ${url}`);
  void exited.then((code) => finish(1, `code-server exited during the run (${code})`));

  const executablePath = process.env.NFW_CHROMIUM ?? which('chromium') ?? which('chromium-browser') ?? which('google-chrome');
  if (!executablePath) {
    await finish(1, 'No Chromium found (Debian: apt-get install chromium; or set NFW_CHROMIUM)');
    return;
  }
  if (finished) return;
  browser = chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  const page = await (await browser).newPage({ viewport: { width: 1400, height: 900 } });
  trace('browser started');
  if (debug) page.on('console', (msg) => console.error(`[browser] ${msg.type()}: ${msg.text()}`));
  page.on('crash', () => void finish(1, 'The workbench page crashed'));

  const answer = async (line) => {
    if (line.startsWith(SCREENSHOT_MARKER)) {
      const target = line.slice(SCREENSHOT_MARKER.length).trim();
      try {
        writeAtomically(target, await page.screenshot());
      } catch (err) {
        console.error(`Screenshot to ${target} failed: ${err.message}`);
      }
    } else if (line.startsWith(DOM_MARKER)) {
      let request;
      try {
        request = JSON.parse(line.slice(DOM_MARKER.length));
      } catch (err) {
        console.error(`Malformed ${DOM_MARKER.trim()} request: ${line}`);
        return;
      }
      let result;
      try {
        // Webviews live in nested iframes: `frames` searches every frame that holds `within` (all when absent).
        // `attribute` returns that attribute (or `outerHTML`) instead of the rendered text.
        const read = (root) =>
          root.$$eval(
            request.selector,
            (elements, attribute) =>
              elements.map((e) =>
                attribute === undefined ? e.innerText : attribute === 'outerHTML' ? e.outerHTML : e.getAttribute(attribute),
              ),
            request.attribute,
          );
        // `press` focuses the first element matching the selector and presses those keys on it first.
        const press = async (root) => {
          if (!Array.isArray(request.press)) return;
          const handle = await root.$(request.selector);
          if (handle === null) return;
          for (const key of request.press) await handle.press(key);
        };
        if (request.frames === true) {
          result = [];
          for (const frame of page.frames()) {
            try {
              if (request.within !== undefined && (await frame.$(request.within)) === null) continue;
              await press(frame);
              result.push(...(await read(frame)));
            } catch {
              // A frame that navigated away while being read.
            }
          }
        } else {
          await press(page);
          result = await read(page);
        }
      } catch (err) {
        result = { error: err.message };
      }
      writeAtomically(request.out, JSON.stringify(result));
    }
  };

  // Until the test module announces itself, the log carries the workbench's own start-up chatter.
  let testsStarted = false;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = Array.isArray(args) ? format(...args) : String(args);
    for (const line of text.split('\n')) {
      if (line === TESTS_STARTED_MARKER) {
        testsStarted = true;
        trace('tests started');
      } else if (line.startsWith(SCREENSHOT_MARKER) || line.startsWith(DOM_MARKER)) void answer(line);
      else if (testsStarted) console.log(line);
      else if (type === 'error' || debug) console.error(line);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    trace(`tests finished with ${code}`);
    void finish(Number(code) === 0 ? 0 : 1);
  });

  await page.goto(
    workbenchUrl(url, {
      folder: options.folder,
      extensionDevelopmentPath: options.extensionDevelopmentPath,
      extensionTestsPath: options.extensionTestsPath,
    }),
  );
}

// Closing the browser while a page call is in flight makes playwright throw asynchronously; once the run is
// finishing that is expected, and before that it must still stop what was started.
const onStray = (err) => {
  if (!finished) void finish(1, err?.stack ?? String(err));
};
process.on('uncaughtException', onStray);
process.on('unhandledRejection', onStray);

main().catch(onStray);
