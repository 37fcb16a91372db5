/**
 * Endpoints and EndpointSlices for Services (pkg/controller/endpoint, pkg/controller/endpointslice,
 * pkg/controller/endpointslicemirroring).
 *
 * For a Service with a selector: every pod of its namespace whose labels match, that has an IP and
 * is not terminal, becomes an address (ready pods in `addresses`, others in `notReadyAddresses`
 * unless publishNotReadyAddresses). Named targetPorts are resolved per pod (FindPort: by name and
 * protocol), so two pods can serve `http` on 80 and 81; a pod without the port is left out of it.
 * Services without a selector get nothing from these controllers: a hand-made Endpoints object is
 * mirrored into EndpointSlices instead. ExternalName Services get nothing.
 */
import type {
  EndpointAddress,
  EndpointPort,
  Endpoints,
  EndpointSlice,
  EndpointSubset,
  KObject,
  Node,
  Pod,
  Service,
  ServicePort,
  SliceEndpoint,
} from '../api/types.ts';
import { createObject, generateName } from '../apiserver/api.ts';
import { matches, selectorFromSet } from '../selectors/labels.ts';
import type { Change, ClusterState } from '../store/state.ts';
import type { ControllerContext } from './context.ts';
import type { Controller } from './reconcile.ts';
import { ownerReference } from './owners.ts';
import { isPodReady } from './pod-status.ts';
import { clone } from '../util/clone.ts';
import { jsonEqual } from '../util/json-equal.ts';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
const MAX_ENDPOINTS_PER_SLICE = 100;
const MAX_ENDPOINTS_CAPACITY = 1000;

/** FindPort: a number as is; a name resolved through the pod's containers (name and protocol). */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...pod.spec.containers, ...sidecars]) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

function hasPodIP(pod: Pod | undefined): boolean {
  return !!pod && (!!pod.status?.podIP || !!pod.status?.podIPs?.length);
}

/** ShouldPodBeInEndpoints: has an IP, not terminal, not terminating unless tolerated. */
function shouldBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!hasPodIP(pod)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

function isHeadless(svc: Service): boolean {
  return !svc.spec.clusterIP || svc.spec.clusterIP === 'None';
}

/** ShouldSetHostname: the pod's hostname when its subdomain names this Service. */
function hostnameFor(pod: Pod, svc: Service): string | undefined {
  return pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace
    ? pod.spec.hostname
    : undefined;
}

function endpointPort(sp: ServicePort, port: number): EndpointPort {
  return {
    ...(sp.name !== undefined ? { name: sp.name } : {}),
    port,
    protocol: sp.protocol ?? 'TCP',
    ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
  };
}

/** The pods a Service selects, kept for both of its syncs (Endpoints, then EndpointSlices) while no pod is written. */
const selected = new WeakMap<Service, { pods: number; list: Pod[] }>();

function selectedPods(ctx: ControllerContext, svc: Service): Pod[] {
  const pods = ctx.state.writeCount('pods');
  const kept = selected.get(svc);
  if (kept && kept.pods === pods) return kept.list;
  const list = ctx.state.select<Pod>('pods', svc.metadata.namespace!, selectorFromSet(svc.spec.selector));
  selected.set(svc, { pods, list });
  return list;
}

/**
 * Services of a namespace indexed by one `key=value` pair of their selector (every selector
 * contains its first pair, so a pod can only match services listed under one of its labels).
 * A namespace is indexed when first asked about, then kept in step with every Service change
 * the controller sees, for as long as the state lives.
 */
type Selector = ReturnType<typeof selectorFromSet>;

class SelectorIndex {
  /** namespace -> pair -> service key -> selector */
  private readonly byNamespace = new Map<string, Map<string, Map<string, Selector>>>();
  /** service key -> the pair it is listed under */
  private readonly pairOf = new Map<string, string>();

