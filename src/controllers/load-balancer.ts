/**
 * LoadBalancer Services in address-pool mode (`kfake cluster reset --load-balancer-pool`), as
 * MetalLB v0.14 in layer-2 mode provides them on kind and kubeadm clusters. In mode `none` (the
 * kubeadm default) nothing here runs and EXTERNAL-IP stays `<pending>`.
 *
 * Two parts, as in MetalLB:
 * - the controller (metallb/metallb controller/service.go, internal/allocator) gives a
 *   LoadBalancer Service an address from the pool: the one asked for with
 *   `metallb.universe.tf/loadBalancerIPs` or `spec.loadBalancerIP` (from the pool named by
 *   `metallb.universe.tf/address-pool`, if given), else the first free one in pool order (a
 *   CIDR pool starts at its network address; MetalLB only skips .0/.255 with avoidBuggyIPs).
 *   It writes `status.loadBalancer.ingress` (the API server defaults `ipMode: VIP`) and the
 *   `metallb.universe.tf/ip-allocated-from-pool` annotation, records `IPAllocated` (`Assigned
 *   IP ["172.18.255.200"]`) or `AllocationFailed` as `metallb-controller`, and frees the
 *   address when the Service is deleted or stops being a LoadBalancer.
 * - the speakers (speaker/layer2_controller.go): once the Service has an address and at least
 *   one serving endpoint, the speaker elected for it answers ARP for the address and records
 *   `nodeAssigned` (`announcing from node "kfake-worker" with protocol "layer2"`) as
 *   `metallb-speaker`. Candidates are the nodes without the
 *   `node.kubernetes.io/exclude-from-external-load-balancers` label (so not the control plane),
 *   only those with a serving endpoint under `externalTrafficPolicy: Local`; the winner is the
 *   first by sha256 of `<node>#<ip>`. A real speaker repeats the event on every resync; here it
 *   is recorded when the announcement starts or moves.
 *
 * The pool is one IPAddressPool named `first-pool` (the name MetalLB's documentation uses) with
 * an L2Advertisement for all nodes; MetalLB's own pods are not modelled. Allocations are kept in
 * the store's `alloc.loadBalancerIPs` (address -> `<namespace>/<service>`), as the MetalLB
 * controller keeps them in memory.
 */
import { createHash } from '../util/node-crypto.ts';
import type { EndpointSlice, Event, Node, Service } from '../api/types.ts';
import { selectorFromSet } from '../selectors/labels.ts';
import type { ClusterState, Change } from '../store/state.ts';
import { formatIPv4, parseCidr, parseIPv4 } from '../util/ipv4.ts';
import type { ControllerContext } from './context.ts';
import type { EventRecorder } from './events.ts';
import type { Controller } from './reconcile.ts';
import { registerController } from './registry.ts';
import { clone } from '../util/clone.ts';

export const POOL_NAME = 'first-pool';
export const ALLOCATED_FROM_POOL = 'metallb.universe.tf/ip-allocated-from-pool';
const LOAD_BALANCER_IPS = 'metallb.universe.tf/loadBalancerIPs';
const ADDRESS_POOL = 'metallb.universe.tf/address-pool';
const EXCLUDE_FROM_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';
const CONTROLLER_SOURCE = { component: 'metallb-controller' };
const SPEAKER_SOURCE = { component: 'metallb-speaker' };

/** An address pool: the inclusive range [first, last] of IPv4 addresses as integers. */
export interface AddressPool {
  first: number;
  last: number;
}

/** A pool written as a CIDR (`172.18.255.0/24`) or a range (`172.18.255.200-172.18.255.250`). */
export function parsePool(text: string): AddressPool | undefined {
  const cidr = parseCidr(text);
  if (cidr) return { first: cidr.base, last: cidr.base + cidr.size - 1 };
  const dash = text.indexOf('-');
  if (dash < 0) return undefined;
  const first = parseIPv4(text.slice(0, dash).trim());
  const last = parseIPv4(text.slice(dash + 1).trim());
  if (first === undefined || last === undefined || last < first) return undefined;
  return { first, last };
}

function inPool(pool: AddressPool, ip: string): boolean {
  const n = parseIPv4(ip);
  return n !== undefined && n >= pool.first && n <= pool.last;
}

function poolOf(ctx: ControllerContext): AddressPool | undefined {
  const lb = ctx.config.loadBalancer;
  return lb.mode === 'pool' ? parsePool(lb.pool) : undefined;
}

