/**
 * Go's `omitempty`: the API server stores objects as Go structs, so an empty map or list in a
 * field tagged omitempty does not survive (`labels: {}` comes back as no labels at all, and a
 * Service's `selector: {}` as no selector). These are the omitempty fields users write empty.
 */
import type { KObject } from '../api/types.ts';

type Json = Record<string, unknown>;

const isEmpty = (v: unknown) =>
  v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

function drop(obj: Json | undefined, fields: string[]): void {
  if (!obj || typeof obj !== 'object') return;
  for (const f of fields) if (f in obj && isEmpty(obj[f])) delete obj[f];
}

const META = ['labels', 'annotations', 'finalizers', 'ownerReferences'];
const POD_SPEC = ['nodeSelector', 'tolerations', 'volumes', 'initContainers', 'imagePullSecrets', 'hostAliases', 'readinessGates'];
const CONTAINER = ['ports', 'env', 'envFrom', 'volumeMounts', 'command', 'args'];

function podSpec(spec: Json | undefined): void {
  if (!spec) return;
  drop(spec, POD_SPEC);
  for (const c of [...((spec.containers as Json[]) ?? []), ...((spec.initContainers as Json[]) ?? [])]) drop(c, CONTAINER);
}

export function dropEmptyFields(resource: string, obj: KObject): void {
  drop(obj.metadata as Json, META);
  const spec = obj.spec as Json | undefined;
  switch (resource) {
    case 'services':
      drop(spec, ['selector', 'ports', 'externalIPs', 'loadBalancerSourceRanges']);
      break;
    case 'configmaps':
      drop(obj as Json, ['data', 'binaryData']);
      break;
    case 'pods':
      podSpec(spec);
      break;
    case 'deployments':
    case 'replicasets': {
      const template = spec?.template as Json | undefined;
      drop(template?.metadata as Json, META);
      podSpec(template?.spec as Json);
      break;
    }
    case 'endpoints':
      drop(obj as Json, ['subsets']);
      break;
  }
}