  private add(index: Map<string, Map<string, Selector>>, key: string, sel: Record<string, string> | undefined): void {
    const keys = Object.keys(sel ?? {}).sort();
    if (keys.length === 0) return;
    const pair = `${keys[0]}=${sel![keys[0]]}`;
    let list = index.get(pair);
    if (!list) {
      list = new Map();
      index.set(pair, list);
    }
    list.set(key, selectorFromSet(sel));
    this.pairOf.set(key, pair);
  }

  private forNamespace(ctx: ControllerContext, namespace: string) {
    let index = this.byNamespace.get(namespace);
    if (!index) {
      index = new Map();
      for (const svc of ctx.state.list<Service>('services', namespace)) this.add(index, `${namespace}/${svc.metadata.name}`, svc.spec.selector);
      this.byNamespace.set(namespace, index);
    }
    return index;
  }

  /** A Service was written or removed: list it as it is now (an indexed namespace only). */
  serviceChanged(ctx: ControllerContext, namespace: string, name: string): void {
    const index = this.byNamespace.get(namespace);
    if (!index) return;
    const key = `${namespace}/${name}`;
    const pair = this.pairOf.get(key);
    if (pair !== undefined) {
      index.get(pair)?.delete(key);
      this.pairOf.delete(key);
    }
    const svc = ctx.state.get<Service>('services', namespace, name);
    if (svc) this.add(index, key, svc.spec.selector);
  }

  /** Services whose selector picks any of these pods (before or after a change). */
  servicesSelecting(ctx: ControllerContext, namespace: string, pods: (Pod | undefined)[]): string[] {
    const index = this.forNamespace(ctx, namespace);
    const keys = new Set<string>();
    for (const pod of pods) {
      for (const [k, v] of Object.entries(pod?.metadata.labels ?? {})) {
        for (const [key, selector] of index.get(`${k}=${v}`) ?? []) if (matches(selector, pod!.metadata.labels)) keys.add(key);
      }
    }
    return [...keys];
  }
}

/** Pod changes that matter to endpoints: labels, IP, readiness, phase, node, ports, deletion. */
function podEndpointFacts(p: Pod | undefined): unknown {
  if (!p) return undefined;
  return [
    p.metadata.labels,
    p.status?.podIP,
    p.status?.phase,
    isPodReady(p),
    p.metadata.deletionTimestamp,
    p.spec.nodeName,
    p.spec.hostname,
    p.spec.subdomain,
    p.spec.containers.map((c) => c.ports),
  ];
}

/**
 * The Endpoints and EndpointSlices this controller wrote: their changes are not synced again
 * (the endpoint-slice controller's endpointSliceTracker skips its own writes the same way); a
 * change someone else makes, and any deletion, is.
 */
const ownWrites = new WeakSet<object>();

function written<T extends KObject>(obj: T): T {
  ownWrites.add(obj);
  return obj;
}

/** The selector index of each state, kept across reconciles (a big apply reconciles many times). */
const selectorIndexes = new WeakMap<ClusterState, SelectorIndex>();

function selectorIndexOf(state: ClusterState): SelectorIndex {
  let index = selectorIndexes.get(state);
  if (!index) {
    index = new SelectorIndex();
    selectorIndexes.set(state, index);
  }
  return index;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  readonly watches = ['services', 'endpoints', 'endpointslices', 'pods'];
  private index = new SelectorIndex();

  beginRound(ctx: ControllerContext): void {
    this.index = selectorIndexOf(ctx.state);
  }

  keysFor(change: Change, ctx: ControllerContext): string[] {
    switch (change.resource) {
      case 'services':
        this.index.serviceChanged(ctx, change.namespace, change.name);
        return [`${change.namespace}/${change.name}`];
      case 'endpoints':
      case 'endpointslices': {
        if (change.type !== 'DELETED' && ownWrites.delete(change.object)) return [];
        const svc = change.resource === 'endpoints' ? change.name : change.object.metadata.labels?.[SERVICE_NAME_LABEL];
        return svc ? [`${change.namespace}/${svc}`] : [];
      }
      case 'pods': {
        const before = change.old as Pod | undefined;
        const after = change.type === 'DELETED' ? undefined : (change.object as Pod);
        // A pod without an IP is in no Endpoints (ShouldPodBeInEndpoints): while it has none, its
        // creation, binding and deletion change nothing the controller writes.
        if (!hasPodIP(before) && !hasPodIP(after)) return [];
        if (change.type === 'MODIFIED' && jsonEqual(podEndpointFacts(before), podEndpointFacts(after))) return [];
        return this.index.servicesSelecting(ctx, change.namespace, [before, after]);
      }
      default:
        return [];
    }
  }

  sync(key: string, ctx: ControllerContext): void {
    const [ns, name] = key.split('/');
    const svc = ctx.state.get<Service>('services', ns, name);
    syncEndpoints(ctx, ns, name, svc);
    syncSlices(ctx, ns, name, svc);
  }
}

