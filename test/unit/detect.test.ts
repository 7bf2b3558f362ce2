import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLogFileName, isOtherFirewallLogName, isTlsLogLine, parseAwsLogName } from '../../src/core/read/detect';

const TLS_ERROR =
  '{"firewall_name":"firewall-tls-test","availability_zone":"us-east-1d","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.412778Z","src_ip":"10.0.2.53","src_port":"59844","dest_ip":"10.0.1.27","dest_port":"443","sni":"-","tls_error":{"error_message":"Server name is not found in client hello."}}}';
const REVOCATION =
  '{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":1708361189,"event":{"src_ip":"10.0.2.53","src_port":"55930","revocation_check":{"leaf_cert_fpr":"1234567890EXAMPLE0987654321","status":"REVOKED","action":"DROP"},"dest_ip":"54.92.160.72","dest_port":"443","timestamp":"2024-02-19T16:46:29.441824Z","sni":"revoked-rsa-dv.ssl.com"}}';
const ALERT =
  '{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":"1719943304","event":{"timestamp":"2024-07-02T18:01:44.412778+0000","flow_id":1234567890,"event_type":"alert","src_ip":"10.0.2.53","src_port":59844,"dest_ip":"10.0.1.27","dest_port":443,"proto":"TCP","alert":{"action":"blocked","signature_id":5,"rev":0,"signature":"test","category":"","severity":1},"tls":{"sni":"example.com"}}}';
const FLOW =
  '{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":"1719943304","event":{"timestamp":"2024-07-02T18:01:44.412778+0000","flow_id":1234567890,"event_type":"netflow","src_ip":"10.0.2.53","src_port":59844,"dest_ip":"10.0.1.27","dest_port":443,"proto":"TCP","netflow":{"pkts":5,"bytes":400,"age":44}}}';

describe('parseAwsLogName', () => {
  it('reads the documented TLS log name', () => {
    assert.deepEqual(parseAwsLogName('111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_a1b2c3d4.log.gz'), {
      account: '111122223333',
      logType: 'tls',
      region: 'us-east-1',
      firewall: 'egress-fw',
      timeMs: Date.UTC(2024, 6, 2, 18, 5),
      gzip: true,
    });
  });

  it('reads the time written without T and Z', () => {
    const name = parseAwsLogName('111122223333_network-firewall_tls_us-west-2_fw_202010011920_0123abcd.log.gz');
    assert.equal(name?.timeMs, Date.UTC(2020, 9, 1, 19, 20));
    assert.equal(name?.firewall, 'fw');
    assert.equal(name?.region, 'us-west-2');
  });

  it('reads a gunzipped name as not gzip', () => {
    const name = parseAwsLogName('111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_a1b2c3d4.log');
    assert.equal(name?.gzip, false);
    assert.equal(name?.logType, 'tls');
  });

  it('reads alert and flow log names', () => {
    assert.equal(parseAwsLogName('111122223333_network-firewall_alert_eu-west-1_fw_20240702T1805Z_abc.log.gz')?.logType, 'alert');
    assert.equal(parseAwsLogName('111122223333_network-firewall_flow_eu-west-1_fw_20240702T1805Z_abc.log.gz')?.logType, 'flow');
  });

  it('keeps underscores that are part of the firewall name', () => {
    const name = parseAwsLogName('111122223333_network-firewall_tls_us-east-1_my_egress_fw_20240702T1805Z_a1b2c3d4.log.gz');
    assert.equal(name?.firewall, 'my_egress_fw');
    assert.equal(name?.timeMs, Date.UTC(2024, 6, 2, 18, 5));
  });

  it('keeps a firewall name that itself ends in digits', () => {
    const name = parseAwsLogName('111122223333_network-firewall_tls_us-east-1_fw_2024_20240702T1805Z_a1b2c3d4.log.gz');
    assert.equal(name?.firewall, 'fw_2024');
  });

  it('reads regions with several parts', () => {
    assert.equal(parseAwsLogName('111122223333_network-firewall_tls_us-gov-west-1_fw_20240702T1805Z_a1.log.gz')?.region, 'us-gov-west-1');
    assert.equal(parseAwsLogName('111122223333_network-firewall_tls_ap-southeast-2_fw_20240702T1805Z_a1.log.gz')?.region, 'ap-southeast-2');
  });

  it('reads the name at the end of an S3 key or a local path', () => {
    const file = '111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_a1b2c3d4.log.gz';
    for (const path of [
      `AWSLogs/111122223333/network-firewall/tls/us-east-1/egress-fw/2024/07/02/18/${file}`,
      `/home/me/logs/${file}`,
      `C:\\Users\\me\\Downloads\\${file}`,
    ]) {
      assert.equal(parseAwsLogName(path)?.firewall, 'egress-fw', path);
    }
  });

  it('leaves the time out when the name holds no real time', () => {
    for (const stamp of ['20241302T1805Z', '20240230T1805Z', '20240702T2505Z', '20240702T1860Z']) {
      const name = parseAwsLogName(`111122223333_network-firewall_tls_us-east-1_fw_${stamp}_a1b2c3d4.log.gz`);
      assert.ok(name, stamp);
      assert.equal(name.timeMs, undefined, stamp);
    }
  });

  it('does not match other names', () => {
    for (const name of [
      'network-firewall_tls_us-east-1_fw_20240702T1805Z_a1b2c3d4.log.gz', // no account
      '11112222333_network-firewall_tls_us-east-1_fw_20240702T1805Z_a1b2c3d4.log.gz', // 11 digits
      '111122223333_network-firewall_dns_us-east-1_fw_20240702T1805Z_a1b2c3d4.log.gz', // no such log type
      '111122223333_network-firewall_tls_us-east-1_fw_20240702T1805Z_a1b2c3d4.txt',
      '111122223333_network-firewall_tls_us-east-1_fw_20240702T1805Z.log.gz', // no hash
      '111122223333_network-firewall_tls_us-east-1__20240702T1805Z_a1b2c3d4.log.gz', // no firewall
      '111122223333_network-firewall_tls_useast1_fw_20240702T1805Z_a1b2c3d4.log.gz', // not a region
      '111122223333_network-firewall_tls_us-east-1_fw_2024070218_a1b2c3d4.log.gz', // short time
      '111122223333_network-firewall_tls_us-east-1_fw_20240702T1805Z_a1b2c3d4.log.gz.bak',
      'firewall.log',
      '',
    ]) {
      assert.equal(parseAwsLogName(name), undefined, name);
    }
  });
});

