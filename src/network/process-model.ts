/**
 * What a container's main process does when the kubelet starts it (the model behind
 * src/runtime/process.ts). The kubelet computes the environment (recorded for later `exec`s),
 * the runtime merges the image's ENTRYPOINT/CMD with the container's command/args, and then:
 *
 * - a server (nginx, httpd, http-echo, ...) keeps running and prints its start-up lines;
 * - `sleep N`, `sleep infinity`, `tail -f …` keep running;
 * - a shell with stdin attached (`run -i`/`-it … -- sh`) keeps running: the attach drives it;
 *   without stdin, a shell has nothing to read and exits 0; `sh -c SCRIPT` runs the script;
 * - any other simulated program (curl, dig, env, …) runs to completion: its output goes to the
 *   container log, its exit status ends the container;
 * - the image's own daemons (kube-proxy, etcd, ...) keep running, and so does any program of
 *   an image kfake does not know;
 * - a program a known image does not have cannot start (runc's "executable file not found"):
 *   exit code 128.
 *
 * With `tty: true` the process writes to a terminal: no progress meters, and the log gets the
 * terminal's CRLF line ends. Everything is decided from the transaction's clock and randomness.
 */
import type { ClusterState } from '../store/state.ts';
import type { Container, Pod } from '../api/types.ts';
import type { ControllerContext } from '../controllers/context.ts';
import { setStartupLogSource } from '../runtime/logs.ts';
import type { ProcessModel, ProcessOutcome } from '../runtime/process.ts';
import { effectiveArgv, serverOf, appInstance } from './apps/index.ts';
import { containerOwnEnv, serviceLinkSnapshot } from './env.ts';
import { runProgram, shellOf } from './exec.ts';
import { DEFAULT_IMAGE, imageProfile, type ImageProfile } from './images.ts';
import { podPlace } from './place.ts';
import { saveContainerEnv } from './records.ts';

/** What the image's entrypoint script hands on to `exec "$@"`. */
function afterEntrypoint(argv: string[], image: ImageProfile): string[] {
  if (argv[0] === '/entrypoint.sh' && image.id === 'curlimages/curl') {
    const rest = argv.slice(1);
    return rest[0]?.startsWith('-') ? ['curl', ...rest] : rest;
  }
  if (argv[0] === '/docker-entrypoint.sh') return argv.slice(1);
  return argv;
}

function keepsRunning(argv: string[]): boolean {
  const name = argv[0]?.slice(argv[0].lastIndexOf('/') + 1);
  if (name === 'sleep') return argv[1] !== undefined && (argv[1] === 'infinity' || /^\d+(\.\d+)?[smhd]?$/.test(argv[1])) && argv[1] !== '0';
  if (name === 'tail') return argv.includes('-f') || argv.includes('-F');
  return false;
}

function terminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export const networkProcessModel: ProcessModel = (pod: Pod, container: Container, ctx: ControllerContext): ProcessOutcome => {
  const image = imageProfile(container.image);
  const snap = serviceLinkSnapshot(ctx.state, pod);
  saveContainerEnv(
    ctx.state,
    pod,
    container.name,
    {
      own: containerOwnEnv(ctx.state, pod, container, snap.byName),
      links: snap.hash,
      seed: `${ctx.rng.int(2 ** 31)}`,
      // containerd's WithTTY: a container with a terminal gets TERM.
      tty: !!container.tty,
    },
    snap.vars,
  );

  // A server's start-up lines are not stored: startupLog() below derives them when read.
  if (serverOf(container)) return { kind: 'running' };

  const argv = afterEntrypoint(effectiveArgv(container, image), image);
  if (argv.length === 0 || keepsRunning(argv)) return { kind: 'running' };

  const tty = !!container.tty;
  const place = podPlace(ctx.state, pod, container);
  const shell = shellOf(place, argv[0]);
  if (shell && !argv.slice(1).some((a) => /^-[a-z]*c[a-z]*$/.test(a) || !a.startsWith('-'))) {
    // An interactive shell lives as long as its standard input; without one it ends at once.
    return container.stdin ? { kind: 'running' } : { kind: 'exited', exitCode: 0, output: '' };
  }

  const net = { state: ctx.state, now: ctx.now, rng: ctx.rng };
  const out = runProgram(net, place, argv, new Map(place.env), '', tty);
  if (!out) {
    // The image's own daemons run; an unknown image may have any program, so it runs too.
    const name = argv[0].slice(argv[0].lastIndexOf('/') + 1);
    if (image === DEFAULT_IMAGE || image.daemons?.includes(name)) return { kind: 'running' };
    return { kind: 'exited', exitCode: 128, output: '' };
  }
  const text = out.combined();
  return { kind: 'exited', exitCode: out.code, output: tty ? terminal(text) : text };
};

/** The start-up lines of a server container, as it printed them when it started. */
export function startupLog(state: ClusterState, pod: Pod, containerName: string): string {
  const container = pod.spec.containers.find((c) => c.name === containerName);
  const server = container && serverOf(container);
  const startedAt = pod.status?.containerStatuses?.find((s) => s.name === containerName)?.state?.running?.startedAt;
  if (!server?.app.startupLog || !startedAt) return '';
  return server.app.startupLog(appInstance(state, pod, container!, server.image), new Date(startedAt));
}

setStartupLogSource(startupLog);
