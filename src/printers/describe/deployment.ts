/**
 * kubectl describe deployment (describeDeployment in staging/src/k8s.io/kubectl/pkg/describe/describe.go,
 * with GetAllReplicaSetsInChunks from staging/src/k8s.io/kubectl/pkg/util/deployment/deployment.go).
 */
import type { Deployment, IntOrString, PodTemplateSpec, ReplicaSet } from '../../api/types.ts';
import { selectorFromLabelSelector, selectorString } from '../../selectors/labels.ts';
import { compareStrings, describeEvents, eventRef, formatTime, printAnnotationsMultiline, printLabelsMultiline } from './common.ts';
import { describePodTemplate } from './containers.ts';
import type { DescribeContext } from './context.ts';
import { LEVEL_0, LEVEL_1, tabbedString } from './writer.ts';

const POD_TEMPLATE_HASH = 'pod-template-hash';

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

/**
 * apiequality.Semantic.DeepEqual on decoded objects: a field that is absent compares equal to its
 * zero value, and nil equals empty for lists and maps.
 */
function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    return [...new Set([...Object.keys(x), ...Object.keys(y)])].every((k) => semanticEqual(x[k], y[k]));
  }
  return a === b;
}

function withoutHash(t: PodTemplateSpec | undefined): unknown {
  const labels = { ...(t?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  return { ...t, metadata: { ...t?.metadata, labels } };
}

/** EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

/**
 * The ReplicaSets the deployment controls (by selector and controller reference), oldest first
 * (ties by name); the new one is the oldest whose template matches. Old ones include those
 * scaled to zero.
 */
function replicaSetsOf(d: Deployment, ctx: DescribeContext): { oldRSs: ReplicaSet[]; newRS: ReplicaSet | undefined } {
  const all = ctx.list('replicasets', d.metadata.namespace ?? '', selectorFromLabelSelector(d.spec?.selector ?? {})) as ReplicaSet[];
  const owned = all
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === d.metadata.uid))
    .sort((a, b) => {
      const x = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
      const y = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
      return x === y ? compareStrings(a.metadata.name ?? '', b.metadata.name ?? '') : x - y;
    });
  const newRS = owned.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  return { oldRSs: owned.filter((rs) => rs !== newRS), newRS };
}

function replicaSetsText(list: ReplicaSet[]): string {
  const text = list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ');
  return text || '<none>';
}

/** intstr.IntOrString.String() on a pointer. */
function intOrString(v: IntOrString | undefined): string {
  return v === undefined || v === null ? '<nil>' : String(v);
}

export function describeDeployment(d: Deployment, ctx: DescribeContext): string {
  const events = ctx.events(eventRef(d));
  const { oldRSs, newRS } = replicaSetsOf(d, ctx);
  const spec = d.spec ?? ({} as Deployment['spec']);
  const status = d.status ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${d.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${formatTime(d.metadata.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', d.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
    w.write(LEVEL_0, `Selector:\t${selectorString(selectorFromLabelSelector(spec.selector ?? {}))}\n`);
    w.write(
      LEVEL_0,
      `Replicas:\t${spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ` +
        `${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
    );
    w.write(LEVEL_0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
    const ru = spec.strategy?.rollingUpdate;
    if (ru) {
      w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`);
    }
    describePodTemplate(w, spec.template);
    const conditions = status.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    if (oldRSs.length > 0 || newRS) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetsText(oldRSs)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetsText(newRS ? [newRS] : [])}\n`);
    }
    describeEvents(w, events, ctx);
  });
}