describe('isTlsLogLine', () => {
  it('recognises both kinds of TLS entry', () => {
    assert.equal(isTlsLogLine(TLS_ERROR), true);
    assert.equal(isTlsLogLine(REVOCATION), true);
  });

  it('recognises the pretty-spaced spelling, surrounding white space, CRLF and a byte order mark', () => {
    const pretty = JSON.stringify(JSON.parse(TLS_ERROR), null, 1).replace(/\n\s*/g, ' ');
    assert.equal(isTlsLogLine(pretty), true);
    assert.equal(isTlsLogLine(`  ${REVOCATION}\r`), true);
    assert.equal(isTlsLogLine(`\uFEFF${TLS_ERROR}`), true);
  });

  it('recognises an entry with problems, as long as it is a TLS entry', () => {
    assert.equal(isTlsLogLine(TLS_ERROR.replace('"443"', '"70000"')), true);
    assert.equal(isTlsLogLine('{"event":{"revocation_check":{}}}'), true);
  });

  it('rejects alert and flow entries', () => {
    assert.equal(isTlsLogLine(ALERT), false);
    assert.equal(isTlsLogLine(FLOW), false);
  });

  it('rejects garbage and other JSON', () => {
    for (const text of [
      '',
      '   ',
      'garbage',
      '{',
      TLS_ERROR.slice(0, -1),
      '[{"event":{"tls_error":{}}}]',
      '"tls_error"',
      'null',
      '42',
      '{"event":null}',
      '{"event":"tls_error"}',
      '{"tls_error":{}}',
      '{"event":{"tls_error":null}}',
      '{"event":{"revocation_check":[]}}',
      '{"event":{"tls_error":"x"}}',
      '\u0000\u0001',
      '{"event":{"tls_error":{}}} trailing',
    ]) {
      assert.equal(isTlsLogLine(text), false, JSON.stringify(text));
    }
  });
});

describe('file names', () => {
  it('knows which names are log files worth reading', () => {
    for (const name of ['a.log', 'a.log.gz', 'x.ndjson', 'x.jsonl.gz', 'UPPER.LOG']) assert.equal(isLogFileName(name), true, name);
    for (const name of ['a.txt', 'a.gz', 'a.log.bak', 'log', 'a.json']) assert.equal(isLogFileName(name), false, name);
  });

  it('knows the firewall’s alert and flow log names and folders', () => {
    assert.equal(isOtherFirewallLogName('111122223333_network-firewall_alert_us-east-1_fw_20240702T1805Z_a1.log.gz'), true);
    assert.equal(isOtherFirewallLogName('AWSLogs/111122223333/network-firewall/flow/us-east-1/fw/x.log.gz'), true);
    assert.equal(isOtherFirewallLogName('C:\\logs\\network-firewall\\alert\\x.log'), true);
    assert.equal(isOtherFirewallLogName('111122223333_network-firewall_tls_us-east-1_fw_20240702T1805Z_a1.log.gz'), false);
    assert.equal(isOtherFirewallLogName('AWSLogs/111122223333/network-firewall/tls/us-east-1/fw/x.log.gz'), false);
  });
});
