/**
 * Running shell programs (src/network/shell/parse.ts) in a container, with the messages of the
 * shell the image has: BusyBox ash (`sh: foo: not found`), dash (`sh: 1: foo: not found`), bash
 * (`bash: foo: command not found`; with -c, bash 5 says `bash: line 1: foo: command not found`)
 * and zsh (`zsh: command not found: foo`). A command that is not found exits 127.
 *
 * Builtins: exit, cd, pwd, export, unset, echo, printf, true, false, `:`. Everything else runs as a
 * program through the caller (src/network/exec.ts). Files are not simulated beyond the ones the
 * programs know (/etc/resolv.conf, /etc/hosts, /etc/hostname): output redirected to a file is
 * discarded, as if written to a file nobody reads here.
 */
import type { ShellKind } from '../images.ts';
import { Output } from '../tools/tool.ts';
import { IncompleteInput, parseScript, ShellSyntaxError, type AndOr, type Command, type Pipeline, type Program, type SimpleCommand, type Word } from './parse.ts';

export interface Shell {
  kind: ShellKind;
  /** The name the shell was started as (`sh`, `/bin/sh`, `bash`). */
  argv0: string;
  /** Reading commands from a terminal (not `-c`, not a pipe). */
  interactive: boolean;
  /** Started with `-c`. */
  commandString: boolean;
  /** bash's major version (4 on Ubuntu 18.04, 5 elsewhere). */
  bashMajor: number;
  vars: Map<string, string>;
  exported: Set<string>;
  status: number;
  cwd: string;
  home: string;
  line: number;
}

/** Runs a program (not a builtin) with its arguments, environment and standard input. */
export type RunProgram = (argv: string[], env: Map<string, string>, stdin: string) => Output;

class ExitSignal {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}

export function notFoundMessage(sh: Shell, name: string): string {
  switch (sh.kind) {
    case 'ash':
      return `${sh.argv0}: ${name}: not found\n`;
    case 'dash':
      return `${sh.argv0}: ${sh.line}: ${name}: not found\n`;
    case 'bash':
      return sh.commandString && sh.bashMajor >= 5 ? `${sh.argv0}: line ${sh.line}: ${name}: command not found\n` : `${sh.argv0}: ${name}: command not found\n`;
    case 'zsh':
      return `zsh: command not found: ${name}\n`;
  }
}

function syntaxErrorMessage(sh: Shell, token: string): string {
  switch (sh.kind) {
    case 'ash':
      return `${sh.argv0}: syntax error: unexpected "${token}"\n`;
    case 'dash':
      return `${sh.argv0}: ${sh.line}: Syntax error: "${token}" unexpected\n`;
    case 'bash':
      return `${sh.argv0}: ${sh.commandString ? '-c: line 1: ' : ''}syntax error near unexpected token \`${token}'\n`;
    case 'zsh':
      return `zsh: parse error near \`${token}'\n`;
  }
}

function environment(sh: Shell): Map<string, string> {
  const env = new Map<string, string>();
  for (const [k, v] of sh.vars) if (sh.exported.has(k)) env.set(k, v);
  return env;
}

function lookupVar(sh: Shell, name: string): string {
  if (name === '?') return String(sh.status);
  if (name === '$') return '1';
  if (name === '#') return '0';
  if (name === '0') return sh.argv0;
  return sh.vars.get(name) ?? '';
}

/** Expand one word into fields (unquoted expansions are split on blanks; an empty unquoted expansion is no field). */
function expandWord(sh: Shell, word: Word, run: RunProgram): string[] {
  const fields: string[] = [];
  let current = '';
  // The field exists even when empty: it has literal or quoted text.
  let keep = false;
  for (const part of word) {
    if (part.kind === 'text') {
      current += part.text;
      keep = true;
      continue;
    }
    const value = part.kind === 'var' ? lookupVar(sh, part.name) : captureOutput(sh, part.script, run);
    if (part.quoted) {
      current += value;
      keep = true;
      continue;
    }
    value.split(/[ \t\n]+/).forEach((piece, i) => {
      if (i > 0) {
        if (current !== '' || keep) fields.push(current);
        current = '';
        keep = false;
      }
      current += piece;
    });
  }
  if (current !== '' || keep) fields.push(current);
  return fields;
}

function captureOutput(sh: Shell, script: string, run: RunProgram): string {
  const sub: Shell = { ...sh, vars: new Map(sh.vars), exported: new Set(sh.exported), interactive: false };
  const out = runScript(sub, script, run);
  return out.stdout().replace(/\n+$/, '');
}