// ------------------------------------------------------------------ Endpoints

function syncEndpoints(ctx: ControllerContext, ns: string, name: string, svc: Service | undefined): void {
  const current = ctx.state.get<Endpoints>('endpoints', ns, name);
  if (!svc) {
    // Service gone: its Endpoints object goes too.
    if (current) ctx.state.remove('endpoints', ns, name);
    return;
  }
  if (svc.spec.type === 'ExternalName' || !svc.spec.selector) return;

  const tolerate = svc.spec.publishNotReadyAddresses === true;
  const triples: { addr: EndpointAddress; port: EndpointPort | undefined; ready: boolean }[] = [];
  for (const pod of selectedPods(ctx, svc)) {
    if (!shouldBeInEndpoints(pod, tolerate)) continue;
    const addr: EndpointAddress = {
      ip: pod.status?.podIP ?? pod.status!.podIPs![0].ip,
      ...(hostnameFor(pod, svc) ? { hostname: hostnameFor(pod, svc) } : {}),
      nodeName: pod.spec.nodeName,
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    const ready = tolerate || isPodReady(pod);
    const ports = svc.spec.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports: addresses only.
      if (svc.spec.clusterIP === 'None') triples.push({ addr, port: undefined, ready });
      continue;
    }
    for (const sp of ports) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      triples.push({ addr, port: endpointPort(sp, n), ready });
    }
  }
  let subsets = repackSubsets(triples);
  let overCapacity = false;
  const total = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  if (total > MAX_ENDPOINTS_CAPACITY) {
    subsets = truncateSubsets(subsets);
    overCapacity = true;
  }

  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  const currentLabels = { ...(current?.metadata.labels ?? {}) };
  if (
    current &&
    jsonEqual(current.subsets ?? [], subsets) &&
    jsonEqual(currentLabels, labels) &&
    (current.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'] === 'truncated') === overCapacity
  ) {
    return;
  }
  const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}), [TRIGGER_TIME]: ctx.nowText };
  if (overCapacity) annotations['endpoints.kubernetes.io/over-capacity'] = 'truncated';
  else delete annotations['endpoints.kubernetes.io/over-capacity'];
  const next: Endpoints = current
    ? clone(current)
    : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns } };
  next.metadata.labels = labels;
  if (Object.keys(labels).length === 0) delete next.metadata.labels;
  next.metadata.annotations = annotations;
  if (subsets.length) next.subsets = subsets;
  else delete next.subsets;
  if (current) written(ctx.state.put('endpoints', next));
  else written(createObject({ state: ctx.state, now: ctx.now, rng: ctx.rng }, next, { fromController: true }));
}

