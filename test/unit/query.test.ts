import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runQuery, queryText } from '../../src/cliQuery';
import { athenaDdl, athenaQuery, EVENT_STRUCT } from '../../src/core/query/athena';
import { QueryInputError } from '../../src/core/query/common';
import { logsInsightsQuery } from '../../src/core/query/insights';
import { insightsString, sqlString } from '../../src/core/query/literals';
import { cutAtLimit, entryLineFromRow, summaryRows } from '../../src/core/query/results';
import { analyzeLine } from '../../src/core/parse/analyze';

const LOCATION = 's3://my-logs/fw/AWSLogs/111122223333/network-firewall/tls/us-east-1/';

/**
 * Splits Logs Insights text into its commands the way its grammar does: `|` outside a string starts the next
 * command; strings are `"..."` with backslash escapes. Returns the commands and the decoded strings.
 */
function insightsCommands(text: string): { commands: string[]; strings: string[] } {
  const commands: string[] = [];
  const strings: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') {
        assert.ok(end < text.length, 'unterminated string');
        end += text[end] === '\\' ? 2 : 1;
      }
      const raw = text.slice(i, end + 1);
      assert.doesNotMatch(raw, /[\u0000-\u001f]/, 'no raw control character inside a string');
      strings.push(JSON.parse(raw) as string);
      current += raw;
      i = end;
    } else if (ch === '|') (commands.push(current.trim()), (current = ''));
    else current += ch;
  }
  commands.push(current.trim());
  return { commands, strings };
}

