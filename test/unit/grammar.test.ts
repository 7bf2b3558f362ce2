import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { LogGenerator } from '../../bench/generate';

const SCOPE = 'source.nfw-tls-log';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

// The whole-entry rules are a shortcut for the common case; they must agree with the general rules.
const WHOLE_ENTRY_RULES = ['#tls-error-entry', '#revocation-entry'];

let grammar: textmate.IGrammar;
/** The grammar without its whole-entry rules: every line goes pair by pair. */
let pairsOnly: textmate.IGrammar;
/** Only the whole-entry rules. */
let entriesOnly: textmate.IGrammar;

before(async () => {
  const root = repoRoot();
  const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const file = join(root, 'syntaxes', 'nfw-tls-log.tmLanguage.json');
  const text = readFileSync(file, 'utf8');
  const variant = (scopeName: string, keep: (include: string) => boolean): textmate.IRawGrammar => {
    const raw = JSON.parse(text) as { scopeName: string; patterns: { include: string }[] };
    raw.scopeName = scopeName;
    raw.patterns = raw.patterns.filter((p) => keep(p.include));
    return raw as unknown as textmate.IRawGrammar;
  };
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === SCOPE) return textmate.parseRawGrammar(text, file);
      if (scopeName === 'test.pairs-only') return variant(scopeName, (include) => !WHOLE_ENTRY_RULES.includes(include));
      if (scopeName === 'test.entries-only') return variant(scopeName, (include) => WHOLE_ENTRY_RULES.includes(include));
      return null;
    },
  });
  const load = async (scopeName: string): Promise<textmate.IGrammar> => {
    const loaded = await registry.loadGrammar(scopeName);
    assert.ok(loaded, `${scopeName} loads`);
    return loaded;
  };
  grammar = await load(SCOPE);
  pairsOnly = await load('test.pairs-only');
  entriesOnly = await load('test.entries-only');
});

interface Token {
  text: string;
  scopes: string[];
}

function tokenize(
  line: string,
  state: textmate.StateStack = textmate.INITIAL,
  using = grammar,
): { tokens: Token[]; state: textmate.StateStack } {
  const result = using.tokenizeLine(line, state);
  return {
    tokens: result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })),
    state: result.ruleStack,
  };
}

/** Scopes of the first token whose text is exactly `text`. */
function scopesOf(line: string, text: string): string[] {
  const token = tokenize(line).tokens.find((t) => t.text === text);
  assert.ok(token, `no token ${text} in ${line}`);
  return token.scopes;
}

// The two entries from the AWS documentation, compact as delivered, plus the other documented values.
const TLS_ERROR =
  '{"firewall_name":"firewall-tls-test","availability_zone":"us-east-1d","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.412778Z","src_ip":"10.0.2.53","src_port":"59844","dest_ip":"10.0.1.27","dest_port":"443","sni":"-","tls_error":{"error_message":"Server name is not found in client hello."}}}';
const MISMATCH =
  '{"firewall_name":"egress-fw","availability_zone":"us-east-1a","event_timestamp":1719943310,"event":{"timestamp":"2024-07-02T18:01:50.100200Z","src_ip":"10.0.2.53","src_port":"59850","dest_ip":"54.92.160.72","dest_port":"443","sni":"test.com","tls_error":{"error_message":"SNI: test.com Match Failed to server certificate names: a.example.com/a.example.com/www.a.example.com "}}}';
const REVOKED_DROP =
  '{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":1708361189,"event":{"src_ip":"10.0.2.53","src_port":"55930","revocation_check":{"leaf_cert_fpr":"1234567890EXAMPLE0987654321","status":"REVOKED","action":"DROP"},"dest_ip":"54.92.160.72","dest_port":"443","timestamp":"2024-02-19T16:46:29.441824Z","sni":"revoked-rsa-dv.ssl.com"}}';
const UNKNOWN_PASS = REVOKED_DROP.replace('"REVOKED"', '"UNKNOWN"').replace('"DROP"', '"PASS"');
const REVOKED_REJECT = REVOKED_DROP.replace('"DROP"', '"REJECT"');

