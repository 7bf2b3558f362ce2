// Types for code-server.mjs, which test/runIntegration.ts imports.
import type { ChildProcess } from 'node:child_process';

export declare const CODE_SERVER_VERSION: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare const TEST_WINDOW_SETTINGS: Readonly<Record<string, unknown>>;
export declare function codeServerDir(root: string): string;
export declare function codeServerEntry(root: string): string;
export declare function which(name: string): string | undefined;
export declare function ensureCodeServer(root: string, say?: (line: string) => void): Promise<string>;

export interface RunningCodeServer {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>/` */
  url: string;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export declare function startCodeServer(options: {
  entry: string;
  port?: number;
  dataDir: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
  startTimeoutMs?: number;
}): Promise<RunningCodeServer>;

export declare function workbenchUrl(
  baseUrl: string,
  options: { folder?: string; extensionDevelopmentPath: string; extensionTestsPath?: string },
): string;
