/**
 * Where ingress-nginx sends an HTTP request: the nginx configuration it generates from the
 * Ingresses it serves (kubernetes/ingress-nginx internal/ingress/controller/controller.go
 * createServers / getBackendServers, rootfs/etc/nginx/template/nginx.tmpl, internal/ingress/
 * controller/template/template.go buildLocation / buildProxyPass / buildServerName), then nginx's
 * own server and location selection.
 *
 * Servers: one per rule host, plus the catch-all server `_` for rules without a host. A request
 * picks the server whose name equals its Host (lower-cased, port removed), else a wildcard
 * server (`*.foo.com` becomes the regex `^[\w-]+\.foo\.com$`: exactly one more label), else
 * `_`; paths of `_` are not tried for a host that has its own server.
 *
 * Locations of a server: every rule path, and `/` going to the default backend (the controller's
 * own 404) unless a rule claims `/`, or the Ingress that introduced the host has a
 * spec.defaultBackend (for `_`: the first Ingress with a defaultBackend and no rules). Prefix
 * paths match whole path elements (a `/foo` rule becomes `location /foo/` plus `location = /foo`,
 * so `/foo`, `/foo/` and `/foo/bar` match and `/foobar` does not); Exact paths are `location =`;
 * ImplementationSpecific paths are plain nginx prefixes (`/foo` also matches `/foobar`). nginx
 * takes an exact match, else the longest prefix.
 *
 * When any location of a server comes from an Ingress with `nginx.ingress.kubernetes.io/use-regex:
 * "true"` or `nginx.ingress.kubernetes.io/rewrite-target`, every location of that server becomes
 * a case-insensitive regex anchored at the start (`~* "^<path>"`), tried longest path first;
 * Exact paths then lose their exactness, as in ingress-nginx. rewrite-target replaces the whole
 * URI with the target, `$1`... taken from the location's path regex (`rewrite "(?i)<path>"
 * <target> break;`), and keeps the query string.
 *
 * When two Ingresses claim the same host and path, the older one wins; an Exact path wins over
 * the `=` twin of a Prefix path with the same text (ingress-nginx adds the twin only when no
 * Exact location exists).
 */
import type { EndpointSlice, Ingress, IngressBackend, Node, Pod, Service } from '../api/types.ts';
import { selectorFromSet } from '../selectors/labels.ts';
import type { ClusterState } from '../store/state.ts';
import { controllerConfig, runningControllerPods, servedIngresses } from './controller.ts';

export interface IngressRoute {
  ingress: Ingress;
  service: string;
  namespace: string;
  port: number | string;
  /** The request URI sent to the backend: after rewrite-target, with the query string. */
  path: string;
}

export type IngressDecision = { kind: 'route'; route: IngressRoute } | { kind: 'default-backend-404' };

const REWRITE_TARGET = 'nginx.ingress.kubernetes.io/rewrite-target';
const USE_REGEX = 'nginx.ingress.kubernetes.io/use-regex';
const CATCH_ALL = '_';

interface Backend {
  ingress: Ingress;
  service: string;
  port: number | string;
}

interface Location {
  path: string;
  /** `=` (exact) or a prefix location. */
  exact: boolean;
  /** undefined: the controller's default backend (404). */
  backend?: Backend;
  /** The Ingress whose annotations configure the location. */
  ingress?: Ingress;
  /** The root location nobody claimed yet (replaced by a rule for `/`). */
  isDefault: boolean;
  /** The `=` twin of a Prefix path, which yields to an Exact path of the same text. */
  prefixTwin?: boolean;
}

interface Server {
  host: string;
  locations: Location[];
}

function serviceBackend(ing: Ingress, b: IngressBackend | undefined): Backend | undefined {
  const s = b?.service;
  if (!s) return undefined;
  const port = s.port?.number ?? s.port?.name ?? '';
  return { ingress: ing, service: s.name, port };
}

function annotation(ing: Ingress | undefined, key: string): string {
  return ing?.metadata.annotations?.[key] ?? '';
}

