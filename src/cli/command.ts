/**
 * Commands and flags as data. Each file in src/commands exports a CommandDef; src/cli/program.ts
 * turns the tree into commander commands. Flags follow pflag's rules (kubectl's flag library):
 * `--flag=value`, `--flag value`, `-o=yaml`, `-oyaml`, `-it`, booleans with `--flag=false`,
 * flags anywhere among the arguments, and `--` ending flag parsing.
 */
import type { IO } from './io.ts';

export type FlagKind = 'bool' | 'string' | 'int' | 'stringArray' | 'stringSlice' | 'duration';

export interface FlagDef {
  /** Long name without dashes. */
  name: string;
  short?: string;
  kind: FlagKind;
  default?: boolean | string | number | string[];
  usage: string;
  hidden?: boolean;
  /** Value when the flag is given without `=value` (pflag NoOptDefVal), for non-bool flags. */
  noOptDefault?: string;
  /**
   * pflag MarkDeprecated: each time the flag is given, `Flag --<name> has been deprecated,
   * <message>` goes to stderr once the command line has parsed. MarkDeprecated also hides the
   * flag, so a deprecated FlagDef sets `hidden` too.
   */
  deprecated?: string;
}

/** One flag as given on the command line, by its long name, with the text pflag passed to Set. */
export interface GivenFlag {
  name: string;
  /** As written after `=` or as the next word; a bare flag's NoOptDefVal (`true` for booleans). */
  value: string;
}

/** The command line as kubectl's parseCommandArguments re-reads it (record_flags.go). */
export interface CommandLine {
  /** Every word that is not a flag or a flag's value, command words first, `--` left out. */
  words: string[];
  /** The flags given, in command-line order (global ones included). */
  flags: GivenFlag[];
}

export interface Invocation {
  /** Positional arguments. */
  args: string[];
  /** Index in `args` where `--` appeared, or -1 (cobra's ArgsLenAtDash). */
  argsLenAtDash: number;
  flags: Record<string, unknown>;
  /** Flags the user set explicitly. */
  changed: Set<string>;
  io: IO;
  /** Program name as the user knows it, for messages (`kfake`, or `kubectl` via a symlink). */
  program: string;
  /** The command path, e.g. `create service clusterip`. */
  path: string;
  commandLine: CommandLine;
}

export interface CommandDef {
  name: string;
  aliases?: string[];
  /** One line, shown in the parent's command list. */
  short: string;
  long?: string;
  example?: string;
  /** Usage line after the program name, e.g. `get [(-o|--output=)...] (TYPE [NAME...]) [flags] [options]`. */
  usage?: string;
  flags?: FlagDef[];
  /** Heading in the parent's help, e.g. `Basic Commands (Beginner):`. */
  group?: string;
  subcommands?: CommandDef[];
  hidden?: boolean;
  run?: (inv: Invocation) => Promise<void> | void;
  /**
   * Loads the full definition (flags, help, run) of a command listed by name only, so a command
   * pulls in its own code and nothing else.
   */
  load?: () => Promise<CommandDef>;
}

export const flag = {
  bool: (name: string, usage: string, opts: Partial<FlagDef> = {}): FlagDef => ({ name, kind: 'bool', default: false, usage, ...opts }),
  string: (name: string, usage: string, opts: Partial<FlagDef> = {}): FlagDef => ({ name, kind: 'string', default: '', usage, ...opts }),
  int: (name: string, usage: string, opts: Partial<FlagDef> = {}): FlagDef => ({ name, kind: 'int', default: 0, usage, ...opts }),
  stringArray: (name: string, usage: string, opts: Partial<FlagDef> = {}): FlagDef => ({ name, kind: 'stringArray', default: [], usage, ...opts }),
  stringSlice: (name: string, usage: string, opts: Partial<FlagDef> = {}): FlagDef => ({ name, kind: 'stringSlice', default: [], usage, ...opts }),
};

/** A cobra-style usage error: `Error: <msg>` and `See '<prog> <cmd> --help' for usage.` */
export class FlagError extends Error {
  readonly commandPath: string;
  constructor(message: string, commandPath: string) {
    super(message);
    this.commandPath = commandPath;
  }
}

export interface ParsedArgs {
  args: string[];
  argsLenAtDash: number;
  /** Canonical tokens for commander: `--name`, `--no-name`, `--name value`. */
  canonical: string[];
  /** The flags in the order given, with their raw values. */
  given: GivenFlag[];
  /** Deprecation notices, one per deprecated flag given, for stderr once parsing succeeded. */
  warnings: string[];
  help: boolean;
}

