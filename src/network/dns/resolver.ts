/**
 * Name resolution as programs in a place see it.
 *
 * queryServer sends one question to a DNS server address from a place: the cluster DNS Service
 * (through kube-proxy to a CoreDNS pod, so a CoreDNS with no ready pod means "connection
 * refused"), a CoreDNS pod directly, the docker network's resolver at the nodes' gateway (which
 * knows the node names), or the outside machine's local stub resolver (systemd-resolved, which
 * serves its /etc/hosts and has no upstream). Anything else does not answer: the simulated
 * cluster has no internet.
 *
 * getaddrinfo is the C library's lookup: /etc/hosts first, then DNS through resolv.conf's
 * nameservers, trying the search list when the name has fewer dots than `ndots` (after the name
 * itself otherwise), as glibc's res_nsearch and musl's name_from_dns_search do.
 */
import { findListener, hostListeners, podListeners } from '../apps/index.ts';
import { nodeIP, nodes, outsideIP, type NetContext } from '../context.ts';
import type { Place } from '../place.ts';
import { connect } from '../proxy/kube-proxy.ts';
import type { Trace } from '../trace.ts';
import { coreDnsAnswer } from './coredns.ts';
import { ndotsOf, parseHosts, type ResolvConf } from './files.ts';
import { fqdn, rdataText, type DnsResponse, type Question, type RR, type RRType } from './message.ts';

export type ServerReply =
  | { kind: 'answer'; response: DnsResponse; server: string }
  | { kind: 'timeout'; server: string }
  | { kind: 'refused'; server: string };

function emptyResponse(q: Question, rcode: DnsResponse['rcode'], ra: boolean): DnsResponse {
  return { question: q, rcode, aa: false, ra, answer: [], authority: [], additional: [] };
}

/** A resolver that knows some host names (from a hosts file or docker) and has no upstream. */
function hostsResolver(q: Question, known: { ip: string; names: string[] }[]): DnsResponse {
  const name = fqdn(q.name);
  const hit = known.filter((e) => e.names.some((n) => fqdn(n) === name));
  if (hit.length === 0) return emptyResponse(q, 'SERVFAIL', true);
  if (q.type !== 'A' && q.type !== 'ANY') return emptyResponse(q, 'NOERROR', true);
  return { ...emptyResponse(q, 'NOERROR', true), answer: hit.map((e) => ({ name, ttl: 600, data: { type: 'A' as const, address: e.ip } })) };
}

/** Ask one server one question. */
export function queryServer(
  net: NetContext,
  from: Place,
  server: string,
  question: { name: string; type: RRType },
  opts: { protocol?: 'UDP' | 'TCP' } = {},
  trace?: Trace,
): ServerReply {
  const q: Question = { name: fqdn(question.name), type: question.type };
  const { state } = net;
  if (from.kind === 'outside' && (server === '127.0.0.53' || server === '127.0.0.1')) {
    const response = hostsResolver(q, parseHosts(from.hostsFile));
    trace?.add('dns', `the local resolver (${server}) knows the names in /etc/hosts and has no upstream: ${q.name} ${q.type} -> ${response.rcode}`);
    return { kind: 'answer', server, response };
  }
  if (server === outsideIP(state) && from.kind !== 'outside') {
    // The docker network's embedded resolver: the node containers' names, no upstream.
    const known = nodes(state).map((n) => ({ ip: nodeIP(n), names: [n.metadata.name!] }));
    const response = hostsResolver(q, known);
    trace?.add('dns', `the nodes' resolver (${server}) knows the node names and has no upstream; it is not the cluster DNS: ${q.name} ${q.type} -> ${response.rcode}`);
    return { kind: 'answer', server, response };
  }
  const protocol = opts.protocol ?? 'UDP';
  const conn = connect(net, { from, ip: server, port: 53, protocol }, trace);
  if (!conn.ok) return conn.error === 'refused' ? { kind: 'refused', server } : { kind: 'timeout', server };
  const d = conn.delivery;
  const bound = d.kind === 'pod' ? podListeners(state, d.pod) : d.node ? hostListeners(state, d.node, d.ip) : [];
  const l = findListener(bound, d.port, protocol);
  if (!l || l.instance.image.app !== 'coredns') {
    trace?.add('fail', `nothing serves DNS on ${d.ip}:${d.port}/${protocol}`);
    return { kind: 'refused', server };
  }
  const response = coreDnsAnswer(state, q, net.rng);
  if (d.kind === 'pod') {
    const got = response.answer.map((rr) => `${rr.data.type} ${rdataText(rr.data)}`).join(', ');
    trace?.add('dns', `CoreDNS pod ${d.pod.metadata.namespace}/${d.pod.metadata.name} answers ${q.name} ${q.type}: ${response.rcode}${got ? `, ${got}` : ''}`);
  }
  return { kind: 'answer', server, response };
}