function keyOf(svc: Service): string {
  return `${svc.metadata.namespace}/${svc.metadata.name}`;
}

function ingressIPs(svc: Service | undefined): string[] {
  return (svc?.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => ip !== '');
}

/** MetalLB acts on LoadBalancer Services without a loadBalancerClass (it runs without --lb-class). */
function isOurs(svc: Service | undefined): boolean {
  return !!svc && svc.spec.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

/** Go's %q of a []net.IP: `["172.18.255.200"]`. */
function quotedList(ips: string[]): string {
  return `[${ips.map((ip) => `"${ip}"`).join(' ')}]`;
}

/** getDesiredLbIPs: the annotation or spec.loadBalancerIP (not both), or an error text. */
function desiredIPs(svc: Service): { ips: string[] } | { error: string } {
  const annotation = svc.metadata.annotations?.[LOAD_BALANCER_IPS] ?? '';
  const field = svc.spec.loadBalancerIP ?? '';
  if (annotation === '' && field === '') return { ips: [] };
  if (annotation !== '' && field !== '') {
    return { error: `service can not have both ${LOAD_BALANCER_IPS} and svc.Spec.LoadBalancerIP` };
  }
  if (annotation !== '') {
    const ips = annotation.split(',').map((s) => s.trim());
    if (ips.some((ip) => parseIPv4(ip) === undefined)) return { error: `invalid ${LOAD_BALANCER_IPS}: "${annotation}"` };
    return { ips };
  }
  if (parseIPv4(field) === undefined) return { error: `invalid spec.loadBalancerIP "${field}"` };
  return { ips: [field] };
}

function release(ctx: ControllerContext, owner: string): boolean {
  const table = ctx.state.meta.alloc.loadBalancerIPs;
  let freed = false;
  for (const [ip, holder] of Object.entries(table)) {
    if (holder === owner) {
      delete table[ip];
      freed = true;
    }
  }
  if (freed) ctx.state.modified = true;
  return freed;
}

/** Allocator.Assign for one address: in the pool and not used by another Service. */
function assignError(pool: AddressPool, table: Record<string, string>, owner: string, ip: string): string | undefined {
  if (!inPool(pool, ip)) return `${quotedList([ip])} is not allowed in config`;
  const holder = table[ip];
  if (holder !== undefined && holder !== owner) {
    // MetalLB's sharing check: without matching allow-shared-ip keys the address is not shared.
    return `can't change sharing key for "${owner}", address also in use by ${holder}`;
  }
  return undefined;
}

/** Allocator.Allocate: the first address of the pool no Service holds. */
function firstFree(pool: AddressPool, table: Record<string, string>): string | undefined {
  for (let n = pool.first; n <= pool.last; n++) {
    const ip = formatIPv4(n);
    if (table[ip] === undefined) return ip;
  }
  return undefined;
}

/** Write the Service's LB status and pool annotation if they differ (MetalLB's UpdateStatus). */
function writeService(ctx: ControllerContext, svc: Service, ips: string[]): void {
  const annotations = { ...(svc.metadata.annotations ?? {}) };
  if (ips.length) annotations[ALLOCATED_FROM_POOL] = POOL_NAME;
  else delete annotations[ALLOCATED_FROM_POOL];
  const sameStatus = JSON.stringify(ingressIPs(svc)) === JSON.stringify(ips);
  const sameAnnotation = svc.metadata.annotations?.[ALLOCATED_FROM_POOL] === annotations[ALLOCATED_FROM_POOL];
  if (sameStatus && sameAnnotation) return;
  const next = clone(svc);
  if (Object.keys(annotations).length) next.metadata.annotations = annotations;
  else delete next.metadata.annotations;
  if (!sameStatus) {
    // The API server defaults ipMode to VIP (LoadBalancerIPMode, on by default in v1.32).
    next.status = { ...(next.status ?? {}), loadBalancer: ips.length ? { ingress: ips.map((ip) => ({ ip, ipMode: 'VIP' })) } : {} };
  }
  ctx.state.put('services', next);
}

/** convergeBalancer for one Service. */
function converge(ctx: ControllerContext, pool: AddressPool, svc: Service): void {
  const owner = keyOf(svc);
  const table = ctx.state.meta.alloc.loadBalancerIPs;
  const desired = desiredIPs(svc);
  const wantedPool = svc.metadata.annotations?.[ADDRESS_POOL] ?? '';
  let current = ingressIPs(svc);
  if (current.length) {
    const problem = current.map((ip) => assignError(pool, table, owner, ip)).find((e) => e !== undefined);
    if (problem) {
      ctx.events.record(svc, 'Normal', 'ClearAssignment', `current IP for "${owner}" not allowed by config, will attempt for new IP assignment: ${problem}`, CONTROLLER_SOURCE);
      release(ctx, owner);
      current = [];
    } else if ('error' in desired) {
      ctx.events.record(svc, 'Warning', 'LoadBalancerFailed', `invalid requested loadbalancer IPs: ${desired.error}`, CONTROLLER_SOURCE);
      return;
    } else if (
      (desired.ips.length && [...desired.ips].sort().join() !== [...current].sort().join()) ||
      (wantedPool !== '' && wantedPool !== POOL_NAME)
    ) {
      // The user asked for another address or pool: start again from a clean slate.
      release(ctx, owner);
      current = [];
    } else {
      // An address the Service already shows is the allocator's record of it.
      for (const ip of current) {
        if (table[ip] === owner) continue;
        table[ip] = owner;
        ctx.state.modified = true;
      }
    }
  }
  if (current.length === 0) {
    let error: string | undefined;
    let ips: string[] = [];
    if ('error' in desired) error = desired.error;
    else if (desired.ips.length) {
      error = desired.ips.map((ip) => assignError(pool, table, owner, ip)).find((e) => e !== undefined);
      if (!error && wantedPool !== '' && wantedPool !== POOL_NAME) {
        error = `requested loadBalancer IP(s) ${quotedList(desired.ips)} is not compatible with requested address pool ${wantedPool}`;
      }
      if (!error) ips = desired.ips;
    } else if (wantedPool !== '' && wantedPool !== POOL_NAME) {
      error = `unknown pool "${wantedPool}"`;
    } else {
      const ip = firstFree(pool, table);
      if (ip) ips = [ip];
      else error = 'no available IPs';
    }
    if (error) {
      ctx.events.record(svc, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${owner}": ${error}`, CONTROLLER_SOURCE);
      writeService(ctx, svc, []);
      return;
    }
    for (const ip of ips) table[ip] = owner;
    ctx.state.modified = true;
    ctx.events.record(svc, 'Normal', 'IPAllocated', `Assigned IP ${quotedList(ips)}`, CONTROLLER_SOURCE);
    current = ips;
  }
  writeService(ctx, svc, current);
}

/** LoadBalancer Services still waiting for an address (retried when one is freed). */
function pendingServices(ctx: ControllerContext): string[] {
  return ctx.state
    .list<Service>('services')
    .filter((s) => isOurs(s) && ingressIPs(s).length === 0)
    .map(keyOf);
}

export const metallbController: Controller = {
  name: 'metallb-controller',
  watches: ['services'],
  keysFor(change: Change, ctx: ControllerContext): string[] {
    if (change.resource !== 'services' || !poolOf(ctx)) return [];
    const key = `${change.namespace}/${change.name}`;
    const held = Object.values(ctx.state.meta.alloc.loadBalancerIPs).includes(key);
    const svc = change.type === 'DELETED' ? undefined : (change.object as Service);
    if (!isOurs(svc)) {
      if (!held && !svc?.metadata.annotations?.[ALLOCATED_FROM_POOL]) return [];
      // Its address is about to be freed, which may let a waiting Service converge
      // (SyncStateReprocessAll).
      return held ? [key, ...pendingServices(ctx)] : [key];
    }
    return [key];
  },
  sync(key: string, ctx: ControllerContext): void {
    const pool = poolOf(ctx);
    if (!pool) return;
    const [ns, name] = key.split('/');
    const svc = ctx.state.get<Service>('services', ns, name);
    if (!svc || !isOurs(svc)) {
      // Deleted, or no longer a LoadBalancer: clearServiceState.
      release(ctx, key);
      if (svc) writeService(ctx, svc, []);
      return;
    }
    converge(ctx, pool, svc);
  },
};

// ------------------------------------------------------------------ speakers

/** Nodes with a serving endpoint of the Service (EndpointSlices, EndpointCanServe). */
function endpointNodes(state: ClusterState, svc: Service): Set<string> {
  const nodes = new Set<string>();
  const slices = state.select<EndpointSlice>(
    'endpointslices',
    svc.metadata.namespace!,
    selectorFromSet({ 'kubernetes.io/service-name': svc.metadata.name! }),
  );
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      nodes.add(ep.nodeName ?? '');
    }
  }
  return nodes;
}