function ipLess(a: string, b: string): number {
  // LessEndpointAddress compares IPs as strings, then target UIDs.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * RepackSubsets: group addresses that expose exactly the same set of ports into one subset.
 * Addresses sort by IP; subsets are ordered by their first port and address (the API server's
 * order is a hash; this one is stable).
 */
function repackSubsets(triples: { addr: EndpointAddress; port: EndpointPort | undefined; ready: boolean }[]): EndpointSubset[] {
  // address (ip + uid) -> ports it serves, and whether it is ready for all of them
  const byAddr = new Map<string, { addr: EndpointAddress; ports: EndpointPort[]; ready: boolean }>();
  for (const t of triples) {
    const k = `${t.addr.ip}|${t.addr.targetRef?.uid ?? ''}`;
    let e = byAddr.get(k);
    if (!e) {
      e = { addr: t.addr, ports: [], ready: true };
      byAddr.set(k, e);
    }
    if (t.port && !e.ports.some((p) => jsonEqual(p, t.port))) e.ports.push(t.port);
    if (!t.ready) e.ready = false;
  }
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const e of byAddr.values()) {
    const ports = [...e.ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const k = JSON.stringify(ports);
    let g = groups.get(k);
    if (!g) {
      g = { ports, ready: [], notReady: [] };
      groups.set(k, g);
    }
    (e.ready ? g.ready : g.notReady).push(e.addr);
  }
  const subsets: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const s: EndpointSubset = {};
    if (g.ready.length) s.addresses = g.ready.sort((a, b) => ipLess(a.ip, b.ip));
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort((a, b) => ipLess(a.ip, b.ip));
    if (g.ports.length) s.ports = g.ports;
    subsets.push(s);
  }
  const firstIP = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? '';
  return subsets.sort((a, b) => (a.ports?.[0]?.port ?? 0) - (b.ports?.[0]?.port ?? 0) || ipLess(firstIP(a), firstIP(b)));
}

/** truncateEndpoints: keep at most 1000 addresses, ready ones first, spread over subsets. */
function truncateSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  let budget = MAX_ENDPOINTS_CAPACITY;
  const out = subsets.map((s) => ({ ...s }));
  for (const s of out) {
    const keep = Math.min(budget, s.addresses?.length ?? 0);
    if (s.addresses) s.addresses = s.addresses.slice(0, keep);
    budget -= keep;
  }
  for (const s of out) {
    const keep = Math.min(budget, s.notReadyAddresses?.length ?? 0);
    if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, keep);
    if (s.notReadyAddresses?.length === 0) delete s.notReadyAddresses;
    budget -= keep;
  }
  return out;
}

// ------------------------------------------------------------------ EndpointSlices

function sliceLabels(svc: Service, managedBy: string): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  labels[SERVICE_NAME_LABEL] = svc.metadata.name!;
  labels[MANAGED_BY] = managedBy;
  if (isHeadless(svc) && managedBy === SLICE_CONTROLLER) labels[HEADLESS_LABEL] = '';
  return labels;
}

interface DesiredSlice {
  ports: EndpointPort[] | null;
  endpoints: SliceEndpoint[] | null;
}

