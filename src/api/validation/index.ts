/**
 * The API server's validation of the kinds kfake serves, as ValidateXxx / ValidateXxxUpdate run
 * after defaulting. Errors are field errors in the order the server reports them (where Go
 * iterates a map, kfake uses sorted keys).
 */
import type { FieldError } from '../errors.ts';
import type { KObject, Service } from '../types.ts';
import { validateDeployment, validateReplicaSet } from './apps.ts';
import type { Obj } from './common.ts';
import { validateIngress, validateIngressClass } from './networking.ts';
import {
  validateConfigMap,
  validateEndpointSlice,
  validateEndpoints,
  validateEvent,
  validateLease,
  validateNamespace,
  validateNode,
} from './other.ts';
import { validatePod, validatePodUpdate } from './pod.ts';
import { clusterIPRelatedErrors, validateServiceObject } from './service.ts';

type Validator = (obj: Obj, old: Obj | undefined) => FieldError[];

const VALIDATORS: Record<string, Validator> = {
  'v1/Pod': (pod, old) => (old ? validatePodUpdate(pod, old) : validatePod(pod)),
  'v1/Service': validateServiceObject,
  'v1/Namespace': validateNamespace,
  'v1/Node': validateNode,
  'v1/Endpoints': validateEndpoints,
  'v1/ConfigMap': validateConfigMap,
  'v1/Event': validateEvent,
  'apps/v1/Deployment': validateDeployment,
  'apps/v1/ReplicaSet': validateReplicaSet,
  'discovery.k8s.io/v1/EndpointSlice': validateEndpointSlice,
  'networking.k8s.io/v1/Ingress': validateIngress,
  'networking.k8s.io/v1/IngressClass': validateIngressClass,
  'coordination.k8s.io/v1/Lease': validateLease,
};

/**
 * Full validation of a defaulted object, for create (`old` undefined) or update (`old` is the
 * stored object). Kinds kfake does not serve validate cleanly.
 */
export function validateObject(obj: KObject, old: KObject | undefined): FieldError[] {
  const validator = VALIDATORS[`${obj.apiVersion}/${obj.kind}`];
  return validator ? validator(obj as Obj, old as Obj | undefined) : [];
}

/**
 * ValidateServiceClusterIPsRelatedFields, which the registry runs before allocating cluster IPs;
 * when it fails the request fails with these errors only. Like the registry's normalizeClusterIPs,
 * an absent `clusterIPs` is read as the stored one when `clusterIP` did not change on update, and
 * as `[clusterIP]` otherwise.
 */
export function validateServiceClusterIPFields(svc: Service, old: Service | undefined): FieldError[] {
  const spec = svc.spec ?? {};
  if (old && !Array.isArray(spec.clusterIPs) && spec.clusterIP === old.spec?.clusterIP && old.spec?.clusterIPs) {
    return clusterIPRelatedErrors({ ...svc, spec: { ...spec, clusterIPs: old.spec.clusterIPs } } as unknown as Obj);
  }
  return clusterIPRelatedErrors(svc as unknown as Obj);
}
