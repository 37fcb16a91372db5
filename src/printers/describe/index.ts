/**
 * `kubectl describe` for one object: the describer kubectl picks for its kind
 * (DescriberFor / GenericDescriberFor in staging/src/k8s.io/kubectl/pkg/describe/describe.go).
 */
import type {
  ConfigMap,
  Deployment,
  Endpoints,
  EndpointSlice,
  Ingress,
  IngressClass,
  KObject,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Service,
} from '../../api/types.ts';
import { describeConfigMap } from './configmap.ts';
import type { DescribeContext } from './context.ts';
import { describeDeployment } from './deployment.ts';
import { describeEndpoints } from './endpoints.ts';
import { describeEndpointSlice } from './endpointslice.ts';
import { describeGeneric } from './generic.ts';
import { describeIngress } from './ingress.ts';
import { describeIngressClass } from './ingressclass.ts';
import { describeNamespace } from './namespace.ts';
import { describeNode } from './node.ts';
import { describePod } from './pod.ts';
import { describeReplicaSet } from './replicaset.ts';
import { describeService } from './service.ts';

export type { DescribeContext, EventRef } from './context.ts';

const DESCRIBERS: Record<string, (obj: KObject, ctx: DescribeContext) => string> = {
  services: (o, c) => describeService(o as Service, c),
  pods: (o, c) => describePod(o as Pod, c),
  endpoints: (o, c) => describeEndpoints(o as Endpoints, c),
  endpointslices: (o, c) => describeEndpointSlice(o as EndpointSlice, c),
  deployments: (o, c) => describeDeployment(o as Deployment, c),
  replicasets: (o, c) => describeReplicaSet(o as ReplicaSet, c),
  nodes: (o, c) => describeNode(o as Node, c),
  namespaces: (o, c) => describeNamespace(o as Namespace, c),
  ingresses: (o, c) => describeIngress(o as Ingress, c),
  ingressclasses: (o, c) => describeIngressClass(o as IngressClass, c),
  configmaps: (o, c) => describeConfigMap(o as ConfigMap, c),
};

/**
 * The description of `obj` (resource is its plural, e.g. `services`), ending with a newline.
 * Kinds without a dedicated describer (events, leases) get kubectl's generic one.
 */
export function describeObject(resource: string, obj: KObject, ctx: DescribeContext): string {
  const describer = DESCRIBERS[resource] ?? describeGeneric;
  return describer(obj, ctx);
}
