// Helpers for integration tests that run inside VS Code. Tests wait on editor events, never on sleeps.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'nfw-tls-logs.nfw-tls-logs';

/** What test/runIntegration.ts tells the tests. */
export interface RunConfig {
  /** `code-server`: the workbench runs in headless Chromium and answers screenshot and DOM requests. */
  host: 'code-server' | 'desktop';
  /** Whether `requestScreenshot` and `requestDom` are answered in this run. */
  workbenchCapture: boolean;
  /** Only tests whose full title matches this pattern run (`--grep` / NFW_TEST_GREP). */
  grep?: string;
}

let cachedConfig: RunConfig | undefined;

/** The repository root (the extension under development). */
export function repoRoot(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.extensionPath;
}

/** The run settings that test/runIntegration.ts passes in NFW_RUN_CONFIG (defaults when started otherwise). */
export function runConfig(): RunConfig {
  if (!cachedConfig) {
    const json = process.env.NFW_RUN_CONFIG;
    cachedConfig = json ? (JSON.parse(json) as RunConfig) : { host: 'desktop', workbenchCapture: false };
  }
  return cachedConfig;
}

/** Whether this run can take screenshots and read the rendered DOM; skip such tests otherwise. */
export function canCaptureWorkbench(): boolean {
  return runConfig().workbenchCapture;
}

/** A file under test/fixtures/ (the workspace folder of the test window). */
export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.file(join(repoRoot(), 'test', 'fixtures', name));
}

/**
 * Opens a document and shows it in an editor. A relative path is taken as a fixture name.
 */
export async function openDocument(target: string | vscode.Uri, options: vscode.TextDocumentShowOptions = {}): Promise<vscode.TextEditor> {
  const uri = typeof target === 'string' ? (isAbsolute(target) ? vscode.Uri.file(target) : fixtureUri(target)) : target;
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false, ...options });
}

/** Closes every editor, so one test's documents do not leak into the next. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Resolves with the first truthy result of `check`, evaluated now and after each firing of `event`;
 * rejects after `timeoutMs`, naming `what` was awaited.
 */
export function waitFor<T>(
  event: vscode.Event<unknown>,
  check: () => T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    let subscription: vscode.Disposable | undefined;
    let timer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void): void => {
      subscription?.dispose();
      if (timer) clearTimeout(timer);
      fn();
    };
    const evaluate = (): boolean => {
      try {
        const value = check();
        if (value) {
          settle(() => resolvePromise(value));
          return true;
        }
      } catch (err) {
        settle(() => reject(err));
        return true;
      }
      return false;
    };
    if (evaluate()) return;
    subscription = event(() => void evaluate());
    timer = setTimeout(() => settle(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
  });
}

/**
 * Resolves with the diagnostics of `uri` once `predicate` accepts them (checked now and on every
 * change to that URI's diagnostics).
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = 10_000,
): Promise<vscode.Diagnostic[]> {
  const key = uri.toString();
  const onThisUri: vscode.Event<unknown> = (listener, thisArgs, disposables) =>
    vscode.languages.onDidChangeDiagnostics(
      (e) => {
        if (e.uris.some((u) => u.toString() === key)) listener.call(thisArgs, e);
      },
      undefined,
      disposables,
    );
  return waitFor(
    onThisUri,
    () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      return predicate(diagnostics) ? diagnostics : undefined;
    },
    timeoutMs,
    `diagnostics of ${uri.fsPath}`,
  );
}

// The test host answers these marker lines (see scripts/vscode-host/code-server-test-host.mjs);
// the result file appears once complete, so polling for it is the only way to wait.
function waitForFile(path: string, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = (): void => {
      if (existsSync(path)) resolvePromise();
      else if (Date.now() > deadline) reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      else setTimeout(poll, 100);
    };
    poll();
  });
}

function assertCapture(): void {
  if (!canCaptureWorkbench()) {
    throw new Error('screenshots and DOM queries are only answered when the tests run in code-server');
  }
}

/** out/screenshots/<name>.png in the repository. */
export function screenshotPath(name: string): string {
  return join(repoRoot(), 'out', 'screenshots', `${name}.png`);
}

/** Has the test host save a PNG of the workbench as it is now to `path`; resolves with the absolute path. */
export async function requestScreenshot(path: string, timeoutMs = 15_000): Promise<string> {
  assertCapture();
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { force: true });
  console.log(`NFW_SCREENSHOT ${target}`);
  await waitForFile(target, timeoutMs, `screenshot ${target}`);
  return target;
}

let domRequests = 0;

/** Where {@link requestDom} looks and what it returns. */
export interface FrameQuery {
  /** Search every frame (webviews live in nested iframes), not only the workbench page. */
  readonly frames?: boolean;
  /** With `frames`: only frames that hold an element matching this selector. */
  readonly within?: string;
  /** Return this attribute of each element (or `outerHTML`) instead of its rendered text. */
  readonly attribute?: string;
  /** First focus the first element matching the selector and press these keys (Playwright names: `Shift+ArrowLeft`). */
  readonly press?: readonly string[];
}

