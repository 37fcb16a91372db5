/** Owner references as controllers set them (metav1.NewControllerRef). */
import { apiVersionOf, infoForObject } from '../api/registry.ts';
import type { KObject, OwnerReference } from '../api/types.ts';

export function ownerReference(owner: KObject): OwnerReference {
  const info = infoForObject(owner.apiVersion, owner.kind);
  return {
    apiVersion: info ? apiVersionOf(info) : owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The owner reference with controller: true, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}