/** createServers + the rule paths of getBackendServers. */
function buildServers(ingresses: Ingress[]): Map<string, Server> {
  const servers = new Map<string, Server>();
  // A host's root location counts as a default (a rule for `/` replaces it) even when it uses
  // the Ingress's defaultBackend; the catch-all server's does not once an Ingress claimed it.
  const root = (backend: Backend | undefined, ingress: Ingress | undefined, isDefault: boolean): Location => ({
    path: '/',
    exact: false,
    backend,
    ingress,
    isDefault,
  });
  servers.set(CATCH_ALL, { host: CATCH_ALL, locations: [root(undefined, undefined, true)] });

  for (const ing of ingresses) {
    const defaultBackend = serviceBackend(ing, ing.spec?.defaultBackend);
    const rules = ing.spec?.rules ?? [];
    const catchAllRoot = servers.get(CATCH_ALL)!.locations[0];
    if (defaultBackend && rules.length === 0 && catchAllRoot.isDefault) {
      // "Ingress defines a backend but no rule": it becomes the catch-all server's backend.
      servers.get(CATCH_ALL)!.locations[0] = root(defaultBackend, ing, false);
    }
    for (const rule of rules) {
      const host = (rule.host ?? '').toLowerCase() || CATCH_ALL;
      if (!servers.has(host)) servers.set(host, { host, locations: [root(defaultBackend, ing, true)] });
    }
  }

  for (const ing of ingresses) {
    for (const rule of ing.spec?.rules ?? []) {
      const server = servers.get((rule.host ?? '').toLowerCase() || CATCH_ALL)!;
      for (const p of rule.http?.paths ?? []) {
        const backend = serviceBackend(ing, p.backend);
        if (!backend) continue; // resource backends are not supported by ingress-nginx
        const path = p.path || '/';
        const wanted: Location[] = [];
        if (p.pathType === 'Exact') wanted.push({ path, exact: true, backend, ingress: ing, isDefault: false });
        else if (p.pathType === 'Prefix' && path !== '/') {
          const bare = path.replace(/\/+$/, '') || '/';
          wanted.push({ path: `${bare}/`, exact: false, backend, ingress: ing, isDefault: false });
          wanted.push({ path: bare, exact: true, backend, ingress: ing, isDefault: false, prefixTwin: true });
        } else wanted.push({ path, exact: false, backend, ingress: ing, isDefault: false });
        for (const loc of wanted) {
          const same = server.locations.findIndex((l) => l.path === loc.path && l.exact === loc.exact);
          if (same < 0) {
            server.locations.push(loc);
            continue;
          }
          const existing = server.locations[same];
          if (existing.isDefault || (existing.prefixTwin && !loc.prefixTwin)) server.locations[same] = loc;
          // otherwise an older Ingress (or an Exact path) already owns this location
        }
      }
    }
  }
  return servers;
}

/** nginx server_name selection (exact, then ingress-nginx's one-label wildcard regex, then `_`). */
function selectServer(servers: Map<string, Server>, hostHeader: string): Server {
  const host = hostHeader.replace(/:\d*$/, '').replace(/\.$/, '').toLowerCase();
  const exact = servers.get(host);
  if (exact && host !== CATCH_ALL) return exact;
  const wildcards = [...servers.keys()].filter((h) => h.startsWith('*.')).sort();
  for (const w of wildcards) {
    const suffix = w.slice(2);
    if (host.endsWith(`.${suffix}`) && /^[\w-]+$/.test(host.slice(0, host.length - suffix.length - 1))) return servers.get(w)!;
  }
  return servers.get(CATCH_ALL)!;
}

/** enforceRegexModifier: some location of the server asks for regex paths. */
function enforcesRegex(server: Server): boolean {
  return server.locations.some((l) => annotation(l.ingress, USE_REGEX) === 'true' || annotation(l.ingress, REWRITE_TARGET) !== '');
}

/** A PCRE location pattern as a JavaScript RegExp (`(?i)` becomes the `i` flag). */
function pcre(pattern: string, anchored: boolean): RegExp | undefined {
  try {
    return new RegExp((anchored ? '^' : '') + pattern.replace(/^\(\?i\)/, ''), 'i');
  } catch {
    return undefined;
  }
}

function selectLocation(server: Server, uri: string): Location | undefined {
  if (enforcesRegex(server)) {
    // Sorted by path length, longest first (ingress-nginx sorts locations so), first match wins.
    const ordered = [...server.locations]
      .sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0))
      .sort((a, b) => b.path.length - a.path.length);
    return ordered.find((l) => pcre(l.path, true)?.test(uri));
  }
  const exact = server.locations.find((l) => l.exact && l.path === uri);
  if (exact) return exact;
  let best: Location | undefined;
  for (const l of server.locations) {
    if (!l.exact && uri.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l;
  }
  return best;
}

/** nginx `rewrite <regex> <replacement> break;`: the whole URI becomes the replacement. */
function rewrite(location: Location, uri: string, query: string): string {
  const target = annotation(location.ingress, REWRITE_TARGET);
  const withQuery = (u: string) => (query ? `${u}?${query}` : u);
  if (!target || (location.path === '/' && target === '/')) return withQuery(uri);
  const m = pcre(location.path, false)?.exec(uri);
  if (!m) return withQuery(uri);
  const replaced = target.replace(/\$(\d)|\$\{(\d)\}/g, (_, a: string | undefined, b: string | undefined) => m[Number(a ?? b)] ?? '');
  if (replaced.endsWith('?')) return replaced.slice(0, -1);
  if (replaced.includes('?')) return query ? `${replaced}&${query}` : replaced;
  return withQuery(replaced);
}

/**
 * Where ingress-nginx sends `GET <path>` with `Host: <host>`: a Service backend (with the URI the
 * backend receives), or the controller's default backend, which answers 404.
 */
