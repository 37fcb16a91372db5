/**
 * Interactive shells: `kfake exec -it POD -- sh`, `kfake run -it … -- bash` (through the attach
 * handler), `kfake node exec -it NODE -- bash`, `kfake outside -it -- bash`.
 *
 * The shell reads the user's input line by line. On a terminal it prints its prompt, and bash
 * says `exit` when it leaves. Reading from a pipe
 * (or with `-i` but no `-t`) it is not interactive: no prompt, it just runs the lines. Each
 * command runs in its own store transaction, so what it does (a request's access log, kube-proxy's
 * affinity) is recorded as it happens; the shell's own variables and directory live for the
 * session.
 */
import fs from 'node:fs';
import type { Container, ContainerStatus, Pod } from '../api/types.ts';
import type { IO } from '../cli/io.ts';
import type { Session } from '../cluster/session.ts';
import type { AttachRequest } from '../runtime/attach.ts';
import type { ClusterState } from '../store/state.ts';
import { rfc3339 } from '../util/duration.ts';
import { effectiveArgv } from './apps/index.ts';
import type { NetContext } from './context.ts';
import { makeShell, runProgram, shellOf } from './exec.ts';
import { imageProfile, type ShellKind } from './images.ts';
import { podPlace, type Place } from './place.ts';
import { isIncomplete, notFoundMessage, prompt, runScript, type Shell } from './shell/run.ts';
import { Output } from './tools/tool.ts';

/** Lines of the user's input. */
export interface LineSource {
  /** The next line without its newline, or undefined at end of input. */
  next(): string | undefined;
}

/** All of a piped standard input, split into lines. */
export function bufferedLines(text: string): LineSource {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  return { next: () => (i < lines.length ? lines[i++] : undefined) };
}

/** A terminal: each read returns when the user presses Enter; Ctrl-D ends the input. */
function terminalLines(): LineSource {
  let pending = '';
  const buf = Buffer.alloc(4096);
  return {
    next(): string | undefined {
      for (;;) {
        const nl = pending.indexOf('\n');
        if (nl >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          return line.replace(/\r$/, '');
        }
        let n: number;
        try {
          n = fs.readSync(0, buf, 0, buf.length, null);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
            continue;
          }
          if ((e as NodeJS.ErrnoException).code === 'EOF') n = 0;
          else throw e;
        }
        if (n === 0) {
          if (!pending) return undefined;
          const line = pending;
          pending = '';
          return line;
        }
        pending += buf.subarray(0, n).toString('utf8');
      }
    },
  };
}

export function userInput(io: IO): LineSource {
  return io.stdinIsTTY ? terminalLines() : bufferedLines(io.readStdin());
}

export interface ShellSessionOptions {
  session: Session;
  io: IO;
  /** A terminal is attached: prompt, CRLF output, merged streams. */
  tty: boolean;
  /** Standard input is connected (`-i`). */
  stdin: boolean;
  kind: ShellKind;
  argv0: string;
  /** Finds the place again in each command's transaction (the pod may have changed). */
  place: (state: ClusterState) => Place | undefined;
  env: [string, string][];
  user: string;
  debianPrompt: boolean;
}

/**
 * Text a program writes to its terminal, as it reaches the user: the remote terminal turns `\n`
 * into `\r\n`. On the user's own terminal the local tty does the same, so the text passes as is;
 * redirected to a file it keeps the CRLF line ends, as `kubectl exec -t … > file` does.
 */
export function terminalText(io: IO, text: string): string {
  return io.stdoutIsTTY ? text : text.replace(/\r?\n/g, '\r\n');
}

/** A program's output: with a terminal both streams arrive on stdout. */
export function writeOutput(io: IO, out: Output, tty: boolean): void {
  for (const c of out.chunks) {
    if (tty) io.out(terminalText(io, c.text));
    else if (c.fd === 1) io.out(c.text);
    else io.err(c.text);
  }
}

