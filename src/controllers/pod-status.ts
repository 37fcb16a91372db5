/** Pod status helpers shared by controllers (pkg/api/v1/pod/util.go). */
import type { Condition, Pod } from '../api/types.ts';

export function podCondition(pod: Pod, type: string): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** UpdatePodCondition: set a condition, keeping lastTransitionTime when the status is unchanged. */
export function setPodCondition(pod: Pod, c: Condition): void {
  const status = (pod.status ??= {});
  const list = (status.conditions ??= []);
  const i = list.findIndex((x) => x.type === c.type);
  if (i < 0) {
    list.push(c);
    return;
  }
  const old = list[i];
  if (old.status === c.status) c.lastTransitionTime = old.lastTransitionTime;
  list[i] = c;
}
