/**
 * The everyday commands of a container's userland, as far as networking sessions use them:
 * env/printenv, cat of the files the kubelet and the runtime write (/etc/resolv.conf,
 * /etc/hosts, /etc/hostname), hostname, echo, sleep, true/false, and the filters grep, head, tail
 * and wc for pipelines. BusyBox images (Alpine, busybox) word their errors as BusyBox does, the
 * others as GNU coreutils does.
 */
import { renderResolvConf } from '../dns/files.ts';
import type { Place } from '../place.ts';
import { Output, type Tool, type ToolContext } from './tool.ts';

export function isBusybox(place: Place): boolean {
  return place.image.shells.sh === 'ash';
}

/** The files kfake knows in a place. */
export function readFile(place: Place, path: string): string | undefined {
  switch (path) {
    case '/etc/resolv.conf':
      return renderResolvConf(place.resolv);
    case '/etc/hosts':
      return place.hostsFile;
    case '/etc/hostname':
      return `${place.hostname}\n`;
    default:
      return undefined;
  }
}

const env: Tool = (argv, ctx) => {
  const out = new Output();
  if (argv.length > 1 && !argv.slice(1).every((a) => a.includes('='))) {
    return out.err(isBusybox(ctx.place) ? `env: can't execute '${argv[1]}': No such file or directory\n` : `env: '${argv[1]}': No such file or directory\n`).exit(127);
  }
  const vars = new Map(ctx.env);
  for (const a of argv.slice(1)) {
    const eq = a.indexOf('=');
    vars.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return out.out([...vars].map(([k, v]) => `${k}=${v}\n`).join(''));
};

const printenv: Tool = (argv, ctx) => {
  const out = new Output();
  if (argv.length === 1) return out.out([...ctx.env].map(([k, v]) => `${k}=${v}\n`).join(''));
  let missing = false;
  for (const name of argv.slice(1)) {
    const v = ctx.env.get(name);
    if (v === undefined) missing = true;
    else out.out(`${v}\n`);
  }
  return out.exit(missing ? 1 : 0);
};

const cat: Tool = (argv, ctx) => {
  const out = new Output();
  const files = argv.slice(1).filter((a) => a !== '--');
  if (files.length === 0) return out.out(ctx.stdin);
  let failed = false;
  for (const f of files) {
    if (f === '-') {
      out.out(ctx.stdin);
      continue;
    }
    const text = readFile(ctx.place, f);
    if (text === undefined) {
      failed = true;
      out.err(isBusybox(ctx.place) ? `cat: can't open '${f}': No such file or directory\n` : `cat: ${f}: No such file or directory\n`);
    } else out.out(text);
  }
  return out.exit(failed ? 1 : 0);
};

const hostname: Tool = (argv, ctx) => {
  const out = new Output();
  if (argv[1] === '-i' || argv[1] === '-I') return out.out(`${ctx.place.ip}${argv[1] === '-I' ? ' ' : ''}\n`);
  return out.out(`${ctx.place.hostname}\n`);
};

const echo: Tool = (argv) => {
  const args = argv.slice(1);
  const noNewline = args[0] === '-n';
  const words = noNewline ? args.slice(1) : args;
  return new Output().out(words.join(' ') + (noNewline ? '' : '\n'));
};

const sleep: Tool = (argv, ctx) => {
  const out = new Output();
  const arg = argv[1];
  if (arg === undefined) {
    return out.err(isBusybox(ctx.place) ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n' : "sleep: missing operand\nTry 'sleep --help' for more information.\n").exit(1);
  }
  if (arg !== 'infinity' && !/^\d+(\.\d+)?[smhd]?$/.test(arg)) {
    return out.err(isBusybox(ctx.place) ? `sleep: invalid number '${arg}'\n` : `sleep: invalid time interval '${arg}'\nTry 'sleep --help' for more information.\n`).exit(1);
  }
  return out;
};

function lines(text: string): string[] {
  if (!text) return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

const grep: Tool = (argv, ctx) => {
  const out = new Output();
  let ignoreCase = false;
  let invert = false;
  let count = false;
  let quiet = false;
  let extended = false;
  let pattern: string | undefined;
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') && a.length > 1 && pattern === undefined) {
      for (const c of a.slice(1)) {
        if (c === 'i') ignoreCase = true;
        else if (c === 'v') invert = true;
        else if (c === 'c') count = true;
        else if (c === 'q') quiet = true;
        else if (c === 'E') extended = true;
      }
      continue;
    }
    if (pattern === undefined) pattern = a;
  }
  if (pattern === undefined) {
    return out.err(isBusybox(ctx.place) ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n' : "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n").exit(2);
  }
  let re: RegExp;
  try {
    const src = extended ? pattern : pattern.replace(/\\\|/g, '|').replace(/[+?(){}|]/g, (c) => `\\${c}`);
    re = new RegExp(src, ignoreCase ? 'i' : '');
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), ignoreCase ? 'i' : '');
  }
  const matched = lines(ctx.stdin).filter((l) => re.test(l) !== invert);
  if (!quiet) out.out(count ? `${matched.length}\n` : matched.map((l) => `${l}\n`).join(''));
  return out.exit(matched.length ? 0 : 1);
};

