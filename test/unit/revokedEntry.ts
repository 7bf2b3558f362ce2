import type { TlsEntry } from '../../src/core/parse/types';

/** AWS's example revocation-check entry (docs/FORMAT.md, "One entry per line"), as the engine reads it. */
export const REVOKED_ENTRY: TlsEntry = {
  kind: 'revocation',
  firewallName: 'egress-fw',
  availabilityZone: 'us-east-1d',
  eventTimestamp: 1708361189,
  timestamp: '2024-02-19T16:46:29.441824Z',
  timeMs: Date.parse('2024-02-19T16:46:29.441Z'),
  srcIp: '10.0.2.53',
  srcPort: 55930,
  destIp: '54.92.160.72',
  destPort: 443,
  sni: 'revoked-rsa-dv.ssl.com',
  status: 'REVOKED',
  action: 'DROP',
  leafCertFpr: '1234567890EXAMPLE0987654321',
};
