import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { closeAllEditors, EXTENSION_ID, fixtureUri, waitFor, waitForDiagnostics, makeTempDir } from './util';

const FIXTURE = 'integration/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log';
const GZ_NAME = '111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log.gz';

function documentWithScheme(scheme: string, path: string): Promise<vscode.TextDocument> {
  return waitFor(
    vscode.workspace.onDidOpenTextDocument,
    () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === scheme && d.uri.path === path && d.languageId === 'nfw-tls-log'),
    15_000,
    `a ${scheme} document for ${path}`,
  );
}

describe('.log.gz files', () => {
  const dir = makeTempDir('nfw-gz-');
  const text = readFileSync(fixtureUri(FIXTURE).fsPath, 'utf8');
  const gzPath = join(dir, GZ_NAME);
  writeFileSync(gzPath, gzipSync(text));

  afterEach(closeAllEditors);

  it('opens a .log.gz as its decompressed log, read-only, with diagnostics and tree entries', async () => {
    const before = readFileSync(gzPath);
    // What a double-click in the Explorer does.
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(gzPath));
    const document = await documentWithScheme('nfw-tls-gz', gzPath.replace(/\.gz$/, ''));
    assert.equal(document.getText(), text);
    const diagnostics = await waitForDiagnostics(document.uri, (d) => d.length === 6);
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line + 1, String(d.code)]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [3, 'invalid-port'],
        [4, 'invalid-json'],
        [6, 'missing-field'],
        [7, 'unknown-status'],
        [8, 'unknown-error-message'],
        [9, 'not-a-tls-entry'],
      ],
    );
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, Buffer.from('x'))), /read-only|NoPermissions/i);
    const api = vscode.extensions.getExtension(EXTENSION_ID)?.exports as { sniModel: { sourceKeys(): readonly string[] } } | undefined;
    // The view's source is the .gz file: a scan of the same file is the same source.
    await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      () => api?.sniModel.sourceKeys().includes(vscode.Uri.file(gzPath).toString()),
      10_000,
      'the gzip file in the SNI model',
    );
    assert.deepEqual(readFileSync(gzPath), before, 'the .gz file was not touched');
  });

  it('shows what a truncated .log.gz holds and says it is cut off', async () => {
    const big = Array.from({ length: 400 }, () => text).join('');
    const full = gzipSync(big);
    const cut = join(dir, GZ_NAME.replace('abcd1234', 'cut00001'));
    writeFileSync(cut, full.subarray(0, Math.floor(full.length * 0.6)));
    await vscode.commands.executeCommand('nfwTlsLogs.openGzipLog', vscode.Uri.file(cut));
    const document = await documentWithScheme('nfw-tls-gz', cut.replace(/\.gz$/, ''));
    assert.ok(document.lineCount > 100 && document.getText().length < big.length, `partial text shown (${document.lineCount} lines)`);
    const notes = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.code === 'file-incomplete'));
    const note = notes.find((x) => x.code === 'file-incomplete');
    assert.match(note?.message ?? '', /damaged or cut off/);
  });

  it('reads a UTF-16 .log.gz without a byte order mark as text, and says how it was read', async () => {
    const utf16 = join(dir, GZ_NAME.replace('abcd1234', 'u16noBom'));
    writeFileSync(utf16, gzipSync(Buffer.from(text, 'utf16le')));
    await vscode.commands.executeCommand('nfwTlsLogs.openGzipLog', vscode.Uri.file(utf16));
    const document = await documentWithScheme('nfw-tls-gz', utf16.replace(/\.gz$/, ''));
    assert.equal(document.getText(), text);
    const diagnostics = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.code === 'unusual-format'));
    const note = diagnostics.find((x) => x.code === 'unusual-format');
    assert.equal(note?.range.start.line, 0);
    assert.match(note?.message ?? '', /no byte order mark.*UTF-16 \(little-endian\)/);
    // The entries are checked as usual.
    await waitForDiagnostics(document.uri, (d) => d.some((x) => x.code === 'invalid-json'));
  });

  it('stops at the decompression limit of the settings', async () => {
    const config = vscode.workspace.getConfiguration('nfwTlsLogs');
    await config.update('gzip.maxDecompressedMB', 1, vscode.ConfigurationTarget.Global);
    try {
      const bomb = join(dir, GZ_NAME.replace('abcd1234', 'bomb0001'));
      const line = text.split('\n')[0];
      writeFileSync(bomb, gzipSync(Buffer.from(`${line}\n`.repeat(Math.ceil((3 * 1024 * 1024) / line.length)))));
      await vscode.commands.executeCommand('nfwTlsLogs.openGzipLog', vscode.Uri.file(bomb));
      const document = await documentWithScheme('nfw-tls-gz', bomb.replace(/\.gz$/, ''));
      assert.ok(Buffer.byteLength(document.getText()) <= 1024 * 1024, 'no more than the limit is shown');
      const notes = await waitForDiagnostics(document.uri, (d) => d.some((x) => x.code === 'file-incomplete'));
      assert.match(notes.find((x) => x.code === 'file-incomplete')?.message ?? '', /decompression limit/);
    } finally {
      await config.update('gzip.maxDecompressedMB', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