export function routeIngress(state: ClusterState, host: string, path: string): IngressDecision {
  const q = path.indexOf('?');
  const uri = (q < 0 ? path : path.slice(0, q)) || '/';
  const query = q < 0 ? '' : path.slice(q + 1);
  const servers = buildServers(servedIngresses(state));
  const location = selectLocation(selectServer(servers, host), uri);
  if (!location?.backend) return { kind: 'default-backend-404' };
  const b = location.backend;
  return {
    kind: 'route',
    route: { ingress: b.ingress, service: b.service, namespace: b.ingress.metadata.namespace!, port: b.port, path: rewrite(location, uri, query) },
  };
}

/** ingress-nginx's upstream name for a backend, as its access log shows it: `<ns>-<service>-<port>`. */
export function upstreamName(route: IngressRoute): string {
  return `${route.namespace}-${route.service}-${route.port}`;
}

export interface BackendEndpoint {
  ip: string;
  port: number;
  /** The pod behind the endpoint, if the EndpointSlice names one. */
  pod?: { namespace: string; name: string };
  nodeName?: string;
}

/**
 * The endpoints ingress-nginx balances a route's requests over (round robin, straight to the
 * pods, bypassing the Service's cluster IP): the ready endpoints of the Service port the backend
 * names, from the Service's EndpointSlices. Empty (a 503 from ingress-nginx) when the Service or
 * the port does not exist or nothing is ready.
 */
export function backendEndpoints(state: ClusterState, route: IngressRoute): BackendEndpoint[] {
  const svc = state.get<Service>('services', route.namespace, route.service);
  if (!svc) return [];
  const sp = (svc.spec.ports ?? []).find((p) => (typeof route.port === 'number' ? p.port === route.port : p.name === route.port));
  if (!sp) return [];
  const slices = state.select<EndpointSlice>('endpointslices', route.namespace, selectorFromSet({ 'kubernetes.io/service-name': route.service }));
  const out: BackendEndpoint[] = [];
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === (sp.name ?? '') && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
    if (!port) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) {
        out.push({
          ip,
          port: port.port,
          ...(ep.targetRef?.kind === 'Pod' ? { pod: { namespace: ep.targetRef.namespace ?? route.namespace, name: ep.targetRef.name ?? '' } } : {}),
          ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
        });
      }
    }
  }
  return out;
}

export type ControllerAddressKind = 'pod' | 'cluster-ip' | 'node-port' | 'host-port' | 'external-ip' | 'load-balancer';

/**
 * Where the ingress-nginx controller's HTTP listener can be reached: its pods' port 80, the
 * controller Service's cluster IP, node ports (every node), external IPs and load-balancer
 * addresses, and host ports (the nodes running a controller pod). `via` says which, since only
 * node ports, host ports, external IPs and load-balancer addresses are reachable from outside.
 */
export function ingressControllerAddresses(state: ClusterState): { ip: string; port: number; via: ControllerAddressKind }[] {
  const cfg = controllerConfig(state);
  const pods = runningControllerPods(state);
  if (!cfg || pods.length === 0) return [];
  const out: { ip: string; port: number; via: ControllerAddressKind }[] = [];
  const add = (ip: string | undefined, port: number, via: ControllerAddressKind) => {
    if (ip && !out.some((a) => a.ip === ip && a.port === port)) out.push({ ip, port, via });
  };
  const httpPorts = (pod: Pod) =>
    pod.spec.containers.flatMap((c) => c.ports ?? []).filter((p) => p.name === 'http' || p.containerPort === 80);
  const nodeIP = (name: string | undefined) =>
    state.get<Node>('nodes', '', name ?? '')?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  for (const pod of pods) {
    for (const p of httpPorts(pod)) {
      add(pod.status?.podIP, p.containerPort, 'pod');
      if (p.hostPort) add(nodeIP(pod.spec.nodeName), p.hostPort, 'host-port');
    }
  }
  const podLabels = pods[0].metadata.labels ?? {};
  for (const svc of state.list<Service>('services', cfg.namespace)) {
    const sel = svc.spec.selector;
    if (!sel || Object.keys(sel).length === 0 || Object.entries(sel).some(([k, v]) => podLabels[k] !== v)) continue;
    for (const sp of svc.spec.ports ?? []) {
      const target = sp.targetPort ?? sp.port;
      const isHttp = target === 'http' || target === 80;
      if (!isHttp) continue;
      add(svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : undefined, sp.port, 'cluster-ip');
      for (const ip of svc.spec.externalIPs ?? []) add(ip, sp.port, 'external-ip');
      for (const i of svc.status?.loadBalancer?.ingress ?? []) add(i.ip, sp.port, 'load-balancer');
      if (sp.nodePort) for (const node of state.list<Node>('nodes')) add(nodeIP(node.metadata.name), sp.nodePort, 'node-port');
    }
  }
  return out;
}
