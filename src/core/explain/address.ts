/** `event.src_ip` and `event.dest_ip`: what kind of address it is (private, public, AWS services, reserved ranges) and what that means for the connection. */

import { absentOrWrongType, ours, untrusted, type Explanation, type ExplanationFact, type ExplanationSection } from './explanation';

/** The kinds of address {@link classifyIpAddress} tells apart. */
export type AddressScope =
  | 'public'
  | 'private'
  | 'cgnat'
  | 'loopback'
  | 'linkLocal'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'ipv4Mapped'
  | 'nat64';

/** What kind of address a string holds. */
export interface IpClassification {
  version: 4 | 6;
  scope: AddressScope;
  /** Our short description, e.g. "private (RFC 1918)". */
  label: string;
  /** Our sentence or two on what it means in a firewall log. */
  note: string;
  /** The IPv6 zone ID after `%`, if the address had one (from the log: untrusted). */
  zone?: string;
  /** For `ipv4Mapped` and `nat64`: the IPv4 address carried in the last 32 bits, and what kind it is. */
  embedded?: { address: string; classification: IpClassification };
}

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    // Leading zeros are refused: some readers take them as octal, so their meaning is ambiguous.
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

function parseIPv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  if (!head) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  // An embedded IPv4 address may only end the address, so it cannot sit before `::`.
  if (halves[0].includes('.')) return undefined;
  const tail = groups(halves[1]);
  if (!tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

const AWS_LINK_LOCAL_V4: ReadonlyMap<string, string> = new Map([
  ['169.254.169.254', 'the EC2 instance metadata service (IMDS)'],
  ['169.254.169.253', 'the Amazon DNS server (Route 53 Resolver)'],
  ['169.254.169.123', 'the Amazon Time Sync Service'],
]);

const AWS_LOCAL_V6: ReadonlyMap<number, string> = new Map([
  [0x254, 'the EC2 instance metadata service (IMDS) over IPv6'],
  [0x253, 'the Amazon DNS server (Route 53 Resolver) over IPv6'],
  [0x123, 'the Amazon Time Sync Service over IPv6'],
]);

function classifyV4(o: number[]): IpClassification {
  const [a, b, c, d] = o;
  const text = o.join('.');
  const v = (scope: AddressScope, label: string, note: string): IpClassification => ({ version: 4, scope, label, note });
  if (a === 0) {
    return text === '0.0.0.0'
      ? v('unspecified', 'unspecified (0.0.0.0)', 'Means "no address". It cannot be an end of a real TCP connection.')
      : v('reserved', '"this network" (0.0.0.0/8)', 'Reserved; it cannot be an end of a real TCP connection.');
  }
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
    return v(
      'private',
      'private (RFC 1918)',
      'Not routable on the internet: a host in your VPC or in a network connected to it (peering, Transit Gateway, VPN, Direct Connect).',
    );
  }
  if (a === 100 && b >= 64 && b <= 127) {
    return v(
      'cgnat',
      'shared address space (100.64.0.0/10, RFC 6598)',
      'Meant for carrier-grade NAT. VPCs may also use it as a secondary CIDR block (often for container or pod addresses), so in AWS it is usually a private address.',
    );
  }
  if (a === 127)
    return v(
      'loopback',
      'loopback (127.0.0.0/8)',
      'The host talking to itself. Loopback traffic never crosses a network, so it is odd to see in a firewall log.',
    );
  if (a === 169 && b === 254) {
    const service = AWS_LINK_LOCAL_V4.get(text);
    return v(
      'linkLocal',
      'link-local (169.254.0.0/16)',
      service
        ? `Link-local; in AWS this address is ${service}, which instances reach without passing a firewall endpoint.`
        : 'Valid only on one network link and never routed, so it is odd to see in a firewall log.',
    );
  }
  if (a === 192 && b === 0 && c === 0)
    return v('reserved', 'IETF protocol assignments (192.0.0.0/24)', 'Reserved for special protocol uses; not normal traffic.');
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) {
    return v(
      'documentation',
      'documentation (RFC 5737)',
      'Reserved for examples in documentation; real traffic never uses it, so this line probably comes from an example or test data.',
    );
  }
  if (a === 198 && (b === 18 || b === 19))
    return v('benchmarking', 'benchmarking (198.18.0.0/15, RFC 2544)', 'Reserved for network benchmark tests; not normal traffic.');
  if (a >= 224 && a <= 239)
    return v(
      'multicast',
      'multicast (224.0.0.0/4)',
      'A group address. TLS runs over TCP, which cannot be multicast, so it cannot be an end of this connection.',
    );
  if (a === 255 && b === 255 && c === 255 && d === 255)
    return v('broadcast', 'limited broadcast', 'The broadcast address; it cannot be an end of a TCP connection.');
  if (a >= 240) return v('reserved', 'reserved (240.0.0.0/4)', 'Reserved for future use and not routed; not normal traffic.');
  return v(
    'public',
    'public',
    'A public internet address. To see who holds it, use `whois`; AWS publishes its own ranges in `ip-ranges.json`.',
  );
}

