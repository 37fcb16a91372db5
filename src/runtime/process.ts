/**
 * What a container's main process does once started. The kubelet asks this for every container
 * it starts: a process either keeps running (servers, `sleep infinity`, a shell waiting for its
 * attached input) or exits with a code after printing some output (a `curl` or `dig` run to
 * completion). The model is the network simulation's (src/network/process-model.ts); tests may
 * install another one.
 */
import type { Container, Pod } from '../api/types.ts';
import type { ControllerContext } from '../controllers/context.ts';
import { networkProcessModel } from '../network/process-model.ts';

export type ProcessOutcome =
  | { kind: 'running' }
  | { kind: 'exited'; exitCode: number; output: string };

export type ProcessModel = (pod: Pod, container: Container, ctx: ControllerContext) => ProcessOutcome;

let model: ProcessModel = networkProcessModel;

/** Replace the model of what images do (tests install simpler ones). */
export function setProcessModel(m: ProcessModel): void {
  model = m;
}

export function runProcess(pod: Pod, container: Container, ctx: ControllerContext): ProcessOutcome {
  return model(pod, container, ctx);
}
