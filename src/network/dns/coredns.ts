/**
 * CoreDNS as kubeadm configures it (the `coredns` ConfigMap):
 *
 *   kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30 }
 *   forward . /etc/resolv.conf
 *   cache 30 { disable success cluster.local; disable denial cluster.local }
 *   loadbalance
 *
 * The kubernetes plugin (coredns plugin/kubernetes: parse.go, kubernetes.go, reverse.go and
 * plugin/backend_lookup.go) answers authoritatively for the cluster zone: Service A records,
 * one A per ready endpoint for headless Services, SRV for `_port._proto.svc.ns.svc.zone`
 * (underscores optional: parseRequest strips a leading `_`, so `_http-port.tcp.…` works too),
 * CNAME for ExternalName, `a-b-c-d.ns.pod.zone`, PTR for Service IPs and endpoint IPs, NXDOMAIN
 * with the zone's SOA otherwise. Everything else goes to `forward`; the simulated cluster has no
 * internet, so the upstream never answers and CoreDNS replies SERVFAIL. `loadbalance` rotates the
 * A records of an answer.
 */
import type { EndpointSlice, Namespace, Service } from '../../api/types.ts';
import { selectorFromSet } from '../../selectors/labels.ts';
import type { ClusterState } from '../../store/state.ts';
import type { Random } from '../../util/random.ts';
import { clusterDomain } from '../context.ts';
import { addressFromReverse, fqdn, type DnsResponse, type Question, type RR, type RRType } from './message.ts';

/** `ttl 30` in kubeadm's Corefile. */
const TTL = 30;

interface Found {
  /** Address or, for ExternalName, the target name. */
  host: string;
  port: number;
  /** Name the record stands for (SRV target / A owner for SRV additional section). */
  domain: string;
  cname: boolean;
}

/** recordRequest (parse.go). */
interface Request {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  podOrSvc: string;
}

function stripUnderscore(s: string): string {
  return s.startsWith('_') ? s.slice(1) : s;
}

/** parseRequest: undefined means errInvalidRequest (NXDOMAIN). */
function parseRequest(base: string): Request | undefined {
  const r: Request = { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' };
  if (base === '' || base === 'svc' || base === 'pod') return r;
  const segs = base.split('.');
  let last = segs.length - 1;
  r.podOrSvc = segs[last];
  if (r.podOrSvc !== 'pod' && r.podOrSvc !== 'svc') return undefined;
  if (--last < 0) return r;
  r.namespace = segs[last];
  if (--last < 0) return r;
  r.service = segs[last];
  if (--last < 0) return r;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) {
    r.protocol = stripUnderscore(segs[1]);
    r.port = stripUnderscore(segs[0]);
  } else return undefined;
  return r;
}

function matchPortAndProtocol(wantPort: string, port: string | undefined, wantProto: string, proto: string | undefined): boolean {
  return (
    (wantPort === '' || wantPort.toLowerCase() === (port ?? '').toLowerCase()) &&
    (wantProto === '' || wantProto.toLowerCase() === (proto ?? 'TCP').toLowerCase())
  );
}

/** endpointHostname: the endpoint's hostname, else its IP with dashes. */
function endpointHostname(hostname: string | undefined, ip: string): string {
  return hostname || ip.replace(/\./g, '-');
}

function namespaceExists(state: ClusterState, ns: string): boolean {
  return !!state.get<Namespace>('namespaces', '', ns);
}

function isHeadless(svc: Service): boolean {
  return svc.spec.clusterIP === 'None';
}

interface ReadyEndpoint {
  ip: string;
  hostname?: string;
  ports: { name?: string; port: number; protocol?: string }[];
}

/** The Service's ready endpoints as CoreDNS's EndpointSlice watch sees them. */
export function readyEndpoints(state: ClusterState, svc: Service): ReadyEndpoint[] {
  const slices = state.select<EndpointSlice>(
    'endpointslices',
    svc.metadata.namespace!,
    selectorFromSet({ 'kubernetes.io/service-name': svc.metadata.name! }),
  );
  const out: ReadyEndpoint[] = [];
  for (const s of slices) {
    if (s.addressType !== 'IPv4') continue;
    const ports = (s.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol }));
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const ip of e.addresses) out.push({ ip, hostname: e.hostname, ports: ports.length ? ports : [{ port: -1 }] });
    }
  }
  return out;
}

