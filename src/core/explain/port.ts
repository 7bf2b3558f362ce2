/** `event.src_port` and `event.dest_port`: whether the value is a port, the usual service on it, and the client port ranges. */

import { jsonTypeName } from '../parse/jsonTypes';
import { absentOrWrongType, ours, valueText, type Explanation, type ExplanationFact, type ExplanationSection } from './explanation';

interface PortService {
  name: string;
  note?: string;
}

/** Services commonly found on ports that carry (or are mistaken for) TLS. */
const PORT_SERVICES: ReadonlyMap<number, PortService> = new Map<number, PortService>([
  [443, { name: 'HTTPS', note: 'the usual port for TLS inspection' }],
  [80, { name: 'HTTP', note: 'plain-text HTTP; TLS here is unusual' }],
  [8443, { name: 'HTTPS, alternative port' }],
  [9443, { name: 'HTTPS, alternative port' }],
  [8080, { name: 'HTTP, alternative port (proxies, application servers)' }],
  [853, { name: 'DNS over TLS' }],
  [993, { name: 'IMAP over TLS (IMAPS)' }],
  [995, { name: 'POP3 over TLS (POP3S)' }],
  [465, { name: 'SMTP submission over TLS (SMTPS)' }],
  [587, { name: 'SMTP submission', note: 'starts in plain text and upgrades with STARTTLS' }],
  [25, { name: 'SMTP', note: 'mail between servers; starts in plain text and upgrades with STARTTLS' }],
  [636, { name: 'LDAP over TLS (LDAPS)' }],
  [389, { name: 'LDAP', note: 'plain text, may upgrade with StartTLS' }],
  [5671, { name: 'AMQP over TLS (e.g. RabbitMQ, Amazon MQ)' }],
  [8883, { name: 'MQTT over TLS (e.g. AWS IoT Core)' }],
  [5061, { name: 'SIP over TLS' }],
  [990, { name: 'FTP over TLS (FTPS), control channel' }],
  [992, { name: 'Telnet over TLS' }],
  [5986, { name: 'WinRM over HTTPS' }],
  [6443, { name: 'Kubernetes API server' }],
  [2376, { name: 'Docker daemon over TLS' }],
  [9093, { name: 'Kafka over TLS (a common choice)' }],
  [9094, { name: 'Kafka over TLS (Amazon MSK)' }],
  [5432, { name: 'PostgreSQL', note: 'TLS is negotiated inside the protocol' }],
  [3306, { name: 'MySQL', note: 'TLS is negotiated inside the protocol' }],
  [1433, { name: 'Microsoft SQL Server', note: 'TLS is negotiated inside the protocol' }],
  [6379, { name: 'Redis' }],
  [27017, { name: 'MongoDB' }],
  [3389, { name: 'Remote Desktop (RDP)', note: 'TLS is negotiated inside the RDP protocol' }],
  [22, { name: 'SSH', note: 'not TLS' }],
  [53, { name: 'DNS', note: 'not TLS' }],
  [123, { name: 'NTP', note: 'not TLS' }],
]);

/** The port as a number, or a reason it is not one. */
function readPort(raw: unknown): { port: number } | { problem: string } {
  if (typeof raw === 'number') {
    return Number.isInteger(raw) && raw >= 0 && raw <= 65535 ? { port: raw } : { problem: 'not a whole number from 0 to 65535' };
  }
  if (typeof raw === 'string') {
    if (!/^\d+$/.test(raw)) return { problem: raw === '' ? 'empty' : 'not made of digits only' };
    const port = Number(raw);
    return port <= 65535 ? { port } : { problem: 'larger than 65535, the highest port there is' };
  }
  return { problem: `${jsonTypeName(raw)}, not a port` };
}

export function explainPort(field: 'event.src_port' | 'event.dest_port', raw: unknown): Explanation {
  const source = field === 'event.src_port';
  const title = source ? 'Source port (client)' : 'Destination port (server)';
  if (raw === undefined) return absentOrWrongType(field, title, raw, 'a string of digits');
  const read = readPort(raw);
  const sections: ExplanationSection[] = [
    {
      text: source
        ? "The client's port for this connection, picked by the client's operating system. Together with the two " +
          'addresses and the destination port it identifies this one connection, for example in flow logs.'
        : 'The port on the server that the client connected to, which usually tells the service. TLS inspection covers ' +
          'the ports listed in the scope of the TLS inspection configuration; 443 is the usual one.',
    },
  ];
  if ('problem' in read) {
    sections.unshift({ heading: 'Not a valid port', text: `Ports are whole numbers from 0 to 65535; this value is ${read.problem}.` });
    return { field, title, value: valueText(raw), facts: [], sections };
  }
  const { port } = read;
  const facts: ExplanationFact[] = [];
  if (typeof raw === 'number') {
    sections.push({
      heading: 'Spelling',
      text: 'Written as a number, the way alert and flow logs write ports; TLS logs write a string of digits.',
    });
  }
  const service = PORT_SERVICES.get(port);
  if (port === 0) {
    sections.unshift({ heading: 'Port 0', text: 'Port 0 is reserved: no real TCP connection uses it, so this value is suspect.' });
  } else if (service) {
    facts.push(ours('Usual service', service.note ? `${service.name} (${service.note})` : service.name));
  }
  if (source && port !== 0) {
    sections.push({ heading: 'Range', text: sourcePortRange(port, service) });
  } else if (!source && port !== 0 && !service) {
    facts.push(ours('Usual service', port >= 49152 ? 'none (a dynamic/ephemeral port)' : 'none commonly known'));
  }
  return { field, title, value: valueText(raw), facts, sections };
}

function sourcePortRange(port: number, service: PortService | undefined): string {
  if (port >= 32768) {
    const ranges: string[] = [];
    if (port <= 60999) ranges.push("Linux's default client port range (32768–60999)");
    if (port >= 49152) ranges.push('the IANA dynamic range (49152–65535) that Windows and macOS use');
    return `An ephemeral port: it falls in ${ranges.join(' and in ')}. It identifies this one connection, not a service.`;
  }
  if (port >= 1024) {
    return 'Below the usual client port ranges (32768 and up). Possible — some systems, containers and NAT devices pick from wider ranges — but worth knowing when matching this connection elsewhere.';
  }
  return (
    `A well-known port${service ? ` (${service.name})` : ''} used as a source port, which is unusual for a client: ` +
    "the packet may be a server's reply, or the program binds a fixed source port."
  );
}
