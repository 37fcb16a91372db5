/**
 * Where a connection to an address goes: kube-proxy in iptables mode on the nodes
 * (pkg/proxy/iptables/proxier.go), the pod network's routes, and the node network.
 *
 * - A Service's cluster IP exists only in the nodes' iptables rules: pods and nodes reach it,
 *   the machine outside does not (its packets have no route and time out). A port the Service
 *   does not have matches no rule: the packets go nowhere (timeout).
 * - NodePorts answer on every node's InternalIP; externalIPs and load-balancer addresses answer
 *   on whichever node the outside network delivers them to (any Ready node for externalIPs; for
 *   a load balancer, the nodes its health checks accept). Traffic from pods and nodes to them is
 *   short-circuited by the local node's rules.
 * - The endpoint is chosen at random per connection among the ready endpoints (the
 *   `statistic --mode random` chain), unless sessionAffinity ClientIP has a fresh entry for the
 *   client (the `recent` module, per node, with the affinity timeout). No endpoint at all:
 *   REJECT (connection refused). externalTrafficPolicy/internalTrafficPolicy Local with
 *   endpoints only on other nodes: DROP (timeout).
 * - Source NAT: traffic from a pod to a cluster IP keeps the pod's address, except hairpin
 *   traffic (a pod reaching itself through its Service), which is masqueraded. Traffic from a node
 *   is masqueraded. External traffic (node ports, external IPs, load-balancer IPs) is masqueraded
 *   to the receiving node, unless externalTrafficPolicy is Local, which keeps the client's address.
 *   A masqueraded connection carries the receiving node's InternalIP towards another node, and
 *   the node's pod-network gateway towards a pod on the node itself.
 * - Pod IPs are routed within the cluster (pods and nodes), not from outside; an unused address
 *   of a node's pod CIDR is unreachable (no ARP answer: "No route to host").
 */
import type { Node, Pod, Service, ServicePort } from '../../api/types.ts';
import type { ClusterState } from '../../store/state.ts';
import {
  inPodNetwork,
  isNodeReady,
  nodeByIP,
  nodeByName,
  nodeForPodIP,
  nodeGatewayIP,
  nodeIP,
  nodes,
  outsideIP,
  podByIP,
  serviceByClusterIP,
  serviceByNodePort,
  type NetContext,
} from '../context.ts';
import type { Place } from '../place.ts';
import { affinityEntry, recordConnection } from '../records.ts';
import type { Trace } from '../trace.ts';
import { serviceEndpoints, usableEndpoints, type ServiceEndpoint } from './endpoints.ts';

export type Protocol = 'TCP' | 'UDP';

/** Where a connection lands. */
export type Delivery =
  | { kind: 'pod'; pod: Pod; ip: string; port: number }
  /** A node's own sockets (host-network pods) or the outside machine's. */
  | { kind: 'host'; node?: Node; ip: string; port: number };

export type ServiceVia = 'ClusterIP' | 'NodePort' | 'externalIP' | 'LoadBalancer';

export interface ServiceHit {
  service: Service;
  port: ServicePort;
  via: ServiceVia;
  endpoint: ServiceEndpoint;
}

export type ConnectResult =
  | { ok: true; delivery: Delivery; clientIP: string; service?: ServiceHit }
  | { ok: false; error: 'refused' | 'timeout' | 'unreachable'; why: string };

export interface ConnectRequest {
  from: Place;
  ip: string;
  port: number;
  protocol: Protocol;
  /** Count the connection in kube-proxy's state (TCP connections; DNS lookups are not counted). */
  record?: boolean;
}

function fail(error: 'refused' | 'timeout' | 'unreachable', why: string, trace?: Trace): ConnectResult {
  trace?.add('fail', why);
  return { ok: false, error, why };
}

function svcName(svc: Service): string {
  return `${svc.metadata.namespace}/${svc.metadata.name}`;
}

function portText(sp: ServicePort): string {
  return `${sp.name ? `"${sp.name}" ` : ''}${sp.port}/${sp.protocol ?? 'TCP'}`;
}

export function endpointText(e: ServiceEndpoint): string {
  const where = [e.pod ? `pod ${e.pod.namespace}/${e.pod.name}` : undefined, e.nodeName ? `on ${e.nodeName}` : undefined].filter(Boolean);
  return `${e.ip}:${e.port}${where.length ? ` (${where.join(' ')})` : ''}`;
}

