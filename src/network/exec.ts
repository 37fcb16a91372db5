/**
 * Starting a program in a place, as the container runtime does for `kubectl exec` and for a
 * container's main process: a shell (`sh -c '…'`, or a shell reading its standard input), one of
 * the simulated programs, or, when the image has no such file, runc's error.
 */
import { randomHex } from '../util/random.ts';
import type { NetContext } from './context.ts';
import type { ShellKind } from './images.ts';
import type { Place } from './place.ts';
import { newShell, notFoundMessage, runScript, type Shell } from './shell/run.ts';
import { findTool } from './tools/index.ts';
import { Output } from './tools/tool.ts';
import type { Trace } from './trace.ts';

export interface ExecOptions {
  stdin: string;
  /** A terminal is attached (`-t`). */
  tty: boolean;
  /** Override of the process environment (exec with a terminal adds TERM). */
  env?: [string, string][];
  trace?: Trace;
}

/** A program the runtime could not start: containerd's error, which kubectl shows as an internal error. */
export class ExecStartError extends Error {}

const base = (s: string) => s.slice(s.lastIndexOf('/') + 1);

/** The shell a program name starts in this place, if it is one. */
export function shellOf(place: Place, program: string): ShellKind | undefined {
  const name = base(program);
  if (program.includes('/') && !['/bin', '/usr/bin', '/usr/local/bin'].includes(program.slice(0, program.lastIndexOf('/')))) return undefined;
  return place.image.shells[name];
}

function bashMajor(place: Place): number {
  return place.image.id === 'amsy810/tools' ? 4 : 5;
}

export function makeShell(place: Place, kind: ShellKind, argv0: string, env: [string, string][], opts: { interactive: boolean; commandString: boolean }): Shell {
  const home = env.find(([k]) => k === 'HOME')?.[1] ?? place.image.home;
  return newShell(kind, argv0, env, { ...opts, bashMajor: bashMajor(place), cwd: place.image.workdir, home });
}

/** Run one program (not through a shell), as `exec` and the shells' commands do. */
export function runProgram(net: NetContext, place: Place, argv: string[], env: Map<string, string>, stdin: string, tty: boolean, trace?: Trace): Output | undefined {
  const kind = shellOf(place, argv[0]);
  if (kind) return runShellProgram(net, place, kind, argv, [...env], stdin, tty, trace);
  const tool = findTool(place, argv[0]);
  if (!tool) return undefined;
  return tool(argv, { net, place, stdin, tty, env, trace });
}

/** A shell started as a program: `sh -c SCRIPT`, `sh FILE`, or `sh` reading commands from stdin. */
function runShellProgram(net: NetContext, place: Place, kind: ShellKind, argv: string[], env: [string, string][], stdin: string, tty: boolean, trace?: Trace): Output {
  const argv0 = argv[0];
  const args = argv.slice(1);
  const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
  const run = (sh: Shell) => (prog: string[], penv: Map<string, string>, input: string): Output => {
    const out = runProgram(net, place, prog, penv, input, tty, trace);
    if (out) return out;
    return new Output().err(notFoundMessage(sh, prog[0])).exit(127);
  };
  if (c >= 0) {
    const script = args[c + 1];
    if (script === undefined) {
      const msg = kind === 'bash' ? `${argv0}: -c: option requires an argument\n` : kind === 'dash' ? `${argv0}: 0: -c requires an argument\n` : `${argv0}: -c requires an argument\n`;
      return new Output().err(msg).exit(2);
    }
    const sh = makeShell(place, kind, argv0, env, { interactive: false, commandString: true });
    const r = runScript(sh, script, run(sh));
    return new Output().append(r).exit(r.exited ?? r.code);
  }
  const file = args.find((a) => !a.startsWith('-'));
  if (file !== undefined) {
    const msg =
      kind === 'bash'
        ? `${argv0}: ${file}: No such file or directory\n`
        : kind === 'dash'
          ? `${argv0}: 0: cannot open ${file}: No such file\n`
          : `${argv0}: can't open '${file}': No such file or directory\n`;
    return new Output().err(msg).exit(kind === 'dash' ? 2 : 127);
  }
  // Commands read from standard input, one line after the other.
  const sh = makeShell(place, kind, argv0, env, { interactive: false, commandString: false });
  const out = new Output();
  for (const line of stdin.split('\n')) {
    const r = runScript(sh, line, run(sh));
    out.append(r);
    if (r.exited !== undefined) return out.exit(r.exited);
    sh.line++;
  }
  return out.exit(sh.status);
}

/**
 * `kubectl exec POD -- ARGV`: the program runs directly (no shell); a name the image does not
 * have fails to start.
 */
export function execInPlace(net: NetContext, place: Place, argv: string[], opts: ExecOptions): Output {
  const env = new Map(opts.env ?? place.env);
  const out = runProgram(net, place, argv, env, opts.stdin, opts.tty, opts.trace);
  if (out) return out;
  throw new ExecStartError(
    `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${randomHex(net.rng, 64)}": ` +
      `OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": ${argv[0].includes('/') ? 'stat ' + argv[0] + ': no such file or directory' : 'executable file not found in $PATH'}: unknown`,
  );
}