/** Endpoints grouped by their resolved port list, in slices of at most 100 endpoints. */
function desiredSlices(ctx: ControllerContext, svc: Service): DesiredSlice[] {
  const tolerate = svc.spec.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: SliceEndpoint[] }>();
  const zoneOf = new Map<string, string | undefined>();
  const zone = (nodeName: string | undefined) => {
    if (!nodeName) return undefined;
    if (!zoneOf.has(nodeName)) {
      const node = ctx.state.get<Node>('nodes', '', nodeName);
      zoneOf.set(nodeName, node?.metadata.labels?.['topology.kubernetes.io/zone']);
    }
    return zoneOf.get(nodeName);
  };
  for (const pod of selectedPods(ctx, svc)) {
    // EndpointSlices keep terminating pods (with the terminating condition).
    if (!shouldBeInEndpoints(pod, true)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec.ports ?? []) {
      const n = findPort(pod, sp);
      if (n !== undefined) ports.push({ name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const serving = isPodReady(pod);
    const terminating = !!pod.metadata.deletionTimestamp;
    const ep: SliceEndpoint = {
      addresses: [pod.status?.podIP ?? pod.status!.podIPs![0].ip],
      conditions: { ready: tolerate || (serving && !terminating), serving, terminating },
      ...(hostnameFor(pod, svc) ? { hostname: hostnameFor(pod, svc) } : {}),
      ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
      ...(zone(pod.spec.nodeName) ? { zone: zone(pod.spec.nodeName) } : {}),
    };
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) {
      g = { ports, endpoints: [] };
      groups.set(key, g);
    }
    g.endpoints.push(ep);
  }
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    g.endpoints.sort((a, b) => ipLess(a.addresses[0], b.addresses[0]));
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  // A Service with no endpoints keeps one empty placeholder slice.
  if (out.length === 0) out.push({ ports: null, endpoints: null });
  return out;
}

function syncSlices(ctx: ControllerContext, ns: string, name: string, svc: Service | undefined): void {
  const existing = ctx.state
    .select<EndpointSlice>('endpointslices', ns, selectorFromSet({ [SERVICE_NAME_LABEL]: name }))
    .filter((s) => {
      const by = s.metadata.labels?.[MANAGED_BY];
      return by === SLICE_CONTROLLER || by === MIRROR_CONTROLLER;
    });
  if (!svc || svc.spec.type === 'ExternalName') {
    for (const s of existing) ctx.state.remove('endpointslices', ns, s.metadata.name!);
    return;
  }
  let desired: DesiredSlice[];
  let managedBy: string;
  if (svc.spec.selector) {
    managedBy = SLICE_CONTROLLER;
    desired = desiredSlices(ctx, svc);
  } else {
    managedBy = MIRROR_CONTROLLER;
    const ep = ctx.state.get<Endpoints>('endpoints', ns, name);
    desired = ep && ep.metadata.labels?.[SKIP_MIRROR] !== 'true' ? mirroredSlices(ep) : [];
  }
  const mine = existing.filter((s) => s.metadata.labels?.[MANAGED_BY] === managedBy);
  for (const s of existing) if (s.metadata.labels?.[MANAGED_BY] !== managedBy) ctx.state.remove('endpointslices', ns, s.metadata.name!);

  const labels = sliceLabels(svc, managedBy);
  // Reuse slices with the same port list first, then any left over.
  const unused = [...mine];
  const take = (ports: EndpointPort[] | null): EndpointSlice | undefined => {
    let i = unused.findIndex((s) => jsonEqual(s.ports ?? null, ports));
    if (i < 0) i = unused.length ? 0 : -1;
    return i < 0 ? undefined : unused.splice(i, 1)[0];
  };
  for (const want of desired) {
    const cur = take(want.ports);
    if (cur) {
      if (jsonEqual(cur.ports ?? null, want.ports) && jsonEqual(cur.endpoints ?? null, want.endpoints) && jsonEqual(cur.metadata.labels, labels)) {
        continue;
      }
      const next = clone(cur);
      next.ports = want.ports;
      next.endpoints = want.endpoints;
      next.metadata.labels = labels;
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [TRIGGER_TIME]: ctx.nowText };
      if (next.metadata.generation !== undefined) next.metadata.generation += 1;
      written(ctx.state.put('endpointslices', next));
    } else {
      const slice: EndpointSlice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: generateName(ctx.rng, name.length > 57 ? name : `${name}-`),
          generateName: `${name}-`,
          namespace: ns,
          labels,
          annotations: { [TRIGGER_TIME]: ctx.nowText },
          ownerReferences: [ownerReference(svc)],
        },
        addressType: 'IPv4',
        endpoints: want.endpoints,
        ports: want.ports,
      };
      written(createObject({ state: ctx.state, now: ctx.now, rng: ctx.rng }, slice, { fromController: true }));
    }
  }
  for (const s of unused) ctx.state.remove('endpointslices', ns, s.metadata.name!);
}

/** The mirroring controller: a hand-made Endpoints object's subsets as slices. */
function mirroredSlices(ep: Endpoints): DesiredSlice[] {
  const out: DesiredSlice[] = [];
  for (const subset of ep.subsets ?? []) {
    const ports = (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }));
    const endpoints: SliceEndpoint[] = [];
    const add = (a: EndpointAddress, ready: boolean) =>
      endpoints.push({
        addresses: [a.ip],
        conditions: { ready },
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      });
    for (const a of subset.addresses ?? []) add(a, true);
    for (const a of subset.notReadyAddresses ?? []) add(a, false);
    if (endpoints.length) out.push({ ports, endpoints });
  }
  return out;
}