/** strconv.ParseBool */
function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function flagLabel(f: FlagDef): string {
  return f.short ? `-${f.short}, --${f.name}` : `--${f.name}`;
}

/** strconv.ParseInt error text, as pflag reports it. */
export function checkFlagValue(f: FlagDef, value: string, path: string): void {
  if (f.kind === 'int' && !/^[-+]?\d+$/.test(value)) {
    throw new FlagError(`invalid argument "${value}" for "${flagLabel(f)}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`, path);
  }
  if (f.kind === 'duration') {
    const err = goDurationError(value);
    if (err) throw new FlagError(`invalid argument "${value}" for "${flagLabel(f)}" flag: ${err}`, path);
  }
}

/** time.ParseDuration's error for a bad value, or undefined when it parses. */
export function goDurationError(value: string): string | undefined {
  const quoted = JSON.stringify(value);
  let s = value.replace(/^[-+]/, '');
  if (s === '0') return undefined;
  if (s === '') return `time: invalid duration ${quoted}`;
  while (s !== '') {
    const num = /^(\d*)(\.\d*)?/.exec(s)!;
    if (num[0] === '' || num[0] === '.') return `time: invalid duration ${quoted}`;
    s = s.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (unit === '') return `time: missing unit in duration ${quoted}`;
    if (!['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'].includes(unit)) return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    s = s.slice(unit.length);
  }
  return undefined;
}

/**
 * Parse `tokens` (the arguments after the command path) against the command's flags, pflag
 * style, and produce canonical tokens commander parses without surprises.
 */
export function parseFlags(tokens: string[], flags: FlagDef[], path: string): ParsedArgs {
  const byLong = new Map(flags.map((f) => [f.name, f]));
  const byShort = new Map(flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const args: string[] = [];
  const canonical: string[] = [];
  const given: GivenFlag[] = [];
  const warnings: string[] = [];
  let argsLenAtDash = -1;
  let help = false;

  const emit = (f: FlagDef, value: string | undefined) => {
    given.push({ name: f.name, value: value ?? 'true' });
    if (f.kind === 'bool') {
      const b = value === undefined ? true : parseBool(value);
      if (b === undefined) {
        throw new FlagError(
          `invalid argument "${value}" for "${flagLabel(f)}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
          path,
        );
      }
      canonical.push(b ? `--${f.name}` : `--no-${f.name}`);
    } else {
      checkFlagValue(f, value!, path);
      canonical.push(`--${f.name}`, value!);
    }
    // FlagSet.Set prints the notice after the value was accepted.
    if (f.deprecated !== undefined) warnings.push(`Flag --${f.name} has been deprecated, ${f.deprecated}\n`);
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '--') {
      argsLenAtDash = args.length;
      args.push(...tokens.slice(i + 1));
      break;
    }
    if (t.startsWith('--') && t.length > 2) {
      const eq = t.indexOf('=');
      const name = eq < 0 ? t.slice(2) : t.slice(2, eq);
      if (name === 'help') {
        help = true;
        continue;
      }
      const f = byLong.get(name);
      if (!f) throw new FlagError(`unknown flag: --${name}`, path);
      if (eq >= 0) emit(f, t.slice(eq + 1));
      else if (f.kind === 'bool') emit(f, undefined);
      else if (f.noOptDefault !== undefined) emit(f, f.noOptDefault);
      else if (i + 1 < tokens.length) emit(f, tokens[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`, path);
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      // A cluster of shorthands: `-it`, `-oyaml`, `-n=ns`, `-A=false`.
      let rest = t.slice(1);
      while (rest.length > 0) {
        const c = rest[0];
        if (c === 'h') {
          help = true;
          rest = rest.slice(1);
          continue;
        }
        const f = byShort.get(c);
        if (!f) throw new FlagError(`unknown shorthand flag: '${c}' in ${t}`, path);
        if (rest.length > 2 && rest[1] === '=') {
          emit(f, rest.slice(2));
          rest = '';
        } else if (f.kind === 'bool') {
          emit(f, undefined);
          rest = rest.slice(1);
        } else if (rest.length > 1) {
          emit(f, rest.slice(1));
          rest = '';
        } else if (f.noOptDefault !== undefined) {
          emit(f, f.noOptDefault);
          rest = '';
        } else if (i + 1 < tokens.length) {
          emit(f, tokens[++i]);
          rest = '';
        } else {
          throw new FlagError(`flag needs an argument: '${c}' in -${c}`, path);
        }
      }
      continue;
    }
    args.push(t);
  }
  return { args, argsLenAtDash, canonical, given, warnings, help };
}

/** Levenshtein distance (cobra's ld, case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
    }
  }
  return d[s.length][t.length];
}