/** {@link requestDom} inside webviews: the elements matching `selector` in frames that hold `within`. */
export function requestWebviewDom(
  selector: string,
  within: string,
  options: Omit<FrameQuery, 'frames' | 'within'> = {},
): Promise<string[]> {
  return requestDom(selector, 15_000, { ...options, frames: true, within });
}

/**
 * The rendered text (`innerText`) of every workbench element matching a CSS `selector`, in document order,
 * e.g. `'.monaco-list-row'` inside a view's container for the rows of a tree as the user sees them.
 */
export async function requestDom(selector: string, timeoutMs = 15_000, options: FrameQuery = {}): Promise<string[]> {
  assertCapture();
  const out = join(tmpdir(), `nfw-dom-${process.pid}-${++domRequests}.json`);
  rmSync(out, { force: true });
  console.log(`NFW_DOM ${JSON.stringify({ selector, out, ...options })}`);
  await waitForFile(out, timeoutMs, `DOM query ${selector}`);
  try {
    const result = JSON.parse(readFileSync(out, 'utf8')) as string[] | { error: string };
    if (!Array.isArray(result)) throw new Error(`DOM query ${selector} failed: ${result.error}`);
    return result;
  } finally {
    rmSync(out, { force: true });
  }
}

// One list for the whole run: every test file is bundled with its own copy of this module, so a list of
// the module's own would be empty in the copy that index.ts calls to remove the folders.
const tempDirs: string[] = ((globalThis as { nfwTestTempDirs?: string[] }).nfwTestTempDirs ??= []);

/** A fresh folder under the system's temporary folder, removed when the suite ends. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes the folders made by {@link makeTempDir}; index.ts calls it once the suite has run. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One stretch in which the event loop did not turn, and how this thread spent it. */
export interface LoopStall {
  ms: number;
  /** Time this thread ran on a CPU during the stretch (its work, garbage collection included). */
  onCpuMs: number;
  /** Time it was ready to run but waited for a CPU that other processes held. */
  waitingMs: number;
}

/**
 * Watches the event loop the way {@link monitorEventLoopDelay} does, and also says why it stalled: a timer
 * ticks every 2 ms, and each stretch longer than `thresholdMs` between ticks is split, from the kernel's
 * scheduler statistics for this thread (Linux), into time on a CPU and time waiting for one. On a machine
 * where the workbench's browser and server share the cores, a stall can be mostly waiting.
 */
export function watchEventLoop(thresholdMs = 40): { stop(): LoopStall[] } {
  const statPath = `/proc/self/task/${process.pid}/schedstat`;
  const sched = (): [number, number] | undefined => {
    try {
      const [run, wait] = readFileSync(statPath, 'utf8').split(' ').map(Number);
      return [run / 1e6, wait / 1e6];
    } catch {
      return undefined;
    }
  };
  const stalls: LoopStall[] = [];
  let last = performance.now();
  let lastSched = sched();
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    const now = performance.now();
    const current = sched();
    if (now - last > thresholdMs) {
      stalls.push({
        ms: now - last,
        onCpuMs: current && lastSched ? current[0] - lastSched[0] : Number.NaN,
        waitingMs: current && lastSched ? current[1] - lastSched[1] : Number.NaN,
      });
    }
    last = now;
    lastSched = current;
    timer = setTimeout(tick, 2);
  };
  timer = setTimeout(tick, 2);
  return {
    stop(): LoopStall[] {
      if (timer) clearTimeout(timer);
      return stalls;
    },
  };
}

/**
 * {@link monitorEventLoopDelay} and {@link watchEventLoop} together, from now until `stop`: the histogram's
 * maximum and percentiles as one line, and the stalls with what they were made of.
 */
export function measureLoop(): { stop(): { maxMs: number; summary: string; stalls: LoopStall[] } } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const watch = watchEventLoop();
  return {
    stop() {
      histogram.disable();
      const stalls = watch.stop();
      const maxMs = histogram.max / 1e6;
      const summary = `max ${maxMs.toFixed(1)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms, mean ${(histogram.mean / 1e6).toFixed(1)} ms`;
      return { maxMs, summary, stalls };
    },
  };
}

/** The most time this thread spent on a CPU in any one stall (NaN where the kernel does not say). */
export function maxOnCpu(stalls: readonly LoopStall[]): number {
  return stalls.reduce((max, s) => Math.max(max, s.onCpuMs), 0);
}

/** The stalls for a log line: the longest, and how much of each was work on this thread. */
export function describeStalls(stalls: readonly LoopStall[]): string {
  if (stalls.length === 0) return 'no stall over 40 ms';
  const worst = [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const maxCpu = maxOnCpu(stalls);
  return `${stalls.length} stalls over 40 ms, the longest ${worst.map((s) => `${s.ms.toFixed(0)} ms (${s.onCpuMs.toFixed(0)} on this thread, ${s.waitingMs.toFixed(0)} waiting for a CPU)`).join(', ')}; at most ${maxCpu.toFixed(0)} ms of any stall on this thread`;
}
