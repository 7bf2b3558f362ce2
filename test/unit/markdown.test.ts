import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Explanation } from '../../src/core/explain/explanation';
import { explainField, FIELD_PATHS } from '../../src/core/explain/fields';
import {
  codeSpan,
  escapeMarkdown,
  MAX_VALUE_LENGTH,
  MAX_VALUES_LISTED,
  renderExplanation,
  showInvisibles,
} from '../../src/core/explain/markdown';
import type { TlsEntry } from '../../src/core/parse/types';

const HOSTILE = [
  'evil.com](command:workbench.action.files.saveAll)',
  '[x](javascript:alert(1))',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '`` ` code ` ``',
  '```',
  'a`b``c```d',
  '`',
  'line one\n# heading\n- list\n> quote\n\n    indented',
  'line\r\nbreak\u2028sep',
  '![img](https://evil.example/x.png)',
  'https://evil.example/ and www.evil.example and user@evil.example',
  '&lt;script&gt; &#60;b&#62;',
  '$(alert) **bold** _em_ ~~strike~~',
  '[ref]: https://evil.example',
  '\\`escaped backtick\\`',
  'a\u202Eevil\u202C \u200Bzero',
  '    four spaces',
  '| a | b |',
];

/**
 * Strips code spans the way CommonMark finds them (a backtick run opens; the next run of the same length closes),
 * returning the text outside them. Used to check that what is outside has no markdown or HTML left.
 */
function outsideCodeSpans(markdown: string): { outside: string; spans: string[] } {
  let outside = '';
  const spans: string[] = [];
  let i = 0;
  while (i < markdown.length) {
    if (markdown[i] === '\\' && i + 1 < markdown.length) {
      outside += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (markdown[i] !== '`') {
      outside += markdown[i];
      i++;
      continue;
    }
    let run = 0;
    while (markdown[i + run] === '`') run++;
    let j = i + run;
    let close = -1;
    while (j < markdown.length) {
      if (markdown[j] === '`') {
        let other = 0;
        while (markdown[j + other] === '`') other++;
        if (other === run) {
          close = j;
          break;
        }
        j += other;
      } else j++;
    }
    if (close < 0) {
      outside += markdown.slice(i, i + run);
      i += run;
      continue;
    }
    spans.push(markdown.slice(i + run, close));
    i = close + run;
  }
  return { outside, spans };
}

/** Unescaped characters that could start a link, an image, HTML, an entity or an autolink. */
function unescapedActive(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if ('[]()<>&`'.includes(text[i])) found.push(text[i]);
  }
  return found;
}

describe('showInvisibles', () => {
  it('makes line breaks, controls, bidi and zero-width characters visible', () => {
    assert.equal(showInvisibles('a\nb\r\tc\u0000\u007f'), 'a␊b␍␉c␀␡');
    assert.equal(showInvisibles('x\u202Ey\u200Bz\u2028\uFEFF'), 'x⟨U+202E⟩y⟨U+200B⟩z⟨U+2028⟩⟨U+FEFF⟩');
    assert.equal(showInvisibles('\u0085'), '⟨U+0085⟩');
    assert.equal(showInvisibles('lone \uD800 surrogate'), 'lone ⟨U+D800⟩ surrogate');
    assert.equal(showInvisibles('münchen 😀 ok'), 'münchen 😀 ok');
  });
});

