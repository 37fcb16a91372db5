/**
 * Node-local state the network simulation keeps in the store, under internal resources no API
 * verb serves: the environment each container was started with (the kubelet computes it once,
 * at start), and each node's kube-proxy state (ClientIP affinity entries, as iptables' `recent`
 * module keeps them, and a connection counter). Records of deleted pods are dropped by a
 * controller, as a node forgets a container when it is removed.
 */
import type { KObject, Pod } from '../api/types.ts';
import type { Controller } from '../controllers/reconcile.ts';
import type { ControllerContext } from '../controllers/context.ts';
import type { Change, ClusterState } from '../store/state.ts';
import { clone } from '../util/clone.ts';

export const ENV_RESOURCE = 'containerenvs';
export const LINKS_RESOURCE = 'servicelinks';
export const PROXY_RESOURCE = 'kubeproxystates';

/** What a container's environment was made of when it started. */
export interface StartedEnv {
  /** Its own variables (env, envFrom), in declaration order. */
  own: [string, string][];
  /** The service-link snapshot it got (a LINKS_RESOURCE name). */
  links: string;
  /** Seed of the random variable order Go's map iteration gave it. */
  seed: string;
  tty: boolean;
}

interface ContainerEnvRecord extends KObject {
  containers: Record<string, StartedEnv>;
}

interface LinkSnapshotRecord extends KObject {
  vars: [string, string][];
}

const linkLabel = (hash: string) => `kfake.links/${hash}`;

/**
 * Record what a container started with. The service links are stored once per snapshot and
 * shared by the containers that got the same one.
 */
export function saveContainerEnv(state: ClusterState, pod: Pod, container: string, started: StartedEnv, links: [string, string][]): void {
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  if (!state.has(LINKS_RESOURCE, ns, started.links)) {
    state.put(LINKS_RESOURCE, { apiVersion: 'kfake/v1', kind: 'ServiceLinks', metadata: { name: started.links, namespace: ns }, vars: links } as LinkSnapshotRecord);
  }
  const existing = state.get<ContainerEnvRecord>(ENV_RESOURCE, ns, name);
  const rec: ContainerEnvRecord =
    existing && existing.metadata.uid === pod.metadata.uid
      ? clone(existing)
      : { apiVersion: 'kfake/v1', kind: 'ContainerEnv', metadata: { name, namespace: ns, uid: pod.metadata.uid }, containers: {} };
  rec.containers[container] = started;
  rec.metadata.labels = { ...(rec.metadata.labels ?? {}), [linkLabel(started.links)]: 'true' };
  state.put(ENV_RESOURCE, rec);
}

/** How a container's environment was made when it started, if the kubelet recorded it. */
export function containerStartOf(state: ClusterState, pod: Pod, container: string): { started: StartedEnv; links: [string, string][] } | undefined {
  const rec = state.get<ContainerEnvRecord>(ENV_RESOURCE, pod.metadata.namespace!, pod.metadata.name!);
  const started = rec && rec.metadata.uid === pod.metadata.uid ? rec.containers[container] : undefined;
  if (!started) return undefined;
  const snap = state.get<LinkSnapshotRecord>(LINKS_RESOURCE, pod.metadata.namespace!, started.links);
  return { started, links: snap?.vars ?? [] };
}

/** Drop a pod's record, and the link snapshots no container refers to any more. */
function dropContainerEnv(state: ClusterState, ns: string, name: string): void {
  const rec = state.remove(ENV_RESOURCE, ns, name);
  for (const label of Object.keys(rec?.metadata.labels ?? {})) {
    if (!label.startsWith('kfake.links/')) continue;
    const users = state.select(ENV_RESOURCE, ns, [{ key: label, operator: '=', values: ['true'] }]);
    if (users.length === 0) state.remove(LINKS_RESOURCE, ns, label.slice('kfake.links/'.length));
  }
}

export interface AffinityEntry {
  /** `ip:port` of the endpoint the client sticks to. */
  endpoint: string;
  /** When the entry was last refreshed (ms since the epoch). */
  seen: number;
}

interface ProxyStateRecord extends KObject {
  /** `<namespace>/<service>:<port name>|<client IP>` -> entry */
  affinity: Record<string, AffinityEntry>;
  connections: number;
}

function proxyRecord(state: ClusterState, node: string): ProxyStateRecord {
  const existing = state.get<ProxyStateRecord>(PROXY_RESOURCE, '', node);
  return existing
    ? clone(existing)
    : { apiVersion: 'kfake/v1', kind: 'KubeProxyState', metadata: { name: node }, affinity: {}, connections: 0 };
}

export function affinityEntry(state: ClusterState, node: string, key: string): AffinityEntry | undefined {
  return state.get<ProxyStateRecord>(PROXY_RESOURCE, '', node)?.affinity[key];
}

/**
 * Count a new connection through this node's kube-proxy rules, and remember (or refresh) a
 * ClientIP affinity entry. Every connection changes the store, so the next one draws fresh
 * randomness, as each real connection is a new independent draw.
 */
export function recordConnection(state: ClusterState, node: string, affinity?: { key: string; entry: AffinityEntry }): void {
  const rec = proxyRecord(state, node);
  rec.connections += 1;
  if (affinity) rec.affinity[affinity.key] = affinity.entry;
  state.put(PROXY_RESOURCE, rec);
}

/** Forgets the records of deleted pods. */
export const networkRecordsCleaner: Controller = {
  name: 'network-records',
  watches: ['pods'],
  keysFor(change: Change): string[] {
    return change.resource === 'pods' && change.type === 'DELETED' ? [`${change.namespace}/${change.name}`] : [];
  },
  sync(key: string, ctx: ControllerContext): void {
    const [ns, name] = key.split('/');
    if (ctx.state.has('pods', ns, name)) {
      const pod = ctx.state.get<Pod>('pods', ns, name)!;
      const rec = ctx.state.get(ENV_RESOURCE, ns, name);
      if (!rec || rec.metadata.uid === pod.metadata.uid) return;
    }
    if (ctx.state.has(ENV_RESOURCE, ns, name)) dropContainerEnv(ctx.state, ns, name);
  },
};
