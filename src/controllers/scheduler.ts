/**
 * kube-scheduler's default profile, reduced to what a learning cluster shows: the filters
 * NodeUnschedulable, NodeName, TaintToleration, NodeAffinity (nodeSelector and required node
 * affinity) and the pod-count part of NodeResourcesFit, then spreading pods over the feasible
 * nodes with the fewest pods (ties broken at random, as selectHost does). A pod that fits
 * nowhere stays Pending with the scheduler's FailedScheduling message.
 */
import type { Node, Pod, Taint, Toleration } from '../api/types.ts';
import type { Change } from '../store/state.ts';
import type { ControllerContext } from './context.ts';
import type { Controller } from './reconcile.ts';
import { setPodCondition } from './pod-status.ts';
import { clone } from '../util/clone.ts';

function needsScheduling(pod: Pod | undefined): boolean {
  return (
    !!pod &&
    !pod.spec.nodeName &&
    !pod.metadata.deletionTimestamp &&
    (pod.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler' &&
    pod.status?.phase !== 'Succeeded' &&
    pod.status?.phase !== 'Failed'
  );
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && (r.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(r.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(r.values?.[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(r.values?.[0]);
    default:
      return false;
  }
}

type NodeSelectorTerm = { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] };

/** What the filters need of a pod, worked out once per pod rather than once per node. */
interface PodFacts {
  tolerations: Toleration[] | undefined;
  nodeSelector: [string, string][];
  /** requiredDuringSchedulingIgnoredDuringExecution's terms, when set */
  requiredTerms: NodeSelectorTerm[] | undefined;
}

function podFacts(pod: Pod): PodFacts {
  const required = (pod.spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined)
    ?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return {
    tolerations: pod.spec.tolerations,
    nodeSelector: Object.entries(pod.spec.nodeSelector ?? {}),
    requiredTerms: required ? (required.nodeSelectorTerms ?? []) : undefined,
  };
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution node affinity. */
function matchesNodeAffinity(pod: PodFacts, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of pod.nodeSelector) if (labels[k] !== v) return false;
  if (!pod.requiredTerms) return true;
  // Terms are ORed; requirements inside a term are ANDed.
  return pod.requiredTerms.some(
    (term) =>
      (term.matchExpressions ?? []).every((r) => requirementMatches(r, labels[r.key])) &&
      (term.matchFields ?? []).every((r) => requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined)),
  );
}

function isNodeReady(node: Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** What the filters need of a node, worked out once per round rather than once per pod. */
interface NodeInfo {
  node: Node;
  name: string;
  unschedulable: boolean;
  /** NoSchedule and NoExecute taints, with not-ready's for a node that is not Ready. */
  taints: Taint[];
  /** allocatable pods */
  capacity: number;
}

function nodeInfo(node: Node): NodeInfo {
  const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (!isNodeReady(node)) taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  return {
    node,
    name: node.metadata.name!,
    unschedulable: !!node.spec?.unschedulable,
    taints,
    capacity: Number(node.status?.allocatable?.pods ?? '110'),
  };
}

const TOO_MANY_PODS = 'Too many pods';
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** The first failing filter's reason for this node, or undefined when the pod fits. */
function filterReason(pod: PodFacts, info: NodeInfo, podsOnNode: number): string | undefined {
  if (info.unschedulable && !tolerates(pod.tolerations, UNSCHEDULABLE_TAINT)) return 'node(s) were unschedulable';
  for (const t of info.taints) {
    if (!tolerates(pod.tolerations, t)) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
  }
  if (!matchesNodeAffinity(pod, info.node)) return "node(s) didn't match Pod's node affinity/selector";
  if (podsOnNode + 1 > info.capacity) return TOO_MANY_PODS;
  return undefined;
}

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  readonly watches = ['pods'];

  keysFor(change: Change): string[] {
    if (change.resource === 'pods' && change.type !== 'DELETED' && needsScheduling(change.object as Pod)) {
      return [`${change.namespace}/${change.name}`];
    }
    return [];
  }

  /** The nodes, listed once per round (the scheduler runs before anything else in a round changes them). */
  private nodes: NodeInfo[] | undefined;

  beginRound(): void {
    this.nodes = undefined;
  }

  sync(key: string, ctx: ControllerContext): void {
    const [ns, name] = key.split('/');
    const pod = ctx.state.get<Pod>('pods', ns, name);
    if (!needsScheduling(pod)) return;
    const nodes = (this.nodes ??= ctx.state.list<Node>('nodes').map(nodeInfo));
    // kept up to date by the state as pods are bound, finish or go
    const counts = ctx.state.activePodsPerNode();
    // The feasible nodes with the fewest pods, in list order.
    const facts = podFacts(pod!);
    const best: Node[] = [];
    let fewest = Infinity;
    let failures: string[] | undefined;
    for (const info of nodes) {
      const onNode = counts.get(info.name) ?? 0;
      const reason = filterReason(facts, info, onNode);
      if (reason === undefined) {
        if (onNode < fewest) {
          fewest = onNode;
          best.length = 0;
        }
        if (onNode === fewest) best.push(info.node);
      } else (failures ??= []).push(reason);
    }
    if (best.length === 0) {
      this.unschedulable(ctx, pod!, nodes.length, failures ?? []);
      return;
    }
    const chosen = best[ctx.rng.int(best.length)];
    this.bind(ctx, pod!, chosen);
  }

  /** The pods/binding subresource: nodeName set, PodScheduled True. */
  private bind(ctx: ControllerContext, pod: Pod, node: Node): void {
    // Only metadata (resourceVersion), spec.nodeName and status change; the rest is shared
    // with the stored version, which nobody changes in place.
    const next: Pod = {
      ...pod,
      metadata: { ...pod.metadata },
      spec: { ...pod.spec, nodeName: node.metadata.name },
      status: clone(pod.status ?? {}),
    };
    setPodCondition(next, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ctx.nowText });
    ctx.state.put('pods', next);
    ctx.events.recordNew(
      next,
      'Normal',
      'Scheduled',
      'Binding',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`,
      'default-scheduler',
      `default-scheduler-${controlPlaneName(ctx)}`,
    );
  }

  /** FitError.Error(): reasons counted per node, sorted, then the preemption summary. */
  private unschedulable(ctx: ControllerContext, pod: Pod, total: number, failures: string[]): void {
    const reasons = new Map<string, number>();
    const preemption = new Map<string, number>();
    for (const r of failures) {
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
      // only a node that is full could take the pod after preempting others
      const p = r === TOO_MANY_PODS ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
      preemption.set(p, (preemption.get(p) ?? 0) + 1);
    }
    const histogram = (m: Map<string, number>) => [...m].map(([r, n]) => `${n} ${r}`).sort().join(', ');
    let message = `0/${total} nodes are available`;
    if (reasons.size) message += `: ${histogram(reasons)}.`;
    else message += '.';
    message += ` preemption: 0/${total} nodes are available`;
    message += preemption.size ? `: ${histogram(preemption)}.` : '.';
    const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (existing?.status === 'False' && existing.message === message) return;
    const next = clone(pod);
    setPodCondition(next, {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: ctx.nowText,
      reason: 'Unschedulable',
      message,
    });
    ctx.state.put('pods', next);
    ctx.events.recordNew(next, 'Warning', 'FailedScheduling', 'Scheduling', message, 'default-scheduler', `default-scheduler-${controlPlaneName(ctx)}`);
  }
}

function controlPlaneName(ctx: ControllerContext): string {
  return ctx.config.nodes.find((n) => n.role === 'control-plane')?.name ?? ctx.config.nodes[0]?.name ?? 'control-plane';
}