/** layer2Controller.ShouldAnnounce: the node that announces the Service's first address, if any. */
export function announcingNode(state: ClusterState, svc: Service): string | undefined {
  const ips = ingressIPs(svc);
  if (!isOurs(svc) || ips.length === 0) return undefined;
  const serving = endpointNodes(state, svc);
  if (serving.size === 0) return undefined;
  let candidates = state
    .list<Node>('nodes')
    .filter((n) => n.metadata.labels?.[EXCLUDE_FROM_LB] === undefined)
    .map((n) => n.metadata.name!);
  if (svc.spec.externalTrafficPolicy === 'Local') candidates = candidates.filter((n) => serving.has(n));
  if (candidates.length === 0) return undefined;
  const hash = (node: string) => createHash('sha256').update(`${node}#${ips[0]}`).digest();
  return candidates.sort((a, b) => Buffer.compare(hash(a), hash(b)))[0];
}

/** The node named by the Service's latest `nodeAssigned` event, if it still exists. */
function lastAnnouncedNode(ctx: ControllerContext, svc: Service): string | undefined {
  const events = ctx.state
    .where<Event>('events', svc.metadata.namespace!, (s) => !!s.i && s.i[0] === 'Service' && s.i[1] === svc.metadata.name && s.i[2] === svc.metadata.uid)
    .filter((e) => e.reason === 'nodeAssigned')
    .sort((a, b) => Date.parse(a.lastTimestamp ?? '') - Date.parse(b.lastTimestamp ?? ''));
  const last = events.at(-1);
  return last ? /^announcing from node "([^"]*)"/.exec(last.message ?? '')?.[1] : undefined;
}

