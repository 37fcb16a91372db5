/**
 * wget, in the two flavours images carry:
 *
 * - BusyBox wget (busybox, Alpine-based images; networking/wget.c): `-q`, `-O FILE` (`-` for
 *   stdout), `-T SEC`, `-S`, `--spider`, `-U`, `--header`. Progress and "Connecting to" lines go to
 *   stderr unless `-q`; errors always do (`wget: bad address 'web'`, `wget: can't connect to remote
 *   host (IP): Connection refused`, `wget: server returned error: HTTP/1.1 404 Not Found`,
 *   `wget: download timed out`), exit 1.
 * - GNU Wget (Ubuntu/Debian images): `-q` silences everything, errors included; otherwise the
 *   `--DATE--  URL`, `Resolving`, `Connecting to`, `HTTP request sent` lines, a dot progress line
 *   and the `saved` line. Exit 4 for network failures, 8 for an error response. Timeouts are
 *   retried (`-t`, default 20 tries).
 */
import type { HttpResponse } from '../apps/http.ts';
import { httpCall, parseUrl, type Url } from '../http-client.ts';
import { Output, type ToolContext } from './tool.ts';

interface Options {
  quiet: boolean;
  output?: string;
  timeout?: number;
  tries: number;
  spider: boolean;
  serverResponse: boolean;
  userAgent?: string;
  headers: string[];
  noCheckCertificate: boolean;
  urls: string[];
}

