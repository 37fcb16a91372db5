/**
 * What the store keeps beside the objects: the cluster's settings (chosen at init), the
 * cluster-wide resourceVersion counter, and the allocation tables the API server and the
 * node IPAM keep outside the objects in a real cluster (service IP and node-port bitmaps,
 * host-local pod IP allocations).
 */

export interface NodeConfig {
  name: string;
  role: 'control-plane' | 'worker';
  internalIP: string;
  podCIDR: string;
}

export type LoadBalancerConfig = { mode: 'none' } | { mode: 'pool'; pool: string };

export interface ClusterConfig {
  name: string;
  kubernetesVersion: string;
  serviceCIDR: string;
  podCIDR: string;
  nodePortRange: { base: number; size: number };
  clusterDomain: string;
  nodes: NodeConfig[];
  maxPodsPerNode: number;
  loadBalancer: LoadBalancerConfig;
  /** Seconds an event lives after it was last seen (kube-apiserver --event-ttl, default 1h). */
  eventTTLSeconds: number;
}

export interface Allocations {
  /** cluster IP -> "<namespace>/<service>" */
  clusterIPs: Record<string, string>;
  /** node port -> "<namespace>/<service>" */
  nodePorts: Record<string, string>;
  /** pod IP -> "<namespace>/<pod>" (host-network pods use their node's IP and are not here) */
  podIPs: Record<string, string>;
  /** load-balancer IP -> "<namespace>/<service>" (address-pool mode) */
  loadBalancerIPs: Record<string, string>;
  /** node -> the pod IP it handed out last (host-local IPAM allocates round-robin) */
  lastPodIP: Record<string, string>;
}

export interface StoreMeta {
  createdAt: string;
  /** The cluster CA certificate (PEM), published in every namespace's kube-root-ca.crt. */
  caCert: string;
  resourceVersion: number;
  config: ClusterConfig;
  alloc: Allocations;
  /** When the oldest stored event was last seen (ms), so writes skip the TTL scan until it can expire. */
  oldestEvent?: number;
}

export function emptyAllocations(): Allocations {
  return { clusterIPs: {}, nodePorts: {}, podIPs: {}, loadBalancerIPs: {}, lastPodIP: {} };
}

export const DEFAULT_CONFIG: ClusterConfig = {
  name: 'kfake',
  kubernetesVersion: 'v1.32.4',
  serviceCIDR: '10.96.0.0/12',
  podCIDR: '10.244.0.0/16',
  nodePortRange: { base: 30000, size: 2768 },
  clusterDomain: 'cluster.local',
  nodes: [
    { name: 'kfake-control-plane', role: 'control-plane', internalIP: '172.18.0.2', podCIDR: '10.244.0.0/24' },
    { name: 'kfake-worker', role: 'worker', internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24' },
    { name: 'kfake-worker2', role: 'worker', internalIP: '172.18.0.4', podCIDR: '10.244.2.0/24' },
  ],
  maxPodsPerNode: 110,
  loadBalancer: { mode: 'none' },
  eventTTLSeconds: 3600,
};

export function nodePortRangeText(c: ClusterConfig): string {
  return `${c.nodePortRange.base}-${c.nodePortRange.base + c.nodePortRange.size - 1}`;
}
