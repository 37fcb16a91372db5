/**
 * Pod rows: printPod in k8s.io/kubernetes pkg/printers/internalversion/printers.go (v1.32), the
 * logic behind READY, STATUS and RESTARTS that `kubectl get pods` shows.
 */
import type { Container, ContainerStatus, KObject, Pod, PodStatus } from '../../api/types.ts';
import { age, humanDuration } from '../../util/duration.ts';
import { AGE, NAME, column, nameOf, type KindPrinter } from './common.ts';

export const podPrinter: KindPrinter<PodRow> = {
  columns: [
    NAME,
    column('Ready'),
    column('Status'),
    column('Restarts'),
    AGE,
    column('IP', 1),
    column('Node', 1),
    column('Nominated Node', 1),
    column('Readiness Gates', 1),
  ],
  cells: (object: KObject, now: Date) => podRowCells(podRow(object as Pod), nameOf(object), now),
  stored: { of: (object: KObject) => podRow(object as Pod), cells: (row, name, now) => (isPodRow(row) ? podRowCells(row, name, now) : undefined) },
};

/**
 * What a pod's row shows, less what depends on the clock: READY, STATUS, the restart count and
 * the last restart (epoch ms, null when unknown), the creation time (for AGE), IP, NODE,
 * NOMINATED NODE and READINESS GATES. The store keeps it beside each pod (see `stored`), so a
 * listing of tens of thousands of pods need not decode them.
 */
export type PodRow = [
  ready: string,
  status: string,
  restarts: number,
  lastRestart: number | null,
  created: string | null,
  ip: string,
  node: string,
  nominatedNode: string,
  readinessGates: string,
];

/** The shape of a PodRow, for one read back from a store (an older kfake wrote none). */
function isPodRow(row: unknown): row is PodRow {
  return (
    Array.isArray(row) &&
    row.length === 9 &&
    typeof row[0] === 'string' &&
    typeof row[1] === 'string' &&
    typeof row[2] === 'number' &&
    (row[3] === null || typeof row[3] === 'number') &&
    (row[4] === null || typeof row[4] === 'string') &&
    typeof row[5] === 'string' &&
    typeof row[6] === 'string' &&
    typeof row[7] === 'string' &&
    typeof row[8] === 'string'
  );
}

export interface PodSummary {
  /** `<ready>/<total>`, sidecars (restartable init containers) included. */
  ready: string;
  /** The STATUS column: phase, reason, `Init:1/2`, `CrashLoopBackOff`, `Terminating`, ... */
  status: string;
  /** `3`, or `3 (5m ago)` when the last restart time is known. */
  restarts: string;
}

// k8s.io/kubernetes pkg/util/node: the reason the node lifecycle controller gives unreachable pods.
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

// Go's zero time.Time, earlier than any real timestamp: "no restart time known".
const ZERO_TIME = -Infinity;

/** READY, STATUS and RESTARTS of a pod, exactly as printPod computes them. */
export function podSummary(pod: Pod, now: Date): PodSummary {
  const s = podState(pod);
  return { ready: s.ready, status: s.status, restarts: restartsText(s.restarts, s.lastRestart, now) };
}

interface PodState {
  ready: string;
  status: string;
  restarts: number;
  /** Epoch ms of the last restart, ZERO_TIME when unknown. */
  lastRestart: number;
}

/** printPod's READY, STATUS and restart figures, before the restart time is put in words. */
function podState(pod: Pod): PodState {
  const spec = pod.spec ?? { containers: [] };
  const status: PodStatus = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let restarts = 0;
  let restartableInitRestarts = 0;
  let lastRestart = ZERO_TIME;
  let lastRestartableInitRestart = ZERO_TIME;

  const initContainers = new Map<string, Container>();
  for (const container of spec.initContainers ?? []) {
    initContainers.set(container.name, container);
    if (isRestartable(container)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const restartable = isRestartable(initContainers.get(container.name));
    restarts += container.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, lastTerminationTime(container));
    if (restartable) {
      restartableInitRestarts += container.restartCount ?? 0;
      lastRestartableInitRestart = Math.max(lastRestartableInitRestart, lastTerminationTime(container));
    }
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      // initialization failed
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || isPodInitialized(status)) {
    // Only sidecar restarts count once the pod is initialized.
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts += container.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, lastTerminationTime(container));
      const terminated = container.state?.terminated;
      const waiting = container.state?.waiting;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (container.ready && container.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose containers partly completed and partly still run is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(status, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts, lastRestart };
}

/** RESTARTS: `3`, or `3 (5m ago)` when the last restart time is known. */
function restartsText(restarts: number, lastRestart: number, now: Date): string {
  return restarts !== 0 && lastRestart !== ZERO_TIME ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)` : String(restarts);
}

function podRow(pod: Pod): PodRow {
  const state = podState(pod);
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  const gates = spec.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length > 0) {
    // For each gate only the first condition of its type counts.
    const trueGates = gates.filter(
      (gate) => status.conditions?.find((c) => c.type === gate.conditionType)?.status === 'True',
    ).length;
    readinessGates = `${trueGates}/${gates.length}`;
  }
  return [
    state.ready,
    state.status,
    state.restarts,
    state.lastRestart === ZERO_TIME ? null : state.lastRestart,
    pod.metadata.creationTimestamp ?? null,
    firstPodIP(status) || '<none>',
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates,
  ];
}

function podRowCells(row: PodRow, name: string, now: Date): string[] {
  const [ready, status, restarts, lastRestart, created, ip, node, nominated, gates] = row;
  return [name, ready, status, restartsText(restarts, lastRestart ?? ZERO_TIME, now), age(created, now), ip, node, nominated, gates];
}

/**
 * The printer reads the internal PodIPs, which the v1 → internal conversion fills from the wire
 * fields with `podIP` authoritative (pkg/apis/core/v1/conversion.go).
 */
function firstPodIP(status: PodStatus): string {
  return status.podIP || status.podIPs?.[0]?.ip || '';
}

/** podutil.IsRestartableInitContainer: an init container with restartPolicy Always (a sidecar). */
function isRestartable(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

/** lastState.terminated.finishedAt in epoch ms; ZERO_TIME when unknown. */
function lastTerminationTime(container: ContainerStatus): number {
  const finishedAt = container.lastState?.terminated?.finishedAt;
  const t = finishedAt ? Date.parse(finishedAt) : NaN;
  return Number.isNaN(t) ? ZERO_TIME : t;
}

/** isPodInitializedConditionTrue: the first Initialized condition decides. */
function isPodInitialized(status: PodStatus): boolean {
  return status.conditions?.find((c) => c.type === 'Initialized')?.status === 'True';
}

/** hasPodReadyCondition: any condition of the type with status True. */
function hasCondition(status: PodStatus, type: string): boolean {
  return (status.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}