function lineCount(argv: string[], fallback: number): number {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-n') return Number(argv[i + 1] ?? fallback);
    const m = /^-n?(\d+)$/.exec(a);
    if (m) return Number(m[1]);
  }
  return fallback;
}

const head: Tool = (argv, ctx) => new Output().out(lines(ctx.stdin).slice(0, lineCount(argv, 10)).map((l) => `${l}\n`).join(''));

const tail: Tool = (argv, ctx) => {
  const n = lineCount(argv, 10);
  const all = lines(ctx.stdin);
  return new Output().out(all.slice(Math.max(0, all.length - n)).map((l) => `${l}\n`).join(''));
};

const wc: Tool = (argv, ctx) => {
  const l = (ctx.stdin.match(/\n/g) ?? []).length;
  const w = ctx.stdin.split(/\s+/).filter(Boolean).length;
  const c = Buffer.byteLength(ctx.stdin);
  const flags = argv.slice(1).join('');
  const busybox = isBusybox(ctx.place);
  const pad = (n: number) => (busybox ? String(n).padStart(9) : String(n));
  if (flags.includes('l') && !flags.includes('w') && !flags.includes('c')) return new Output().out(`${busybox ? pad(l) : l}\n`);
  return new Output().out(busybox ? `${pad(l)}${pad(w)}${pad(c)}\n` : `${String(l).padStart(7)} ${String(w).padStart(7)} ${String(c).padStart(7)}\n`);
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** date: the default format in the container's UTC (`Sat Nov 21 10:00:00 UTC 2026`). */
const date: Tool = (_argv, ctx) => {
  const d = ctx.net.now;
  const p = (n: number) => String(n).padStart(2, '0');
  const day = isBusybox(ctx.place) ? p(d.getUTCDate()) : String(d.getUTCDate()).padStart(2, ' ');
  return new Output().out(`${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}\n`);
};

const whoami: Tool = (_argv, ctx) => new Output().out(`${ctx.place.image.user}\n`);

/** Programs the images have that kfake does not simulate: say so rather than pretend they are missing. */
export const UNSIMULATED = ['ls', 'ps', 'id', 'uname', 'ping', 'ip', 'ifconfig', 'netstat', 'ss', 'nc', 'telnet', 'traceroute', 'top', 'vi', 'apk', 'apt', 'apt-get', 'tcpdump', 'nmap', 'mkdir', 'rm', 'cp', 'mv', 'touch', 'kill'];

const unsimulated: Tool = (argv) => new Output().err(`kfake: ${argv[0]}: this program exists in the image but kfake does not simulate it\n`).exit(126);

const succeed: Tool = () => new Output();
const failure: Tool = () => new Output().exit(1);

export const BASIC_TOOLS: Record<string, Tool> = {
  env,
  printenv,
  cat,
  hostname,
  echo,
  sleep,
  true: succeed,
  false: failure,
  grep,
  head,
  tail,
  wc,
  date,
  whoami,
  ...Object.fromEntries(UNSIMULATED.map((name) => [name, unsimulated])),
};

export type { ToolContext };
