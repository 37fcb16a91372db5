/**
 * The API server's write path, for every served kind: decode strictly, default, admit, allocate,
 * validate, store (k8s.io/apiserver generic registry + the kind strategies + admission plugins).
 * Commands call these; controllers write through ClusterState directly, as the controller
 * manager's own requests would pass these checks by construction.
 */
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  type StatusError,
} from '../api/errors.ts';
import { infoForObject, resourceInfo, type ResourceInfo } from '../api/registry.ts';
import type { Ingress, IngressClass, KObject, Namespace, Pod, Service } from '../api/types.ts';
import { admitPod, applyDefaults, TOKEN_VOLUME_PREFIX } from '../api/defaults.ts';
import { decodeWithValidation, type FieldValidation } from '../api/schema/index.ts';
import { validateObject } from '../api/validation/index.ts';
import type { ClusterState } from '../store/state.ts';
import { rfc3339 } from '../util/duration.ts';
import { randomString, randomUID, type Random } from '../util/random.ts';
import { dropLogs } from '../runtime/logs.ts';
import { dropEmptyFields } from './omitempty.ts';
import { dropTypeDependentFields, releaseService, ServiceAllocation } from './service-alloc.ts';
import { hasStatusSubresource, prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from './strategy.ts';
import { clone } from '../util/clone.ts';
import { jsonEqual } from '../util/json-equal.ts';

export interface ApiContext {
  state: ClusterState;
  now: Date;
  rng: Random;
  /** kubectl --validate: Strict (default), Warn or Ignore unknown fields. */
  fieldValidation?: FieldValidation;
  /** Warnings the server returns with the response (printed by kubectl as `Warning: ...`). */
  warnings?: string[];
  /**
   * Called by commands that send many requests, after each one: now and then the controllers
   * catch up, as they do in a real cluster while kubectl is still sending, so a big apply never
   * holds every object it causes at once.
   */
  checkpoint?: () => void;
}

const NAMESPACES = resourceInfo('namespaces');

/** Namespaces the NamespaceLifecycle admission plugin never lets go. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

function infoOf(obj: KObject): ResourceInfo {
  const info = infoForObject(obj.apiVersion, obj.kind);
  if (!info) throw new Error(`no resource for ${obj.apiVersion} ${obj.kind}`);
  return info;
}

export function getObject<T extends KObject = KObject>(ctx: ApiContext, info: ResourceInfo, namespace: string, name: string): T {
  const obj = ctx.state.get<T>(info.resource, info.namespaced ? namespace : '', name);
  if (!obj) throw notFound(info, name);
  return obj;
}

/** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
function admitNamespace(ctx: ApiContext, info: ResourceInfo, obj: KObject): void {
  if (!info.namespaced) return;
  const nsName = obj.metadata.namespace!;
  const ns = ctx.state.get<Namespace>('namespaces', '', nsName);
  if (!ns) throw notFound(NAMESPACES, nsName);
  if (ns.status?.phase === 'Terminating' || ns.metadata.deletionTimestamp) {
    throw forbidden(
      info,
      obj.metadata.name ?? obj.metadata.generateName ?? '',
      `unable to create new content in namespace ${nsName} because it is being terminated`,
    );
  }
}

/** The Ingress DefaultIngressClass admission plugin. */
function admitIngress(ctx: ApiContext, ing: Ingress): void {
  const spec = (ing.spec ??= {});
  if (spec.ingressClassName || ing.metadata.annotations?.['kubernetes.io/ingress.class']) return;
  const defaults = ctx.state
    .list<IngressClass>('ingressclasses')
    .filter((c) => c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
  if (defaults.length > 1) {
    throw forbidden(
      resourceInfo('ingresses'),
      ing.metadata.name ?? '',
      `${defaults.length} default IngressClasses were found, only 1 allowed`,
    );
  }
  if (defaults.length === 1) spec.ingressClassName = defaults[0].metadata.name;
}

/** Decode the request body; unknown fields are refused, or dropped with a warning, per --validate. */
function decodeBody(ctx: ApiContext, input: KObject): KObject {
  const obj = clone(input);
  const mode = ctx.fieldValidation ?? 'Strict';
  const result = decodeWithValidation(obj as Record<string, unknown>, mode);
  if (result.error) throw badRequest(result.error);
  if (mode === 'Warn') ctx.warnings?.push(...result.unknownFields);
  return obj;
}

/** names.SimpleNameGenerator: the prefix (cut to 58 characters) plus 5 random characters. */
export function generateName(rng: Random, prefix: string): string {
  return (prefix.length > 58 ? prefix.slice(0, 58) : prefix) + randomString(rng, 5);
}

/** A generated name, drawn again a few times while it is taken, as the registry retries. */
function freeGeneratedName(ctx: ApiContext, resource: string, namespace: string, prefix: string): string {
  let name = generateName(ctx.rng, prefix);
  for (let i = 0; i < 8 && ctx.state.has(resource, namespace, name); i++) name = generateName(ctx.rng, prefix);
  return name;
}

// ------------------------------------------------------------------ create

export interface CreateOptions {
  /**
   * The object was built by a controller from objects the API server already decoded (a pod
   * from a ReplicaSet's template): its body cannot hold unknown fields or wrong types, so strict
   * decoding is skipped.
   */
  fromController?: boolean;
}

export function createObject(ctx: ApiContext, input: KObject, opts: CreateOptions = {}): KObject {
  const info = infoOf(input);
  const obj = opts.fromController ? clone(input) : decodeBody(ctx, input);
  const meta = obj.metadata;
  if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
  if (!info.namespaced) delete meta.namespace;

  applyDefaults(obj);
  dropEmptyFields(info.resource, obj);
  admitNamespace(ctx, info, obj);

  // generateName: retried a few times on collision, as the registry does
  if (!meta.name && meta.generateName) meta.name = freeGeneratedName(ctx, info.resource, meta.namespace ?? '', meta.generateName);

  // BeforeCreate: system fields
  meta.uid = randomUID(ctx.rng);
  meta.creationTimestamp = rfc3339(ctx.now);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.managedFields;
  prepareForCreate(info.resource, obj);

  if (info.resource === 'pods') {
    const refusal = admitPod(obj as Pod, { tokenVolumeSuffix: randomString(ctx.rng, 5) });
    if (refusal) throw forbidden(info, meta.name ?? meta.generateName ?? '', refusal);
  }
  if (info.resource === 'ingresses') admitIngress(ctx, obj as Ingress);

  let alloc: ServiceAllocation | undefined;
  if (info.resource === 'services' && meta.name) {
    alloc = new ServiceAllocation(ctx.state, ctx.rng, obj as Service);
    alloc.beginCreate(obj as Service);
  }

  const errs = validateObject(obj, undefined);
  if (errs.length) {
    alloc?.rollback();
    throw invalid(info, meta.name ?? '', errs);
  }
  if (ctx.state.has(info.resource, meta.namespace ?? '', meta.name!)) {
    alloc?.rollback();
    throw alreadyExists(info, meta.name!);
  }
  alloc?.commit(obj as Service, undefined);
  return ctx.state.put(info.resource, obj);
}

/**
 * Another pod from the request that made `first` (a ReplicaSet creating its pods from one
 * template, one request each): decoding, defaulting, admission and validation give the same
 * pod again, so only what the server makes afresh for each is made again, drawn in
 * createObject's order: the generated name, the uid, then the suffix of the service-account
 * token volume (`kube-api-access-<suffix>`, renamed in the volumes and mounts when admission
 * added it, that is when `request` had none of that name). The generated name has the same
 * prefix as `first`'s and 5 characters of the same alphabet, so it is as valid as that one.
 */
export function createPodLike(ctx: ApiContext, first: Pod, request: Pod): Pod {
  const meta = first.metadata;
  const ns = meta.namespace!;
  const name = freeGeneratedName(ctx, 'pods', ns, meta.generateName!);
  const uid = randomUID(ctx.rng);
  const suffix = randomString(ctx.rng, 5);
  if (ctx.state.has('pods', ns, name)) throw alreadyExists(resourceInfo('pods'), name);

  const pod = clone(first);
  pod.metadata.name = name;
  pod.metadata.uid = uid;
  delete pod.metadata.resourceVersion;
  const volume = pod.spec.volumes?.find((v) => v.name.startsWith(TOKEN_VOLUME_PREFIX));
  if (volume && !request.spec.volumes?.some((v) => v.name === volume.name)) {
    const from = volume.name;
    volume.name = TOKEN_VOLUME_PREFIX + suffix;
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      for (const m of c.volumeMounts ?? []) if (m.name === from) m.name = volume.name;
    }
  }
  return ctx.state.put('pods', pod) as Pod;
}

// ------------------------------------------------------------------ update

export interface UpdateOptions {
  /** Write through the /status subresource. */
  subresource?: 'status';
}

export interface UpdateResult {
  object: KObject;
  /** False when the update was a no-op: nothing stored, resourceVersion unchanged. */
  changed: boolean;
}

export function updateObject(ctx: ApiContext, input: KObject, opts: UpdateOptions = {}): UpdateResult {
  const info = infoOf(input);
  const ns = info.namespaced ? input.metadata.namespace ?? '' : '';
  const name = input.metadata.name ?? '';
  const old = ctx.state.get(info.resource, ns, name);
  if (!old) throw notFound(info, name);
  const rv = input.metadata.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) {
    throw conflict(info, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  let obj = decodeBody(ctx, input);
  if (!info.namespaced) delete obj.metadata.namespace;
  applyDefaults(obj);
  dropEmptyFields(info.resource, obj);

  if (opts.subresource === 'status') {
    obj = prepareForStatusUpdate(obj, old);
  } else {
    prepareForUpdate(info.resource, obj, old);
  }
  // System fields are the server's.
  obj.metadata.uid = old.metadata.uid;
  obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
  if (old.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
  else delete obj.metadata.deletionTimestamp;
  delete obj.metadata.managedFields;
  obj.metadata.resourceVersion = old.metadata.resourceVersion;

  let alloc: ServiceAllocation | undefined;
  if (info.resource === 'services' && opts.subresource !== 'status') {
    alloc = new ServiceAllocation(ctx.state, ctx.rng, obj as Service);
    alloc.beginUpdate(obj as Service, old as Service);
    dropTypeDependentFields(obj as Service, old as Service);
  }

  const errs = validateObject(obj, old);
  if (errs.length) {
    alloc?.rollback();
    throw invalid(info, name, errs);
  }
  if (jsonEqual(obj, old)) {
    alloc?.rollback();
    return { object: old, changed: false };
  }
  alloc?.commit(obj as Service, old as Service);
  // A deleting object whose last finalizer went away is removed now.
  if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers?.length) && info.resource !== 'namespaces') {
    finishDelete(ctx, info, obj);
    return { object: obj, changed: true };
  }
  return { object: ctx.state.put(info.resource, obj), changed: true };
}

// ------------------------------------------------------------------ delete

export function deleteObject(ctx: ApiContext, info: ResourceInfo, namespace: string, name: string): KObject {
  const ns = info.namespaced ? namespace : '';
  const obj = ctx.state.get(info.resource, ns, name);
  if (!obj) throw notFound(info, name);
  if (info.resource === 'namespaces') {
    if (IMMORTAL_NAMESPACES.has(name)) throw forbidden(info, name, 'this namespace may not be deleted');
    // The namespace controller empties it and then removes it.
    if (obj.metadata.deletionTimestamp) return obj;
    const next = clone(obj) as Namespace;
    next.metadata.deletionTimestamp = rfc3339(ctx.now);
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    return ctx.state.put(info.resource, next);
  }
  if (obj.metadata.finalizers?.length) {
    // Finalizers hold the object until whoever set them removes them.
    if (obj.metadata.deletionTimestamp) return obj;
    const next = clone(obj);
    next.metadata.deletionTimestamp = rfc3339(ctx.now);
    next.metadata.deletionGracePeriodSeconds = 0;
    return ctx.state.put(info.resource, next);
  }
  return finishDelete(ctx, info, obj);
}

function finishDelete(ctx: ApiContext, info: ResourceInfo, obj: KObject): KObject {
  const removed = ctx.state.remove(info.resource, obj.metadata.namespace ?? '', obj.metadata.name!)!;
  if (info.resource === 'services') {
    releaseService(ctx.state, removed as Service);
    // The service registry deletes the Endpoints object of the same name with the Service.
    ctx.state.remove('endpoints', removed.metadata.namespace!, removed.metadata.name!);
  }
  if (info.resource === 'pods') {
    // CNI DEL: the pod's address goes back to its node's pool; the node drops its logs.
    const pod = removed as Pod;
    const ip = pod.status?.podIP;
    const owner = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (ip && !pod.spec.hostNetwork && ctx.state.meta.alloc.podIPs[ip] === owner) delete ctx.state.meta.alloc.podIPs[ip];
    dropLogs(ctx.state, pod);
  }
  return removed;
}

export function isStatusError(e: unknown): e is StatusError {
  return typeof e === 'object' && e !== null && 'status' in e && (e as StatusError).status?.kind === 'Status';
}