/** Serving endpoints' nodes in one slice (to see an announcement become possible). */
function sliceNodes(slice: EndpointSlice | undefined): string {
  const nodes = new Set((slice?.endpoints ?? []).filter((e) => e.conditions?.ready !== false).map((e) => e.nodeName ?? ''));
  return [...nodes].sort().join(',');
}

class MetalLBSpeakers implements Controller {
  readonly name = 'metallb-speaker';
  readonly watches = ['services', 'endpointslices'];
  /** Services whose announcement may have started or moved in this round's changes. */
  private moved = new Set<string>();
  /** Per reconcile (one event recorder each): the node each Service was announced from. */
  private readonly announced = new WeakMap<EventRecorder, Map<string, string>>();

  beginRound(): void {
    this.moved = new Set();
  }

  keysFor(change: Change, ctx: ControllerContext): string[] {
    if (!poolOf(ctx)) return [];
    if (change.resource === 'services' && change.type !== 'DELETED') {
      const key = `${change.namespace}/${change.name}`;
      const before = change.old as Service | undefined;
      const after = change.object as Service;
      if (!isOurs(after)) return [];
      if (ingressIPs(before).join() !== ingressIPs(after).join() || before?.spec.externalTrafficPolicy !== after.spec.externalTrafficPolicy) {
        this.moved.add(key);
      }
      return [key];
    }
    if (change.resource === 'endpointslices') {
      const svcName = change.object.metadata.labels?.['kubernetes.io/service-name'];
      if (!svcName) return [];
      const before = change.type === 'ADDED' ? undefined : (change.old as EndpointSlice);
      const after = change.type === 'DELETED' ? undefined : (change.object as EndpointSlice);
      if (sliceNodes(before) === sliceNodes(after)) return [];
      const key = `${change.namespace}/${svcName}`;
      if (sliceNodes(before) === '') this.moved.add(key);
      return [key];
    }
    return [];
  }

  sync(key: string, ctx: ControllerContext): void {
    const [ns, name] = key.split('/');
    const svc = ctx.state.get<Service>('services', ns, name);
    if (!svc) return;
    const node = announcingNode(ctx.state, svc);
    if (!node) return;
    let done = this.announced.get(ctx.events);
    if (!done) this.announced.set(ctx.events, (done = new Map()));
    // One announcement per reconcile, even when the address and the endpoints arrive in
    // different rounds of it.
    if (done.get(key) === node) return;
    if (!this.moved.has(key) && lastAnnouncedNode(ctx, svc) === node) return;
    done.set(key, node);
    ctx.events.record(svc, 'Normal', 'nodeAssigned', `announcing from node "${node}" with protocol "layer2"`, SPEAKER_SOURCE);
  }
}

registerController(metallbController);
registerController(new MetalLBSpeakers());