/** findServices: undefined means errNoItems (NXDOMAIN). */
function findServices(state: ClusterState, r: Request, zone: string): Found[] | undefined {
  if (!namespaceExists(state, r.namespace)) return undefined;
  if (r.service === '') return [];
  const svc = state.list<Service>('services', r.namespace).find((s) => s.metadata.name!.toLowerCase() === r.service.toLowerCase());
  if (!svc) return undefined;
  const svcDomain = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}`;
  if (svc.spec.type === 'ExternalName') {
    if (r.endpoint) return undefined;
    return [{ host: fqdn(svc.spec.externalName ?? ''), port: 0, domain: svcDomain, cname: true }];
  }
  let found: Found[] | undefined;
  if (isHeadless(svc) || r.endpoint) {
    for (const ep of readyEndpoints(state, svc)) {
      const hostname = endpointHostname(ep.hostname, ep.ip);
      if (r.endpoint && r.endpoint.toLowerCase() !== hostname.toLowerCase()) continue;
      for (const p of ep.ports) {
        if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
        (found ??= []).push({ host: ep.ip, port: p.port, domain: `${hostname}.${svcDomain}`, cname: false });
      }
    }
    return found;
  }
  for (const p of svc.spec.ports ?? []) {
    if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
    found ??= [];
    for (const ip of svc.spec.clusterIPs ?? [svc.spec.clusterIP!]) found.push({ host: ip, port: p.port, domain: svcDomain, cname: false });
  }
  return found;
}

/** The SOA every negative answer of the zone carries (plugin.SOA). */
function soa(state: ClusterState, zone: string): RR {
  // The serial is the time the kubernetes plugin last saw a change.
  const times = state.list<Service>('services').map((s) => Date.parse(s.metadata.creationTimestamp ?? '') || 0);
  const serial = Math.floor(Math.max(Date.parse(state.meta.createdAt) || 0, ...times) / 1000);
  return {
    name: zone,
    ttl: TTL,
    data: { type: 'SOA', mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial, refresh: 7200, retry: 1800, expire: 86400, minimum: TTL },
  };
}

function response(q: Question, partial: Partial<DnsResponse>): DnsResponse {
  return { question: q, rcode: 'NOERROR', aa: false, ra: false, answer: [], authority: [], additional: [], ...partial };
}

/** `loadbalance`: rotate the address records of the answer. */
function rotate(rrs: RR[], rng: Random): RR[] {
  const addrs = rrs.filter((r) => r.data.type === 'A' || r.data.type === 'AAAA');
  if (addrs.length < 2) return rrs;
  const shift = rng.int(addrs.length);
  const rotated = [...addrs.slice(shift), ...addrs.slice(0, shift)];
  let i = 0;
  return rrs.map((r) => (r.data.type === 'A' || r.data.type === 'AAAA' ? rotated[i++] : r));
}

/** What the forward plugin does for names outside the cluster: the upstream is unreachable. */
export function forwardFailure(q: Question): DnsResponse {
  return response(q, { rcode: 'SERVFAIL' });
}

function answerFound(state: ClusterState, q: Question, zone: string, found: Found[]): DnsResponse {
  const answer: RR[] = [];
  const additional: RR[] = [];
  const seen = new Set<string>();
  if (q.type === 'A' || q.type === 'ANY') {
    for (const f of found) {
      if (f.cname) {
        answer.push({ name: q.name, ttl: TTL, data: { type: 'CNAME', target: f.host } });
        // The target is outside the cluster; the upstream lookup of it fails, leaving the CNAME alone.
        continue;
      }
      if (seen.has(f.host)) continue;
      seen.add(f.host);
      answer.push({ name: q.name, ttl: TTL, data: { type: 'A', address: f.host } });
    }
  } else if (q.type === 'CNAME') {
    for (const f of found) if (f.cname) answer.push({ name: q.name, ttl: TTL, data: { type: 'CNAME', target: f.host } });
  } else if (q.type === 'SRV') {
    const usable = found.filter((f) => f.port !== -1);
    const weight = Math.max(1, Math.floor((100 / (100 * usable.length)) * 100));
    for (const f of usable) {
      const target = f.cname ? f.host : fqdn(f.domain);
      const key = `${target}:${f.port}`;
      if (!seen.has(key)) {
        seen.add(key);
        answer.push({ name: q.name, ttl: TTL, data: { type: 'SRV', priority: 0, weight, port: f.port, target } });
      }
      if (!f.cname && !seen.has(`${target}=${f.host}`)) {
        seen.add(`${target}=${f.host}`);
        additional.push({ name: target, ttl: TTL, data: { type: 'A', address: f.host } });
      }
    }
  }
  if (answer.length === 0) return response(q, { aa: true, authority: [soa(state, zone)] });
  return response(q, { aa: true, answer, additional });
}

function clusterZoneAnswer(state: ClusterState, q: Question, zone: string): DnsResponse {
  const nx = () => response(q, { rcode: 'NXDOMAIN', aa: true, authority: [soa(state, zone)] });
  const nodata = () => response(q, { aa: true, authority: [soa(state, zone)] });
  if (q.name === zone) {
    if (q.type === 'SOA') return response(q, { aa: true, answer: [soa(state, zone)] });
    if (q.type === 'NS') return response(q, { aa: true, answer: [{ name: zone, ttl: TTL, data: { type: 'NS', target: `ns.dns.${zone}` } }] });
    return nodata();
  }
  const base = q.name.slice(0, q.name.length - zone.length - 1);
  if (base === 'dns-version') {
    return q.type === 'TXT' ? response(q, { aa: true, answer: [{ name: q.name, ttl: TTL, data: { type: 'TXT', text: '1.0.1' } }] }) : nodata();
  }
  const r = parseRequest(base);
  if (!r) return nx();
  if (r.podOrSvc === '') return nodata();
  if (r.podOrSvc === 'pod') {
    if (!namespaceExists(state, r.namespace)) return nx();
    if (r.service === '') return nodata();
    const ip = r.service.split('-').join('.');
    if (r.service.split('-').length !== 4 || !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.split('.').some((p) => Number(p) > 255)) return nx();
    if (q.type !== 'A' && q.type !== 'ANY') return nodata();
    return response(q, { aa: true, answer: [{ name: q.name, ttl: TTL, data: { type: 'A', address: ip } }] });
  }
  const found = findServices(state, r, zone);
  if (!found) return nx();
  return answerFound(state, q, zone, found);
}

function reverseAnswer(state: ClusterState, q: Question, zone: string): DnsResponse | undefined {
  const ip = addressFromReverse(q.name);
  if (!ip) return undefined;
  const names: string[] = [];
  const svc = state.list<Service>('services').find((s) => (s.spec.clusterIPs ?? [s.spec.clusterIP]).includes(ip));
  if (svc) names.push(`${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}`);
  else {
    for (const s of state.list<Service>('services')) {
      if (s.spec.type === 'ExternalName') continue;
      for (const ep of readyEndpoints(state, s)) {
        if (ep.ip === ip) names.push(`${endpointHostname(ep.hostname, ip)}.${s.metadata.name}.${s.metadata.namespace}.svc.${zone}`);
      }
    }
  }
  // No record: `fallthrough in-addr.arpa` hands the query on to forward.
  if (names.length === 0) return undefined;
  if (q.type !== 'PTR' && q.type !== 'ANY') return response(q, { aa: true, authority: [soa(state, 'in-addr.arpa.')] });
  return response(q, { aa: true, answer: [...new Set(names)].map((n) => ({ name: q.name, ttl: TTL, data: { type: 'PTR' as const, target: fqdn(n) } })) });
}

/** CoreDNS's answer to one question. */
export function coreDnsAnswer(state: ClusterState, question: { name: string; type: RRType }, rng: Random): DnsResponse {
  const q: Question = { name: fqdn(question.name), type: question.type };
  const zone = fqdn(clusterDomain(state));
  if (q.name === zone || q.name.endsWith(`.${zone}`)) {
    const r = clusterZoneAnswer(state, q, zone);
    return { ...r, answer: rotate(r.answer, rng) };
  }
  if (q.name.endsWith('.in-addr.arpa.')) {
    const r = reverseAnswer(state, q, zone);
    if (r) return r;
  }
  return forwardFailure(q);
}
