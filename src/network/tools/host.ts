/**
 * BIND's host (bin/dig/host.c): `host NAME` asks for A, AAAA and MX (printing only what exists:
 * `web.default.svc.cluster.local has address 10.96.12.34`), `host ADDRESS` for the PTR
 * (`… domain name pointer …`), `host -t TYPE NAME` for one type; the resolv.conf search list
 * applies. Nothing found: `Host nope not found: 3(NXDOMAIN)`, exit 1.
 */
import { fqdn, RCODE_NUMBERS, reverseName, RR_TYPES, type RR, type RRType } from '../dns/message.ts';
import { getaddrinfo, queryServer, searchCandidates, type ServerReply } from '../dns/resolver.ts';
import { Output, type ToolContext } from './tool.ts';

function bare(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function describe(rr: RR): string {
  const n = bare(rr.name);
  switch (rr.data.type) {
    case 'A':
      return `${n} has address ${rr.data.address}`;
    case 'AAAA':
      return `${n} has IPv6 address ${rr.data.address}`;
    case 'CNAME':
      return `${n} is an alias for ${rr.data.target}`;
    case 'PTR':
      return `${rr.name.replace(/\.$/, '')} domain name pointer ${rr.data.target}`;
    case 'SRV':
      return `${n} has SRV record ${rr.data.priority} ${rr.data.weight} ${rr.data.port} ${rr.data.target}`;
    case 'NS':
      return `${n} name server ${rr.data.target}`;
    case 'TXT':
      return `${n} descriptive text "${rr.data.text}"`;
    case 'SOA':
      return `${n} has SOA record ${rr.data.mname} ${rr.data.rname} ${rr.data.serial} ${rr.data.refresh} ${rr.data.retry} ${rr.data.expire} ${rr.data.minimum}`;
  }
}

export function host(argv: string[], ctx: ToolContext): Output {
  const out = new Output();
  let type: RRType | undefined;
  const positional: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t') {
      const t = (args[++i] ?? '').toUpperCase();
      if (!(RR_TYPES as string[]).includes(t)) return out.err(`host: invalid type: ${args[i]}\n`).exit(1);
      type = t as RRType;
    } else if (a.startsWith('-')) continue;
    else positional.push(a);
  }
  if (positional.length === 0) {
    return out.err('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n').exit(1);
  }
  const [target, serverArg] = positional;
  let server = ctx.place.resolv.nameservers[0] ?? '127.0.0.1';
  let prefix = '';
  if (serverArg) {
    const r = getaddrinfo(ctx.net, ctx.place, serverArg);
    if (!r.ok) return out.err(`host: couldn't get address for '${serverArg}': not found\n`).exit(1);
    server = r.addresses[0];
    prefix = `Using domain server:\nName: ${serverArg}\nAddress: ${server}#53\nAliases: \n\n`;
  }
  const ptr = reverseName(target);
  const types: RRType[] = type ? [type] : ptr ? ['PTR'] : ['A', 'AAAA', 'MX'];
  const names = ptr && !type ? [ptr] : searchCandidates(ctx.place.resolv, target);
  let last: ServerReply | undefined;
  for (const n of names) {
    const first = queryServer(ctx.net, ctx.place, server, { name: fqdn(n), type: types[0] }, {}, ctx.trace);
    last = first;
    if (first.kind !== 'answer') break;
    if (first.response.rcode === 'NXDOMAIN' && n !== names[names.length - 1]) continue;
    if (first.response.rcode !== 'NOERROR') break;
    const lines: string[] = [];
    for (const rr of first.response.answer) lines.push(describe(rr));
    for (const t of types.slice(1)) {
      const r = queryServer(ctx.net, ctx.place, server, { name: fqdn(n), type: t }, {}, ctx.trace);
      if (r.kind === 'answer') for (const rr of r.response.answer) if (rr.data.type !== 'CNAME') lines.push(describe(rr));
    }
    if (lines.length === 0 && n !== names[names.length - 1]) continue;
    return out.out(prefix + lines.map((l) => `${l}\n`).join('')).exit(0);
  }
  if (!last || last.kind !== 'answer') return out.out(`${prefix};; connection timed out; no servers could be reached\n`).exit(1);
  const rcode = last.response.rcode;
  const shown = ptr && !type ? ptr : target;
  return out.out(`${prefix}Host ${shown} not found: ${RCODE_NUMBERS[rcode]}(${rcode})\n`).exit(1);
}