/** Run an interactive shell until `exit` or the end of input; resolves to its exit status. */
export async function shellSession(o: ShellSessionOptions): Promise<number> {
  if (!o.stdin) return 0;
  const initial = o.place(await o.session.read());
  if (!initial) return 0;
  const sh: Shell = makeShell(initial, o.kind, o.argv0, o.env, { interactive: o.tty, commandString: false });
  const input = userInput(o.io);
  for (;;) {
    if (o.tty) o.io.out(prompt(sh, initial.hostname, o.user, o.debianPrompt));
    let line = input.next();
    if (line === undefined) {
      if (o.tty && o.kind === 'bash') o.io.out(terminalText(o.io, 'exit\n'));
      return sh.status;
    }
    while (isIncomplete(line)) {
      if (o.tty) o.io.out('> ');
      const more = input.next();
      if (more === undefined) break;
      line += `\n${more}`;
    }
    const script = line;
    const result = await o.session.transaction((api) => {
      const net: NetContext = { state: api.state, now: api.now, rng: api.rng };
      const place = o.place(api.state);
      if (!place) return undefined;
      return runScript(sh, script, (argv, env, stdin) => {
        const out = runProgram(net, place, argv, env, stdin, o.tty);
        return out ?? new Output().err(notFoundMessage(sh, argv[0])).exit(127);
      });
    });
    if (!result) return 137;
    writeOutput(o.io, result, o.tty);
    sh.line += script.split('\n').length;
    if (result.exited !== undefined) {
      if (o.tty && o.kind === 'bash') o.io.out(terminalText(o.io, 'exit\n'));
      return result.exited;
    }
  }
}

/** The kubelet's record of a main process that ended: terminated, restarted, or the pod completed. */
function finishMainProcess(state: ClusterState, pod: Pod, container: Container, exitCode: number, now: Date): void {
  const current = state.get<Pod>('pods', pod.metadata.namespace!, pod.metadata.name!);
  if (!current || current.metadata.uid !== pod.metadata.uid) return;
  const next = structuredClone(current);
  const statuses = next.status?.containerStatuses ?? [];
  const i = statuses.findIndex((s) => s.name === container.name);
  if (i < 0) return;
  const old = statuses[i];
  const nowText = rfc3339(now);
  const terminated = {
    exitCode,
    reason: exitCode === 0 ? 'Completed' : 'Error',
    startedAt: old.state?.running?.startedAt ?? nowText,
    finishedAt: nowText,
    containerID: old.containerID,
  };
  const policy = next.spec.restartPolicy ?? 'Always';
  const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  const updated: ContainerStatus = restart
    ? { ...old, restartCount: old.restartCount + 1, lastState: { terminated }, state: { running: { startedAt: nowText } }, ready: true, started: true }
    : { ...old, state: { terminated }, ready: false, started: false };
  statuses[i] = updated;
  if (!restart && statuses.every((s) => s.state?.terminated)) {
    const failed = statuses.some((s) => (s.state?.terminated?.exitCode ?? 0) !== 0);
    next.status!.phase = failed ? 'Failed' : 'Succeeded';
    for (const c of next.status!.conditions ?? []) {
      if (c.type === 'Ready' || c.type === 'ContainersReady') {
        if (c.status !== 'False') c.lastTransitionTime = nowText;
        c.status = 'False';
        c.reason = 'PodCompleted';
      }
    }
  }
  state.put('pods', next);
}

/**
 * The attach handler (src/runtime/attach.ts): when the container's main process is a shell with
 * stdin, run the session; when it ends, the process ends (restarted under restartPolicy Always,
 * otherwise the container terminates with the shell's status).
 */
export async function attachShell(req: AttachRequest): Promise<number | undefined> {
  const { pod, container } = req;
  const image = imageProfile(container.image);
  const argv = effectiveArgv(container, image);
  const state0 = await req.session.read();
  const place0 = podPlace(state0, pod, container);
  const kind = argv.length ? shellOf(place0, argv[0]) : undefined;
  if (!kind || !container.stdin || argv.slice(1).some((a) => !a.startsWith('-') || /^-[a-z]*c[a-z]*$/.test(a))) return undefined;
  const tty = req.tty && req.io.stdinIsTTY;
  const code = await shellSession({
    session: req.session,
    io: req.io,
    tty,
    stdin: req.stdin,
    kind,
    argv0: argv[0],
    place: (state) => {
      const p = state.get<Pod>('pods', pod.metadata.namespace!, pod.metadata.name!);
      return p && p.metadata.uid === pod.metadata.uid ? podPlace(state, p, container) : undefined;
    },
    env: place0.env,
    user: image.user,
    debianPrompt: !image.shells.sh || image.shells.sh === 'dash',
  });
  await req.session.transaction((api) => finishMainProcess(api.state, pod, container, code, api.now));
  return code;
}
