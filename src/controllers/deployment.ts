/**
 * The deployment controller (pkg/controller/deployment): owns ReplicaSets named
 * `<deployment>-<pod-template-hash>`, rolls them with the RollingUpdate or Recreate strategy,
 * keeps revisionHistoryLimit old ones, and reports status and conditions.
 *
 * Each sync takes one step of the real algorithm (scale the new ReplicaSet up as far as maxSurge
 * allows, scale old ones down as far as maxUnavailable allows); pods become ready at once, so
 * the reconcile loop repeats the steps until the rollout is complete, producing the same
 * ScalingReplicaSet events a real rollout does.
 */
import type { Condition, Deployment, IntOrString, PodTemplateSpec, ReplicaSet } from '../api/types.ts';
import { createObject } from '../apiserver/api.ts';
import type { Change } from '../store/state.ts';
import { StatusError } from '../api/errors.ts';
import { selectorFromLabelSelector } from '../selectors/labels.ts';
import type { ControllerContext } from './context.ts';
import type { Controller } from './reconcile.ts';
import { controllerOf, ownerReference } from './owners.ts';
import { clone } from '../util/clone.ts';
import { jsonEqual } from '../util/json-equal.ts';

const SOURCE = { component: 'deployment-controller' };
const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
const HASH_LABEL = 'pod-template-hash';

/** Deployment annotations that are not copied to its ReplicaSets (deploymentutil annotationsToSkip). */
const SKIP_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED,
  MAX,
  'deprecated.deployment.rollback.to',
]);

// ------------------------------------------------------------------ hashing

/** FNV-1a, 32 bit. */
function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(text);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * controller.ComputeHash: a 32-bit FNV hash of the pod template (and collisionCount), written in
 * decimal and mapped through rand.SafeEncodeString, so it only uses the characters 456789bcdf.
 * The exact value differs from Go's (which hashes a Go-printer dump), but it is stable per
 * template and has the same alphabet and length.
 */
export function podTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  const text = canonical(template) + (collisionCount ? `#${collisionCount}` : '');
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return String(fnv32a(text))
    .split('')
    .map((c) => alphabet[c.charCodeAt(0) % alphabet.length])
    .join('');
}

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!template?.metadata?.labels || !(HASH_LABEL in template.metadata.labels)) return template;
  // a shallow copy is enough: the result is only compared
  const { [HASH_LABEL]: _hash, ...labels } = template.metadata.labels;
  const { labels: _all, ...rest } = template.metadata;
  return { ...template, metadata: Object.keys(labels).length ? { ...rest, labels } : rest };
}

/**
 * The last answer of sameTemplate per ReplicaSet template. Templates are shared by the versions
 * of an object that only change its status or scale, and a Deployment is synced again after
 * each change of its ReplicaSets: most questions were answered before.
 */
const sameTemplates = new WeakMap<object, { deployment: object; same: boolean }>();

/** EqualIgnoreHash: the ReplicaSet runs this template, whatever its hash label says. */
function sameTemplate(rs: ReplicaSet, d: Deployment): boolean {
  const template = rs.spec.template;
  if (!template) return jsonEqual(template, withoutHash(d.spec.template));
  const known = sameTemplates.get(template);
  if (known?.deployment === d.spec.template) return known.same;
  const same = jsonEqual(withoutHash(template), withoutHash(d.spec.template));
  sameTemplates.set(template, { deployment: d.spec.template, same });
  return same;
}

// ------------------------------------------------------------------ rollout arithmetic

function resolve(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const v = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(v) : Math.floor(v);
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 means 1 unavailable. */
export function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const replicas = d.spec.replicas ?? 1;
  if (d.spec.strategy?.type === 'Recreate') return { surge: 0, unavailable: 0 };
  const ru = d.spec.strategy?.rollingUpdate;
  const surge = resolve(ru?.maxSurge ?? '25%', replicas, true);
  let unavailable = resolve(ru?.maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const specReplicas = (rs: ReplicaSet) => rs.spec.replicas ?? 0;
const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION] ?? '0') || 0;
const byCreation = (a: ReplicaSet, b: ReplicaSet) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

function condition(type: string, status: Condition['status'], reason: string, message: string, now: string): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/**
 * SetDeploymentCondition: a condition with the same status and reason is left alone; otherwise
 * it replaces the old one (keeping lastTransitionTime if the status did not change) and moves to
 * the end of the list.
 */
function setCondition(conditions: Condition[], c: Condition): Condition[] {
  const current = conditions.find((x) => x.type === c.type);
  if (current && current.status === c.status && current.reason === c.reason) return conditions;
  if (current && current.status === c.status) c.lastTransitionTime = current.lastTransitionTime;
  return [...conditions.filter((x) => x.type !== c.type), c];
}

