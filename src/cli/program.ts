/**
 * The command tree and dispatch. Command definitions (src/commands) become commander commands;
 * argv is first read with pflag's rules (src/cli/command.ts) so flags behave as in kubectl, then
 * commander parses the canonical form and runs the action. Errors are rendered in one place
 * (src/cli/errors.ts) and become the exit code.
 */
import { Command, Option } from 'commander';
import { CliError, ExitError } from '../api/errors.ts';
import { editDistance, FlagError, parseFlags, type CommandDef, type FlagDef, type Invocation } from './command.ts';
import { renderError } from './errors.ts';
import { commandHelp, rootHelp } from './help.ts';
import type { IO } from './io.ts';

/** Flags every command accepts (kubectl's global options that matter here, plus kfake's own). */
export const GLOBAL_FLAGS: FlagDef[] = [
  { name: 'namespace', short: 'n', kind: 'string', default: '', usage: 'If present, the namespace scope for this CLI request' },
  {
    name: 'store',
    kind: 'string',
    default: '',
    usage: 'Path of the cluster store file (default $KFAKE_STORE, or ~/.kfake/cluster.json).',
  },
  { name: 'context', kind: 'string', default: '', usage: 'Accepted for compatibility; kfake has one cluster per store.', hidden: true },
  { name: 'kubeconfig', kind: 'string', default: '', usage: 'Accepted for compatibility; kfake has one cluster per store.', hidden: true },
  { name: 'v', short: 'v', kind: 'string', default: '0', usage: 'Accepted for compatibility (log verbosity).', hidden: true },
  { name: 'request-timeout', kind: 'string', default: '0', usage: 'Accepted for compatibility.', hidden: true },
];

function allFlags(def: CommandDef): FlagDef[] {
  const own = def.flags ?? [];
  return [...own, ...GLOBAL_FLAGS.filter((g) => !own.some((f) => f.name === g.name))];
}

function findSub(def: CommandDef, name: string): CommandDef | undefined {
  return def.subcommands?.find((c) => c.name === name || c.aliases?.includes(name));
}

/** cobra's SuggestionsFor: edit distance <= 2 or a prefix, in registration order. */
function suggestions(def: CommandDef, typed: string): string[] {
  return (def.subcommands ?? [])
    .filter((c) => !c.hidden)
    .filter((c) => editDistance(typed, c.name) <= 2 || c.name.toLowerCase().startsWith(typed.toLowerCase()))
    .map((c) => c.name);
}

/** Commander option for a flag; booleans get a hidden `--no-` twin for `--flag=false`. */
function commanderOptions(f: FlagDef): Option[] {
  const flags = f.short && f.short !== 'h' ? `-${f.short}, --${f.name}` : `--${f.name}`;
  if (f.kind === 'bool') {
    return [new Option(flags, f.usage).default(f.default ?? false), new Option(`--no-${f.name}`).hideHelp()];
  }
  const opt = new Option(`${flags} <value>`, f.usage);
  if (f.kind === 'stringArray' || f.kind === 'stringSlice') {
    const split = f.kind === 'stringSlice';
    opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), ...(split ? v.split(',') : [v])]);
    opt.default(f.default ?? []);
  } else if (f.kind === 'int') {
    opt.argParser((v: string) => Number.parseInt(v, 10));
    opt.default(f.default ?? 0);
  } else {
    opt.default(f.default ?? '');
  }
  return [opt];
}

export interface RunOptions {
  program: string;
}