function parse(argv: string[], gnu: boolean): Options | { error: string } {
  const o: Options = { quiet: false, tries: 20, spider: false, serverResponse: false, headers: [], noCheckCertificate: false, urls: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const value = () => (eq > 0 ? a.slice(eq + 1) : argv[++i]);
      switch (name) {
        case 'quiet':
          o.quiet = true;
          break;
        case 'spider':
          o.spider = true;
          break;
        case 'server-response':
          o.serverResponse = true;
          break;
        case 'no-check-certificate':
          o.noCheckCertificate = true;
          break;
        case 'output-document':
          o.output = value();
          break;
        case 'timeout':
          o.timeout = Number(value());
          break;
        case 'tries':
          o.tries = Number(value()) || 20;
          break;
        case 'user-agent':
          o.userAgent = value();
          break;
        case 'header':
          o.headers.push(value() ?? '');
          break;
        default:
          return { error: gnu ? `wget: unrecognized option '${a}'` : `wget: unrecognized option '${a}'` };
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const rest = () => (j + 1 < a.length ? a.slice(j + 1) : argv[++i]);
        if (c === 'q') o.quiet = true;
        else if (c === 'S') o.serverResponse = true;
        else if (c === 'c' || c === 'N' || c === 'v') continue;
        else if (c === 'O') {
          o.output = rest();
          break;
        } else if (c === 'T') {
          o.timeout = Number(rest());
          break;
        } else if (c === 't') {
          o.tries = Number(rest()) || 20;
          break;
        } else if (c === 'U') {
          o.userAgent = rest();
          break;
        } else return { error: gnu ? `wget: invalid option -- '${c}'` : `wget: invalid option -- '${c}'` };
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

function fileName(url: Url): string {
  const path = url.target.split('?')[0];
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base || 'index.html';
}

function customHeaders(list: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const h of list) {
    const colon = h.indexOf(':');
    if (colon > 0) out.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
  }
  return out;
}

function bodyLength(res: HttpResponse): number {
  return Buffer.byteLength(res.body);
}

// ------------------------------------------------------------------ BusyBox

function busyboxWget(argv: string[], ctx: ToolContext): Output {
  const out = new Output();
  const o = parse(argv.slice(1), false);
  if ('error' in o) return out.err(`${o.error}\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n`).exit(1);
  if (o.urls.length === 0) {
    return out.err('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n').exit(1);
  }
  const url = parseUrl(o.urls[0]);
  if (!url || 'error' in url) return out.err(`wget: not an http or ftp url: ${o.urls[0]}\n`).exit(1);
  const headers: [string, string][] = [
    ['Host', url.port === (url.scheme === 'https' ? 443 : 80) ? url.host : `${url.host}:${url.port}`],
    ['User-Agent', o.userAgent ?? 'Wget'],
    ...customHeaders(o.headers),
    ['Connection', 'close'],
  ];
  const method = o.spider ? 'HEAD' : 'GET';
  const r = httpCall(ctx.net, ctx.place, { url, method, headers, body: '', insecure: true }, ctx.trace);
  if (r.stage === 'resolve') return out.err(`wget: bad address '${url.host}'\n`).exit(1);
  if (!o.quiet) out.err(`Connecting to ${url.host} (${r.ip}:${url.port})\n`);
  if (r.stage === 'connect') {
    if (r.error === 'timeout' && o.timeout !== undefined) return out.err('wget: download timed out\n').exit(1);
    const why = r.error === 'refused' ? 'Connection refused' : r.error === 'unreachable' ? 'No route to host' : 'Connection timed out';
    return out.err(`wget: can't connect to remote host (${r.ip}): ${why}\n`).exit(1);
  }
  if (r.stage === 'tls') return out.err('wget: error getting response: Connection reset by peer\n').exit(1);
  if (r.stage === 'empty') return out.err('wget: error getting response\n').exit(1);
  const res = r.response;
  if (o.serverResponse) {
    out.err(`  HTTP/1.1 ${res.status} ${res.reason}\n${res.headers.map(([k, v]) => `  ${k}: ${v}\n`).join('')}`);
  }
  if (res.status >= 400) return out.err(`wget: server returned error: HTTP/1.1 ${res.status} ${res.reason}\n`).exit(1);
  if (o.spider) {
    if (!o.quiet) out.err('remote file exists\n');
    return out.exit(0);
  }
  const toStdout = o.output === '-';
  const name = toStdout ? '-' : (o.output ?? fileName(url));
  if (!o.quiet) out.err(toStdout ? 'writing to stdout\n' : `saving to '${name}'\n`);
  if (toStdout) out.out(res.body);
  if (!o.quiet) {
    // libbb/progress.c: `\r%-20.20s%4u%% `, a bar of (terminal width 80) - 49 characters, `%6u`, ETA.
    out.err(`\r${name.padEnd(20).slice(0, 20)} 100% |${'*'.repeat(31)}|${String(bodyLength(res)).padStart(6)}  0:00:00 ETA\n`);
    out.err(toStdout ? 'written to stdout\n' : `'${name}' saved\n`);
  }
  return out.exit(0);
}

// ------------------------------------------------------------------ GNU Wget

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** wget's human rate, as in `(120 MB/s)`. */
function rate(bytesPerSec: number): string {
  if (bytesPerSec >= 1024 * 1024) return `${(bytesPerSec / (1024 * 1024)).toFixed(bytesPerSec >= 100 * 1024 * 1024 ? 0 : 1)} MB/s`;
  if (bytesPerSec >= 1024) return `${(bytesPerSec / 1024).toFixed(bytesPerSec >= 100 * 1024 ? 0 : 1)} KB/s`;
  return `${bytesPerSec} B/s`;
}

function gnuWget(argv: string[], ctx: ToolContext): Output {
  const out = new Output();
  const version = ctx.place.image.wgetVersion ?? '1.21.4';
  const o = parse(argv.slice(1), true);
  if ('error' in o) return out.err(`${o.error}\nUsage: wget [OPTION]... [URL]...\n\nTry \`wget --help' for more options.\n`).exit(2);
  if (o.urls.length === 0) return out.err("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n").exit(1);
  const say = (t: string) => !o.quiet && out.err(t);
  const url = parseUrl(o.urls[0]);
  if (!url || 'error' in url) {
    say(`${o.urls[0]}: Unsupported scheme.\n`);
    return out.exit(1);
  }
  const shown = `${url.scheme}://${url.host}${url.explicitPort ? `:${url.port}` : ''}${url.target}`;
  const now = stamp(ctx.net.now);
  const headers: [string, string][] = [
    ['User-Agent', o.userAgent ?? `Wget/${version} (linux-gnu)`],
    ['Accept', '*/*'],
    ['Accept-Encoding', 'identity'],
    ['Host', url.explicitPort ? `${url.host}:${url.port}` : url.host],
    ['Connection', 'Keep-Alive'],
    ...customHeaders(o.headers),
  ];
  const numeric = /^\d{1,3}(\.\d{1,3}){3}$/.test(url.host);
  const tries = Math.max(1, o.tries);
  for (let attempt = 1; attempt <= tries; attempt++) {
    say(attempt === 1 ? `--${now}--  ${shown}\n` : `\n--${now}--  (try:${String(attempt).padStart(2)})  ${shown}\n`);
    const r = httpCall(ctx.net, ctx.place, { url, method: o.spider ? 'HEAD' : 'GET', headers, body: '', insecure: o.noCheckCertificate }, ctx.trace);
    if (r.stage === 'resolve') {
      say(`Resolving ${url.host} (${url.host})... failed: ${r.error === 'SERVFAIL' || r.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}.\n`);
      say(`wget: unable to resolve host address '${url.host}'\n`);
      return out.exit(4);
    }
    if (!numeric) say(`Resolving ${url.host} (${url.host})... ${r.ip}\n`);
    const connecting = numeric ? `Connecting to ${r.ip}:${url.port}... ` : `Connecting to ${url.host} (${url.host})|${r.ip}|:${url.port}... `;
    if (r.stage === 'connect') {
      const why = r.error === 'refused' ? 'Connection refused' : r.error === 'unreachable' ? 'No route to host' : 'Connection timed out';
      say(`${connecting}failed: ${why}.\n`);
      if (r.error === 'timeout' && attempt < tries) {
        say('Retrying.\n');
        continue;
      }
      if (r.error === 'timeout') say(`Giving up.\n\n`);
      return out.exit(4);
    }
    say(`${connecting}connected.\n`);
    if (r.stage === 'tls') {
      say(`ERROR: cannot verify ${url.host}'s certificate, issued by 'CN=kubernetes':\n  Unable to locally verify the issuer's authority.\nTo connect to ${url.host} insecurely, use \`--no-check-certificate'.\n`);
      return out.exit(5);
    }
    if (r.stage === 'empty') {
      say('HTTP request sent, awaiting response... No data received.\nRetrying.\n');
      return out.exit(4);
    }
    const res = r.response;
    say(`HTTP request sent, awaiting response... ${o.serverResponse ? '\n' + `  HTTP/1.1 ${res.status} ${res.reason}\n${res.headers.map(([k, v]) => `  ${k}: ${v}\n`).join('')}` : `${res.status} ${res.reason}\n`}`);
    if (res.status >= 400) {
      say(`${now} ERROR ${res.status}: ${res.reason}.\n\n`);
      return out.exit(8);
    }
    const len = bodyLength(res);
    const type = res.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    if (o.spider) {
      say(`Length: ${len}${type ? ` [${type}]` : ''}\nRemote file exists and could contain further links,\nbut recursion is disabled -- not retrieving.\n\n`);
      return out.exit(0);
    }
    const toStdout = o.output === '-';
    const name = toStdout ? 'STDOUT' : (o.output ?? fileName(url));
    const speed = len * 1000 * (500 + ctx.net.rng.int(500));
    say(`Length: ${len}${type ? ` [${type}]` : ''}\nSaving to: '${name}'\n\n`);
    if (toStdout) out.out(res.body);
    const mb = (speed / (1024 * 1024)).toFixed(1);
    say(`     0K${' '.repeat(55)}100% ${mb.padStart(5)}M=0s\n\n`);
    say(`${now} (${rate(speed)}) - ${toStdout ? 'written to stdout' : `'${name}' saved`} [${len}/${len}]\n\n`);
    return out.exit(0);
  }
  return out.exit(4);
}

export function wget(argv: string[], ctx: ToolContext): Output {
  return ctx.place.image.wget === 'gnu' ? gnuWget(argv, ctx) : busyboxWget(argv, ctx);
}
