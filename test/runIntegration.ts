// Runs the integration tests (out/test/integration/**/*.test.js) inside a real VS Code.
// Desktop VS Code when it can be downloaded and shown; otherwise code-server, installed on first use
// into .vscode-test/code-server/ and driven in headless Chromium by scripts/vscode-host/code-server-test-host.mjs.
//
// Environment:
//   NFW_VSCODE_HOST=desktop|code-server  force one host (default: desktop where possible)
//   NFW_TEST_TIMEOUT_MS                  bound for the whole run (default 600000)
//   NFW_VSCODE_DOWNLOAD_TIMEOUT_MS       idle timeout of the desktop download (default 15000)
//   NFW_TEST_GREP                        run only the tests whose full title matches (same as --grep)
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureCodeServer } from '../scripts/vscode-host/code-server.mjs';

type HostKind = 'desktop' | 'code-server';

const root = resolve(__dirname, '..', '..');
const testsDir = join(root, 'out', 'test', 'integration');
const fixturesDir = join(root, 'test', 'fixtures');
const testHost = join(root, 'scripts', 'vscode-host', 'code-server-test-host.mjs');
const timeoutMs = Number(process.env.NFW_TEST_TIMEOUT_MS ?? 600_000);

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function chooseHost(): Promise<{ kind: HostKind; executable: string }> {
  const wanted = process.env.NFW_VSCODE_HOST;
  if (wanted && wanted !== 'desktop' && wanted !== 'code-server') {
    throw new Error(`NFW_VSCODE_HOST must be "desktop" or "code-server", not "${wanted}"`);
  }
  const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  if (wanted === 'desktop' || (wanted === undefined && !noDisplay)) {
    try {
      const executable = await downloadAndUnzipVSCode({
        cachePath: join(root, '.vscode-test'),
        extensionDevelopmentPath: root,
        timeout: Number(process.env.NFW_VSCODE_DOWNLOAD_TIMEOUT_MS ?? 15_000),
      });
      return { kind: 'desktop', executable };
    } catch (err) {
      if (wanted === 'desktop') throw err;
      console.log(`Desktop VS Code is not available (${errorMessage(err)}); using code-server instead.`);
    }
  } else if (wanted === undefined) {
    console.log('No display for desktop VS Code (DISPLAY is unset); using code-server.');
  }
  await ensureCodeServer(root);
  return { kind: 'code-server', executable: testHost };
}

/** `--grep <pattern>` or `--grep=<pattern>` on the command line, else NFW_TEST_GREP. */
function grepPattern(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--grep') return argv[i + 1];
    if (argv[i].startsWith('--grep=')) return argv[i].slice('--grep='.length);
  }
  return process.env.NFW_TEST_GREP || undefined;
}

async function main(): Promise<number> {
  mkdirSync(fixturesDir, { recursive: true });
  const host = await chooseHost();
  // Reaches the extension host through the environment (code-server's extension host inherits the
  // server's), not a shared file, so runs started side by side do not see each other's settings.
  const runConfig = {
    host: host.kind,
    workbenchCapture: host.kind === 'code-server',
    grep: grepPattern(process.argv.slice(2)),
  };
  const started = Date.now();
  // code-server-test-host.mjs enforces the same bound itself and stops what it started; this one
  // covers desktop VS Code.
  const guard = setTimeout(() => {
    console.error(`Integration tests did not finish within ${timeoutMs} ms`);
    process.exit(1);
  }, timeoutMs + 30_000);
  guard.unref();
  try {
    await runTests({
      vscodeExecutablePath: host.executable,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(testsDir, 'index.js'),
      launchArgs: [fixturesDir, '--disable-extensions'],
      extensionTestsEnv: { NFW_RUN_CONFIG: JSON.stringify(runConfig) },
    });
    return 0;
  } catch (err) {
    console.error(`Integration tests failed: ${errorMessage(err)}`);
    return 1;
  } finally {
    clearTimeout(guard);
    console.log(`Integration run (${host.kind}) took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