/** The names a lookup of `name` tries, in order. */
export function searchCandidates(conf: ResolvConf, name: string): string[] {
  if (name.endsWith('.')) return [name];
  const dots = (name.match(/\./g) ?? []).length;
  const withSearch = conf.search.filter((d) => d && d !== '.').map((d) => `${name}.${d}`);
  return dots >= ndotsOf(conf) ? [name, ...withSearch] : [...withSearch, name];
}

export type LookupError = 'NXDOMAIN' | 'SERVFAIL' | 'timeout' | 'refused';

export type LookupResult =
  | { ok: true; addresses: string[]; name: string; from: 'hosts' | 'dns' | 'literal' }
  | { ok: false; error: LookupError };

function addressesOf(rrs: RR[]): string[] {
  return rrs.flatMap((r) => (r.data.type === 'A' ? [r.data.address] : []));
}

/** Ask the place's nameservers in turn, as the stub resolver does. */
export function askNameservers(net: NetContext, place: Place, q: { name: string; type: RRType }, trace?: Trace): ServerReply {
  let last: ServerReply = { kind: 'timeout', server: place.resolv.nameservers[0] ?? '' };
  for (const server of place.resolv.nameservers) {
    last = queryServer(net, place, server, q, {}, trace);
    if (last.kind === 'answer') return last;
  }
  return last;
}

/** getaddrinfo(name) for IPv4 addresses. */
export function getaddrinfo(net: NetContext, place: Place, name: string, trace?: Trace): LookupResult {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return { ok: true, addresses: [name], name, from: 'literal' };
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost') return { ok: true, addresses: ['127.0.0.1'], name, from: 'hosts' };
  const hosts = parseHosts(place.hostsFile).filter((e) => e.names.some((n) => n.toLowerCase() === lower));
  if (hosts.length) {
    trace?.add('dns', `${name} is in /etc/hosts: ${hosts.map((h) => h.ip).join(', ')}`);
    return { ok: true, addresses: hosts.map((h) => h.ip), name, from: 'hosts' };
  }
  if (place.resolv.nameservers.length === 0) return { ok: false, error: 'NXDOMAIN' };
  const candidates = searchCandidates(place.resolv, name);
  const server = place.resolv.nameservers[0];
  const dots = (name.match(/\./g) ?? []).length;
  trace?.add(
    'dns',
    name.endsWith('.')
      ? `${name} is absolute: asking ${server}`
      : `${name} has ${dots} dot${dots === 1 ? '' : 's'} (ndots:${ndotsOf(place.resolv)}): asking ${server} for ${candidates.length === 1 ? candidates[0] : `${candidates.join(', ')} in turn`}`,
  );
  let sawServfail = false;
  for (const candidate of candidates) {
    const reply = askNameservers(net, place, { name: candidate, type: 'A' });
    if (reply.kind === 'refused') {
      trace?.add('fail', `the DNS server ${reply.server} refused the query (nothing answers on port 53 there)`);
      return { ok: false, error: 'refused' };
    }
    if (reply.kind === 'timeout') {
      trace?.add('fail', `no DNS server answered (${place.resolv.nameservers.join(', ')})`);
      return { ok: false, error: 'timeout' };
    }
    const r = reply.response;
    const addrs = addressesOf(r.answer);
    if (r.rcode === 'NOERROR' && addrs.length) {
      trace?.detail(`${fqdn(candidate)} A -> ${addrs.join(', ')}`);
      return { ok: true, addresses: addrs, name: candidate, from: 'dns' };
    }
    const cname = r.answer.find((a) => a.data.type === 'CNAME');
    const what = r.rcode !== 'NOERROR' ? r.rcode : cname && cname.data.type === 'CNAME' ? `CNAME ${cname.data.target}, which does not resolve` : 'no A record';
    trace?.detail(`${fqdn(candidate)} A -> ${what}`);
    if (r.rcode === 'SERVFAIL') sawServfail = true;
  }
  return { ok: false, error: sawServfail ? 'SERVFAIL' : 'NXDOMAIN' };
}
