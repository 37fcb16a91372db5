/**
 * What the network simulation works with: the cluster state of one transaction, its time and its
 * seeded randomness (every random choice, such as kube-proxy's pick of an endpoint, comes from
 * `rng`, so KFAKE_SEED makes it repeatable), plus lookups of the cluster's addresses.
 *
 * The topology is kind's / kubeadm's on one L2 network: nodes have their InternalIP on it, each
 * node routes its pod CIDR (one /24 per node, gateway `.1` on the node), Service IPs exist only
 * in kube-proxy's rules on the nodes, and the machine outside the cluster sits at the network's
 * `.1` (the docker bridge gateway of a kind cluster) and reaches the nodes and nothing else.
 */
import type { Node, Pod, Service } from '../api/types.ts';
import type { ClusterState } from '../store/state.ts';
import { cidrContains, formatIPv4, parseCidr, parseIPv4 } from '../util/ipv4.ts';
import type { Random } from '../util/random.ts';

export interface NetContext {
  state: ClusterState;
  now: Date;
  rng: Random;
}

export function clusterDomain(state: ClusterState): string {
  return state.meta.config.clusterDomain;
}

/** The cluster DNS address pods are given: the kube-dns Service's IP (kubelet --cluster-dns). */
export function clusterDNSIP(state: ClusterState): string {
  const svc = state.get<Service>('services', 'kube-system', 'kube-dns');
  if (svc?.spec.clusterIP && svc.spec.clusterIP !== 'None') return svc.spec.clusterIP;
  return formatIPv4(parseCidr(state.meta.config.serviceCIDR)!.base + 10);
}

export function nodes(state: ClusterState): Node[] {
  return state.list<Node>('nodes');
}

export function nodeIP(node: Node): string {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
}

export function nodeByName(state: ClusterState, name: string): Node | undefined {
  return state.get<Node>('nodes', '', name);
}

export function nodeByIP(state: ClusterState, ip: string): Node | undefined {
  return nodes(state).find((n) => nodeIP(n) === ip);
}

export function isNodeReady(node: Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/**
 * The node's own address on its pod network (the `.1` of its pod CIDR), which traffic from the
 * node to a local pod carries after masquerading.
 */
export function nodeGatewayIP(node: Node): string {
  const cidr = parseCidr(node.spec?.podCIDR ?? '');
  return cidr ? formatIPv4(cidr.base + 1) : nodeIP(node);
}

/** The node whose pod CIDR contains this address. */
export function nodeForPodIP(state: ClusterState, ip: string): Node | undefined {
  const n = parseIPv4(ip);
  if (n === undefined) return undefined;
  return nodes(state).find((node) => {
    const cidr = parseCidr(node.spec?.podCIDR ?? '');
    return !!cidr && cidrContains(cidr, n);
  });
}

/** Whether the address is in the cluster's pod network (--cluster-cidr). */
export function inPodNetwork(state: ClusterState, ip: string): boolean {
  const cidr = parseCidr(state.meta.config.podCIDR);
  const n = parseIPv4(ip);
  return !!cidr && n !== undefined && cidrContains(cidr, n);
}

/** The machine outside the cluster: the `.1` of the nodes' network (kind's docker bridge gateway). */
export function outsideIP(state: ClusterState): string {
  const first = nodes(state).map(nodeIP).find(Boolean) ?? state.meta.config.nodes[0]?.internalIP ?? '172.18.0.2';
  const n = parseIPv4(first) ?? 0;
  return formatIPv4(((n >>> 8) << 8) + 1);
}

/** The pod that owns a pod-network address (host-network pods share their node's address and are not found here). */
export function podByIP(state: ClusterState, ip: string): Pod | undefined {
  const owner = state.meta.alloc.podIPs[ip];
  if (!owner) return undefined;
  const slash = owner.indexOf('/');
  const pod = state.get<Pod>('pods', owner.slice(0, slash), owner.slice(slash + 1));
  return pod && pod.status?.podIP === ip ? pod : undefined;
}

/** The Service whose cluster IP this is. */
export function serviceByClusterIP(state: ClusterState, ip: string): Service | undefined {
  const owner = state.meta.alloc.clusterIPs[ip];
  if (owner) {
    const slash = owner.indexOf('/');
    const svc = state.get<Service>('services', owner.slice(0, slash), owner.slice(slash + 1));
    if (svc && (svc.spec.clusterIPs ?? [svc.spec.clusterIP]).includes(ip)) return svc;
  }
  // Services stored before their allocation was recorded (bootstrap) are found by scanning.
  return state.list<Service>('services').find((s) => (s.spec.clusterIPs ?? [s.spec.clusterIP]).includes(ip));
}

/** The Service that owns a node port. */
export function serviceByNodePort(state: ClusterState, port: number): Service | undefined {
  const owner = state.meta.alloc.nodePorts[String(port)];
  if (owner) {
    const slash = owner.indexOf('/');
    const svc = state.get<Service>('services', owner.slice(0, slash), owner.slice(slash + 1));
    if (svc) return svc;
  }
  return state.list<Service>('services').find((s) => s.spec.ports?.some((p) => p.nodePort === port));
}

/** `namespace/name` of an object, for messages. */
export function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}