/** The same entries in other spellings: pretty-spaced and with the keys in another order. */
function spaced(line: string): string {
  return line
    .replace(/([{,])"/g, '$1 "')
    .replace(/":/g, '": ')
    .replace(/}/g, ' }');
}
function reordered(line: string): string {
  const entry = JSON.parse(line) as { event: Record<string, unknown> };
  const event = entry.event;
  const keys = Object.keys(event).reverse();
  entry.event = Object.fromEntries(keys.map((k) => [k, event[k]]));
  return JSON.stringify(Object.fromEntries(Object.entries(entry).reverse()));
}

const SPELLINGS: [string, (line: string) => string][] = [
  ['compact, documented key order', (line) => line],
  ['pretty-spaced', spaced],
  ['keys in another order', reordered],
];

describe('nfw-tls-log grammar', () => {
  for (const [name, spell] of SPELLINGS) {
    describe(name, () => {
      it('scopes keys, strings and numbers like JSON', () => {
        const line = spell(TLS_ERROR);
        assert.ok(scopesOf(line, '"firewall_name"').includes('support.type.property-name.json.nfw-tls-log'));
        assert.ok(scopesOf(line, '"src_ip"').includes('support.type.property-name.json.nfw-tls-log'));
        assert.ok(scopesOf(line, '"firewall-tls-test"').includes('string.quoted.double.nfw-tls-log'));
        assert.ok(scopesOf(line, '"10.0.2.53"').includes('string.quoted.double.nfw-tls-log'));
        assert.ok(scopesOf(line, '1719943304').includes('constant.numeric.nfw-tls-log'));
        assert.ok(scopesOf(line, ':').includes('punctuation.separator.dictionary.key-value.nfw-tls-log'));
      });

      it('gives REVOKED and UNKNOWN their own scopes, still inside a string', () => {
        const revoked = scopesOf(spell(REVOKED_DROP), '"REVOKED"');
        assert.ok(revoked.includes('keyword.control.status.revoked.nfw-tls-log'), revoked.join(' '));
        assert.ok(revoked.includes('string.quoted.double.nfw-tls-log'));
        const unknown = scopesOf(spell(UNKNOWN_PASS), '"UNKNOWN"');
        assert.ok(unknown.includes('keyword.other.status.unknown.nfw-tls-log'), unknown.join(' '));
        assert.ok(!unknown.some((s) => s.includes('revoked')));
      });

      it('tells DROP and REJECT apart from PASS', () => {
        assert.ok(scopesOf(spell(REVOKED_DROP), '"DROP"').includes('keyword.control.action.drop.nfw-tls-log'));
        assert.ok(scopesOf(spell(REVOKED_REJECT), '"REJECT"').includes('keyword.control.action.reject.nfw-tls-log'));
        const pass = scopesOf(spell(UNKNOWN_PASS), '"PASS"');
        assert.ok(pass.includes('keyword.other.action.pass.nfw-tls-log'), pass.join(' '));
        assert.ok(pass.includes('markup.inserted.action.pass.nfw-tls-log'));
        assert.ok(!pass.some((s) => s.startsWith('keyword.control')));
      });

      it('gives DROP and REJECT (blocked) a colour of their own, apart from REVOKED and UNKNOWN', () => {
        // A theme colours a token by its innermost scope; two tokens whose innermost scopes share the first two
        // segments (keyword.control.*) get the same colour in every common theme.
        const innermost = (line: string, value: string): string => scopesOf(line, value).slice(-1)[0];
        const family = (scope: string): string => scope.split('.').slice(0, 2).join('.');
        const drop = innermost(spell(REVOKED_DROP), '"DROP"');
        const reject = innermost(spell(REVOKED_REJECT), '"REJECT"');
        const revoked = innermost(spell(REVOKED_DROP), '"REVOKED"');
        const unknown = innermost(spell(UNKNOWN_PASS), '"UNKNOWN"');
        const pass = innermost(spell(UNKNOWN_PASS), '"PASS"');
        assert.equal(family(drop), family(reject), 'DROP and REJECT look alike: both block');
        assert.match(drop, /\.action\.blocked\./);
        for (const other of [revoked, unknown, pass]) assert.notEqual(family(drop), family(other), `${drop} vs ${other}`);
      });

      it('marks both documented error messages and the SNI', () => {
        for (const [line, message] of [
          [TLS_ERROR, '"Server name is not found in client hello."'],
          [MISMATCH, '"SNI: test.com Match Failed to server certificate names: a.example.com/a.example.com/www.a.example.com "'],
        ]) {
          const scopes = scopesOf(spell(line), message);
          assert.ok(scopes.includes('string.quoted.double.error-message.nfw-tls-log'), scopes.join(' '));
          assert.ok(scopes.includes('markup.italic.error-message.nfw-tls-log'));
        }
        assert.ok(scopesOf(spell(MISMATCH), '"test.com"').includes('entity.name.type.sni.nfw-tls-log'));
        assert.ok(scopesOf(spell(TLS_ERROR), '"-"').includes('entity.name.type.sni.nfw-tls-log'));
      });
    });
  }

  it('takes a compact entry in the documented key order in one match, scoped as the pair rules scope it', () => {
    const scopeNames = (tokens: Token[]) => tokens.map((t) => ({ text: t.text, scopes: t.scopes.slice(1) }));
    for (const line of [TLS_ERROR, MISMATCH, REVOKED_DROP, UNKNOWN_PASS, REVOKED_REJECT]) {
      const full = scopeNames(tokenize(line).tokens);
      assert.deepEqual(scopeNames(tokenize(line, textmate.INITIAL, entriesOnly).tokens), full);
      assert.deepEqual(scopeNames(tokenize(line, textmate.INITIAL, pairsOnly).tokens), full);
    }
  });

  it('keeps other status and action values plain strings', () => {
    const line = REVOKED_DROP.replace('"REVOKED"', '"GOOD"').replace('"DROP"', '"ALLOW"');
    assert.deepEqual(scopesOf(line, '"GOOD"').slice(1), ['string.quoted.double.nfw-tls-log']);
    assert.deepEqual(scopesOf(line, '"ALLOW"').slice(1), ['string.quoted.double.nfw-tls-log']);
  });

  it('tokenizes malformed lines without throwing and covers every character', () => {
    const broken = [
      '',
      '   ',
      TLS_ERROR.slice(0, 57),
      TLS_ERROR.slice(0, 120),
      '2024-07-02T18:05:01.000Z ' + TLS_ERROR,
      REVOKED_DROP.replace('"sni":"revoked-rsa-dv.ssl.com"', '"sni":\'revoked-rsa-dv.ssl.com\''),
      '{"a":"ends in a backslash\\',
      '"',
      '}}]],,::',
      'not json at all',
      '{"sni":"evil.com](command:workbench.action.files.saveAll)"}',
      '{"event_timestamp":"soon","src_port":true,"dest_port":70000,"x":[1,-2.5e3,null,false]}',
      '\u0000\u001b[31m{"bin":"\uFFFD"}',
    ];
    for (const line of broken) {
      const { tokens } = tokenize(line);
      assert.equal(tokens.map((t) => t.text).join(''), line);
    }
  });

  it('does not let an unterminated string on one line colour the next', () => {
    const first = tokenize('{"firewall_name":"egress-fw","event":{"sni":"unterminated');
    const last = first.tokens[first.tokens.length - 1];
    assert.equal(last.text, '"unterminated');
    assert.ok(last.scopes.some((s) => s.startsWith('string.')));

    const carried = tokenize(REVOKED_DROP, first.state).tokens;
    assert.deepEqual(carried, tokenize(REVOKED_DROP).tokens);
    assert.ok(carried.find((t) => t.text === '"firewall_name"')?.scopes.includes('support.type.property-name.json.nfw-tls-log'));
  });

  it('has a language configuration with JSON brackets and quotes and no comment syntax', () => {
    const config = JSON.parse(readFileSync(join(repoRoot(), 'language-configuration.json'), 'utf8')) as {
      comments?: unknown;
      brackets: string[][];
      autoClosingPairs: { open: string; close: string }[];
    };
    assert.equal(config.comments, undefined);
    assert.deepEqual(config.brackets, [
      ['{', '}'],
      ['[', ']'],
    ]);
    assert.deepEqual(
      config.autoClosingPairs.map((p) => p.open + p.close),
      ['{}', '[]', '""'],
    );
  });

  it('starts every generated line, broken or not, from the same state', () => {
    const generator = new LogGenerator({ seed: 7, malformed: 0.3, pretty: 0.1, reorderKeys: 0.2, ipv6: 0.2 });
    let state = textmate.INITIAL;
    for (let i = 0; i < 1500; i++) {
      const { text } = generator.next();
      const carried = tokenize(text, state);
      assert.deepEqual(carried.tokens, tokenize(text).tokens, text);
      state = carried.state;
    }
  });
});
