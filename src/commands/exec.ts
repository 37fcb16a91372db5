/**
 * `kfake exec`: run a command in a container (staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go).
 *
 * The command runs directly, not through a shell, in the pod's network and with the environment
 * the container started with; its stdout and stderr are kfake's, and a non-zero status ends kfake
 * with `command terminated with exit code N` and that status. `-i -t` on a terminal gives a
 * terminal (stderr merged into stdout, TERM=xterm); `-t` without a terminal says
 * `Unable to use a TTY - input is not a terminal or the right kind of file` and goes on without.
 * A shell with `-i` reads commands line by line (with a prompt on a terminal) until `exit`.
 */
import { CliError } from '../api/errors.ts';
import type { Pod } from '../api/types.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { withTerminal } from '../network/env.ts';
import { execInPlace, ExecStartError, shellOf } from '../network/exec.ts';
import '../network/install.ts';
import { shellSession, writeOutput } from '../network/interactive.ts';
import { podPlace } from '../network/place.ts';
import { defaultContainer, findContainer, podForTarget, targetObject } from '../network/pod-target.ts';

const example = `  # Get output from running the 'date' command from pod mypod, using the first container by default
  kfake exec mypod -- date
  
  # Get output from running the 'date' command in ruby-container from pod mypod
  kfake exec mypod -c ruby-container -- date
  
  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
  # and sends stdout/stderr from 'bash' back to the client
  kfake exec mypod -c ruby-container -i -t -- bash -il
  
  # List contents of /usr from the first container of pod mypod and sort by modification time
  # If the command you want to execute in the pod has any flags in common (e.g. -i),
  # you must use two dashes (--) to separate your command's flags/arguments
  # Also note, do not surround your command and its flags/arguments with quotes
  # unless that is how you would execute it normally (i.e., do ls -t /usr, not "ls -t /usr")
  kfake exec mypod -i -t -- ls -t /usr
  
  # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default
  kfake exec deploy/mydeployment -- date
  
  # Get output from running 'date' command from the first pod of the service myservice, using the first container by default
  kfake exec svc/myservice -- date`;

/** kubectl's CheckErr for a remote command's exit status. */
export function exitStatusError(code: number): CliError {
  return new CliError(`command terminated with exit code ${code}`, { raw: true, exitCode: code });
}

/** Whether -i/-t give a terminal; warns as kubectl's SetupTTY does. */
export function setupTTY(inv: Invocation, quiet: boolean): boolean {
  const stdin = inv.flags.stdin as boolean;
  const tty = inv.flags.tty as boolean;
  if (!stdin || !tty) return false;
  if (!inv.io.stdinIsTTY) {
    if (!quiet) inv.io.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    return false;
  }
  return true;
}

async function run(inv: Invocation): Promise<void> {
  const quiet = inv.flags.quiet as boolean;
  const args = inv.args;
  const dash = inv.argsLenAtDash;
  let resourceName = '';
  let command: string[] = [];
  if (args.length > 0 && dash !== 0) resourceName = args[0];
  if (dash > -1) command = args.slice(dash);
  else if (args.length > 1) {
    throw new CliError('exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead', { usageCommand: 'exec' });
  }
  if (!resourceName) throw new CliError('pod, type/name or --filename must be specified');
  if (command.length === 0) throw new CliError('you must specify at least one command for the container');

  const ctx = commandContext(inv);
  const state = await ctx.session.read();
  const { pod } = podForTarget(state, targetObject(state, resourceName, ctx.namespace), 'attach to');
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw new CliError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  }
  const containerFlag = inv.flags.container as string;
  const container = containerFlag ? findContainer(pod, containerFlag) : defaultContainer(pod, quiet, (m) => inv.io.err(m));
  // The API server checks these before the kubelet is contacted (pkg/registry/core/pod/strategy.go
  // streamLocation); kubectl reports the refused upgrade.
  if (!container) throw new CliError(`unable to upgrade connection: container ${containerFlag} is not valid for pod ${pod.metadata.name}`);
  if (!pod.spec.nodeName) throw new CliError(`unable to upgrade connection: pod ${pod.metadata.name} does not have a host assigned`);
  const status = pod.status?.containerStatuses?.find((s) => s.name === container.name);
  if (!status?.state?.running) throw new CliError(`unable to upgrade connection: container not found ("${container.name}")`);

  const tty = setupTTY(inv, quiet);
  const stdin = inv.flags.stdin as boolean;
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const uid = pod.metadata.uid;
  const placeIn = (s: typeof state) => {
    const p = s.get<Pod>('pods', ns, name);
    return p && p.metadata.uid === uid ? podPlace(s, p, container) : undefined;
  };
  const initial = placeIn(state)!;
  const env = tty ? withTerminal(initial.env) : initial.env;

  const shell = shellOf(initial, command[0]);
  if (shell && stdin && command.slice(1).every((a) => a.startsWith('-') && !/^-[a-z]*c[a-z]*$/.test(a))) {
    const code = await shellSession({
      session: ctx.session,
      io: inv.io,
      tty,
      stdin,
      kind: shell,
      argv0: command[0],
      place: placeIn,
      env,
      user: initial.image.user,
      debianPrompt: initial.image.shells.sh === 'dash',
    });
    if (code !== 0) throw exitStatusError(code);
    return;
  }

  const input = stdin ? inv.io.readStdin() : '';
  const result = await ctx.session.transaction((api) => {
    const place = placeIn(api.state);
    if (!place) return undefined;
    try {
      return execInPlace({ state: api.state, now: api.now, rng: api.rng }, place, command, { stdin: input, tty, env });
    } catch (e) {
      if (e instanceof ExecStartError) return e;
      throw e;
    }
  });
  if (result === undefined) throw new CliError(`unable to upgrade connection: pod does not exist`);
  if (result instanceof ExecStartError) throw new CliError(result.message);
  writeOutput(inv.io, result, tty);
  if (result.code !== 0) throw exitStatusError(result.code);
}

export const execCommand: CommandDef = {
  name: 'exec',
  short: 'Execute a command in a container',
  long: 'Execute a command in a container.',
  group: 'Troubleshooting and Debugging Commands:',
  usage: 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
  example,
  flags: [
    flag.string(
      'container',
      'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen',
      { short: 'c' },
    ),
    flag.stringSlice('filename', 'to use to exec into the resource', { short: 'f' }),
    { name: 'pod-running-timeout', kind: 'duration', default: '1m0s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
    flag.bool('quiet', 'Only print output from the remote session', { short: 'q' }),
    flag.bool('stdin', 'Pass stdin to the container', { short: 'i' }),
    flag.bool('tty', 'Stdin is a TTY', { short: 't' }),
  ],
  run,
};

