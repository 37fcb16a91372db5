/**
 * nslookup, in the two flavours images carry:
 *
 * - BusyBox (networking/nslookup.c, the resolver-independent version since 1.29): the server as
 *   `Address:\t10.96.0.10:53`; A and AAAA queries sent together, and for a name without dots one
 *   query per search domain (add_query_with_search; `ndots` is ignored); every reply printed in
 *   turn: `Name:\t<name>` / `Address: <ip>`, `** server can't find <name>: NXDOMAIN`, or nothing but
 *   a blank line for an empty answer (as for AAAA of an IPv4 Service). Exit 0 whatever the answers.
 * - BIND (9.18 / 9.11): `Address:\t10.96.0.10#53`, the resolv.conf search list and ndots,
 *   `Name:\t<fqdn>` / `Address: <ip>` for the first name that resolves, or
 *   `** server can't find <name>: NXDOMAIN` (exit 1).
 */
import { fqdn, reverseName, RR_TYPES, type DnsResponse, type RR, type RRType } from '../dns/message.ts';
import { getaddrinfo, queryServer, searchCandidates, type ServerReply } from '../dns/resolver.ts';
import { Output, type ToolContext } from './tool.ts';

function bare(name: string): string {
  return name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name;
}

interface Args {
  name?: string;
  server?: string;
  type?: RRType;
}

function parseArgs(args: string[]): Args | { usage: true } {
  const out: Args = {};
  for (const a of args) {
    if (a.startsWith('-')) {
      const m = /^-(type|querytype|query|q|ty)=(.*)$/i.exec(a);
      if (m && (RR_TYPES as string[]).includes(m[2].toUpperCase())) out.type = m[2].toUpperCase() as RRType;
      else if (!/^-(debug|port=.*|timeout=.*|retry=.*|t=.*)$/i.test(a)) return { usage: true };
      continue;
    }
    if (out.name === undefined) out.name = a;
    else if (out.server === undefined) out.server = a;
    else return { usage: true };
  }
  if (out.name === undefined) return { usage: true };
  return out;
}

function serverAddress(ctx: ToolContext, server: string | undefined): string | undefined {
  if (server === undefined) return ctx.place.resolv.nameservers[0] ?? '127.0.0.1';
  const r = getaddrinfo(ctx.net, ctx.place, server);
  return r.ok ? r.addresses[0] : undefined;
}

// ------------------------------------------------------------------ BusyBox

function busyboxRecord(rr: RR): string {
  const name = bare(rr.name);
  switch (rr.data.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${name}\nAddress: ${rr.data.address}\n`;
    case 'CNAME':
      return `${name}\tcanonical name = ${bare(rr.data.target)}\n`;
    case 'PTR':
      return `${name}\tname = ${bare(rr.data.target)}\n`;
    case 'NS':
      return `${name}\tnameserver = ${bare(rr.data.target)}\n`;
    case 'TXT':
      return `${name}\ttext = "${rr.data.text}"\n`;
    case 'SOA':
      return `${name}\n\torigin = ${bare(rr.data.mname)}\n\tmail addr = ${bare(rr.data.rname)}\n\tserial = ${rr.data.serial}\n\trefresh = ${rr.data.refresh}\n\tretry = ${rr.data.retry}\n\texpire = ${rr.data.expire}\n\tminimum = ${rr.data.minimum}\n`;
    default:
      return '';
  }
}

const BUSYBOX_USAGE =
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n';

function busyboxNslookup(argv: string[], ctx: ToolContext): Output {
  const out = new Output();
  const a = parseArgs(argv.slice(1));
  if ('usage' in a) return out.err(BUSYBOX_USAGE).exit(1);
  const server = serverAddress(ctx, a.server);
  if (!server) return out.err(`nslookup: bad address '${a.server}'\n`).exit(1);
  const queries: { name: string; type: RRType }[] = [];
  const ptr = reverseName(a.name!);
  const search = ctx.place.resolv.search;
  const withSearch = (type: RRType) => {
    if (type === 'PTR' || search.length === 0 || a.name!.includes('.')) queries.push({ name: a.name!, type });
    else for (const d of search) queries.push({ name: `${a.name}.${d}`, type });
  };
  if (a.type) withSearch(a.type);
  else if (ptr) queries.push({ name: bare(ptr), type: 'PTR' });
  else {
    withSearch('A');
    withSearch('AAAA');
  }
  const replies: ServerReply[] = queries.map((q) => queryServer(ctx.net, ctx.place, server, q, {}, ctx.trace));
  if (replies.every((r) => r.kind !== 'answer')) {
    return out.out(';; connection timed out; no servers could be reached\n\n').exit(1);
  }
  out.out(`Server:\t\t${a.server ?? server}\nAddress:\t${server}:53\n\n`);
  queries.forEach((q, i) => {
    const r = replies[i];
    if (r.kind !== 'answer') return;
    const res: DnsResponse = r.response;
    if (res.rcode !== 'NOERROR') {
      out.out(`** server can't find ${q.name}: ${res.rcode}\n\n`);
      return;
    }
    let text = res.aa ? '' : 'Non-authoritative answer:\n';
    for (const rr of res.answer) text += busyboxRecord(rr);
    out.out(`${text}\n`);
  });
  const unanswered = queries.filter((_, i) => replies[i].kind !== 'answer');
  if (unanswered.length) out.out(`${unanswered.map((q) => `*** Can't find ${q.name}: No answer\n`).join('')}\n`);
  return out.exit(0);
}