/** The source address a pod or node uses. */
function sourceIP(from: Place): string {
  return from.ip;
}

/** The address a masquerading node gives a connection towards an endpoint. */
function masqueradeIP(state: ClusterState, node: Node, endpointIP: string): string {
  const local = nodeForPodIP(state, endpointIP)?.metadata.name === node.metadata.name;
  return local ? nodeGatewayIP(node) : nodeIP(node);
}

interface Lookup {
  service: Service;
  port?: ServicePort;
  via: ServiceVia;
}

/** The Service (and port) whose rules match a destination, as KUBE-SERVICES / KUBE-NODEPORTS would. */
function matchService(state: ClusterState, ip: string, port: number, protocol: Protocol): Lookup | undefined {
  const byPort = (svc: Service) => (svc.spec.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === protocol);
  const vip = serviceByClusterIP(state, ip);
  if (vip && vip.spec.type !== 'ExternalName') return { service: vip, port: byPort(vip), via: 'ClusterIP' };
  for (const svc of state.list<Service>('services')) {
    if (svc.spec.type === 'ExternalName') continue;
    const sp = byPort(svc);
    if (!sp) continue;
    if ((svc.spec.externalIPs ?? []).includes(ip)) return { service: svc, port: sp, via: 'externalIP' };
    if (svc.spec.type === 'LoadBalancer' && (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === ip)) {
      return { service: svc, port: sp, via: 'LoadBalancer' };
    }
  }
  if (nodeByIP(state, ip)) {
    const svc = serviceByNodePort(state, port);
    const sp = svc?.spec.ports?.find((p) => p.nodePort === port && (p.protocol ?? 'TCP') === protocol);
    if (svc && sp && (svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer')) return { service: svc, port: sp, via: 'NodePort' };
  }
  return undefined;
}

/** The nodes a load balancer sends to: all Ready nodes, or with Local policy those with a local endpoint (health checks). */
function loadBalancerTargets(state: ClusterState, svc: Service, eps: ServiceEndpoint[]): Node[] {
  const ready = nodes(state).filter(isNodeReady).filter((n) => n.metadata.labels?.['node.kubernetes.io/exclude-from-external-load-balancers'] === undefined);
  if (svc.spec.externalTrafficPolicy !== 'Local') return ready;
  return ready.filter((n) => eps.some((e) => e.nodeName === n.metadata.name));
}

/** Pick the endpoint for this connection: affinity first, else at random. */
function pickEndpoint(
  net: NetContext,
  svc: Service,
  sp: ServicePort,
  handler: Node,
  candidates: ServiceEndpoint[],
  clientIP: string,
  record: boolean,
  trace?: Trace,
): ServiceEndpoint {
  const nodeName = handler.metadata.name!;
  const affinity = svc.spec.sessionAffinity === 'ClientIP';
  const key = `${svcName(svc)}:${sp.name ?? ''}|${clientIP}`;
  const timeout = (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) * 1000;
  if (affinity) {
    const entry = affinityEntry(net.state, nodeName, key);
    const still = entry && candidates.find((e) => `${e.ip}:${e.port}` === entry.endpoint);
    if (entry && still && net.now.getTime() - entry.seen <= timeout) {
      trace?.add('endpoints', `sessionAffinity ClientIP: ${clientIP} sticks to ${endpointText(still)} (kube-proxy on ${nodeName} saw it ${Math.round((net.now.getTime() - entry.seen) / 1000)}s ago, timeout ${timeout / 1000}s)`);
      if (record) recordConnection(net.state, nodeName, { key, entry: { endpoint: entry.endpoint, seen: net.now.getTime() } });
      return still;
    }
  }
  const chosen = candidates[net.rng.int(candidates.length)];
  trace?.add(
    'endpoints',
    candidates.length === 1
      ? `kube-proxy on ${nodeName} sends it to the only endpoint, ${endpointText(chosen)}`
      : `kube-proxy on ${nodeName} picked ${endpointText(chosen)} at random (1 of ${candidates.length}, a new draw for every connection)`,
  );
  if (record) {
    recordConnection(net.state, nodeName, affinity ? { key, entry: { endpoint: `${chosen.ip}:${chosen.port}`, seen: net.now.getTime() } } : undefined);
  }
  return chosen;
}

/** Where the endpoint's address leads once the Service is resolved. */
function deliverTo(state: ClusterState, ip: string, port: number): Delivery | undefined {
  const pod = podByIP(state, ip);
  if (pod) return { kind: 'pod', pod, ip, port };
  const node = nodeByIP(state, ip);
  if (node) return hostDelivery(state, node, ip, port);
  return undefined;
}

/** A connection to a node's address: a hostPort mapping (CNI portmap) or the node's own sockets. */
function hostDelivery(state: ClusterState, node: Node, ip: string, port: number): Delivery {
  const mapped = state
    .where<Pod>('pods', undefined, (s) => s.n === node.metadata.name)
    .find((p) => !p.spec.hostNetwork && p.status?.podIP && p.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.hostPort === port)));
  if (mapped) {
    const cp = mapped.spec.containers.flatMap((c) => c.ports ?? []).find((x) => x.hostPort === port)!;
    return { kind: 'pod', pod: mapped, ip: mapped.status!.podIP!, port: cp.containerPort };
  }
  return { kind: 'host', node, ip, port };
}

