/**
 * Which pod a `POD | TYPE/NAME` argument means for exec and logs (kubectl's
 * polymorphichelpers: AttachablePodForObject, LogsForObject, SelectorsForObject, GetFirstPod),
 * and which container (podcmd.FindOrDefaultContainerByName).
 */
import { CliError, notFound } from '../api/errors.ts';
import { resolveResourceArg, resourceInfo } from '../api/registry.ts';
import type { Container, Deployment, KObject, Pod, ReplicaSet, Service } from '../api/types.ts';
import { isPodReady } from '../controllers/pod-status.ts';
import { selectorFromLabelSelector, selectorFromSet, type Selector } from '../selectors/labels.ts';
import type { ClusterState } from '../store/state.ts';

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** The Go type name kubectl prints in "cannot attach to" messages. */
const GO_TYPES: Record<string, string> = {
  configmaps: '*v1.ConfigMap',
  namespaces: '*v1.Namespace',
  nodes: '*v1.Node',
  endpoints: '*v1.Endpoints',
  events: '*v1.Event',
  ingresses: '*v1.Ingress',
  ingressclasses: '*v1.IngressClass',
  endpointslices: '*v1.EndpointSlice',
  leases: '*v1.Lease',
};

export interface TargetObject {
  resource: string;
  object: KObject;
}

/** Resolve `NAME` (a pod) or `TYPE/NAME` to the object it names. */
export function targetObject(state: ClusterState, arg: string, namespace: string): TargetObject {
  let resource = 'pods';
  let name = arg;
  const slash = arg.indexOf('/');
  if (slash >= 0) {
    const type = arg.slice(0, slash);
    name = arg.slice(slash + 1);
    const info = resolveResourceArg(type);
    if (!info) throw new CliError(`the server doesn't have a resource type "${type}"`);
    resource = info.resource;
  }
  const info = resourceInfo(resource);
  const obj = state.get(resource, info.namespaced ? namespace : '', name);
  if (!obj) throw notFound(info, name);
  return { resource, object: obj };
}

/** SelectorsForObject. */
function selectorFor(t: TargetObject, verb: 'attach to' | 'get the logs from'): Selector {
  switch (t.resource) {
    case 'deployments':
      return selectorFromLabelSelector((t.object as Deployment).spec.selector);
    case 'replicasets':
      return selectorFromLabelSelector((t.object as ReplicaSet).spec.selector);
    case 'services': {
      const svc = t.object as Service;
      if (!svc.spec.selector || Object.keys(svc.spec.selector).length === 0) {
        throw new CliError(`${verb === 'attach to' ? 'cannot attach to' : 'cannot get the logs from'} *v1.Service: invalid service '${svc.metadata.name}': Service is defined without a selector`);
      }
      return selectorFromSet(svc.spec.selector);
    }
    default:
      throw new CliError(`${verb === 'attach to' ? 'cannot attach to' : 'cannot get the logs from'} ${GO_TYPES[t.resource] ?? '*v1.Object'}: selector for ${GO_TYPES[t.resource] ?? '*v1.Object'} not implemented`);
  }
}

function creation(p: Pod): number {
  return Date.parse(p.metadata.creationTimestamp ?? '') || 0;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** podutils.ActivePods reversed: the most "active" pod first (assigned, running, ready, older). */
function byActivity(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(b) - assigned(a);
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(b) - phase(a);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(b) - ready(a);
  return creation(a) - creation(b);
}

/** The pod a target stands for, and how many pods it selected. */
export function podForTarget(state: ClusterState, t: TargetObject, verb: 'attach to' | 'get the logs from'): { pod: Pod; count: number; all: Pod[] } {
  if (t.resource === 'pods') return { pod: t.object as Pod, count: 1, all: [t.object as Pod] };
  const selector = selectorFor(t, verb);
  const pods = state.select<Pod>('pods', t.object.metadata.namespace, selector).sort(byActivity);
  if (pods.length === 0) throw new CliError('timed out waiting for the condition');
  return { pod: pods[0], count: pods.length, all: pods };
}

/** podcmd.AllContainerNames: `a, b, init (init)`. */
export function allContainerNames(pod: Pod): string {
  return [...pod.spec.containers.map((c) => c.name), ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`)].join(', ');
}

/** FindOrDefaultContainerByName without a name: the annotated default, else the first container. */
export function defaultContainer(pod: Pod, quiet: boolean, warn: (msg: string) => void): Container {
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    const c = findContainer(pod, annotated);
    if (c) return c;
  }
  const first = pod.spec.containers[0];
  if (!quiet && (pod.spec.containers.length > 1 || (pod.spec.initContainers?.length ?? 0) > 0)) {
    warn(`Defaulted container "${first.name}" out of: ${allContainerNames(pod)}\n`);
  }
  return first;
}

export function findContainer(pod: Pod, name: string): Container | undefined {
  return pod.spec.containers.find((c) => c.name === name) ?? pod.spec.initContainers?.find((c) => c.name === name);
}