function classifyV6(h: number[], zone: string | undefined): IpClassification {
  const v = (scope: AddressScope, label: string, note: string): IpClassification =>
    zone === undefined ? { version: 6, scope, label, note } : { version: 6, scope, label, note, zone };
  const zeroUpTo = (n: number): boolean => h.slice(0, n).every((x) => x === 0);
  const embedded = (): { address: string; classification: IpClassification } => {
    const octets = [h[6] >> 8, h[6] & 0xff, h[7] >> 8, h[7] & 0xff];
    return { address: octets.join('.'), classification: classifyV4(octets) };
  };
  if (zeroUpTo(8)) return v('unspecified', 'unspecified (::)', 'Means "no address". It cannot be an end of a real TCP connection.');
  if (zeroUpTo(7) && h[7] === 1)
    return v(
      'loopback',
      'loopback (::1)',
      'The host talking to itself. Loopback traffic never crosses a network, so it is odd to see in a firewall log.',
    );
  if (zeroUpTo(5) && h[5] === 0xffff) {
    const inner = embedded();
    return {
      ...v(
        'ipv4Mapped',
        'IPv4-mapped (::ffff:0:0/96)',
        `An IPv4 address written in IPv6 form: the real peer is the IPv4 address in its last 32 bits, which is ${inner.classification.label}.`,
      ),
      embedded: inner,
    };
  }
  if (h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0)) {
    const inner = embedded();
    return {
      ...v(
        'nat64',
        'NAT64 (64:ff9b::/96)',
        `An IPv6-only client reaching an IPv4 server (the address in the last 32 bits, which is ${inner.classification.label}) through NAT64 — in AWS, a NAT gateway with DNS64 turned on for the subnet.`,
      ),
      embedded: inner,
    };
  }
  if ((h[0] & 0xfe00) === 0xfc00) {
    const service = h[0] === 0xfd00 && h[1] === 0x0ec2 && h.slice(2, 7).every((x) => x === 0) ? AWS_LOCAL_V6.get(h[7]) : undefined;
    return v(
      'private',
      'unique local (fc00::/7)',
      service
        ? `The IPv6 counterpart of a private address; in AWS this address is ${service}.`
        : 'The IPv6 counterpart of a private address: not routable on the internet, so a host in your own or a connected network.',
    );
  }
  if ((h[0] & 0xffc0) === 0xfe80)
    return v(
      'linkLocal',
      'link-local (fe80::/10)',
      'Valid only on one network link and never routed, so it is odd to see in a firewall log.',
    );
  if ((h[0] & 0xff00) === 0xff00)
    return v(
      'multicast',
      'multicast (ff00::/8)',
      'A group address. TLS runs over TCP, which cannot be multicast, so it cannot be an end of this connection.',
    );
  if ((h[0] === 0x2001 && h[1] === 0x0db8) || (h[0] === 0x3fff && (h[1] & 0xf000) === 0)) {
    return v(
      'documentation',
      'documentation (2001:db8::/32, 3fff::/20)',
      'Reserved for examples in documentation; real traffic never uses it, so this line probably comes from an example or test data.',
    );
  }
  if (h[0] === 0x2001 && h[1] === 0x0002 && h[2] === 0)
    return v('benchmarking', 'benchmarking (2001:2::/48, RFC 5180)', 'Reserved for network benchmark tests; not normal traffic.');
  if ((h[0] & 0xe000) === 0x2000)
    return v(
      'public',
      'public (global unicast)',
      'A public internet address. To see who holds it, use `whois`; AWS publishes its own ranges in `ip-ranges.json`.',
    );
  return v('reserved', 'reserved', 'Not in a range in use for ordinary addresses (IANA reserved or deprecated), so not normal traffic.');
}