function serviceConnection(net: NetContext, req: ConnectRequest, hit: Lookup & { port: ServicePort }, trace?: Trace): ConnectResult {
  const { state } = net;
  const { service: svc, port: sp, via } = hit;
  const from = req.from;
  const fromOutside = from.kind === 'outside';
  const all = serviceEndpoints(state, svc, sp);
  const usable = usableEndpoints(all);
  const target = sp.targetPort ?? sp.port;
  trace?.add('service', `${req.ip}:${req.port} is ${via === 'ClusterIP' ? 'the cluster IP' : via === 'NodePort' ? 'a node port' : via === 'externalIP' ? 'an external IP' : 'the load-balancer address'} of Service ${svcName(svc)} (${svc.spec.type ?? 'ClusterIP'}), port ${portText(sp)}`, [
    `targetPort ${typeof target === 'number' ? target : `"${target}" (resolved per pod by container port name and protocol)`}`,
    all.length === 0
      ? 'endpoints: none (no ready pod matches the selector, or no pod has the target port)'
      : `endpoints: ${all.map((e) => `${endpointText(e)}${e.ready ? '' : e.serving ? ' [terminating]' : ' [not ready]'}`).join(', ')}`,
  ]);

  // Which node's rules handle it.
  let handler: Node | undefined;
  const external = via !== 'ClusterIP';
  if (via === 'NodePort') handler = nodeByIP(state, req.ip);
  else if (fromOutside) {
    const targets = via === 'LoadBalancer' ? loadBalancerTargets(state, svc, usable) : nodes(state).filter(isNodeReady);
    if (targets.length === 0) {
      return fail('timeout', `the load balancer has no healthy node to send ${req.ip}:${req.port} to (externalTrafficPolicy Local and no node has a ready endpoint)`, trace);
    }
    handler = targets[net.rng.int(targets.length)];
    trace?.add('route', `the outside network delivers ${req.ip} to node ${handler.metadata.name} (${nodeIP(handler)})`);
  } else handler = from.node;
  if (!handler) return fail('timeout', `no node handles ${req.ip}:${req.port}`, trace);

  if (usable.length === 0) {
    return fail('refused', `Service ${svcName(svc)} has no endpoints: kube-proxy REJECTs the connection ("${svcName(svc)}${sp.name ? `:${sp.name}` : ''} has no endpoints")`, trace);
  }
  const localOnly = external
    ? fromOutside && svc.spec.externalTrafficPolicy === 'Local'
    : svc.spec.internalTrafficPolicy === 'Local';
  let candidates = usable;
  if (localOnly) {
    candidates = usable.filter((e) => e.nodeName === handler!.metadata.name);
    const policy = external ? 'externalTrafficPolicy' : 'internalTrafficPolicy';
    if (candidates.length === 0) {
      return fail('timeout', `${policy} is Local and node ${handler.metadata.name} has no endpoint of ${svcName(svc)}: kube-proxy DROPs the packets ("has no local endpoints")`, trace);
    }
    trace?.add('endpoints', `${policy} Local: only endpoints on ${handler.metadata.name}: ${candidates.map(endpointText).join(', ')}`);
  }

  const src = sourceIP(from);
  const chosen = pickEndpoint(net, svc, sp, handler, candidates, src, req.record ?? false, trace);

  // Source NAT.
  let clientIP = src;
  const fromPodNetwork = inPodNetwork(state, src);
  if (!external) {
    if (!fromPodNetwork) clientIP = masqueradeIP(state, handler, chosen.ip);
    else if (chosen.ip === src) clientIP = masqueradeIP(state, handler, chosen.ip);
  } else if (svc.spec.externalTrafficPolicy === 'Local') {
    if (!fromOutside && !fromPodNetwork) clientIP = masqueradeIP(state, handler, chosen.ip);
  } else {
    clientIP = masqueradeIP(state, handler, chosen.ip);
  }
  if (clientIP !== src) trace?.add('endpoints', `the connection is masqueraded: the pod sees it coming from ${clientIP}`);
  else if (external) trace?.add('endpoints', `externalTrafficPolicy Local keeps the client address ${clientIP}`);

  const delivery = deliverTo(state, chosen.ip, chosen.port);
  if (!delivery) return fail('timeout', `endpoint ${chosen.ip} is not an address of any pod or node`, trace);
  return { ok: true, delivery, clientIP, service: { service: svc, port: sp, via, endpoint: chosen } };
}

