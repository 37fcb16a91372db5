/**
 * DNS messages as the tools print them: questions, resource records in presentation form, and
 * the wire size a message has (dig's `MSG SIZE  rcvd:`). CoreDNS writes its answers without name
 * compression unless they exceed 1480 bytes (coredns request.Scrub), so sizes are computed
 * uncompressed: dig against a kubeadm cluster reports 119 bytes for the A answer of
 * `myapp.default.svc.cluster.local.` with an echoed cookie, which is exactly that.
 */

export type RRType = 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'SRV' | 'SOA' | 'TXT' | 'NS' | 'MX' | 'ANY';

export const RR_TYPES: readonly RRType[] = ['A', 'AAAA', 'CNAME', 'PTR', 'SRV', 'SOA', 'TXT', 'NS', 'MX', 'ANY'];

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export const RCODE_NUMBERS: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export type RData =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME' | 'PTR' | 'NS'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { type: 'TXT'; text: string };

export interface RR {
  /** Fully qualified, with the trailing dot. */
  name: string;
  ttl: number;
  data: RData;
}

export interface Question {
  name: string;
  type: RRType;
}

export interface DnsResponse {
  question: Question;
  rcode: Rcode;
  /** Authoritative answer. */
  aa: boolean;
  /** Recursion available. */
  ra: boolean;
  answer: RR[];
  authority: RR[];
  additional: RR[];
}

/** A name as a fully-qualified, lower-case domain name with its trailing dot. */
export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** Wire length of an uncompressed name. */
export function nameLength(name: string): number {
  const labels = fqdn(name).split('.').filter(Boolean);
  return labels.reduce((n, l) => n + l.length + 1, 0) + 1;
}

function rdataLength(d: RData): number {
  switch (d.type) {
    case 'A':
      return 4;
    case 'AAAA':
      return 16;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return nameLength(d.target);
    case 'SRV':
      return 6 + nameLength(d.target);
    case 'SOA':
      return nameLength(d.mname) + nameLength(d.rname) + 20;
    case 'TXT':
      return 1 + Buffer.byteLength(d.text);
  }
}

/** The record's data as dig prints it. */
export function rdataText(d: RData): string {
  switch (d.type) {
    case 'A':
    case 'AAAA':
      return d.address;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return d.target;
    case 'SRV':
      return `${d.priority} ${d.weight} ${d.port} ${d.target}`;
    case 'SOA':
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'TXT':
      return JSON.stringify(d.text);
  }
}

/** EDNS as dig sends it and CoreDNS echoes it: the OPT record, with an 8-byte client cookie option. */
export function optLength(cookie: boolean): number {
  return 11 + (cookie ? 12 : 0);
}

/** The message's size on the wire, uncompressed, with an OPT record. */
export function messageSize(r: DnsResponse, opt: { cookie: boolean } | undefined): number {
  let n = 12 + nameLength(r.question.name) + 4;
  for (const rr of [...r.answer, ...r.authority, ...r.additional]) n += nameLength(rr.name) + 10 + rdataLength(rr.data);
  if (opt) n += optLength(opt.cookie);
  return n;
}

/** The in-addr.arpa name of an IPv4 address, or undefined. */
export function reverseName(ip: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m || m.slice(1).some((p) => Number(p) > 255)) return undefined;
  return `${m[4]}.${m[3]}.${m[2]}.${m[1]}.in-addr.arpa.`;
}

/** The address an in-addr.arpa name stands for, or undefined. */
export function addressFromReverse(name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.$/.exec(fqdn(name));
  if (!m || m.slice(1).some((p) => Number(p) > 255 || (p.length > 1 && p.startsWith('0')))) return undefined;
  return `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
}