// ------------------------------------------------------------------ controller

export const deploymentController: Controller = {
  name: 'deployment',
  watches: ['deployments', 'replicasets'],
  keysFor(change: Change): string[] {
    if (change.resource === 'deployments') return [`${change.namespace}/${change.name}`];
    if (change.resource === 'replicasets') {
      const keys: string[] = [];
      for (const obj of [change.object, change.old]) {
        const ref = obj && controllerOf(obj);
        if (ref?.kind === 'Deployment') keys.push(`${change.namespace}/${ref.name}`);
      }
      return keys;
    }
    return [];
  },
  sync(key: string, ctx: ControllerContext): void {
    const [ns, name] = key.split('/');
    const d = ctx.state.get<Deployment>('deployments', ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    syncDeployment(ctx, d);
  },
};

function scaleReplicaSet(ctx: ControllerContext, d: Deployment, rs: ReplicaSet, replicas: number, annotate = true): ReplicaSet {
  const { surge } = fenceposts(d);
  // the template is shared with the stored version, which nobody changes in place
  const next: ReplicaSet = { ...rs, metadata: { ...rs.metadata }, spec: { ...rs.spec, replicas } };
  const from = specReplicas(rs);
  if (annotate) {
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      [DESIRED]: String(d.spec.replicas ?? 1),
      [MAX]: String((d.spec.replicas ?? 1) + surge),
    };
  }
  if (jsonEqual(next, rs)) return rs;
  const stored = ctx.state.put('replicasets', next) as ReplicaSet;
  if (from !== replicas) {
    const dir = replicas > from ? 'up' : 'down';
    ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name} from ${from} to ${replicas}`, SOURCE);
  }
  return stored;
}

/** ClaimReplicaSets: adopt orphaned ReplicaSets the selector matches (e.g. after `delete --cascade=orphan`). */
function adoptReplicaSets(ctx: ControllerContext, d: Deployment): void {
  const selector = selectorFromLabelSelector(d.spec.selector);
  if (selector.length === 0) return;
  for (const rs of ctx.state.select<ReplicaSet>('replicasets', d.metadata.namespace!, selector)) {
    if (controllerOf(rs) || rs.metadata.deletionTimestamp) continue;
    const next = clone(rs);
    next.metadata.ownerReferences = [...(rs.metadata.ownerReferences ?? []), ownerReference(d)];
    ctx.state.put('replicasets', next);
  }
}

/** SetNewReplicaSetAnnotations: the Deployment's annotations (less kubectl's and the controller's own) follow to its new ReplicaSet. */
function copyAnnotations(ctx: ControllerContext, d: Deployment, rs: ReplicaSet): ReplicaSet {
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_ANNOTATIONS.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  if (!changed) return rs;
  const next = clone(rs);
  next.metadata.annotations = annotations;
  return ctx.state.put('replicasets', next) as ReplicaSet;
}

function syncDeployment(ctx: ControllerContext, d: Deployment): void {
  const ns = d.metadata.namespace!;
  adoptReplicaSets(ctx, d);
  const all = ctx.state
    .ownedBy<ReplicaSet>('replicasets', ns, d.metadata.uid!)
    .filter((rs) => controllerOf(rs)?.uid === d.metadata.uid)
    .sort(byCreation);
  let newRS = all.find((rs) => sameTemplate(rs, d));
  const olds = all.filter((rs) => rs !== newRS);
  const replicas = d.spec.replicas ?? 1;
  const { surge, unavailable } = fenceposts(d);
  const prevStatus = d.status ?? {};
  let conditions = [...(prevStatus.conditions ?? [])];

  if (d.spec.paused) {
    finishStatus(ctx, d, all, newRS, conditions, prevStatus);
    return;
  }

  const maxOldRevision = Math.max(0, ...olds.map(revisionOf));
  if (!newRS) {
    const recreate = d.spec.strategy?.type === 'Recreate';
    if (recreate && olds.some((rs) => specReplicas(rs) > 0 || (rs.status?.replicas ?? 0) > 0)) {
      // Recreate: all old pods must be gone before the new ReplicaSet is created.
      for (const rs of olds) if (specReplicas(rs) > 0) scaleReplicaSet(ctx, d, rs, 0);
      finishStatus(ctx, d, all, newRS, conditions, prevStatus);
      return;
    }
    const current = olds.reduce((n, rs) => n + specReplicas(rs), 0);
    const initial = recreate ? replicas : Math.max(0, Math.min(replicas + surge - current, replicas));
    newRS = createReplicaSet(ctx, d, initial, maxOldRevision + 1);
    if (!newRS) return;
    if (initial > 0) {
      ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRS.metadata.name} from 0 to ${initial}`, SOURCE);
    }
    conditions = setCondition(
      conditions,
      condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${newRS.metadata.name}"`, ctx.nowText),
    );
  } else {
    newRS = copyAnnotations(ctx, d, newRS);
    // A template that returns to an old ReplicaSet (rollback) makes it the newest revision.
    const revision = revisionOf(newRS);
    if (revision <= maxOldRevision) {
      const next = clone(newRS);
      const history = [next.metadata.annotations?.[REVISION_HISTORY], String(revision)].filter(Boolean).join(',');
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: String(maxOldRevision + 1), [REVISION_HISTORY]: history };
      newRS = ctx.state.put('replicasets', next) as ReplicaSet;
    }
    if (d.spec.strategy?.type === 'Recreate') {
      const oldActive = olds.some((rs) => specReplicas(rs) > 0 || (rs.status?.replicas ?? 0) > 0);
      for (const rs of olds) if (specReplicas(rs) > 0) scaleReplicaSet(ctx, d, rs, 0);
      if (!oldActive) newRS = scaleReplicaSet(ctx, d, newRS, replicas);
    } else {
      newRS = rollingStep(ctx, d, newRS, olds, surge, unavailable);
    }
  }
  cleanupOldReplicaSets(ctx, d, olds);
  const fresh = ctx.state
    .ownedBy<ReplicaSet>('replicasets', ns, d.metadata.uid!)
    .filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
  newRS = fresh.find((rs) => rs.metadata.name === newRS!.metadata.name);
  finishStatus(ctx, d, fresh, newRS, conditions, prevStatus);
}

