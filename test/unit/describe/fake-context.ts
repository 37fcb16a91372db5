/**
 * A DescribeContext over a fixed list of objects, answering as the API server does: lists sorted
 * by namespace then name, events matched on their involved object as kubectl's field selector does.
 */
import type { Event, KObject } from '../../../src/api/types.ts';
import type { DescribeContext, EventRef } from '../../../src/printers/describe/context.ts';
import { matches, type Selector } from '../../../src/selectors/labels.ts';

const PLURALS: Record<string, string> = {
  ConfigMap: 'configmaps',
  Deployment: 'deployments',
  Endpoints: 'endpoints',
  EndpointSlice: 'endpointslices',
  Event: 'events',
  Ingress: 'ingresses',
  IngressClass: 'ingressclasses',
  Lease: 'leases',
  LimitRange: 'limitranges',
  Namespace: 'namespaces',
  Node: 'nodes',
  Pod: 'pods',
  ReplicaSet: 'replicasets',
  ResourceQuota: 'resourcequotas',
  Service: 'services',
};

const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'IngressClass']);

export function pluralOf(obj: KObject): string {
  const plural = PLURALS[obj.kind];
  if (!plural) throw new Error(`fixture has an unexpected kind ${obj.kind}`);
  return plural;
}

const byNamespaceAndName = (a: KObject, b: KObject) => {
  const x = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const y = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

export function fakeContext(objects: KObject[], now: Date): DescribeContext {
  // The server stores namespaced objects sent without a namespace in `default`.
  const stored = objects
    .map((o) => (CLUSTER_SCOPED.has(o.kind) || o.metadata.namespace ? o : { ...o, metadata: { ...o.metadata, namespace: 'default' } }))
    .sort(byNamespaceAndName);
  const ofResource = (resource: string) => stored.filter((o) => pluralOf(o) === resource);
  return {
    now,
    showEvents: true,
    get: (resource, namespace, name) =>
      ofResource(resource).find((o) => (o.metadata.namespace ?? '') === namespace && o.metadata.name === name),
    list: (resource, namespace, selector?: Selector) =>
      ofResource(resource).filter(
        (o) => (namespace === undefined || o.metadata.namespace === namespace) && (!selector || matches(selector, o.metadata.labels)),
      ),
    events: (ref: EventRef) =>
      (ofResource('events') as Event[]).filter((e) => {
        const io = e.involvedObject ?? {};
        if (ref.namespace && e.metadata.namespace !== ref.namespace) return false;
        return (
          (io.name ?? '') === ref.name &&
          (io.namespace ?? '') === (ref.namespace ?? '') &&
          (ref.kind === undefined || (io.kind ?? '') === ref.kind) &&
          (ref.uid === undefined || (io.uid ?? '') === ref.uid)
        );
      }),
  };
}
