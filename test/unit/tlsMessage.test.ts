import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_SNI_MESSAGE } from '../../src/core/parse/format';
import { certNameMatches, parseTlsErrorMessage } from '../../src/core/parse/tlsMessage';

describe('parseTlsErrorMessage', () => {
  it('recognises the no-SNI message, with or without surrounding whitespace', () => {
    assert.deepEqual(parseTlsErrorMessage('Server name is not found in client hello.'), { kind: 'noSni' });
    assert.deepEqual(parseTlsErrorMessage(`  ${NO_SNI_MESSAGE} \n`), { kind: 'noSni' });
  });

  it('treats near misses of the no-SNI message as undocumented', () => {
    for (const message of ['Server name is not found in client hello', 'server name is not found in client hello.', '']) {
      assert.deepEqual(parseTlsErrorMessage(message), { kind: 'undocumented', message });
    }
  });

  it('parses the documented mismatch example, keeping repeats in names and dropping them in uniqueNames', () => {
    const parsed = parseTlsErrorMessage(
      'SNI: test.com Match Failed to server certificate names: aaacertificateservices.comodoca.com/aaacertificateservices.comodoca.com/www.aaacertificateservices.comodoca.com ',
    );
    assert.deepEqual(parsed, {
      kind: 'certMismatch',
      sni: 'test.com',
      names: ['aaacertificateservices.comodoca.com', 'aaacertificateservices.comodoca.com', 'www.aaacertificateservices.comodoca.com'],
      uniqueNames: ['aaacertificateservices.comodoca.com', 'www.aaacertificateservices.comodoca.com'],
    });
  });

  it('accepts the mismatch form without the trailing space and skips empty segments', () => {
    assert.deepEqual(parseTlsErrorMessage('SNI: a.example Match Failed to server certificate names: /b.example//c.example/'), {
      kind: 'certMismatch',
      sni: 'a.example',
      names: ['b.example', 'c.example'],
      uniqueNames: ['b.example', 'c.example'],
    });
  });

  it('accepts an empty name list', () => {
    assert.deepEqual(parseTlsErrorMessage('SNI: a.example Match Failed to server certificate names: '), {
      kind: 'certMismatch',
      sni: 'a.example',
      names: [],
      uniqueNames: [],
    });
  });

  it('keeps an SNI verbatim, including an empty one and one with spaces', () => {
    const empty = parseTlsErrorMessage('SNI:  Match Failed to server certificate names: x.example ');
    assert.equal(empty.kind === 'certMismatch' && empty.sni, '');
    const spaced = parseTlsErrorMessage('SNI: my host Match Failed to server certificate names: x.example ');
    assert.equal(spaced.kind === 'certMismatch' && spaced.sni, 'my host');
  });

  it('keeps spaces inside certificate names (a common name is free text)', () => {
    const parsed = parseTlsErrorMessage('SNI: a.example Match Failed to server certificate names: Example Ltd/a.example.net ');
    assert.deepEqual(parsed.kind === 'certMismatch' && parsed.uniqueNames, ['Example Ltd', 'a.example.net']);
  });

  it('uses the entry SNI to split a message whose SNI contains the separator text', () => {
    const sni = 'x Match Failed to server certificate names: fake.example';
    const message = `SNI: ${sni} Match Failed to server certificate names: real.example `;
    const withHint = parseTlsErrorMessage(message, { sni });
    assert.equal(withHint.kind === 'certMismatch' && withHint.sni, sni);
    assert.deepEqual(withHint.kind === 'certMismatch' && withHint.names, ['real.example']);
    const withoutHint = parseTlsErrorMessage(message);
    assert.equal(withoutHint.kind === 'certMismatch' && withoutHint.sni, 'x');
    // A hint that does not fit the message is ignored.
    const wrongHint = parseTlsErrorMessage('SNI: a.example Match Failed to server certificate names: b.example', { sni: 'zzz' });
    assert.equal(wrongHint.kind === 'certMismatch' && wrongHint.sni, 'a.example');
  });

  it('reports the first name that would have covered the SNI', () => {
    const parsed = parseTlsErrorMessage(
      'SNI: WWW.Example.com. Match Failed to server certificate names: other.example/*.example.com/www.example.com ',
    );
    assert.equal(parsed.kind === 'certMismatch' && parsed.matchingName, '*.example.com');
  });

  it('calls anything else undocumented, verbatim', () => {
    for (const message of [
      'SNI: a.example Match failed to server certificate names: b.example',
      'Certificate expired',
      'SNI: a.example',
      'sni: a.example Match Failed to server certificate names: b.example',
    ]) {
      assert.deepEqual(parseTlsErrorMessage(message), { kind: 'undocumented', message });
    }
  });
});

describe('certNameMatches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['www.example.com', 'www.example.com', true],
    ['WWW.EXAMPLE.COM', 'www.Example.com', true],
    ['www.example.com.', 'www.example.com', true],
    ['www.example.com', 'www.example.com.', true],
    ['www.example.com', 'example.com', false],
    ['example.com', 'www.example.com', false],
    ['www.example.com', '*.example.com', true],
    ['WWW.example.COM', '*.EXAMPLE.com', true],
    ['www.example.com.', '*.example.com', true],
    ['example.com', '*.example.com', false],
    ['a.b.example.com', '*.example.com', false],
    ['.example.com', '*.example.com', false],
    ['my.bucket.s3.amazonaws.com', '*.s3.amazonaws.com', false],
    ['bucket.s3.amazonaws.com', '*.s3.amazonaws.com', true],
    ['www.example.com', 'w*.example.com', false],
    ['www.example.com', '*w.example.com', false],
    ['www.example.com', 'www.*.com', false],
    ['www.example.com', '*.*.com', false],
    ['example.com', '*.com', false],
    ['com', '*', false],
    ['www.example.com', '*', false],
    ['www.example.com', '*.example..com', false],
    ['10.0.0.1', '*.0.0.1', false],
    ['10.0.0.1', '10.0.0.1', true],
    ['*.example.com', '*.example.com', false],
    ['', '', false],
    ['', '*.example.com', false],
    ['www.example.com', '', false],
    ['www.example.com', '.', false],
  ];
  for (const [hostname, certName, expected] of cases) {
    it(`${JSON.stringify(hostname)} vs ${JSON.stringify(certName)} → ${expected}`, () => {
      assert.equal(certNameMatches(hostname, certName), expected);
    });
  }
});
