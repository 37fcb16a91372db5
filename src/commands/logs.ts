/**
 * `kfake logs`: print a container's log (staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go,
 * polymorphichelpers/logsforobject.go). The log is what the container wrote: its start-up lines,
 * what a run-to-completion command printed, and the access-log lines of the requests its server
 * answered. `-f` prints the log and returns (nothing more will be written while kfake waits).
 */
import { badRequest, CliError, StatusError } from '../api/errors.ts';
import type { Container, Pod } from '../api/types.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import '../network/install.ts';
// Registers how server containers' start-up lines are derived when a log is read.
import '../network/process-model.ts';
import { defaultContainer, findContainer, podForTarget, targetObject } from '../network/pod-target.ts';
import { parseSelector } from '../selectors/labels.ts';
import { readLog } from '../runtime/logs.ts';
import type { ClusterState } from '../store/state.ts';

const USAGE = 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]';
const USAGE_ERROR = `expected '${USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command`;

const example = `  # Return snapshot logs from pod nginx with only one container
  kfake logs nginx
  
  # Return snapshot logs from pod nginx, prefixing each line with the source pod and container name
  kfake logs nginx --prefix
  
  # Return snapshot logs from pod nginx, limiting output to 500 bytes
  kfake logs nginx --limit-bytes=500
  
  # Return snapshot logs from pod nginx, waiting up to 20 seconds for it to start running.
  kfake logs nginx --pod-running-timeout=20s
  
  # Return snapshot logs from pod nginx with multi containers
  kfake logs nginx --all-containers=true
  
  # Return snapshot logs from all pods in the deployment nginx
  kfake logs deployment/nginx --all-pods=true
  
  # Return snapshot logs from all containers in pods defined by label app=nginx
  kfake logs -l app=nginx --all-containers=true
  
  # Return snapshot logs from all pods defined by label app=nginx, limiting concurrent log requests to 10 pods
  kfake logs -l app=nginx --max-log-requests=10
  
  # Return snapshot of previous terminated ruby container logs from pod web-1
  kfake logs -p -c ruby web-1
  
  # Begin streaming the logs from pod nginx, continuing even if errors occur
  kfake logs nginx -f --ignore-errors=true
  
  # Begin streaming the logs of the ruby container in pod web-1
  kfake logs -f -c ruby web-1
  
  # Begin streaming the logs from all containers in pods defined by label app=nginx
  kfake logs -f -l app=nginx --all-containers=true
  
  # Display only the most recent 20 lines of output in pod nginx
  kfake logs --tail=20 nginx
  
  # Show all logs from pod nginx written in the last hour
  kfake logs --since=1h nginx
  
  # Show all logs with timestamps from pod nginx starting from August 30, 2024, at 06:00:00 UTC
  kfake logs nginx --since-time=2024-08-30T06:00:00Z --timestamps=true
  
  # Show logs from a kubelet with an expired serving certificate
  kfake logs --insecure-skip-tls-verify-backend nginx
  
  # Return snapshot logs from first container of a job named hello
  kfake logs job/hello
  
  # Return snapshot logs from container nginx-1 of a deployment named nginx
  kfake logs deployment/nginx -c nginx-1`;

interface LogOptions {
  tail: number;
  previous: boolean;
  timestamps: boolean;
  prefix: boolean;
  limitBytes: number;
}

/** The kubelet's answer to GET pods/NAME/log for one container. */
function containerLog(state: ClusterState, pod: Pod, c: Container, o: LogOptions): string {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const status = all.find((s) => s.name === c.name);
  const podName = pod.metadata.name;
  if (o.previous) {
    if (!status || status.restartCount === 0 || !status.lastState?.terminated) {
      throw badRequest(`previous terminated container "${c.name}" in pod "${podName}" not found`);
    }
  } else if (!status || status.state?.waiting || (!status.state?.running && !status.state?.terminated)) {
    const reason = status?.state?.waiting?.reason ?? (pod.spec.nodeName ? 'ContainerCreating' : 'ContainerCreating');
    throw badRequest(`container "${c.name}" in pod "${podName}" is waiting to start: ${reason}`);
  }
  let text = readLog(state, pod, c.name);
  if (o.timestamps) {
    const started = (status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt ?? pod.status?.startTime ?? '').replace(/Z$/, '.000000000Z');
    text = text.replace(/^(?=.)/gm, `${started} `);
  }
  if (o.tail >= 0) {
    const lines = text.split('\n');
    const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
    text = lines.slice(Math.max(0, lines.length - o.tail)).join('\n') + (trailing !== undefined && o.tail > 0 ? '\n' : '');
  }
  if (o.limitBytes > 0) text = Buffer.from(text).subarray(0, o.limitBytes).toString('utf8');
  if (o.prefix) text = text.replace(/^(?=.)/gm, `[pod/${podName}/${c.name}] `);
  return text;
}

