// Installs and starts code-server: a real VS Code (server, Node extension host and web workbench) that
// installs from npm, for machines where desktop VS Code cannot be downloaded.
// Shared by the integration-test runner (test/runIntegration.ts), its launcher shim and scripts/start.mjs.
// Must stay free of `import.meta` and top-level await: esbuild bundles it into the CommonJS test runner.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** code-server 4.100.3 is VS Code 1.100.3, the newest release whose engines accept Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';

// Pinned by code-server 4.100.3's lib/vscode/npm-shrinkwrap.json and that package's postinstall script;
// they change together with CODE_SERVER_VERSION.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET_VERSION = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

/** Headless Chromium's flags for a closed network: no sync, updates or background fetches. */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** Workbench settings for a window that tests drive: no start-up editor, tips, telemetry, updates, source control or chat. */
export const TEST_WINDOW_SETTINGS = Object.freeze({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
});

/** Where code-server is installed for this repository (ignored by git, outside the project's node_modules). */
export function codeServerDir(root) {
  return join(root, '.vscode-test', 'code-server');
}

/** The Node entry point of the installed code-server. */
export function codeServerEntry(root) {
  return join(codeServerDir(root), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function installedVersion(root) {
  const marker = join(codeServerDir(root), 'installed-version');
  if (!existsSync(marker) || !existsSync(codeServerEntry(root))) return undefined;
  return readFileSync(marker, 'utf8').trim();
}

/** Finds an executable on PATH. */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

// Two test runs started together must not install into the same folder at once.
async function withInstallLock(root, fn) {
  const lock = join(root, '.vscode-test', 'code-server.lock');
  mkdirSync(join(root, '.vscode-test'), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // The owner has created the folder but not yet written its pid.
      }
      if (Number.isInteger(owner) && !processAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      // eslint-disable-next-line preserve-caught-error -- the wait timed out; the EEXIST is not its cause
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function run(command, args, options, logStream) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(logStream, { end: false });
    child.stderr.pipe(logStream, { end: false });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`)),
    );
  });
}

// @vscode/ripgrep's postinstall downloads rg from GitHub; it first looks for the release archive in
// $TMPDIR/vscode-ripgrep-cache-<version>/, so an archive of the system's rg there stands in for it.
function seedRipgrepCache(tmp) {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep is not installed (Debian: apt-get install ripgrep)');
  const target = RIPGREP_TARGETS[arch()];
  if (!target) throw new Error(`no ripgrep archive name known for architecture ${arch()}`);
  const cache = join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  mkdirSync(cache, { recursive: true });
  const archive = join(cache, `ripgrep-${RIPGREP_ASSET_VERSION}-${target}.tar.gz`);
  const staging = join(tmp, 'rg-staging');
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'rg'), readFileSync(rg), { mode: 0o755 });
  const tar = spawnSync('tar', ['czf', archive, '-C', staging, 'rg']);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
}

/**
 * Installs code-server into .vscode-test/code-server/ unless the pinned version is already there.
 * Install output goes to install.log in that folder; `say` receives one-line progress messages.
 * Returns the path of code-server's Node entry point.
 */
export async function ensureCodeServer(root, say = (line) => console.log(line)) {
  if (installedVersion(root) === CODE_SERVER_VERSION) return codeServerEntry(root);
  return withInstallLock(root, async () => {
    if (installedVersion(root) === CODE_SERVER_VERSION) return codeServerEntry(root);
    const dir = codeServerDir(root);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'code-server-host', private: true, description: 'code-server for running the extension' }, null, 2),
    );
    const logPath = join(dir, 'install.log');
    const log = createWriteStream(logPath);
    const tmp = mkdtempSync(join(tmpdir(), 'code-server-install-'));
    say(`Installing code-server ${CODE_SERVER_VERSION} into ${dir} (about a minute, once; log: ${logPath})`);
    const started = Date.now();
    try {
      seedRipgrepCache(tmp);
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      await run(
        npm,
        ['install', '--no-audit', '--no-fund', '--loglevel=http', `code-server@${CODE_SERVER_VERSION}`],
        {
          cwd: dir,
          env: {
            ...process.env,
            TMPDIR: tmp,
            // code-server's postinstall refuses to run as root without it.
            npm_config_unsafe_perm: 'true',
            // A dependency's postinstall runs `npx node-gyp`, which would otherwise ask before installing.
            npm_config_yes: 'true',
          },
        },
        log,
      );
      if (!existsSync(codeServerEntry(root))) throw new Error(`${codeServerEntry(root)} is missing after npm install`);
      writeFileSync(join(dir, 'installed-version'), CODE_SERVER_VERSION);
    } catch (err) {
      say(`code-server install failed: ${err.message}`);
      say(`See the install log: ${logPath}`);
      say('It needs the Debian packages libkrb5-dev, ripgrep and a C++ toolchain (g++, make, python3).');
      throw err;
    } finally {
      await new Promise((resolve) => log.end(resolve));
      rmSync(tmp, { recursive: true, force: true });
    }
    say(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
    return codeServerEntry(root);
  });
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it listens.
 * `port` 0 picks a free port. `dataDir` holds its config, user data and extensions.
 * `env` adds to the server's environment; `onOutput` receives every line the server prints.
 * Aborting `signal` before the server listens stops it and rejects.
 * Resolves to { child, port, url, stop }; `stop()` ends the server and resolves when it has exited.
 */
export function startCodeServer({
  entry,
  port = 0,
  dataDir,
  settings,
  env: extraEnv = {},
  signal,
  onOutput = () => {},
  startTimeoutMs = 60_000,
}) {
  mkdirSync(join(dataDir, 'user-data', 'User'), { recursive: true });
  mkdirSync(join(dataDir, 'extensions'), { recursive: true });
  const configPath = join(dataDir, 'config.yaml');
  if (!existsSync(configPath)) writeFileSync(configPath, 'auth: none\n');
  const settingsPath = join(dataDir, 'user-data', 'User', 'settings.json');
  if (settings && !existsSync(settingsPath)) writeFileSync(settingsPath, JSON.stringify(settings, null, 2));

  const env = { ...process.env, ...extraEnv };
  // Inside a VS Code terminal this would make code-server hand the folder to that VS Code and exit.
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  // The session socket lives in user-data-dir by default, whose path can be too long for a Unix socket.
  const socketDir = mkdtempSync(join(tmpdir(), 'code-server-ipc-'));
  const args = [
    entry,
    '--session-socket',
    join(socketDir, 'ipc.sock'),
    '--config',
    configPath,
    '--user-data-dir',
    join(dataDir, 'user-data'),
    '--extensions-dir',
    join(dataDir, 'extensions'),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve)).then((code) => {
    rmSync(socketDir, { recursive: true, force: true });
    return code;
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(err));
    };
    const timer = setTimeout(() => fail(new Error(`code-server did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
    const onLine = (line) => {
      onOutput(line);
      const match = /HTTP server listening on (http:\/\/\S+)/.exec(line);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        const url = new URL(match[1]);
        resolve({ child, port: Number(url.port), url: `http://127.0.0.1:${url.port}/`, stop, exited });
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('error', fail);
    const onAbort = () => fail(new Error('code-server start aborted'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    child.once('exit', (code, exitSignal) => fail(new Error(`code-server exited early (${code ?? exitSignal})`)));
  });
}

/**
 * The workbench URL that opens `folder` with the extension at `extensionDevelopmentPath` loaded in
 * development mode and, when given, runs the test module at `extensionTestsPath`
 * (code-server takes these launch settings in the URL's `payload`).
 */
export function workbenchUrl(baseUrl, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const base = new URL(baseUrl);
  const remote = (p) => `vscode-remote://${base.host}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const url = new URL(base);
  if (folder) url.searchParams.set('folder', folder);
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}
