// `npm start`: opens samples/ in VS Code with this extension loaded in development mode.
// With desktop VS Code (`code` on PATH) it launches that. Otherwise it serves code-server (installed on first
// use into .vscode-test/code-server/) on http://127.0.0.1:$PORT (default 8080) and prints the URL to open,
// staying in the foreground until Ctrl-C. Run `npm run build` first (npm start does).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, startCodeServer, which, workbenchUrl } from './vscode-host/code-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const samples = join(root, 'samples');

async function withDesktop(code) {
  const child = spawn(code, [`--extensionDevelopmentPath=${root}`, samples], { stdio: 'inherit' });
  child.on('exit', (status) => process.exit(status ?? 1));
}

async function withCodeServer() {
  const port = Number(process.env.PORT ?? 8080);
  const entry = await ensureCodeServer(root);
  // A profile of its own that persists between starts, apart from the test runs' throw-away ones.
  const dataDir = join(root, '.vscode-test', 'code-server-start');
  mkdirSync(dataDir, { recursive: true });
  const startupLog = [];
  let server;
  let stopping = false;
  try {
    server = await startCodeServer({
      entry,
      port,
      dataDir,
      settings: {
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
      },
      onOutput: (line) => {
        if (!server) startupLog.push(line);
        else if (!stopping && line.trim()) console.log(`[code-server] ${line}`);
      },
    });
  } catch (err) {
    console.error(startupLog.join('\n'));
    console.error(`code-server did not start: ${err.message}`);
    if (startupLog.some((line) => line.includes('EADDRINUSE'))) {
      console.error(`Port ${port} is in use; choose another with PORT=<port> npm start`);
    }
    process.exit(1);
  }

  const url = workbenchUrl(server.url, { folder: samples, extensionDevelopmentPath: root });
  console.log('');
  console.log(`VS Code (code-server) with nfw-tls-logs in development mode, on ${samples}:`);
  console.log('');
  console.log(`  ${url}`);
  console.log('');
  console.log('Open that URL in a browser on this machine (forward the port to reach it from elsewhere).');
  console.log('After a rebuild (npm run build), run "Developer: Reload Window" in the browser. Ctrl-C stops the server.');

  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping code-server (${signal})`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  server.exited.then((code) => {
    if (stopping) return;
    console.error(`code-server exited (${code})`);
    process.exit(1);
  });
}

const code = which('code');
if (code) await withDesktop(code);
else await withCodeServer();
