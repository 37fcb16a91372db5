/**
 * BIND's dig (bin/dig/dig.c, dighost.c), in the version the image carries (9.18 on Alpine/Debian,
 * 9.11 on Ubuntu 18.04; they differ in the EDNS size dig advertises and in the SERVER line).
 *
 * `dig [@server] [-t type] [-x addr] [name] [type] [+short] [+search] [+noall +answer] ...`.
 * The answer is printed with its header, the `.local` multicast-DNS warning dig gives for names
 * under `local.`, the `recursion requested but not available` warning CoreDNS's authoritative
 * answers trigger, the OPT pseudosection with the echoed cookie, the sections, and the
 * statistics (Query time, SERVER, WHEN in the container's UTC, MSG SIZE). No server reachable:
 * 9.18 prints `communications error` lines and repeats the header before `no servers could be
 * reached`; exit 9. NXDOMAIN and SERVFAIL are answers (exit 0).
 */
import type { NetContext } from '../context.ts';
import { fqdn, messageSize, RR_TYPES, reverseName, type DnsResponse, type RRType } from '../dns/message.ts';
import { questionLine, rrLine } from '../dns/present.ts';
import { getaddrinfo, queryServer, searchCandidates, type ServerReply } from '../dns/resolver.ts';
import { DIG_9_18, type DigVersion } from '../images.ts';
import { rdataText } from '../dns/message.ts';
import { randomHex } from '../../util/random.ts';
import { Output, type ToolContext } from './tool.ts';

interface Display {
  cmd: boolean;
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
  stats: boolean;
  short: boolean;
}

interface DigArgs {
  server?: string;
  /** Where @server appeared among the arguments (before the name: `; (1 server found)`). */
  serverBeforeName: boolean;
  name?: string;
  type?: RRType;
  search: boolean;
  tcp: boolean;
  cookie: boolean;
  display: Display;
}