describe('Athena DDL', () => {
  const ddl = athenaDdl({ table: 'nfw.tls_logs', location: LOCATION, firewalls: ['egress-fw', 'inspection-fw'], since: '2024/01/01' });

  it('declares the envelope, every documented event field, and ports as strings', () => {
    assert.match(ddl, /^CREATE EXTERNAL TABLE IF NOT EXISTS `nfw`\.`tls_logs` \(/);
    assert.match(ddl, /`event_timestamp` bigint/);
    for (const field of [
      'timestamp:string',
      'src_ip:string',
      'src_port:string',
      'dest_ip:string',
      'dest_port:string',
      'sni:string',
      'tls_error:struct<error_message:string>',
      'revocation_check:struct<leaf_cert_fpr:string,status:string,action:string>',
    ]) {
      assert.ok(EVENT_STRUCT.includes(field), field);
    }
    assert.match(ddl, /ROW FORMAT SERDE 'org\.openx\.data\.jsonserde\.JsonSerDe'/);
  });

  it('projects firewall, day and hour over the S3 folders', () => {
    assert.match(ddl, /PARTITIONED BY \(`firewall` string, `day` string, `hour` string\)/);
    assert.match(ddl, /'projection\.firewall\.values' = 'egress-fw,inspection-fw'/);
    assert.match(ddl, /'projection\.day\.format' = 'yyyy\/MM\/dd'/);
    assert.match(ddl, /'projection\.day\.range' = '2024\/01\/01,NOW'/);
    assert.match(ddl, /'projection\.hour\.digits' = '2'/);
    assert.ok(ddl.includes(`'storage.location.template' = '${LOCATION}\${firewall}/\${day}/\${hour}/'`));
    const injected = athenaDdl({ table: 't', location: LOCATION.slice(0, -1) });
    assert.match(injected, /'projection\.firewall\.type' = 'injected'/);
    assert.match(injected, /'projection\.day\.range' = 'NOW-1YEARS,NOW'/);
    assert.ok(injected.includes(`LOCATION '${LOCATION}'`), 'a trailing slash is added');
  });

  it('refuses names and locations that would leave their literal', () => {
    for (const table of ["t'; DROP TABLE x; --", 'a.b.c', 't`', ''])
      assert.throws(() => athenaDdl({ table, location: LOCATION }), QueryInputError);
    for (const location of [
      `${LOCATION}'`,
      's3://b/AWSLogs/1/network-firewall/tls/us-east-1/',
      "s3://my-logs/a'b/AWSLogs/111122223333/network-firewall/tls/us-east-1/",
      'https://x/AWSLogs/111122223333/network-firewall/tls/us-east-1/',
    ]) {
      assert.throws(() => athenaDdl({ table: 't', location }), QueryInputError, location);
    }
    assert.throws(() => athenaDdl({ table: 't', location: LOCATION, firewalls: ["a','b"] }), QueryInputError);
    assert.throws(() => athenaDdl({ table: 't', location: LOCATION, since: '2024-01-01' }), QueryInputError);
  });
});

describe('Athena queries', () => {
  it('prunes partitions from the time range, with an hour for delivery after the end', () => {
    const sql = athenaQuery({ table: 't', kind: 'summary', from: '2024-07-02T23:30:00Z', to: '2024-07-03T00:15:00Z' });
    assert.ok(sql.includes(`"day" BETWEEN '2024/07/02' AND '2024/07/03'`));
    assert.ok(sql.includes(`("day" > '2024/07/02' OR "hour" >= '23')`));
    assert.ok(sql.includes(`("day" < '2024/07/03' OR "hour" <= '01')`));
    assert.ok(sql.includes('event_timestamp >= 1719963000'));
    assert.ok(sql.includes('event_timestamp < 1719965700'));
    assert.ok(athenaQuery({ table: 't', kind: 'summary', from: '2024-07-02' }).includes(`"day" >= '2024/07/02'`));
  });

  it('refuses bad input with a message for people', () => {
    assert.throws(() => athenaQuery({ table: 't', kind: 'summary', from: 'yesterday' }), /--from takes an ISO 8601/);
    assert.throws(() => athenaQuery({ table: 't', kind: 'summary', from: '2024-07-03', to: '2024-07-02' }), /before its end/);
    assert.throws(() => athenaQuery({ table: 't', kind: 'entries', limit: 0 }), /limit/);
  });

  it('asks for one row past the limit, to tell a cut result', () => {
    assert.match(athenaQuery({ table: 't', kind: 'entries', limit: 5 }), /LIMIT 6$/);
    assert.deepEqual(cutAtLimit([1, 2, 3], 2), { rows: [1, 2], cut: true });
    assert.deepEqual(cutAtLimit([1, 2], 2), { rows: [1, 2], cut: false });
  });

  it('writes control characters as chr() and doubles quotes', () => {
    assert.equal(sqlString("a'b"), "'a''b'");
    assert.equal(sqlString('a\nb'), "('a' || chr(10) || 'b')");
    assert.equal(sqlString('\\'), "'\\'");
  });
});

describe('Logs Insights queries', () => {
  it('counts per SNI with the same rule, and fetches raw messages newest first', () => {
    const summary = insightsCommands(logsInsightsQuery({ kind: 'summary' })).commands;
    assert.equal(summary.length, 5);
    assert.match(
      summary[2],
      /^stats count\(\*\) as entries, sum\(is_tls_error\) as tls_errors, sum\(is_revoked\) as revoked, sum\(is_unknown\) as unknown by sni$/,
    );
    const entries = insightsCommands(logsInsightsQuery({ kind: 'entries', sni: 'a.example', limit: 50 })).commands;
    assert.deepEqual(entries.slice(1), [
      'filter event.sni = "a.example"',
      'fields @timestamp, @message',
      'sort @timestamp desc',
      'limit 51',
    ]);
  });

  it('keeps a hostile SNI one string: the same commands, and the string decodes to the SNI', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: 'binary-ascii' }),
          fc.constantFrom('x" | stats count(*) by @logStream | filter "', 'a\\"\n| limit 1'),
        ),
        (sni) => {
          const { commands, strings } = insightsCommands(logsInsightsQuery({ kind: 'summary', sni }));
          assert.equal(commands.length, 6);
          assert.ok(commands[1].startsWith('filter event.sni = "'));
          assert.equal(strings[0], sni);
          assert.equal(JSON.parse(insightsString(sni)), sni);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('query results', () => {
  it('reads summary rows whether counts come as strings or numbers', () => {
    assert.deepEqual(
      summaryRows([
        { sni: 'a', entries: '3', tls_errors: '1', revoked: 1n, unknown: 1 },
        { sni: null, entries: '1', tls_errors: '1', revoked: '0', unknown: '0' },
      ]),
      [
        { sni: 'a', entries: 3, tlsErrors: 1, revoked: 1, unknown: 1 },
        { sni: null, entries: 1, tlsErrors: 1, revoked: 0, unknown: 0 },
      ],
    );
  });

  it('rebuilds an entry line from Athena’s strings that reads as the same entry', () => {
    const line = entryLineFromRow({
      firewall_name: 'fw',
      availability_zone: 'us-east-1a',
      event_timestamp: '1719943304',
      timestamp: '2024-07-02T18:01:44.412778Z',
      src_ip: '10.0.2.53',
      src_port: '59844',
      dest_ip: '10.0.1.27',
      dest_port: '443',
      sni: 'x.example',
      has_tls_error: 'false',
      error_message: null,
      has_revocation_check: 'true',
      leaf_cert_fpr: 'AB',
      status: 'REVOKED',
      action: 'DROP',
    });
    const r = analyzeLine(line, 0);
    assert.deepEqual(r.problems, []);
    assert.equal(r.entry?.kind, 'revocation');
    assert.equal(r.entry?.status, 'REVOKED');
    assert.equal(r.entry?.destPort, 443);
  });
});

describe('nfw-tls-logs query', () => {
  it('prints each query, and usage with exit status 2 on a mistake', () => {
    assert.equal(
      queryText(['athena-ddl', '--table', 't', '--location', LOCATION, '--firewalls', 'a,b']),
      athenaDdl({ table: 't', location: LOCATION, firewalls: ['a', 'b'] }),
    );
    assert.equal(
      queryText(['athena', '--table', 't', '--kind', 'entries', '--sni', 's', '--limit', '7']),
      athenaQuery({ table: 't', kind: 'entries', sni: 's', limit: 7 }),
    );
    assert.equal(queryText(['logs-insights', '--kind', 'summary']), logsInsightsQuery({ kind: 'summary' }));
    let out = '';
    let err = '';
    assert.equal(
      runQuery(
        ['athena', '--table', 't', '--kind', 'everything'],
        (t) => (out += t),
        (t) => (err += t),
      ),
      2,
    );
    assert.equal(out, '');
    assert.match(err, /--kind is summary or entries/);
    for (const bad of [
      [],
      ['mysql'],
      ['athena', '--kind', 'summary'],
      ['logs-insights', '--kind'],
      ['logs-insights', '--kind', 'summary', '--table', 't'],
    ]) {
      assert.equal(
        runQuery(
          bad,
          () => {},
          () => {},
        ),
        2,
        bad.join(' '),
      );
    }
    assert.equal(
      runQuery(
        ['--help'],
        (t) => (out += t),
        () => {},
      ),
      0,
    );
    assert.match(out, /athena-ddl/);
  });
});
