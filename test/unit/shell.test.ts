import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import {
  chainCommand,
  connectTarget,
  fingerprintCommand,
  isHostName,
  namesCommand,
  noSniCommand,
  shellQuote,
} from '../../src/core/explain/shell';
import type { TlsEntry } from '../../src/core/parse/types';

/**
 * What a POSIX shell makes of a command: `openssl` replaced by a function that writes its arguments,
 * NUL-separated, to stderr in one write (both ends of a pipe run at once), so that anything the shell would
 * run or expand besides shows up as a difference. The calls come back with `s_client` first.
 */
function argvOf(command: string): string[][] {
  const script = `openssl() { printf '%s\\0' "$@" '--end--' >&2; }\n${command}\n`;
  const run = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: {} });
  const calls = run.stderr
    .split('--end--\0')
    .filter((c) => c !== '')
    .map((c) => c.split('\0').slice(0, -1));
  return calls.sort((a, b) => (a[0] === 's_client' ? -1 : b[0] === 's_client' ? 1 : 0));
}

const HOSTILE = [
  "x$(id)'.example",
  'a`id`.example',
  "evil.com'; touch /tmp/pwned; '",
  'a b.example',
  '$HOME.example',
  'a\nb.example',
  '-oProxyCommand=id',
  'a.example;id',
  'a.example|id',
  '*.example.com',
  '..',
  '',
];

function entry(sni: string, destIp: string, destPort = 443): TlsEntry {
  return { kind: 'revocation', sni, destIp, destPort, status: 'REVOKED', action: 'DROP' };
}

describe('shell commands in hovers', () => {
  it('quotes a word so that the shell reads it back unchanged', () => {
    for (const word of ["it's", "'", "a'b'c", '$(id)', '`id`', '"', '\\', 'new\nline']) {
      assert.deepEqual(argvOf(`openssl ${shellQuote(word)}`), [[word]]);
    }
  });

  it("carries the entry's own values, each single-quoted", () => {
    const e = entry('revoked-rsa-dv.ssl.com', '54.92.160.72');
    assert.equal(
      chainCommand(e),
      "openssl s_client -connect '54.92.160.72:443' -servername 'revoked-rsa-dv.ssl.com' -showcerts </dev/null",
    );
    assert.equal(connectTarget('2600:1f18::15', 8443), '[2600:1f18::15]:8443');
    assert.deepEqual(argvOf(fingerprintCommand(entry('a.example', '2600:1f18::15')) ?? ''), [
      ['s_client', '-connect', '[2600:1f18::15]:443', '-servername', 'a.example'],
      ['x509', '-noout', '-fingerprint', '-sha256'],
    ]);
  });

  it('offers no command for a hostile SNI or address', () => {
    for (const sni of HOSTILE) {
      assert.equal(isHostName(sni), false, JSON.stringify(sni));
      assert.equal(chainCommand(entry(sni, '54.92.160.72')), undefined, JSON.stringify(sni));
      assert.equal(namesCommand(entry(sni, '54.92.160.72')), undefined, JSON.stringify(sni));
    }
    for (const ip of ['999.1.1.1', "1.2.3.4'", '1.2.3.4;id', '$(id)', '::1%$(id)']) {
      assert.equal(chainCommand(entry('a.example', ip)), undefined, ip);
      assert.equal(noSniCommand(entry('-', ip)), undefined, ip);
    }
    assert.equal(chainCommand(entry('a.example', '1.2.3.4', 70000)), undefined);
  });

  it('never lets a generated SNI or address reach a command unquoted (fast-check, through a real shell)', () => {
    const piece = fc.constantFrom(
      ...HOSTILE,
      'a',
      '-',
      '.',
      "'",
      '"',
      '$',
      '`',
      ';',
      '|',
      '&',
      '(',
      ')',
      ' ',
      '\\',
      '\n',
      '*',
      'x'.repeat(70),
      '0',
      'é',
    );
    const sni = fc.oneof(
      fc.string(),
      fc.array(piece, { maxLength: 6 }).map((p) => p.join('')),
      fc.domain(),
    );
    const ip = fc.oneof(fc.ipV4(), fc.ipV6(), fc.string(), fc.constantFrom('1.2.3.4;id', "::1'", '$(id)'));
    let offered = 0;
    fc.assert(
      fc.property(sni, ip, fc.integer({ min: -1, max: 70_000 }), (s, address, port) => {
        const e = entry(s, address, port);
        for (const command of [chainCommand(e), namesCommand(e), fingerprintCommand(e), noSniCommand(e)]) {
          if (command === undefined) continue;
          offered++;
          const [first] = argvOf(command);
          // The shell hands openssl exactly the entry's values, each as one argument.
          const target = first[first.indexOf('-connect') + 1];
          assert.equal(target, connectTarget(address, port));
          const name = first.indexOf('-servername');
          if (name >= 0) assert.equal(first[name + 1], s);
        }
      }),
      { seed: 16, numRuns: 100 },
    );
    assert.ok(offered > 20, `${offered} commands checked`);
  });
});