/**
 * Classifies an IPv4 or IPv6 address (IPv6 may carry an embedded IPv4 address and a `%zone`), or returns
 * undefined when `text` is neither. IPv4 parts with leading zeros are refused, as Node's `net.isIP` does.
 */
export function classifyIpAddress(text: string): IpClassification | undefined {
  if (text.includes(':')) {
    const percent = text.indexOf('%');
    const zone = percent >= 0 ? text.slice(percent + 1) : undefined;
    if (zone !== undefined && !/^[^\s%]+$/.test(zone)) return undefined;
    const hextets = parseIPv6(percent >= 0 ? text.slice(0, percent) : text);
    return hextets ? classifyV6(hextets, zone) : undefined;
  }
  const octets = parseIPv4(text);
  return octets ? classifyV4(octets) : undefined;
}

export function explainAddress(field: 'event.src_ip' | 'event.dest_ip', raw: unknown): Explanation {
  const source = field === 'event.src_ip';
  const title = source ? 'Source address (client)' : 'Destination address (server)';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const role: ExplanationSection = {
    text: source
      ? 'The address of the client that opened the connection, as the firewall saw it.'
      : 'The address of the server the client connected to, as the firewall saw it.',
  };
  const kind = classifyIpAddress(raw);
  if (!kind) {
    return {
      field,
      title,
      value: raw,
      facts: [],
      sections: [
        { heading: 'Not an address', text: 'This is neither an IPv4 nor an IPv6 address, so the connection cannot be traced by it.' },
        role,
      ],
    };
  }
  const facts: ExplanationFact[] = [ours('Kind', `IPv${kind.version}, ${kind.label}`)];
  if (kind.embedded) facts.push(untrusted('IPv4 address inside', kind.embedded.address));
  if (kind.zone !== undefined) facts.push(untrusted('Zone ID', kind.zone));
  const sections: ExplanationSection[] = [role, { text: kind.note }];
  const effective = kind.embedded ? kind.embedded.classification.scope : kind.scope;
  // IPv6 addresses in a VPC are global unicast by design: a public IPv6 source is ordinary outbound traffic.
  if (source && effective === 'public' && kind.version === 4) {
    sections.push({
      heading: 'Public client',
      text:
        'Outbound traffic usually comes from private addresses in your VPC. A public source can mean inbound traffic, a ' +
        'subnet that uses public addresses, or traffic translated by NAT before it reached the firewall.',
    });
  } else if (source && effective === 'public') {
    sections.push({
      heading: 'IPv6 client',
      text: 'IPv6 addresses in a VPC are global unicast by design, so a client with such an address is ordinary outbound traffic.',
    });
  } else if (!source && (effective === 'private' || effective === 'cgnat')) {
    sections.push({
      heading: 'Private server',
      text: 'The server is inside your network, so this is east-west traffic (between VPCs, between subnets of the same VPC, or to on-premises) rather than traffic to the internet.',
    });
  }
  return { field, title, value: raw, facts, sections };
}
