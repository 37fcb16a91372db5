/**
 * What a container's main process does once started. The kubelet asks this for every container
 * it starts: a process either keeps running (servers, `sleep infinity`, a container with nothing
 * to run) or exits with a code after printing some output (a `curl` or `dig` run to completion).
 */
import type { Container, Pod } from '../api/types.ts';
import type { ControllerContext } from '../controllers/context.ts';

export type ProcessOutcome =
  | { kind: 'running' }
  | { kind: 'exited'; exitCode: number; output: string };

export type ProcessModel = (pod: Pod, container: Container, ctx: ControllerContext) => ProcessOutcome;

let model: ProcessModel = () => ({ kind: 'running' });

/** Install the model of what images do (the network simulation provides the real one). */
export function setProcessModel(m: ProcessModel): void {
  model = m;
}

export function runProcess(pod: Pod, container: Container, ctx: ControllerContext): ProcessOutcome {
  return model(pod, container, ctx);
}
