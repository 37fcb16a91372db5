/**
 * Help text in kubectl's layout (cobra templates as kubectl configures them): description,
 * `Examples:`, `Available Commands:`, `Options:` with `--flag=default:` lines, `Usage:`.
 */
import type { CommandDef, FlagDef } from './command.ts';

function defaultText(f: FlagDef): string {
  switch (f.kind) {
    case 'bool':
      return String(f.default ?? false);
    case 'int':
      return String(f.default ?? 0);
    case 'stringArray':
    case 'stringSlice':
      return `[${((f.default as string[] | undefined) ?? []).join(',')}]`;
    case 'duration':
      return String(f.default ?? '0s');
    default:
      return `'${f.default ?? ''}'`;
  }
}

function optionsSection(flags: FlagDef[]): string {
  const visible = flags.filter((f) => !f.hidden).sort((a, b) => a.name.localeCompare(b.name));
  if (visible.length === 0) return '';
  const lines = visible.map((f) => {
    const names = f.short ? `-${f.short}, --${f.name}` : `--${f.name}`;
    return `    ${names}=${defaultText(f)}:\n\t${f.usage}\n`;
  });
  return `Options:\n${lines.join('\n')}\n`;
}

function withProgram(text: string, program: string): string {
  return text.replace(/\bkfake\b/g, program);
}

/** kubectl's templater pads names to max(longest, 11) and adds three spaces. */
function namePadding(defs: CommandDef[]): number {
  return Math.max(11, ...defs.map((d) => d.name.length)) + 3;
}

function commandList(defs: CommandDef[]): string {
  const visible = defs.filter((d) => !d.hidden);
  return visible.map((d) => `  ${d.name.padEnd(namePadding(visible))}${d.short}\n`).join('');
}

export function commandHelp(def: CommandDef, fullName: string, program: string, flags: FlagDef[]): string {
  let s = `${withProgram(def.long ?? def.short, program)}\n\n`;
  if (def.aliases?.length) s += `Aliases:\n${[def.name, ...def.aliases].join(', ')}\n\n`;
  if (def.example) s += `Examples:\n${withProgram(def.example, program)}\n\n`;
  if (def.subcommands?.length) s += `Available Commands:\n${commandList(def.subcommands)}\n`;
  s += optionsSection(def.subcommands?.length && !def.run ? [] : flags.filter((f) => (def.flags ?? []).includes(f)));
  const usage = def.usage ? `${program} ${def.usage}` : `${fullName} [flags] [options]`;
  s += `Usage:\n  ${usage}\n\n`;
  if (def.subcommands?.length) s += `Use "${fullName} <command> --help" for more information about a given command.\n`;
  s += `Use "${program} options" for a list of global command-line options (applies to all commands).\n`;
  return s;
}

export function rootHelp(root: CommandDef, program: string): string {
  let s = `${withProgram(root.long ?? root.short, program)}\n\n`;
  const groups = new Map<string, CommandDef[]>();
  for (const c of root.subcommands ?? []) {
    if (c.hidden) continue;
    const g = c.group ?? 'Other Commands:';
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  const width = namePadding((root.subcommands ?? []).filter((c) => !c.hidden));
  for (const [g, defs] of groups) {
    s += `${g}\n${defs.map((d) => `  ${d.name.padEnd(width)}${d.short}\n`).join('')}\n`;
  }
  s += `Usage:\n  ${program} [flags] [options]\n\n`;
  s += `Use "${program} <command> --help" for more information about a given command.\n`;
  s += `Use "${program} options" for a list of global command-line options (applies to all commands).\n`;
  return s;
}

export function globalOptionsHelp(flags: FlagDef[]): string {
  return `The following options can be passed to any command:\n\n${optionsSection(flags).replace(/^Options:\n/, '')}`;
}
