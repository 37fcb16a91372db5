/**
 * The garbage collector (pkg/controller/garbagecollector) with background propagation: when an
 * owner is deleted, dependents whose owners are all gone are deleted too (a Deployment takes its
 * ReplicaSets, which take their Pods; a Service takes its EndpointSlices). A dependent that
 * still has a live owner only loses the dangling reference.
 *
 * The namespace controller lives here too: a Terminating namespace is emptied, then removed.
 */
import { infoForObject, RESOURCES, resourceInfo } from '../api/registry.ts';
import type { KObject, Namespace } from '../api/types.ts';
import { deleteObject } from '../apiserver/api.ts';
import type { Change } from '../store/state.ts';
import type { ControllerContext } from './context.ts';
import type { Controller } from './reconcile.ts';
import { clone } from '../util/clone.ts';

/** Resources that can carry ownerReferences worth following (events never do here). */
const DEPENDENT_RESOURCES = RESOURCES.filter((r) => r.resource !== 'events').map((r) => r.resource);

export const garbageCollector: Controller = {
  name: 'garbage-collector',
  keysFor(change: Change): string[] {
    if (change.type !== 'DELETED' || !change.object.metadata.uid) return [];
    const info = infoForObject(change.object.apiVersion, change.object.kind);
    // Owners in a namespace own objects of that namespace; cluster-scoped owners own anything.
    return [`${info?.namespaced ? change.namespace : '*'}/${change.object.metadata.uid}`];
  },
  sync(key: string, ctx: ControllerContext): void {
    const slash = key.indexOf('/');
    const scope = key.slice(0, slash);
    const uid = key.slice(slash + 1);
    const namespace = scope === '*' ? undefined : scope;
    for (const resource of DEPENDENT_RESOURCES) {
      for (const dep of ctx.state.ownedBy(resource, namespace, uid)) collect(ctx, resource, dep, uid);
    }
  },
};

function ownerExists(ctx: ControllerContext, dep: KObject, uid: string): boolean {
  const ref = dep.metadata.ownerReferences!.find((r) => r.uid === uid)!;
  const info = infoForObject(ref.apiVersion, ref.kind);
  if (!info) return false;
  const owner = ctx.state.get(info.resource, info.namespaced ? dep.metadata.namespace ?? '' : '', ref.name);
  return owner?.metadata.uid === uid;
}

function collect(ctx: ControllerContext, resource: string, dep: KObject, goneUid: string): void {
  const remaining = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== goneUid && ownerExists(ctx, dep, r.uid));
  if (remaining.length > 0) {
    const next = clone(dep);
    next.metadata.ownerReferences = remaining;
    ctx.state.put(resource, next);
    return;
  }
  const info = resourceInfo(resource);
  deleteObject({ state: ctx.state, now: ctx.now, rng: ctx.rng }, info, dep.metadata.namespace ?? '', dep.metadata.name!);
}

export const namespaceController: Controller = {
  name: 'namespace',
  watches: ['namespaces'],
  keysFor(change: Change): string[] {
    if (change.resource === 'namespaces' && change.type !== 'DELETED' && change.object.metadata.deletionTimestamp) {
      return [change.name];
    }
    return [];
  },
  sync(name: string, ctx: ControllerContext): void {
    const ns = ctx.state.get<Namespace>('namespaces', '', name);
    if (!ns?.metadata.deletionTimestamp) return;
    const api = { state: ctx.state, now: ctx.now, rng: ctx.rng };
    for (const resource of ctx.state.resources()) {
      const info = RESOURCES.find((r) => r.resource === resource);
      for (const obj of ctx.state.list(resource, name)) {
        if (info?.namespaced) deleteObject(api, info, name, obj.metadata.name!);
        else ctx.state.remove(resource, name, obj.metadata.name!);
      }
    }
    ctx.state.remove('namespaces', '', name);
  },
};
