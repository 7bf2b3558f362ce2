/**
 * The conversation with Athena and CloudWatch Logs: the AWS SDK clients pointed at a protocol stand-in on
 * 127.0.0.1 (the real services cannot be reached from where the tests run), through start, polls while
 * queued and running, paginated results, failure, errors and cancel.
 */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { athenaQuery } from '../../src/core/query/athena';
import { logsInsightsQuery } from '../../src/core/query/insights';
import { summaryRows } from '../../src/core/query/results';
import { RemoteQueryError, runAthenaQuery, runInsightsQuery } from '../../src/remote/awsQueries';
import { AwsStandIn, type StandInScenario } from '../awsStandIn';

const SUMMARY = {
  columns: ['sni', 'entries', 'tls_errors', 'revoked', 'unknown'],
  rows: [
    ['a.example', '5', '1', '2', '2'],
    ['b.example', '3', '3', '0', '0'],
    [null, '1', '1', '0', '0'],
    ['-', '2', '2', '0', '0'],
    ['c.example', '1', '0', '1', '0'],
  ],
};
const base: StandInScenario = { answer: () => SUMMARY, states: ['QUEUED', 'RUNNING', 'RUNNING'], pageSize: 2 };

async function rejection(p: Promise<unknown>): Promise<RemoteQueryError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof RemoteQueryError, String(err));
    return err;
  }
  assert.fail('the query should have failed');
}

describe('Athena and Logs Insights through the SDK, against a protocol stand-in', () => {
  const standIn = new AwsStandIn(base);
  let endpoint = '';
  const saved = { ...process.env };
  before(async () => {
    endpoint = await standIn.start();
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDSTANDIN', AWS_SECRET_ACCESS_KEY: 'standin-secret', AWS_REGION: 'us-east-1' });
    delete process.env.AWS_PROFILE;
  });
  after(async () => {
    process.env = saved;
    await standIn.stop();
  });
  beforeEach(() => {
    standIn.scenario = base;
    standIn.calls.length = 0;
  });

  it('starts an Athena query, polls through queued and running, and reads every page', async () => {
    const states: string[] = [];
    const sql = athenaQuery({ table: 'nfw.tls_logs', kind: 'summary' });
    const result = await runAthenaQuery(
      sql,
      { endpoint, workgroup: 'primary', outputLocation: 's3://results/', database: 'nfw' },
      { pollMs: 5, onState: (s) => states.push(s) },
    );
    assert.deepEqual(states, ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED']);
    assert.deepEqual(
      summaryRows(result.rows),
      summaryRows(SUMMARY.rows.map((r) => Object.fromEntries(SUMMARY.columns.map((c, i) => [c, r[i]])))),
    );
    assert.equal(result.scannedBytes, 1234);
    const start = standIn.callsTo('AmazonAthena.StartQueryExecution');
    assert.equal(start.length, 1);
    const { ClientRequestToken, ...startBody } = start[0].body;
    assert.equal(typeof ClientRequestToken, 'string', 'the SDK makes the start idempotent');
    assert.deepEqual(startBody, {
      QueryString: sql,
      WorkGroup: 'primary',
      QueryExecutionContext: { Database: 'nfw' },
      ResultConfiguration: { OutputLocation: 's3://results/' },
    });
    assert.equal(standIn.callsTo('AmazonAthena.GetQueryResults').length, 3, 'six rows with the header, two a page');
    assert.ok(standIn.calls.every((c) => c.signed));
    assert.ok(!JSON.stringify(standIn.calls).includes('standin-secret'));
  });

  it('reports a failed query with the service’s reason, and a missing table as such', async () => {
    standIn.scenario = { ...base, end: { failed: "TABLE_NOT_FOUND: line 3:6: Table 'awsdatacatalog.nfw.tls_logs' does not exist" } };
    const e = await rejection(runAthenaQuery('SELECT 1', { endpoint }, { pollMs: 5 }));
    assert.equal(e.problem, 'missing');
    assert.match(e.message, /does not exist/);
    standIn.scenario = { ...base, end: { failed: 'SYNTAX_ERROR: something' } };
    assert.equal((await rejection(runAthenaQuery('SELECT 1', { endpoint }, { pollMs: 5 }))).problem, 'failed');
  });

  it('tells access denied and missing log groups apart, without credentials in the message', async () => {
    standIn.scenario = {
      ...base,
      error: { type: 'AccessDeniedException', message: 'User is not authorized to perform: athena:StartQueryExecution' },
    };
    const denied = await rejection(runAthenaQuery('SELECT 1', { endpoint }, { pollMs: 5 }));
    assert.equal(denied.problem, 'access');
    assert.match(denied.message, /athena:StartQueryExecution/);
    assert.doesNotMatch(denied.message, /standin-secret|AKIDSTANDIN/);
    standIn.scenario = { ...base, error: { type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' } };
    const missing = await rejection(
      runInsightsQuery('fields @message', { endpoint, logGroup: '/nfw/tls', startMs: 0, endMs: 1000 }, { pollMs: 5 }),
    );
    assert.equal(missing.problem, 'missing');
    assert.match(missing.message, /\/nfw\/tls/);
  });

  it('says when there are no credentials', async () => {
    const keys = {
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
      AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
      AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
    };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    try {
      const e = await rejection(runAthenaQuery('SELECT 1', { endpoint }, { pollMs: 5 }));
      assert.equal(e.problem, 'credentials');
      assert.equal(standIn.calls.length, 0);
    } finally {
      Object.assign(process.env, keys);
    }
  });

  it('stops a cancelled query on the service', async () => {
    standIn.scenario = { ...base, end: 'never' };
    const controller = new AbortController();
    const running = runAthenaQuery(
      'SELECT 1',
      { endpoint },
      { pollMs: 5, signal: controller.signal, onState: (s) => s === 'RUNNING' && controller.abort() },
    );
    assert.equal((await rejection(running)).problem, 'cancelled');
    const stops = standIn.callsTo('AmazonAthena.StopQueryExecution');
    assert.equal(stops.length, 1);
    assert.equal(stops[0].body.QueryExecutionId, standIn.callsTo('AmazonAthena.GetQueryExecution')[0].body.QueryExecutionId);

    standIn.calls.length = 0;
    const logsController = new AbortController();
    const logs = runInsightsQuery(
      'fields @message',
      { endpoint, logGroup: 'g', startMs: 0, endMs: 1 },
      { pollMs: 5, signal: logsController.signal, onState: (s) => s === 'Running' && logsController.abort() },
    );
    assert.equal((await rejection(logs)).problem, 'cancelled');
    assert.equal(standIn.callsTo('Logs_20140328.StopQuery').length, 1);
  });

  it('runs a Logs Insights query over the time range and reads its fields', async () => {
    const states: string[] = [];
    const query = logsInsightsQuery({ kind: 'summary' });
    const result = await runInsightsQuery(
      query,
      { endpoint, logGroup: '/nfw/tls', startMs: 1719943200000, endMs: 1719950400500 },
      { pollMs: 5, onState: (s) => states.push(s) },
    );
    assert.deepEqual(states, ['Scheduled', 'Running', 'Running', 'Complete']);
    assert.deepEqual(standIn.callsTo('Logs_20140328.StartQuery')[0].body, {
      queryString: query,
      logGroupNames: ['/nfw/tls'],
      startTime: 1719943200,
      endTime: 1719950401,
    });
    assert.equal(result.rows.length, 5);
    assert.deepEqual(result.rows[2], { entries: '1', tls_errors: '1', revoked: '0', unknown: '0' });
    assert.equal(summaryRows(result.rows)[2].sni, null);
  });
});
