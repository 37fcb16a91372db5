/**
 * A request's path through the simulated network, hop by hop, as `kfake trace` shows it. The
 * resolver, kube-proxy, the ingress controller and the servers add a step as they decide; the
 * tools run exactly as without a trace, so the trace explains the very output the user gets.
 */

export type TraceStage =
  | 'from' // where the command runs
  | 'dns' // names tried and answers
  | 'route' // where an address leads (Service VIP, node port, pod IP, nowhere)
  | 'service' // the Service and port matched
  | 'endpoints' // the endpoints to choose from, and the choice
  | 'ingress' // the ingress controller's routing
  | 'pod' // the pod and container that receive the connection
  | 'http' // the request and the response
  | 'fail'; // where and why it stopped

export interface TraceStep {
  stage: TraceStage;
  text: string;
  /** Indented lines under the step. */
  details: string[];
}

export class Trace {
  readonly steps: TraceStep[] = [];

  add(stage: TraceStage, text: string, details: string[] = []): void {
    this.steps.push({ stage, text, details });
  }

  /** Another line under the last step. */
  detail(text: string): void {
    this.steps[this.steps.length - 1]?.details.push(text);
  }
}

const LABELS: Record<TraceStage, string> = {
  from: 'FROM',
  dns: 'DNS',
  route: 'ROUTE',
  service: 'SERVICE',
  endpoints: 'ENDPOINTS',
  ingress: 'INGRESS',
  pod: 'POD',
  http: 'HTTP',
  fail: 'FAILED',
};

export interface TraceColors {
  label(text: string): string;
  fail(text: string): string;
  dim(text: string): string;
}

/** The trace as lines: a label column, the step, its details indented under it. */
export function renderTrace(trace: Trace, colors: TraceColors): string {
  let s = '';
  for (const step of trace.steps) {
    const label = LABELS[step.stage].padEnd(11);
    s += `${step.stage === 'fail' ? colors.fail(label) : colors.label(label)}${step.text}\n`;
    for (const d of step.details) s += `${' '.repeat(13)}${colors.dim(d)}\n`;
  }
  return s;
}
