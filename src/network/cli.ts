/**
 * kfake's own commands for the simulated network (no kubectl counterpart):
 *
 *   kfake node exec NODE [-i] [-t] -- COMMAND [ARGS...]   run a command on a node (as over ssh)
 *   kfake outside [-i] [-t] -- COMMAND [ARGS...]          run it on a machine outside the cluster
 *   kfake trace --from pod/NAME|node/NAME|outside -- COMMAND [ARGS...]
 *                                                         show the request's path hop by hop
 *
 * A node has Debian's userland with curl and bind's dig/nslookup/host; the machine outside has
 * curl, GNU wget and the same DNS tools, reaches the nodes (and externalIPs and load-balancer
 * addresses) but neither Service cluster IPs nor pod IPs, and resolves only the node names (from
 * its /etc/hosts). The exit status is the command's.
 */
import { CliError, ExitError, notFound } from '../api/errors.ts';
import { resourceInfo } from '../api/registry.ts';
import type { Node, Pod } from '../api/types.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import type { ClusterState } from '../store/state.ts';
import { execInPlace, ExecStartError, shellOf } from './exec.ts';
import './install.ts';
import { shellSession, writeOutput } from './interactive.ts';
import { describePlace, nodePlace, outsidePlace, podPlace, type Place } from './place.ts';
import { defaultContainer, findContainer } from './pod-target.ts';
import { renderTrace, Trace } from './trace.ts';

function commandArgs(inv: Invocation, from: number, what: string): string[] {
  const dash = inv.argsLenAtDash;
  const command = dash > -1 ? inv.args.slice(dash) : inv.args.slice(from);
  if (command.length === 0) throw new CliError(`you must specify at least one command to run ${what}`);
  return command;
}

function terminal(inv: Invocation): boolean {
  if (!(inv.flags.stdin as boolean) || !(inv.flags.tty as boolean)) return false;
  if (!inv.io.stdinIsTTY) {
    inv.io.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    return false;
  }
  return true;
}

/** Run a command (or an interactive shell) in a place found anew in each transaction. */
async function runIn(inv: Invocation, find: (state: ClusterState) => Place | undefined, command: string[]): Promise<void> {
  const ctx = commandContext(inv);
  const initial = find(await ctx.session.read());
  if (!initial) throw new CliError('the place to run in no longer exists');
  const tty = terminal(inv);
  const stdin = inv.flags.stdin as boolean;
  const shell = shellOf(initial, command[0]);
  let code: number;
  if (shell && stdin && command.slice(1).every((a) => a.startsWith('-') && !/^-[a-z]*c[a-z]*$/.test(a))) {
    code = await shellSession({
      session: ctx.session,
      io: inv.io,
      tty,
      stdin,
      kind: shell,
      argv0: command[0],
      place: find,
      env: initial.env,
      user: initial.image.user,
      debianPrompt: true,
    });
  } else {
    const input = stdin ? inv.io.readStdin() : '';
    const result = await ctx.session.transaction((api) => {
      const place = find(api.state);
      if (!place) return undefined;
      try {
        return execInPlace({ state: api.state, now: api.now, rng: api.rng }, place, command, { stdin: input, tty });
      } catch (e) {
        if (e instanceof ExecStartError) return e;
        throw e;
      }
    });
    if (!result) throw new CliError('the place to run in no longer exists');
    if (result instanceof ExecStartError) {
      // A shell on a node or a workstation reports a missing program itself.
      throw new CliError(`${command[0]}: command not found`, { raw: true, exitCode: 127 });
    }
    writeOutput(inv.io, result, tty);
    code = result.code;
  }
  if (code !== 0) throw new ExitError(code);
}

const ioFlags = [flag.bool('stdin', 'Pass stdin to the command', { short: 'i' }), flag.bool('tty', 'Stdin is a TTY', { short: 't' })];

const nodeExecCommand: CommandDef = {
  name: 'exec',
  short: 'Run a command on a node of the cluster',
  long: `Run a command on a node of the cluster, as if logged in to it.

 The node has Debian's userland with bash, curl, dig, nslookup and host. Traffic leaves from the
 node's InternalIP: Service cluster IPs, node ports and pod IPs are all reachable, through that
 node's kube-proxy rules.`,
  usage: 'node exec NODE [-i] [-t] -- COMMAND [args...]',
  example: `  # Call a ClusterIP Service from a node
  kfake node exec kfake-worker -- curl -s http://10.96.0.100

  # Open a shell on the control-plane node
  kfake node exec -it kfake-control-plane -- bash`,
  flags: ioFlags,
  run: async (inv) => {
    const name = inv.argsLenAtDash === 0 ? undefined : inv.args[0];
    if (!name) throw new CliError('a node name is required', { usageCommand: 'node exec' });
    const command = commandArgs(inv, 1, 'on the node');
    const ctx = commandContext(inv);
    if (!(await ctx.session.read()).get<Node>('nodes', '', name)) throw notFound(resourceInfo('nodes'), name);
    await runIn(inv, (state) => {
      const node = state.get<Node>('nodes', '', name);
      return node ? nodePlace(state, node) : undefined;
    }, command);
  },
};

