/**
 * Every identifier the extension shares with package.json, in one place. A unit test checks these
 * against the manifest's `contributes` in both directions.
 */
export const LANGUAGE_ID = 'nfw-tls-log';
export const DIAGNOSTIC_SOURCE = 'nfw-tls-logs';

export const Settings = {
  detectByContent: 'nfwTlsLogs.detectByContent',
  maxDiagnosticsPerFile: 'nfwTlsLogs.diagnostics.maxPerFile',
} as const;

export const Commands = {} as const;

export const Views = {} as const;