function expandWords(sh: Shell, words: Word[], run: RunProgram): string[] {
  return words.flatMap((w) => expandWord(sh, w, run));
}

function printf(args: string[]): string {
  const [format = '', ...rest] = args;
  let i = 0;
  const unescape = (s: string) => s.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  let out = '';
  do {
    out += unescape(format).replace(/%([sd%])/g, (_, c: string) => (c === '%' ? '%' : (rest[i++] ?? (c === 'd' ? '0' : ''))));
  } while (i < rest.length && i > 0);
  return out;
}

function builtin(sh: Shell, argv: string[], out: Output): boolean {
  const [name, ...args] = argv;
  switch (name) {
    case 'exit': {
      const code = args[0] !== undefined ? Number(args[0]) & 255 : sh.status;
      throw new ExitSignal(Number.isNaN(code) ? 2 : code);
    }
    case 'cd': {
      const dir = args[0] ?? sh.home;
      sh.cwd = dir.startsWith('/') ? dir : `${sh.cwd.replace(/\/$/, '')}/${dir}`;
      out.exit(0);
      return true;
    }
    case 'pwd':
      out.out(`${sh.cwd}\n`).exit(0);
      return true;
    case 'export':
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) {
          sh.vars.set(a.slice(0, eq), a.slice(eq + 1));
          sh.exported.add(a.slice(0, eq));
        } else sh.exported.add(a);
      }
      out.exit(0);
      return true;
    case 'unset':
      for (const a of args) {
        sh.vars.delete(a);
        sh.exported.delete(a);
      }
      out.exit(0);
      return true;
    case 'echo': {
      const noNewline = args[0] === '-n';
      out.out((noNewline ? args.slice(1) : args).join(' ') + (noNewline ? '' : '\n')).exit(0);
      return true;
    }
    case 'printf':
      out.out(printf(args)).exit(0);
      return true;
    case 'true':
    case ':':
      out.exit(0);
      return true;
    case 'false':
      out.exit(1);
      return true;
    default:
      return false;
  }
}

/** Apply redirections to a command's output. */
function redirect(sh: Shell, cmd: SimpleCommand, result: Output, run: RunProgram): Output {
  const shaped = new Output().exit(result.code);
  let fd1: 'out' | 'null' = 'out';
  let fd2: 'err' | 'out' | 'null' = 'err';
  for (const r of cmd.redirects) {
    if (r.op === '<') continue;
    const target = expandWord(sh, r.target, run)[0] ?? '';
    if (r.op === '>&') {
      if (r.fd === 2 && target === '1') fd2 = fd1 === 'null' ? 'null' : 'out';
      continue;
    }
    if (r.fd === 1 || r.fd === 'both') fd1 = 'null';
    if (r.fd === 2 || r.fd === 'both') fd2 = 'null';
  }
  for (const c of result.chunks) {
    const dest = c.fd === 1 ? fd1 : fd2;
    if (dest === 'out') shaped.out(c.text);
    else if (dest === 'err') shaped.err(c.text);
  }
  return shaped;
}

function runSimple(sh: Shell, cmd: SimpleCommand, stdin: string, run: RunProgram): Output {
  const argv = expandWords(sh, cmd.words, run);
  const assigns = cmd.assigns.map((a) => [a.name, expandWord(sh, a.value, run).join(' ')] as const);
  if (argv.length === 0) {
    for (const [k, v] of assigns) sh.vars.set(k, v);
    return new Output();
  }
  const out = new Output();
  let input = stdin;
  for (const r of cmd.redirects) {
    if (r.op !== '<') continue;
    const file = expandWord(sh, r.target, run)[0] ?? '';
    if (file !== '/dev/null') {
      out.err(sh.kind === 'ash' ? `${sh.argv0}: can't open ${file}: no such file\n` : `${sh.argv0}: ${sh.kind === 'dash' ? `${sh.line}: ` : ''}${file}: No such file or directory\n`);
      return out.exit(sh.kind === 'dash' ? 2 : 1);
    }
    input = '';
  }
  if (builtin(sh, argv, out)) return redirect(sh, cmd, out, run);
  const env = environment(sh);
  for (const [k, v] of assigns) env.set(k, v);
  return redirect(sh, cmd, run(argv, env, input), run);
}