async function run(inv: Invocation): Promise<void> {
  const args = inv.args;
  const selector = inv.flags.selector as string;
  let container = inv.flags.container as string;
  const containerSpecified = inv.changed.has('container');
  const tailSpecified = inv.changed.has('tail');
  let resourceArg = '';
  if (args.length === 0) {
    if (!selector) throw new CliError(USAGE_ERROR, { usageCommand: 'logs' });
  } else if (args.length === 1) {
    resourceArg = args[0];
    if (selector) throw new CliError('only a selector (-l) or a POD name is allowed', { usageCommand: 'logs' });
  } else if (args.length === 2) {
    resourceArg = args[0];
    container = args[1];
  } else throw new CliError(USAGE_ERROR, { usageCommand: 'logs' });

  const allContainers = inv.flags['all-containers'] as boolean;
  let tail = inv.flags.tail as number;
  if (selector && tail === -1 && !tailSpecified) tail = 10;
  if (allContainers && container) throw new CliError(`--all-containers=true should not be specified with container name ${container}`);
  if (containerSpecified && args.length === 2) throw new CliError('only one of -c or an inline [CONTAINER] arg is allowed');
  if ((inv.flags['limit-bytes'] as number) < 0) throw new CliError('--limit-bytes must be greater than 0');
  if (tail < -1) throw new CliError('--tail must be greater than or equal to -1');

  const ctx = commandContext(inv);
  const state = await ctx.session.read();
  const o: LogOptions = {
    tail,
    previous: inv.flags.previous as boolean,
    timestamps: inv.flags.timestamps as boolean,
    prefix: inv.flags.prefix as boolean,
    limitBytes: inv.flags['limit-bytes'] as number,
  };

  let pods: Pod[];
  let fromSelector = false;
  if (selector) {
    pods = state.select<Pod>('pods', ctx.namespace, parseSelector(selector));
    fromSelector = true;
    if (pods.length === 0) {
      inv.io.err(`No resources found in ${ctx.namespace} namespace.\n`);
      return;
    }
  } else {
    let target;
    try {
      target = targetObject(state, resourceArg, ctx.namespace);
    } catch (e) {
      // logs resolves its argument through the resource builder, which words a missing object so.
      if (e instanceof StatusError && e.reason === 'NotFound') throw new CliError(`error from server (NotFound): ${e.message} in namespace "${ctx.namespace}"`);
      throw e;
    }
    const allPods = inv.flags['all-pods'] as boolean;
    const { pod, count, all } = podForTarget(state, target, 'get the logs from');
    if (allPods) {
      o.prefix = true;
      pods = all;
      fromSelector = true;
    } else {
      if (count > 1) inv.io.err(`Found ${count} pods, using pod/${pod.metadata.name}\n`);
      pods = [pod];
    }
  }

  let text = '';
  for (const pod of pods) {
    const containers: Container[] = allContainers
      ? [...(pod.spec.initContainers ?? []), ...pod.spec.containers]
      : [container ? findContainer(pod, container) : defaultContainer(pod, fromSelector, (m) => inv.io.err(m))].filter((c): c is Container => !!c);
    if (containers.length === 0) throw new CliError(`container ${container} is not valid for pod ${pod.metadata.name}`);
    for (const c of containers) text += containerLog(state, pod, c, o);
  }
  inv.io.out(text);
}

export const logsCommand: CommandDef = {
  name: 'logs',
  short: 'Print the logs for a container in a pod',
  long: 'Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.',
  group: 'Troubleshooting and Debugging Commands:',
  usage: `${USAGE} [options]`,
  example,
  flags: [
    flag.bool('all-containers', "Get all containers' logs in the pod(s)."),
    flag.bool('all-pods', 'Get logs from all pod(s). Sets prefix to true.'),
    flag.string('container', 'Print the logs of this container', { short: 'c' }),
    flag.bool('follow', 'Specify if the logs should be streamed.', { short: 'f' }),
    flag.bool('ignore-errors', 'If watching / following pod logs, allow for any errors that occur to be non-fatal'),
    flag.bool(
      'insecure-skip-tls-verify-backend',
      'Skip verifying the identity of the kubelet that logs are requested from.  In theory, an attacker could provide invalid log content back. You might want to use this if your kubelet serving certificates have expired.',
    ),
    flag.int('limit-bytes', 'Maximum bytes of logs to return. Defaults to no limit.'),
    flag.int('max-log-requests', 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.', { default: 5 }),
    { name: 'pod-running-timeout', kind: 'duration', default: '20s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
    flag.bool('prefix', 'Prefix each log line with the log source (pod name and container name)'),
    flag.bool('previous', 'If true, print the logs for the previous instance of the container in a pod if it exists.', { short: 'p' }),
    flag.string('selector', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.", { short: 'l' }),
    { name: 'since', kind: 'duration', default: '0s', usage: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.' },
    flag.string('since-time', 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.'),
    flag.int('tail', 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.', { default: -1 }),
    flag.bool('timestamps', 'Include timestamps on each line in the log output'),
  ],
  run,
};
