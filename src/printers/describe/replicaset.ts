/** kubectl describe replicaset (describeReplicaSet in staging/src/k8s.io/kubectl/pkg/describe/describe.go). */
import type { KObject, Pod, ReplicaSet } from '../../api/types.ts';
import { formatLabelSelector, selectorFromLabelSelector } from '../../selectors/labels.ts';
import { controllerOf, describeEvents, eventRef, printAnnotationsMultiline, printLabelsMultiline } from './common.ts';
import { describePodTemplate } from './containers.ts';
import type { DescribeContext } from './context.ts';
import { LEVEL_0, LEVEL_1, tabbedString } from './writer.ts';

/**
 * getPodStatusForController: pods matching the selector and controlled by this uid, counted by
 * phase (Pending counts as Waiting).
 */
function podStatusForController(ctx: DescribeContext, owner: KObject, selector: ReplicaSet['spec']['selector']): string {
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  const pods = ctx.list('pods', owner.metadata.namespace ?? '', selectorFromLabelSelector(selector ?? {})) as Pod[];
  for (const pod of pods) {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller === true);
    if (!ref || ref.uid !== owner.metadata.uid) continue;
    const phase = pod.status?.phase;
    if (phase === 'Running' || phase === 'Pending' || phase === 'Succeeded' || phase === 'Failed') counts[phase]++;
  }
  return `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`;
}

export function describeReplicaSet(rs: ReplicaSet, ctx: DescribeContext): string {
  const podsStatus = podStatusForController(ctx, rs, rs.spec?.selector);
  const events = ctx.events(eventRef(rs));
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${rs.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${rs.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
    printLabelsMultiline(w, 'Labels', rs.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', rs.metadata.annotations);
    const controlledBy = controllerOf(rs);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
    w.write(LEVEL_0, `Pods Status:\t${podsStatus}\n`);
    describePodTemplate(w, rs.spec?.template);
    const conditions = rs.status?.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    describeEvents(w, events, ctx);
  });
}