// ------------------------------------------------------------------ BIND

function bindRecord(rr: RR): string {
  const name = bare(rr.name);
  switch (rr.data.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${name}\nAddress: ${rr.data.address}\n`;
    case 'CNAME':
      return `${name}\tcanonical name = ${rr.data.target}\n`;
    case 'PTR':
      return `${name}\tname = ${rr.data.target}\n`;
    case 'NS':
      return `${name}\tnameserver = ${rr.data.target}\n`;
    case 'SRV':
      return `${name}\tservice = ${rr.data.priority} ${rr.data.weight} ${rr.data.port} ${rr.data.target}\n`;
    case 'TXT':
      return `${name}\ttext = "${rr.data.text}"\n`;
    case 'SOA':
      return `${name}\n\torigin = ${rr.data.mname}\n\tmail addr = ${rr.data.rname}\n\tserial = ${rr.data.serial}\n\trefresh = ${rr.data.refresh}\n\tretry = ${rr.data.retry}\n\texpire = ${rr.data.expire}\n\tminimum = ${rr.data.minimum}\n`;
    default:
      return '';
  }
}

function bindNslookup(argv: string[], ctx: ToolContext): Output {
  const out = new Output();
  const a = parseArgs(argv.slice(1));
  if ('usage' in a) return out.out('Usage: nslookup [-opt ...] host [server]\n').exit(1);
  const server = serverAddress(ctx, a.server);
  if (!server) return out.err(`nslookup: couldn't get address for '${a.server}': not found\n`).exit(1);
  const header = `Server:\t\t${a.server ?? server}\nAddress:\t${server}#53\n\n`;
  const ptr = reverseName(a.name!);
  const types: RRType[] = a.type ? [a.type] : ptr ? ['PTR'] : ['A', 'AAAA'];
  const names = ptr && !a.type ? [ptr] : searchCandidates(ctx.place.resolv, a.name!);
  let last: ServerReply | undefined;
  for (const n of names) {
    const replies = types.map((type) => queryServer(ctx.net, ctx.place, server, { name: fqdn(n), type }, {}, ctx.trace));
    const first = replies[0];
    last = first;
    if (first.kind !== 'answer') break;
    if (first.response.rcode === 'NXDOMAIN') continue;
    if (first.response.rcode !== 'NOERROR') break;
    const answers = replies.flatMap((r) => (r.kind === 'answer' ? r.response.answer : []));
    if (answers.length === 0 && names.indexOf(n) < names.length - 1) continue;
    let text = header;
    if (!first.response.aa) text += 'Non-authoritative answer:\n';
    for (const rr of answers) text += bindRecord(rr);
    if (answers.length === 0) text += `*** Can't find ${a.name}: No answer\n`;
    return out.out(`${text}\n`).exit(0);
  }
  if (!last || last.kind !== 'answer') return out.out(';; connection timed out; no servers could be reached\n\n').exit(1);
  return out.out(`${header}** server can't find ${ptr && !a.type ? bare(ptr) : a.name}: ${last.response.rcode}\n\n`).exit(1);
}

export function nslookup(argv: string[], ctx: ToolContext): Output {
  return ctx.place.image.nslookup === 'busybox' ? busyboxNslookup(argv, ctx) : bindNslookup(argv, ctx);
}