const nodeCommand: CommandDef = {
  name: 'node',
  short: 'Run commands on the nodes of the simulated cluster (kfake)',
  long: 'Run commands on the nodes of the simulated cluster.',
  subcommands: [nodeExecCommand],
};

const outsideCommand: CommandDef = {
  name: 'outside',
  short: 'Run a command on a machine outside the cluster (kfake)',
  long: `Run a command on a machine outside the cluster that can reach the nodes.

 The machine has curl, wget, dig, nslookup and host. It reaches the nodes' InternalIPs (so node
 ports), Services' externalIPs and load-balancer addresses, but not Service cluster IPs or pod IPs,
 which only exist inside the cluster. It resolves the node names (listed in its /etc/hosts) and
 nothing else: the simulated cluster has no internet.`,
  usage: 'outside [-i] [-t] -- COMMAND [args...]',
  example: `  # Call a NodePort Service through a node's address
  kfake outside -- curl -s http://172.18.0.3:30080

  # A cluster IP does not answer from outside
  kfake outside -- curl -m 5 http://10.96.0.100`,
  flags: ioFlags,
  run: async (inv) => {
    const command = commandArgs(inv, 0, 'outside the cluster');
    await runIn(inv, (state) => outsidePlace(state), command);
  },
};

/** The place `--from` names, with the error kubectl would give for a missing object. */
function fromPlace(state: ClusterState, from: string, namespace: string, container: string, quiet: (m: string) => void): Place {
  if (from === 'outside') return outsidePlace(state);
  const slash = from.indexOf('/');
  const kind = slash > 0 ? from.slice(0, slash) : '';
  const name = from.slice(slash + 1);
  if (kind === 'node' || kind === 'nodes' || kind === 'no') {
    const node = state.get<Node>('nodes', '', name);
    if (!node) throw notFound(resourceInfo('nodes'), name);
    return nodePlace(state, node);
  }
  if (kind === 'pod' || kind === 'pods' || kind === 'po') {
    const pod = state.get<Pod>('pods', namespace, name);
    if (!pod) throw notFound(resourceInfo('pods'), name);
    const c = container ? findContainer(pod, container) : defaultContainer(pod, false, quiet);
    if (!c) throw new CliError(`container ${container} not found in pod ${name}`);
    if (!pod.status?.containerStatuses?.find((s) => s.name === c.name)?.state?.running) {
      throw new CliError(`container ${c.name} of pod ${name} is not running`);
    }
    return podPlace(state, pod, c);
  }
  throw new CliError(`--from must be pod/NAME, node/NAME or outside, not "${from}"`);
}

const traceCommand: CommandDef = {
  name: 'trace',
  short: 'Show the path of a request through the simulated network (kfake)',
  long: `Show the path of a request through the simulated network, hop by hop.

 The command (curl, wget, dig, nslookup, host, ...) runs as it would from the given place, and
 each decision is shown: the names the resolver tried and the answers, the Service and port an
 address matched, the endpoints to choose from and the one kube-proxy chose, the node and pod
 that received the connection, the targetPort, and where and why the request failed. Then the
 command's output. Nothing is recorded: no access log, no session-affinity entry.`,
  usage: 'trace --from (pod/NAME | node/NAME | outside) [-c CONTAINER] -- COMMAND [args...]',
  example: `  # Why does this curl land where it lands?
  kfake trace --from pod/testpod -- curl -s http://sample-clusterip:8080

  # How does a name resolve from a pod?
  kfake trace --from pod/testpod -- dig +short sample-clusterip.default.svc.cluster.local

  # Why does a NodePort not answer from outside?
  kfake trace --from outside -- curl -m 3 http://172.18.0.3:30080`,
  flags: [
    flag.string('from', 'Where the command runs: pod/NAME, node/NAME or outside'),
    flag.string('container', 'Container of the pod to run in (default: the first one)', { short: 'c' }),
  ],
  run: async (inv) => {
    const from = inv.flags.from as string;
    if (!from) throw new CliError('--from is required: pod/NAME, node/NAME or outside', { usageCommand: 'trace' });
    const command = commandArgs(inv, 0, 'in the trace');
    const ctx = commandContext(inv);
    const colors = inv.io.color;
    const trace = new Trace();
    const result = await ctx.session.transaction(
      (api) => {
        const place = fromPlace(api.state, from, ctx.namespace, inv.flags.container as string, (m) => inv.io.err(m));
        trace.add('from', describePlace(place));
        try {
          return execInPlace({ state: api.state, now: api.now, rng: api.rng }, place, command, { stdin: '', tty: false, trace });
        } catch (e) {
          if (e instanceof ExecStartError) return e;
          throw e;
        }
      },
      { dryRun: true },
    );
    inv.io.out(renderTrace(trace, { label: (t) => colors.bold.cyan(t), fail: (t) => colors.bold.red(t), dim: (t) => colors.dim(t) }));
    if (result instanceof ExecStartError) {
      inv.io.out(`\n${command[0]}: there is no such program in this place\n`);
      throw new ExitError(127);
    }
    inv.io.out(`\nOutput of \`${command.join(' ')}\` (exit status ${result.code}):\n`);
    inv.io.out(result.combined());
    if (result.code !== 0) throw new ExitError(result.code);
  },
};

export const networkCommandDefs: CommandDef[] = [nodeCommand, outsideCommand, traceCommand];