function createReplicaSet(ctx: ControllerContext, d: Deployment, replicas: number, revision: number): ReplicaSet | undefined {
  const hash = podTemplateHash(d.spec.template, d.status?.collisionCount);
  const template = clone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP_ANNOTATIONS.has(k)) annotations[k] = v;
  const { surge } = fenceposts(d);
  annotations[DESIRED] = String(d.spec.replicas ?? 1);
  annotations[MAX] = String((d.spec.replicas ?? 1) + surge);
  annotations[REVISION] = String(revision);
  const name = `${d.metadata.name}-${hash}`;
  const existing = ctx.state.get<ReplicaSet>('replicasets', d.metadata.namespace!, name);
  if (existing) {
    // A hash collision with a ReplicaSet running another template: bump collisionCount and retry.
    const next = clone(d);
    next.status = { ...(next.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    ctx.state.put('deployments', next);
    return undefined;
  }
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels: { ...(template.metadata.labels ?? {}) },
      annotations,
      ownerReferences: [ownerReference(d)],
    },
    spec: {
      replicas,
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector: {
        ...clone(d.spec.selector),
        matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [HASH_LABEL]: hash },
      },
      template,
    },
  };
  try {
    return createObject({ state: ctx.state, now: ctx.now, rng: ctx.rng }, rs, { fromController: true }) as ReplicaSet;
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    ctx.events.record(d, 'Warning', 'FailedCreate', `Failed to create new replica set "${name}": ${e.message}`, SOURCE);
    return undefined;
  }
}

/** One RollingUpdate step: reconcileNewReplicaSet, then reconcileOldReplicaSets. */
function rollingStep(
  ctx: ControllerContext,
  d: Deployment,
  newRS: ReplicaSet,
  olds: ReplicaSet[],
  surge: number,
  unavailable: number,
): ReplicaSet {
  const replicas = d.spec.replicas ?? 1;
  const all = [newRS, ...olds];
  const total = all.reduce((n, rs) => n + specReplicas(rs), 0);
  // reconcileNewReplicaSet
  if (specReplicas(newRS) > replicas) {
    newRS = scaleReplicaSet(ctx, d, newRS, replicas);
  } else if (specReplicas(newRS) < replicas) {
    const maxTotal = replicas + surge;
    if (total < maxTotal) {
      const up = Math.min(maxTotal - total, replicas - specReplicas(newRS));
      newRS = scaleReplicaSet(ctx, d, newRS, specReplicas(newRS) + up);
    }
  } else {
    newRS = scaleReplicaSet(ctx, d, newRS, replicas);
  }
  // reconcileOldReplicaSets
  const oldActive = olds.filter((rs) => specReplicas(rs) > 0);
  if (oldActive.length === 0) return newRS;
  const allPods = specReplicas(newRS) + oldActive.reduce((n, rs) => n + specReplicas(rs), 0);
  const minAvailable = replicas - unavailable;
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  let maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return newRS;
  // cleanupUnhealthyReplicas: old pods that are not available go first
  for (const rs of [...oldActive].sort(byCreation)) {
    if (maxScaledDown <= 0) break;
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown, unhealthy);
    scaleReplicaSet(ctx, d, rs, specReplicas(rs) - down);
    maxScaledDown -= down;
  }
  // scaleDownOldReplicaSetsForRollingUpdate
  const fresh = olds
    .map((rs) => ctx.state.get<ReplicaSet>('replicasets', rs.metadata.namespace!, rs.metadata.name!)!)
    .filter((rs) => rs && specReplicas(rs) > 0);
  const available = [newRS, ...fresh].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
  let remaining = available - minAvailable;
  for (const rs of fresh.sort(byCreation)) {
    if (remaining <= 0) break;
    const down = Math.min(specReplicas(rs), remaining);
    scaleReplicaSet(ctx, d, rs, specReplicas(rs) - down);
    remaining -= down;
  }
  return newRS;
}