function parseArgs(args: string[]): DigArgs | { error: string } {
  const d: Display = { cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true, short: false };
  const out: DigArgs = { serverBeforeName: false, search: false, tcp: false, cookie: true, display: d };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('@')) {
      out.server = a.slice(1);
      out.serverBeforeName = out.name === undefined;
      continue;
    }
    if (a.startsWith('+')) {
      const opt = a.slice(1).toLowerCase().split('=')[0];
      const on = !opt.startsWith('no');
      const name = on ? opt : opt.slice(2);
      const sections: (keyof Display)[] = ['question', 'answer', 'authority', 'additional', 'stats', 'cmd', 'comments'];
      if (name === 'all') for (const k of sections) d[k] = on;
      else if ((sections as string[]).includes(name)) d[name as keyof Display] = on;
      else if (name === 'short') {
        d.short = on;
        if (on) for (const k of sections) d[k] = false;
      } else if (name === 'search') out.search = on;
      else if (name === 'tcp' || name === 'vc') out.tcp = on;
      else if (name === 'cookie') out.cookie = on;
      else if (['time', 'tries', 'retry', 'ndots', 'recurse', 'edns', 'nssearch', 'trace', 'multiline', 'ttlid', 'class', 'qr', 'identify', 'showsearch'].includes(name)) continue;
      else return { error: `Invalid option: ${a}` };
      continue;
    }
    if (a === '-x') {
      const addr = args[++i] ?? '';
      const rev = reverseName(addr);
      if (!rev) return { error: `Invalid IP address ${addr}` };
      out.name = rev;
      out.type = 'PTR';
      continue;
    }
    if (a === '-t') {
      const t = (args[++i] ?? '').toUpperCase();
      if (!(RR_TYPES as string[]).includes(t)) return { error: `invalid type: ${t}` };
      out.type = t as RRType;
      continue;
    }
    if (a === '-q') {
      out.name = args[++i];
      continue;
    }
    if (a === '-c' || a === '-p' || a === '-b') {
      i++;
      continue;
    }
    if (a === '-4' || a === '-6') continue;
    // dig.c parse_args: a word that names a type (or the class IN) is taken as such the first
    // time; anything else is the name.
    const upper = a.toUpperCase();
    if ((RR_TYPES as string[]).includes(upper) && out.type === undefined) {
      out.type = upper as RRType;
      continue;
    }
    if (upper === 'IN') continue;
    out.name = a;
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime("%a %b %d %H:%M:%S %Z %Y") in the container's UTC. */
function whenText(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function flagsText(r: DnsResponse): string {
  return ['qr', r.aa ? 'aa' : '', 'rd', r.ra ? 'ra' : ''].filter(Boolean).join(' ');
}

function renderAnswer(net: NetContext, v: DigVersion, a: DigArgs, header: string, reply: Extract<ServerReply, { kind: 'answer' }>, serverLabel: string): string {
  const r = reply.response;
  const d = a.display;
  if (d.short) return r.answer.map((rr) => `${rdataText(rr.data)}\n`).join('');
  let s = '';
  if (d.cmd) s += header;
  if (d.comments) {
    s += ';; Got answer:\n';
    if (r.question.name === 'local.' || r.question.name.endsWith('.local.')) {
      s += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
    }
    s += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${net.rng.int(65536)}\n`;
    s += `;; flags: ${flagsText(r)}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${r.additional.length + 1}\n`;
    if (!r.ra) s += ';; WARNING: recursion requested but not available\n';
    s += '\n;; OPT PSEUDOSECTION:\n';
    s += `; EDNS: version: 0, flags:; udp: ${v.udpSize}\n`;
    if (a.cookie) s += `; COOKIE: ${randomHex(net.rng, 16)} (echoed)\n`;
  }
  if (d.question) s += `${d.comments ? ';; QUESTION SECTION:\n' : ''}${questionLine(r.question)}\n${d.comments ? '\n' : ''}`;
  const section = (title: string, on: boolean, rrs: typeof r.answer) => {
    if (!on || rrs.length === 0) return;
    if (d.comments) s += `;; ${title} SECTION:\n`;
    for (const rr of rrs) s += `${rrLine(rr)}\n`;
    if (d.comments) s += '\n';
  };
  section('ANSWER', d.answer, r.answer);
  section('AUTHORITY', d.authority, r.authority);
  section('ADDITIONAL', d.additional, r.additional);
  if (d.stats) {
    s += `;; Query time: ${net.rng.int(3)} msec\n`;
    s += `;; SERVER: ${reply.server}#53(${serverLabel})${v.serverProtocol ? ` (${a.tcp ? 'TCP' : 'UDP'})` : ''}\n`;
    s += `;; WHEN: ${whenText(net.now)}\n`;
    s += `;; MSG SIZE  rcvd: ${messageSize(r, { cookie: a.cookie })}\n\n`;
  }
  return s;
}

export function dig(argv: string[], ctx: ToolContext): Output {
  const out = new Output();
  const v = ctx.place.image.dig ?? DIG_9_18;
  const parsed = parseArgs(argv.slice(1));
  if ('error' in parsed) return out.err(`${parsed.error}\n`).exit(1);
  const a = parsed;
  const type: RRType = a.type ?? (a.name === undefined ? 'NS' : 'A');
  const name = a.name === undefined ? '.' : a.name;

  let servers = ctx.place.resolv.nameservers;
  let serverLabel: string | undefined;
  if (a.server !== undefined) {
    const r = getaddrinfo(ctx.net, ctx.place, a.server);
    if (!r.ok) return out.err(`dig: couldn't get address for '${a.server}': not found\n`).exit(10);
    servers = [r.addresses[0]];
    serverLabel = a.server;
  }
  const header = `\n; <<>> DiG ${v.version} <<>> ${argv.slice(1).join(' ')}\n${a.server !== undefined && a.serverBeforeName ? '; (1 server found)\n' : ''};; global options: +cmd\n`;

  const ask = (qname: string): ServerReply => {
    let last: ServerReply = { kind: 'timeout', server: servers[0] ?? '' };
    for (const s of servers) {
      last = queryServer(ctx.net, ctx.place, s, { name: qname, type }, { protocol: a.tcp ? 'TCP' : 'UDP' }, ctx.trace);
      if (last.kind === 'answer') return last;
    }
    return last;
  };

  const names = a.search && a.name !== undefined ? searchCandidates(ctx.place.resolv, name) : [name];
  let reply: ServerReply | undefined;
  for (const n of names) {
    reply = ask(fqdn(n));
    if (reply.kind !== 'answer' || reply.response.rcode !== 'NXDOMAIN') break;
  }
  if (!reply) return out.exit(0);
  if (reply.kind !== 'answer') {
    const why = reply.kind === 'refused' ? 'connection refused' : 'timed out';
    if (v.serverProtocol) {
      if (a.display.cmd) out.out(header);
      for (let i = 0; i < 3; i++) out.out(`;; communications error to ${reply.server}#53: ${why}\n`);
      if (a.display.cmd) out.out(header);
      out.out(';; no servers could be reached\n');
      if (a.display.cmd) out.out('\n');
    } else {
      if (a.display.cmd) out.out(header);
      out.out(';; connection timed out; no servers could be reached\n');
    }
    return out.exit(9);
  }
  out.out(renderAnswer(ctx.net, v, a, header, reply, serverLabel ?? reply.server));
  return out.exit(0);
}
