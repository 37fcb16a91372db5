/**
 * Per-kind REST strategies: what the API server does to an object on create and update before
 * validation (pkg/registry/<group>/<kind>/strategy.go): clearing or keeping status, setting and
 * bumping metadata.generation.
 */
import type { KObject } from '../api/types.ts';
import { clone } from '../util/clone.ts';
import { jsonEqual } from '../util/json-equal.ts';

/** Kinds served with a /status subresource: the main resource ignores status changes, and the
 * status subresource ignores everything else. */
const STATUS_SUBRESOURCE = new Set([
  'pods',
  'services',
  'nodes',
  'namespaces',
  'deployments',
  'replicasets',
  'ingresses',
]);

export function hasStatusSubresource(resource: string): boolean {
  return STATUS_SUBRESOURCE.has(resource);
}

/** Fields that make up "the spec" for generation purposes. */
const GENERATION_SPEC: Record<string, (o: KObject) => unknown> = {
  deployments: (o) => o.spec,
  replicasets: (o) => o.spec,
  ingresses: (o) => o.spec,
  ingressclasses: (o) => o.spec,
  // endpointslice strategy: anything but metadata, or a label change, bumps it
  endpointslices: (o) => [o.addressType, o.endpoints, o.ports, o.metadata.labels],
};

/** PrepareForCreate: status reset and generation 1 where the strategy does so. */
export function prepareForCreate(resource: string, obj: KObject): void {
  if (resource in GENERATION_SPEC) obj.metadata.generation = 1;
  else delete obj.metadata.generation;
  switch (resource) {
    case 'services':
      obj.status = { loadBalancer: {} };
      break;
    case 'deployments':
    case 'replicasets':
      obj.status = {};
      break;
    case 'ingresses':
      obj.status = { loadBalancer: {} };
      break;
    case 'namespaces':
      obj.status = { phase: 'Active' };
      break;
    case 'pods':
      // pod strategy: a new pod starts Pending; the kubelet fills the rest
      obj.status = { phase: 'Pending', ...(qosClassOf(obj) ? { qosClass: qosClassOf(obj) } : {}) };
      break;
  }
}

/**
 * PrepareForUpdate through the main resource: status and generation come from the stored
 * object; generation is bumped when the spec changed.
 */
export function prepareForUpdate(resource: string, obj: KObject, old: KObject): void {
  if (hasStatusSubresource(resource)) {
    if (old.status === undefined) delete obj.status;
    else obj.status = clone(old.status);
  }
  const spec = GENERATION_SPEC[resource];
  if (spec) {
    const oldGen = old.metadata.generation ?? 1;
    obj.metadata.generation = jsonEqual(spec(obj), spec(old)) ? oldGen : oldGen + 1;
  } else if (old.metadata.generation !== undefined) {
    obj.metadata.generation = old.metadata.generation;
  } else {
    delete obj.metadata.generation;
  }
}

/** PrepareForUpdate through /status: only status changes; everything else is the stored object's. */
export function prepareForStatusUpdate(obj: KObject, old: KObject): KObject {
  const out = clone(old);
  out.status = clone(obj.status);
  out.metadata = clone(old.metadata);
  // Labels, annotations and finalizers may change through status too, as the registry allows
  // metadata updates on every subresource except spec.
  if (obj.metadata.labels !== undefined) out.metadata.labels = clone(obj.metadata.labels);
  if (obj.metadata.annotations !== undefined) out.metadata.annotations = clone(obj.metadata.annotations);
  return out;
}

/** The pod's QoS class (pkg/apis/core/helper/qos): BestEffort, Burstable or Guaranteed. */
export function qosClassOf(pod: KObject): string | undefined {
  const spec = pod.spec as { containers?: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[]; initContainers?: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[] } | undefined;
  if (!spec) return undefined;
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let anyRequest = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) anyRequest = true;
      const request = req[r] ?? lim[r];
      if (lim[r] === undefined || request === undefined || request !== lim[r]) guaranteed = false;
    }
  }
  if (!anyRequest) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