describe('escapeMarkdown', () => {
  it('backslash-escapes every markdown-significant character, and & too', () => {
    assert.equal(escapeMarkdown('\\`*_{}[]()#+-.!|<>~&'), '\\\\\\`\\*\\_\\{\\}\\[\\]\\(\\)\\#\\+\\-\\.\\!\\|\\<\\>\\~\\&');
    assert.equal(escapeMarkdown('plain words 123'), 'plain words 123');
  });

  it('leaves no unescaped link, HTML, entity or code characters', () => {
    for (const value of HOSTILE) {
      const escaped = escapeMarkdown(value);
      // Leading spaces come back as our own `&#32;` references; nothing else may be active.
      assert.deepEqual(unescapedActive(escaped.replace(/^(?:&#32;)+/, '')), [], value);
      assert.ok(!/[\r\n]/.test(escaped), value);
      assert.ok(!escaped.includes('://'), value);
      assert.ok(!/www\./.test(escaped), value);
      assert.ok(!escaped.includes('$('), value);
    }
  });

  it('cannot start a block, even at the start of a line', () => {
    assert.equal(escapeMarkdown('    four spaces'), '&#32;&#32;&#32;&#32;four spaces');
    assert.equal(escapeMarkdown('# title'), '\\# title');
    assert.equal(escapeMarkdown('1. item'), '1\\. item');
    assert.equal(escapeMarkdown('a\n# b'), 'a␊\\# b');
  });
});

describe('codeSpan', () => {
  it('wraps plain text in single backticks with padding', () => {
    assert.equal(codeSpan('revoked-rsa-dv.ssl.com'), '` revoked-rsa-dv.ssl.com `');
  });

  it('uses a fence longer than any backtick run inside', () => {
    assert.equal(codeSpan('a`b'), '`` a`b ``');
    assert.equal(codeSpan('a`b``c```d'), '```` a`b``c```d ````');
    assert.equal(codeSpan('`'), '`` ` ``');
    assert.equal(codeSpan('```'), '```` ``` ````');
  });

  it('holds each hostile value in exactly one span with the value intact', () => {
    for (const value of HOSTILE) {
      const span = codeSpan(value);
      const { outside, spans } = outsideCodeSpans(span);
      assert.equal(outside, '', value);
      assert.equal(spans.length, 1, value);
      // CommonMark strips one space on each side of the content.
      assert.equal(spans[0].slice(1, -1), showInvisibles(value), value);
      assert.ok(!/[\r\n]/.test(span), value);
    }
  });

  it('handles the empty string', () => {
    assert.equal(codeSpan(''), '`  `');
  });
});

describe('renderExplanation', () => {
  const NOW = Date.parse('2024-02-19T19:50:00Z');

  it('renders title, value, problems, facts and sections', () => {
    const explanation: Explanation = {
      field: 'event.revocation_check.status',
      title: 'Revocation status',
      value: 'REVOKED',
      facts: [
        { label: 'Action taken', value: 'DROP', untrusted: true },
        { label: 'Decided by', value: '`RevokedStatusAction`', untrusted: false },
      ],
      sections: [{ text: 'Our **own** text.' }, { heading: 'Names', text: 'Listed:', values: ['a.example', 'b.example'] }],
    };
    assert.equal(
      renderExplanation(explanation, ['Status "REVOKED" is fine.']),
      [
        '**Revocation status** · `event.revocation_check.status`  \nValue: ` REVOKED `',
        '**Problems on this line**\n- Status \\"REVOKED\\" is fine\\.',
        '- **Action taken:** ` DROP `\n- **Decided by:** `RevokedStatusAction`',
        'Our **own** text.',
        '**Names.** Listed:\n\n- ` a.example `\n- ` b.example `',
      ].join('\n\n'),
    );
  });

  it('names empty values, cuts long ones and caps long lists', () => {
    const explanation: Explanation = {
      field: 'event.sni',
      title: 'SNI',
      value: '',
      facts: [{ label: 'Long', value: 'x'.repeat(MAX_VALUE_LENGTH + 50), untrusted: true }],
      sections: [{ text: 'Many:', values: Array.from({ length: MAX_VALUES_LISTED + 3 }, (_, i) => `n${i}.example`) }],
    };
    const markdown = renderExplanation(explanation);
    assert.match(markdown, /Value: \*\(empty\)\*/);
    assert.match(markdown, new RegExp(`\` ${'x'.repeat(MAX_VALUE_LENGTH)} \` \\*\\(50 more characters not shown\\)\\*`));
    assert.match(markdown, /- \*…and 3 more\*$/);
    assert.ok(!markdown.includes(`n${MAX_VALUES_LISTED}.example`));
  });

  it('does not cut a character in half', () => {
    const explanation: Explanation = {
      field: 'event.sni',
      title: 'SNI',
      value: '😀'.repeat(MAX_VALUE_LENGTH + 1),
      facts: [],
      sections: [],
    };
    assert.ok(!/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/.test(renderExplanation(explanation).replace(/\uD83D\uDE00/g, '')));
  });

  it('keeps hostile log values inert in every field explanation', () => {
    for (const value of [...HOSTILE, ...HOSTILE.map((h) => `EVIL${h}EVIL`)]) {
      const entry: TlsEntry = {
        kind: 'tlsError',
        firewallName: value,
        availabilityZone: value,
        srcIp: value,
        destIp: value,
        sni: value,
        errorMessage: `SNI: ${value} Match Failed to server certificate names: ${value}/*.${value}`,
        status: value,
        action: value,
        leafCertFpr: value,
      };
      const raws: unknown[] = [value, `SNI: ${value} Match Failed to server certificate names: ${value}/b.example`];
      for (const field of FIELD_PATHS) {
        for (const raw of raws) {
          const explanation = explainField(field, entry, raw, { now: NOW, timeZone: 'UTC', sniCount: () => 1 });
          assert.ok(explanation);
          const { outside, spans } = outsideCodeSpans(renderExplanation(explanation));
          // Every log value sits whole inside a code span: no part of it is left outside to be read as markdown.
          assert.ok(!/evil|EVIL/.test(outside), `${field}: ${outside}`);
          assert.ok(!/<(?:img|script)/i.test(outside), `${field}: ${outside}`);
          assert.ok(!outside.includes(']('), `${field}: ${outside}`);
          assert.ok(!/javascript:|command:|alert\(/.test(outside), `${field}: ${outside}`);
          for (const span of spans) assert.ok(!/[\r\n]/.test(span), span);
          // Problem messages quote log values too; they are escaped rather than put in code.
          const withProblem = renderExplanation(explanation, [`Problem about ${value}`]);
          const problemLine = withProblem.split('\n').find((line) => line.startsWith('- Problem about')) ?? '';
          assert.deepEqual(unescapedActive(problemLine), [], problemLine);
        }
      }
    }
  });

  it('renders a real explanation of every field without error', () => {
    const entry: TlsEntry = {
      kind: 'revocation',
      sni: 'revoked-rsa-dv.ssl.com',
      status: 'UNKNOWN',
      action: 'REJECT',
      eventTimestamp: 1708361189,
    };
    for (const field of FIELD_PATHS) {
      const explanation = explainField(field, entry, 'REJECT', { now: NOW });
      assert.ok(explanation);
      assert.match(renderExplanation(explanation), new RegExp(`^\\*\\*${explanation.title.replace(/[()]/g, '\\$&')}\\*\\* · \``));
    }
  });

  it('our prose never holds raw HTML outside code', () => {
    const entry: TlsEntry = { kind: 'tlsError', sni: 'a.example', errorMessage: 'Server name is not found in client hello.' };
    for (const field of FIELD_PATHS) {
      for (const raw of [
        'a.example',
        'Server name is not found in client hello.',
        'SNI: a.example Match Failed to server certificate names: *.a.example ',
        '443',
        '10.0.0.1',
      ]) {
        const explanation = explainField(field, entry, raw, { now: NOW, timeZone: 'America/New_York' });
        assert.ok(explanation);
        const { outside } = outsideCodeSpans(renderExplanation(explanation));
        assert.ok(!/<[A-Za-z/!?]/.test(outside), `${field}: ${outside}`);
        assert.ok(!/\]\(/.test(outside), `${field}: ${outside}`);
      }
    }
  });
});