/** cleanupDeployment: drop the oldest idle ReplicaSets beyond revisionHistoryLimit. */
function cleanupOldReplicaSets(ctx: ControllerContext, d: Deployment, olds: ReplicaSet[]): void {
  const limit = d.spec.revisionHistoryLimit ?? 10;
  const idle = olds
    .map((rs) => ctx.state.get<ReplicaSet>('replicasets', rs.metadata.namespace!, rs.metadata.name!)!)
    .filter((rs) => rs && specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const excess = idle.length - limit;
  for (let i = 0; i < excess; i++) ctx.state.remove('replicasets', idle[i].metadata.namespace!, idle[i].metadata.name!);
}

/** calculateStatus + syncRolloutStatus. */
function finishStatus(
  ctx: ControllerContext,
  d: Deployment,
  all: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  conditionsIn: Condition[],
  prev: NonNullable<Deployment['status']>,
): void {
  const replicas = d.spec.replicas ?? 1;
  // deploymentutil.MaxUnavailable: 0 for Recreate or no replicas, never more than the replicas
  const unavailable = replicas === 0 ? 0 : Math.min(fenceposts(d).unavailable, replicas);
  const sum = (f: (rs: ReplicaSet) => number) => all.reduce((n, rs) => n + f(rs), 0);
  const total = sum((rs) => rs.status?.replicas ?? 0);
  const updated = newRS?.status?.replicas ?? 0;
  const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
  const available = sum((rs) => rs.status?.availableReplicas ?? 0);
  const desiredTotal = sum((rs) => specReplicas(rs));
  const status: NonNullable<Deployment['status']> = {
    observedGeneration: d.metadata.generation,
    ...(total ? { replicas: total } : {}),
    ...(updated ? { updatedReplicas: updated } : {}),
    ...(ready ? { readyReplicas: ready } : {}),
    ...(available ? { availableReplicas: available } : {}),
    ...(Math.max(0, desiredTotal - available) ? { unavailableReplicas: Math.max(0, desiredTotal - available) } : {}),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  };
  let conditions = conditionsIn;
  if (available >= replicas - unavailable) {
    conditions = setCondition(conditions, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', ctx.nowText));
  } else {
    conditions = setCondition(
      conditions,
      condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', ctx.nowText),
    );
  }
  if (d.spec.paused) {
    conditions = setCondition(conditions, condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', ctx.nowText));
  } else {
    const current = conditions.find((c) => c.type === 'Progressing');
    const complete =
      updated === replicas && total === replicas && available === replicas && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
    const isComplete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
    if (!isComplete) {
      const rsName = newRS?.metadata.name;
      if (complete) {
        const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
        conditions = setCondition(conditions, condition('Progressing', 'True', 'NewReplicaSetAvailable', msg, ctx.nowText));
      } else if (progressed(prev, status)) {
        const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
        const c = condition('Progressing', 'True', 'ReplicaSetUpdated', msg, ctx.nowText);
        if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        conditions = [...conditions.filter((x) => x.type !== 'Progressing'), c];
      }
    }
  }
  if (conditions.length) status.conditions = conditions;
  const next: Deployment = { ...d, metadata: { ...d.metadata }, status };
  if (newRS) {
    const rev = newRS.metadata.annotations?.[REVISION];
    if (rev && next.metadata.annotations?.[REVISION] !== rev) {
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: rev };
    }
  }
  if (!jsonEqual(next, d)) ctx.state.put('deployments', next);
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones. */
function progressed(prev: NonNullable<Deployment['status']>, next: NonNullable<Deployment['status']>): boolean {
  const oldPods = (s: NonNullable<Deployment['status']>) => (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (prev.updatedReplicas ?? 0) ||
    oldPods(next) < oldPods(prev) ||
    (next.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (prev.availableReplicas ?? 0)
  );
}
