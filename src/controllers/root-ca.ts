/**
 * The root-ca-cert-publisher: every namespace gets the `kube-root-ca.crt` ConfigMap that the
 * projected service-account volume of its pods refers to.
 */
import type { ConfigMap, Namespace } from '../api/types.ts';
import { createObject } from '../apiserver/api.ts';
import type { Change } from '../store/state.ts';
import type { ControllerContext } from './context.ts';
import type { Controller } from './reconcile.ts';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export const rootCAPublisher: Controller = {
  name: 'root-ca-cert-publisher',
  watches: ['namespaces', 'configmaps'],
  keysFor(change: Change): string[] {
    if (change.resource === 'namespaces' && change.type === 'ADDED') return [change.name];
    if (change.resource === 'configmaps' && change.name === ROOT_CA_CONFIGMAP && change.type === 'DELETED') return [change.namespace];
    return [];
  },
  sync(name: string, ctx: ControllerContext): void {
    const ns = ctx.state.get<Namespace>('namespaces', '', name);
    if (!ns || ns.metadata.deletionTimestamp || ctx.state.has('configmaps', name, ROOT_CA_CONFIGMAP)) return;
    const cm: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: ROOT_CA_CONFIGMAP, namespace: name, annotations: { 'kubernetes.io/description': DESCRIPTION } },
      data: { 'ca.crt': ctx.state.meta.caCert },
    };
    createObject({ state: ctx.state, now: ctx.now, rng: ctx.rng }, cm);
  },
};
