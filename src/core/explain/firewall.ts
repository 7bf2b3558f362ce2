/** `firewall_name` and `availability_zone`: which firewall endpoint logged the entry, and where. */

import { absentOrWrongType, untrusted, type Explanation, type ExplanationFact, type ExplanationSection } from './explanation';

export function explainFirewallName(raw: unknown): Explanation {
  const title = 'Firewall name';
  if (typeof raw !== 'string') return absentOrWrongType('firewall_name', title, raw, 'a string');
  const sections: ExplanationSection[] = [
    {
      text:
        'The name of the AWS Network Firewall firewall whose endpoint logged this entry, as given when the firewall was ' +
        'created. Delivered to Amazon S3, the name appears in the key (`.../network-firewall/tls/<region>/<firewall>/...`); ' +
        "in CloudWatch Logs, the log stream's name gives the log type and the firewall.",
    },
    {
      heading: 'Look it up',
      text:
        'In the VPC console under **Network Firewall → Firewalls**, or with ' +
        '`aws network-firewall describe-firewall --firewall-name <name>`. Its firewall policy names the TLS inspection ' +
        'configuration whose settings produced this entry.',
    },
  ];
  if (raw.trim() === '') sections.unshift({ text: 'The name is empty on this line, so the entry cannot be traced to a firewall.' });
  return { field: 'firewall_name', title, value: raw, facts: [], sections };
}

/** The Region of an Availability Zone name: `us-east-1d` → `us-east-1`, `us-west-2-lax-1a` → `us-west-2`. */
export function regionOfAvailabilityZone(zone: string): { region: string; localZone: boolean } | undefined {
  const match = /^([a-z]{2}(?:-[a-z]+)+-\d+)([a-z0-9-]*)$/.exec(zone);
  if (!match) return undefined;
  const rest = match[2];
  if (/^[a-z]$/.test(rest)) return { region: match[1], localZone: false };
  if (/^-[a-z0-9-]+[a-z0-9]$/.test(rest)) return { region: match[1], localZone: true };
  return undefined;
}

export function explainAvailabilityZone(raw: unknown): Explanation {
  const title = 'Availability Zone';
  if (typeof raw !== 'string') return absentOrWrongType('availability_zone', title, raw, 'a string');
  const facts: ExplanationFact[] = [];
  const sections: ExplanationSection[] = [
    {
      text:
        'The Availability Zone of the firewall endpoint that logged this entry. A firewall has at least one endpoint per zone ' +
        "it is deployed to (VPC endpoint associations can add more, also in other VPCs), and each endpoint inspects the traffic that the route tables send to it, so one firewall's " +
        'entries can come from several zones.',
    },
  ];
  const region = regionOfAvailabilityZone(raw);
  if (region) {
    facts.push(untrusted('Region', region.region));
    sections.push({
      heading: 'Region',
      text: region.localZone
        ? 'This looks like a Local Zone or Wavelength Zone name; it belongs to the Region its name starts with.'
        : 'The Region is the zone name without its last letter.',
    });
  } else {
    sections.push({
      heading: 'Region',
      text: 'This does not look like an Availability Zone name such as `us-east-1d`, so no Region can be read from it.',
    });
  }
  sections.push({
    heading: 'Across accounts',
    text:
      'Zone names are mapped to physical zones separately for each AWS account: `us-east-1d` in one account need not be ' +
      'the same place as `us-east-1d` in another. To compare, use zone IDs (such as `use1-az4`) from ' +
      '`aws ec2 describe-availability-zones --region <region>`.',
  });
  return { field: 'availability_zone', title, value: raw, facts, sections };
}