/** Open a connection from a place to ip:port and find where it lands. */
export function connect(net: NetContext, req: ConnectRequest, trace?: Trace): ConnectResult {
  const { state } = net;
  const { from, ip, port, protocol } = req;

  if (ip === '127.0.0.1' || ip.startsWith('127.')) {
    if (from.kind === 'pod' && !from.pod!.spec.hostNetwork) return { ok: true, delivery: { kind: 'pod', pod: from.pod!, ip, port }, clientIP: ip };
    return { ok: true, delivery: { kind: 'host', node: from.node, ip, port }, clientIP: ip };
  }

  const hit = matchService(state, ip, port, protocol);
  if (hit) {
    if (hit.via === 'ClusterIP' && from.kind === 'outside') {
      return fail('timeout', `${ip} is the cluster IP of Service ${svcName(hit.service)}: it exists only in kube-proxy's rules on the nodes, so nothing outside the cluster routes it and the connection times out`, trace);
    }
    if (!hit.port) {
      return fail('timeout', `Service ${svcName(hit.service)} (${ip}) has no port ${port}/${protocol}: no kube-proxy rule matches, the packets are dropped and the connection times out`, trace);
    }
    return serviceConnection(net, req, { ...hit, port: hit.port }, trace);
  }

  const node = nodeByIP(state, ip);
  if (node) {
    trace?.add('route', `${ip} is node ${node.metadata.name}`);
    return { ok: true, delivery: hostDelivery(state, node, ip, port), clientIP: sourceIP(from) };
  }

  if (inPodNetwork(state, ip)) {
    if (from.kind === 'outside') {
      return fail('timeout', `${ip} is in the pod network, which only the nodes route; from outside the connection times out`, trace);
    }
    const pod = podByIP(state, ip);
    if (pod) {
      trace?.add('route', `${ip} is pod ${pod.metadata.namespace}/${pod.metadata.name}${pod.spec.nodeName ? ` on ${pod.spec.nodeName}` : ''}`);
      const src = sourceIP(from);
      // A node talking to a pod on itself uses its pod-network gateway address.
      const podNode = pod.spec.nodeName ? nodeByName(state, pod.spec.nodeName) : undefined;
      const clientIP = from.kind === 'node' && podNode && from.node?.metadata.name === podNode.metadata.name ? nodeGatewayIP(podNode) : src;
      return { ok: true, delivery: { kind: 'pod', pod, ip, port }, clientIP };
    }
    const owner = nodeForPodIP(state, ip);
    if (owner) return fail('unreachable', `${ip} is in node ${owner.metadata.name}'s pod CIDR but no pod has it: no host answers ARP ("No route to host")`, trace);
    return fail('timeout', `${ip} is in the pod network but in no node's pod CIDR: the packets are dropped`, trace);
  }

  if (ip === outsideIP(state) && from.kind !== 'outside') {
    trace?.add('route', `${ip} is the machine outside the cluster`);
    return { ok: true, delivery: { kind: 'host', ip, port }, clientIP: sourceIP(from) };
  }

  return fail('timeout', `nothing answers at ${ip}: it is not a node, pod or Service address, and the simulated cluster has no internet`, trace);
}