/** Run kfake with these arguments; resolves to the exit code. */
export async function runCommand(root: CommandDef, argv: string[], io: IO, opts: RunOptions): Promise<number> {
  const program = opts.program;
  try {
    // Resolve the command path: leading global flags may come first (`kfake -n x get pods`).
    let def = root;
    const path: string[] = [];
    const rest: string[] = [];
    let i = 0;
    for (; i < argv.length; i++) {
      const t = argv[i];
      if (t === '--') break;
      if (t.startsWith('-')) {
        rest.push(t);
        const g = GLOBAL_FLAGS.find((f) => t === `--${f.name}` || (f.short && t === `-${f.short}`));
        if (g && g.kind !== 'bool' && i + 1 < argv.length) rest.push(argv[++i]);
        continue;
      }
      const sub = def.subcommands?.length ? findSub(def, t) : undefined;
      if (sub) {
        def = sub.load ? { ...(await sub.load()), name: sub.name, short: sub.short, group: sub.group } : sub;
        path.push(sub.name);
        continue;
      }
      if (def.subcommands?.length && !def.run) {
        const list = suggestions(def, t);
        let text = `error: unknown command "${t}" for "${[program, ...path].join(' ')}"\n`;
        if (list.length) text += `\nDid you mean this?\n${list.map((s) => `\t${s}\n`).join('')}`;
        else text += `Run '${[program, ...path].join(' ')} --help' for usage.\n`;
        io.err(text);
        return 1;
      }
      break;
    }
    const tokens = [...rest, ...argv.slice(i)];
    const cmdPath = path.join(' ');
    const flags = allFlags(def);
    const parsed = parseFlags(tokens, flags, cmdPath);
    // cobra prints what pflag wrote while parsing (deprecation notices) before anything else.
    for (const w of parsed.warnings) io.err(w);
    if (parsed.help || (!def.run && parsed.args.length === 0 && def !== root)) {
      io.out(def === root ? rootHelp(root, program) : commandHelp(def, [program, ...path].join(' '), program, flags));
      return def.run || parsed.help ? 0 : 1;
    }
    if (def === root) {
      io.out(rootHelp(root, program));
      return 0;
    }
    if (!def.run) {
      io.out(commandHelp(def, [program, ...path].join(' '), program, flags));
      return 1;
    }

    // Commander parses the canonical tokens and hands us typed values.
    const cmd = new Command(def.name).exitOverride().allowExcessArguments(true).argument('[args...]');
    cmd.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    for (const f of flags) for (const o of commanderOptions(f)) cmd.addOption(o);
    let invocation: Invocation | undefined;
    cmd.action((args: string[], values: Record<string, unknown>) => {
      invocation = {
        args,
        argsLenAtDash: parsed.argsLenAtDash,
        flags: normalizeKeys(values, flags, parsed.canonical),
        changed: changedFlags(parsed.canonical),
        io,
        program,
        path: cmdPath,
        // The command words always come first: path resolution stops at the first other word.
        commandLine: { words: [...path, ...parsed.args], flags: parsed.given },
      };
    });
    await cmd.parseAsync([...parsed.canonical, '--', ...parsed.args], { from: 'user' });
    await def.run(invocation!);
    return 0;
  } catch (e) {
    if (e instanceof FlagError) {
      io.err(`error: ${e.message}\nSee '${[program, e.commandPath].filter(Boolean).join(' ')} --help' for usage.\n`);
      return 1;
    }
    const rendered = renderError(e, program);
    io.err(rendered.text);
    return rendered.exitCode;
  }
}

/**
 * Commander camel-cases option names; commands read them by their kubectl names. Booleans are
 * read from the canonical tokens (`--name` or `--no-name`, the last one wins): commander takes a
 * flag whose own name starts with `no-` (kubectl's `--no-headers`) for the negation of another.
 */
function normalizeKeys(values: Record<string, unknown>, flags: FlagDef[], canonical: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of flags) {
    if (f.kind === 'bool') {
      out[f.name] = f.default ?? false;
      continue;
    }
    const camel = f.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    out[f.name] = values[camel];
  }
  const bools = new Map(flags.filter((f) => f.kind === 'bool').map((f) => [f.name, f]));
  for (const t of canonical) {
    if (!t.startsWith('--')) continue;
    if (bools.has(t.slice(2))) out[t.slice(2)] = true;
    else if (t.startsWith('--no-') && bools.has(t.slice(5))) out[t.slice(5)] = false;
  }
  return out;
}

function changedFlags(canonical: string[]): Set<string> {
  const set = new Set<string>();
  for (const t of canonical) {
    if (t.startsWith('--no-')) set.add(t.slice(5));
    else if (t.startsWith('--')) set.add(t.slice(2));
  }
  return set;
}

/** Errors raised while a command runs that only need their exit code. */
export function isExit(e: unknown): e is ExitError {
  return e instanceof ExitError;
}

export { CliError };