function runCommand(sh: Shell, cmd: Command, stdin: string, run: RunProgram): Output {
  if (cmd.kind === 'simple') return runSimple(sh, cmd, stdin, run);
  const out = new Output();
  for (const value of expandWords(sh, cmd.words, run)) {
    sh.vars.set(cmd.name, value);
    runProgram(sh, cmd.body, run, out);
  }
  return out;
}

/** Run a pipeline, writing its output to `sink` as each command finishes. */
function runPipeline(sh: Shell, p: Pipeline, run: RunProgram, sink: Output): void {
  let input = '';
  p.commands.forEach((cmd, i) => {
    const last = i === p.commands.length - 1;
    let r: Output;
    try {
      r = runCommand(sh, cmd, input, run);
    } catch (e) {
      // `exit` in the last command of a pipeline ends the shell; elsewhere only its subshell.
      if (!(e instanceof ExitSignal) || last) throw e;
      r = new Output().exit(e.code);
    }
    for (const c of r.chunks) {
      if (c.fd === 2) sink.err(c.text);
      else if (last) sink.out(c.text);
    }
    input = r.stdout();
    sink.code = r.code;
    sh.status = r.code;
  });
}

function runAndOr(sh: Shell, a: AndOr, run: RunProgram, sink: Output): void {
  runPipeline(sh, a.first, run, sink);
  for (const { op, pipeline } of a.rest) {
    if ((op === '&&') !== (sh.status === 0)) continue;
    runPipeline(sh, pipeline, run, sink);
  }
}

function runProgram(sh: Shell, prog: Program, run: RunProgram, sink: Output): void {
  for (const a of prog) runAndOr(sh, a, run, sink);
}

export interface ScriptResult extends Output {
  /** Set when the script ran `exit`. */
  exited?: number;
}

/** Run a whole script (`sh -c`, or a line typed at the prompt). */
export function runScript(sh: Shell, script: string, run: RunProgram): ScriptResult {
  const result = new Output() as ScriptResult;
  let prog: Program;
  try {
    prog = parseScript(script);
  } catch (e) {
    if (e instanceof ShellSyntaxError) {
      result.err(syntaxErrorMessage(sh, e.token));
      sh.status = 2;
      return result.exit(2) as ScriptResult;
    }
    if (e instanceof IncompleteInput) {
      const msg =
        sh.kind === 'bash'
          ? `${sh.argv0}: ${sh.commandString ? '-c: line 2: ' : ''}syntax error: unexpected end of file\n`
          : sh.kind === 'dash'
            ? `${sh.argv0}: ${sh.line}: Syntax error: Unterminated quoted string\n`
            : `${sh.argv0}: syntax error: unterminated quoted string\n`;
      result.err(msg);
      sh.status = 2;
      return result.exit(2) as ScriptResult;
    }
    throw e;
  }
  try {
    runProgram(sh, prog, run, result);
    result.code = sh.status;
  } catch (e) {
    if (!(e instanceof ExitSignal)) throw e;
    result.exited = e.code;
    result.code = e.code;
    sh.status = e.code;
  }
  return result;
}

/** Whether a line needs more input before it can run (an open quote, `for` without `done`). */
export function isIncomplete(script: string): boolean {
  try {
    parseScript(script);
    return false;
  } catch (e) {
    return e instanceof IncompleteInput;
  }
}

export function newShell(kind: ShellKind, argv0: string, env: [string, string][], opts: { interactive: boolean; commandString: boolean; bashMajor: number; cwd: string; home: string }): Shell {
  return {
    kind,
    argv0,
    interactive: opts.interactive,
    commandString: opts.commandString,
    bashMajor: opts.bashMajor,
    vars: new Map(env),
    exported: new Set(env.map(([k]) => k)),
    status: 0,
    cwd: opts.cwd,
    home: opts.home,
    line: 1,
  };
}

/** The prompt an interactive shell shows (PS1 as the image sets it, or the shell's default). */
export function prompt(sh: Shell, hostname: string, user: string, debianStyle: boolean): string {
  const root = user === 'root';
  const where = sh.cwd === sh.home ? '~' : sh.cwd;
  const mark = root ? '#' : '$';
  switch (sh.kind) {
    case 'ash':
      return `${where} ${mark} `;
    case 'dash':
      return `${mark} `;
    case 'bash':
      return debianStyle ? `${user}@${hostname}:${where}${mark} ` : `${hostname}:${where}${mark} `;
    case 'zsh':
      return `${hostname}% `;
  }
}
