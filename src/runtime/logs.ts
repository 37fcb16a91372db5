/**
 * Container logs, kept where a node keeps them: beside the pod, not in the API. They live in the
 * store under an internal resource that no API verb serves, one record per pod, and go away
 * with the pod.
 */
import type { KObject, Pod } from '../api/types.ts';
import type { ClusterState } from '../store/state.ts';

export const LOGS_RESOURCE = 'containerlogs';

/** A node keeps a bounded amount of log per container; older lines are rotated away. */
const MAX_LOG_BYTES = 256 * 1024;

interface ContainerLogs extends KObject {
  containers: Record<string, string>;
}

export function appendLog(state: ClusterState, pod: Pod, container: string, text: string): void {
  if (!text) return;
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const existing = state.get<ContainerLogs>(LOGS_RESOURCE, ns, name);
  const rec: ContainerLogs =
    existing && existing.metadata.uid === pod.metadata.uid
      ? structuredClone(existing)
      : { apiVersion: 'kfake/v1', kind: 'ContainerLogs', metadata: { name, namespace: ns, uid: pod.metadata.uid }, containers: {} };
  let log = (rec.containers[container] ?? '') + text;
  if (log.length > MAX_LOG_BYTES) {
    log = log.slice(log.length - MAX_LOG_BYTES);
    const nl = log.indexOf('\n');
    if (nl >= 0) log = log.slice(nl + 1);
  }
  rec.containers[container] = log;
  state.put(LOGS_RESOURCE, rec);
}

/**
 * What a container printed when it started, derived from the pod (a server's start-up banner
 * is fully determined by its image, settings and start time). Generating it when the log is
 * read keeps thousands of identical banners out of the store.
 */
export type StartupLogSource = (state: ClusterState, pod: Pod, container: string) => string;

let startupLogSource: StartupLogSource = () => '';

export function setStartupLogSource(source: StartupLogSource): void {
  startupLogSource = source;
}

export function readLog(state: ClusterState, pod: Pod, container: string): string {
  const rec = state.get<ContainerLogs>(LOGS_RESOURCE, pod.metadata.namespace!, pod.metadata.name!);
  const written = rec && rec.metadata.uid === pod.metadata.uid ? (rec.containers[container] ?? '') : '';
  const started = pod.status?.containerStatuses?.find((s) => s.name === container);
  if (!started?.state?.running && !started?.state?.terminated) return written;
  return startupLogSource(state, pod, container) + written;
}

export function dropLogs(state: ClusterState, pod: KObject): void {
  state.remove(LOGS_RESOURCE, pod.metadata.namespace!, pod.metadata.name!);
}
