/**
 * curl, as the version in the image prints (src/network/images.ts CurlVersion): the body on
 * stdout; `-i`/`-I` headers; `-o` to a file; `-w` write-out; `-H`, `-X`, `-d`, `-A`, `-k`, `-f`;
 * `-m`/`--max-time` and `--connect-timeout`; `-s`, `-S`, `-v`.
 *
 * stderr carries the progress meter when stdout is not a terminal and `-s` is not given
 * (lib/progress.c: header lines, `\r`-separated updates, a newline when the transfer ends), the
 * `-v` trace (`* ` info lines, `> `/`< ` headers with their CRLF, `{ [N bytes data]` when the body
 * is not shown on a terminal) and the error line `curl: (N) message`.
 *
 * Exit codes: 6 could not resolve, 7 could not connect, 28 timeout, 22 with -f on HTTP >= 400,
 * 35/60 TLS, 52 empty reply, 2 bad usage, 3 bad URL, 1 unsupported protocol. Connection
 * timeouts take the time the kernel or the option gives (no -m/--connect-timeout: the kernel
 * gives up after its SYN retries, about 130 s), reported without waiting.
 */
import type { HttpResponse } from '../apps/http.ts';
import { httpCall, parseUrl, type CallResult, type Url } from '../http-client.ts';
import { CURL_8, type CurlVersion } from '../images.ts';
import { Output, type ToolContext } from './tool.ts';

interface Options {
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  insecure: boolean;
  fail: boolean;
  output?: string;
  writeOut?: string;
  maxTime?: number;
  connectTimeout?: number;
  method?: string;
  data?: string;
  userAgent?: string;
  headers: string[];
  urls: string[];
}

const NO_ARG: Record<string, keyof Options | 'ignore'> = {
  s: 'silent',
  S: 'showError',
  v: 'verbose',
  i: 'include',
  I: 'head',
  k: 'insecure',
  f: 'fail',
  L: 'ignore',
  '4': 'ignore',
  '6': 'ignore',
  '#': 'ignore',
};

const WITH_ARG: Record<string, string> = { o: 'output', H: 'header', w: 'write-out', m: 'max-time', X: 'request', d: 'data', A: 'user-agent', u: 'user', e: 'referer', b: 'cookie', x: 'proxy' };

const LONG_NO_ARG: Record<string, keyof Options | 'ignore'> = {
  silent: 'silent',
  'show-error': 'showError',
  verbose: 'verbose',
  include: 'include',
  head: 'head',
  insecure: 'insecure',
  fail: 'fail',
  location: 'ignore',
  compressed: 'ignore',
  'http1.1': 'ignore',
  'no-progress-meter': 'ignore',
  ipv4: 'ignore',
  'no-keepalive': 'ignore',
  'progress-bar': 'ignore',
};

const LONG_WITH_ARG = new Set([
  'output',
  'header',
  'write-out',
  'max-time',
  'connect-timeout',
  'request',
  'data',
  'data-raw',
  'data-binary',
  'user-agent',
  'user',
  'referer',
  'cookie',
  'proxy',
  'retry',
  'resolve',
  'cacert',
]);

type Parsed = { ok: true; opts: Options; noMeter: boolean } | { ok: false; message: string };

function parseArgs(argv: string[]): Parsed {
  const opts: Options = { silent: false, showError: false, verbose: false, include: false, head: false, insecure: false, fail: false, headers: [], urls: [] };
  let noMeter = false;
  const setValue = (name: string, value: string) => {
    switch (name) {
      case 'output':
        opts.output = value;
        break;
      case 'header':
        opts.headers.push(value);
        break;
      case 'write-out':
        opts.writeOut = value;
        break;
      case 'max-time':
        opts.maxTime = Number(value);
        break;
      case 'connect-timeout':
        opts.connectTimeout = Number(value);
        break;
      case 'request':
        opts.method = value;
        break;
      case 'data':
      case 'data-raw':
      case 'data-binary':
        opts.data = opts.data === undefined ? value : `${opts.data}&${value}`;
        break;
      case 'user-agent':
        opts.userAgent = value;
        break;
      default:
        break;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const flag = LONG_NO_ARG[name];
      if (flag) {
        if (flag !== 'ignore') (opts[flag] as boolean) = true;
        if (name === 'no-progress-meter') noMeter = true;
        continue;
      }
      if (LONG_WITH_ARG.has(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) return { ok: false, message: `option ${a}: requires parameter` };
        setValue(name, value);
        continue;
      }
      return { ok: false, message: `option ${a}: is unknown` };
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const flag = NO_ARG[c];
        if (flag) {
          if (flag !== 'ignore') (opts[flag] as boolean) = true;
          continue;
        }
        const long = WITH_ARG[c];
        if (long) {
          const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          if (value === undefined) return { ok: false, message: `option -${c}: requires parameter` };
          setValue(long, value);
          break;
        }
        return { ok: false, message: `option -${c}: is unknown` };
      }
      continue;
    }
    opts.urls.push(a);
  }
  return { ok: true, opts, noMeter };
}

// ------------------------------------------------------------------ progress meter (lib/progress.c)

function max5(n: number): string {
  if (n < 100000) return String(n).padStart(5);
  if (n < 10000 * 1024) return `${String(Math.floor(n / 1024)).padStart(4)}k`;
  if (n < 100 * 1024 * 1024) {
    const m = n / (1024 * 1024);
    return `${String(Math.floor(m)).padStart(2)}.${Math.floor((m % 1) * 10)}M`;
  }
  return `${String(Math.floor(n / (1024 * 1024))).padStart(4)}M`;
}

const METER_HEADER =
  '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
  '                                 Dload  Upload   Total   Spent    Left  Speed\n';

function meterLine(total: number, received: number, speed: number): string {
  const pct = (a: number, b: number) => String(b > 0 ? Math.floor((a * 100) / b) : 0).padStart(3);
  const t = '--:--:--';
  return `\r${pct(received, total)} ${max5(total)}  ${pct(received, total)} ${max5(received)}  ${pct(0, 0)} ${max5(0)}  ${max5(speed)}  ${max5(0)} ${t} ${t} ${t} ${max5(speed)}`;
}

// ------------------------------------------------------------------ messages

function connectFailure(v: CurlVersion, host: string, port: number, ms: number, kind: 'refused' | 'unreachable' | 'kernel-timeout'): string {
  if (v.failedAfterMs) return `Failed to connect to ${host} port ${port} after ${ms} ms: Couldn't connect to server`;
  const why = kind === 'refused' ? 'Connection refused' : kind === 'unreachable' ? 'No route to host' : 'Connection timed out';
  return `Failed to connect to ${host} port ${port}: ${why}`;
}

function errnoText(kind: 'refused' | 'unreachable' | 'kernel-timeout'): string {
  return kind === 'refused' ? 'Connection refused' : kind === 'unreachable' ? 'No route to host' : 'Connection timed out';
}

function closingLine(v: CurlVersion): string {
  return v.connectedSuffix ? '* Closing connection 0\n' : '* closing connection #0\n';
}

/** The Host header curl sends: the port only when it is not the scheme's default. */
function hostHeader(url: Url): string {
  const dflt = url.scheme === 'https' ? 443 : 80;
  return url.port === dflt ? url.host : `${url.host}:${url.port}`;
}

function requestHeaders(url: Url, o: Options, v: CurlVersion): [string, string][] {
  const headers: [string, string][] = [
    ['Host', hostHeader(url)],
    ['User-Agent', o.userAgent ?? `curl/${v.version}`],
    ['Accept', '*/*'],
  ];
  if (o.data !== undefined) {
    headers.push(['Content-Length', String(Buffer.byteLength(o.data))], ['Content-Type', 'application/x-www-form-urlencoded']);
  }
  for (const h of o.headers) {
    const colon = h.indexOf(':');
    if (colon < 0) continue;
    const name = h.slice(0, colon).trim();
    const value = h.slice(colon + 1).trim();
    const i = headers.findIndex(([k]) => k.toLowerCase() === name.toLowerCase());
    if (value === '') {
      if (i >= 0) headers.splice(i, 1);
      continue;
    }
    if (i >= 0) headers[i] = [name, value];
    else headers.push([name, value]);
  }
  return headers;
}

function statusLine(res: HttpResponse): string {
  return `HTTP/${res.headers.length === 0 && res.status === 400 ? '1.0' : '1.1'} ${res.status}${res.reason ? ` ${res.reason}` : ''}`;
}

function headerBlock(res: HttpResponse): string {
  return `${statusLine(res)}\r\n${res.headers.map(([k, val]) => `${k}: ${val}\r\n`).join('')}\r\n`;
}

interface Timing {
  ms: number;
  speed: number;
}

/** -w/--write-out: %{variable} and \n, \r, \t escapes. */
function writeOut(format: string, vars: Record<string, string>): string {
  return format
    .replace(/%\{([a-z_]+)\}/g, (m, name: string) => vars[name] ?? m)
    .replace(/\\n/g, '\n')
    .replace(/\\r/g, '\r')
    .replace(/\\t/g, '\t')
    .replace(/%%/g, '%');
}

/** The curl of a place (its image's version). */
export function curl(argv: string[], ctx: ToolContext): Output {
  const v = ctx.place.image.curl ?? CURL_8;
  const out = new Output();
  const parsed = parseArgs(argv.slice(1));
  const tryHelp = "curl: try 'curl --help' or 'curl --manual' for more information\n";
  if (!parsed.ok) return out.err(`curl: ${parsed.message}\n${tryHelp}`).exit(2);
  const o = parsed.opts;
  if (o.urls.length === 0) {
    if (argv.length === 1) return out.err(tryHelp).exit(2);
    return out.err(`curl: no URL specified!\n${tryHelp}`).exit(2);
  }
  const meter = !o.silent && !parsed.noMeter && (!ctx.tty || o.output !== undefined);
  const showErrors = !o.silent || o.showError;
  const verbose = o.verbose;
  const info = (line: string) => verbose && out.err(`* ${line}\n`);
  let meterShown = false;
  const fail = (code: number, message: string) => {
    if (verbose) out.err(`* ${message}\n`);
    // The transfer's end forces a last meter update and ends its line (lib/progress.c
    // Curl_pgrsDone); curl 7.58 skipped that when the connection failed.
    if (meterShown && v.failedAfterMs) out.err(`${meterLine(0, 0, 0)}\n`);
    if (verbose) out.err(closingLine(v));
    if (o.writeOut) out.out(writeOut(o.writeOut, { http_code: '000', response_code: '000', exitcode: String(code), errormsg: message, size_download: '0', remote_ip: '', time_total: '0.000000', url_effective: o.urls[0] }));
    if (showErrors) out.err(`curl: (${code}) ${message}\n`);
    return out.exit(code);
  };

  const raw = o.urls[0];
  const url = parseUrl(raw);
  if (!url) return fail(3, v.failedAfterMs ? 'URL rejected: Malformed input to a URL function' : 'URL using bad/illegal format or missing URL');
  if ('error' in url) return fail(1, v.failedAfterMs ? `Protocol "${url.scheme}" not supported` : `Protocol "${url.scheme}" not supported or disabled in libcurl`);
  if (meter) {
    out.err(`${METER_HEADER}${meterLine(0, 0, 0)}`);
    meterShown = true;
  }

  const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  const headers = requestHeaders(url, o, v);
  const result: CallResult = httpCall(ctx.net, ctx.place, { url, method, headers, body: o.data ?? '', insecure: o.insecure }, ctx.trace);

  if (result.stage === 'resolve') return fail(6, `Could not resolve host: ${url.host}`);

  const numeric = /^\d{1,3}(\.\d{1,3}){3}$/.test(url.host);
  if (v.resolveInfo && !numeric) {
    info(`Host ${url.host}:${url.port} was resolved.`);
    info('IPv6: (none)');
    info(`IPv4: ${result.ip}`);
  }
  if (verbose) out.err(`*   Trying ${v.tryingWithPort ? `${result.ip}:${url.port}` : result.ip}...\n`);
  if (v.tcpNodelayLine) info('TCP_NODELAY set');

  if (result.stage === 'connect') {
    const rng = ctx.net.rng;
    if (result.error === 'timeout') {
      if (o.maxTime !== undefined && (o.connectTimeout === undefined || o.maxTime <= o.connectTimeout)) {
        return fail(28, `Connection timed out after ${Math.round(o.maxTime * 1000) + 1 + rng.int(2)} milliseconds`);
      }
      if (o.connectTimeout !== undefined) {
        const ms = Math.round(o.connectTimeout * 1000) + 1 + rng.int(2);
        return fail(28, v.failedAfterMs ? `Failed to connect to ${url.host} port ${url.port} after ${ms} ms: Timeout was reached` : `Connection timed out after ${ms} milliseconds`);
      }
      const ms = 127000 + rng.int(3000);
      if (verbose) out.err(`* connect to ${result.ip} port ${url.port}${v.resolveInfo ? ` from ${result.sourceIP} port ${32768 + rng.int(28232)}` : ''} failed: Connection timed out\n`);
      return fail(v.failedAfterMs ? 28 : 7, connectFailure(v, url.host, url.port, ms, 'kernel-timeout'));
    }
    const kind = result.error;
    const ms = kind === 'refused' ? rng.int(2) : 3000 + rng.int(120);
    if (verbose) out.err(`* connect to ${result.ip} port ${url.port}${v.resolveInfo ? ` from ${result.sourceIP} port ${32768 + rng.int(28232)}` : ''} failed: ${errnoText(kind)}\n`);
    return fail(7, connectFailure(v, url.host, url.port, ms, kind));
  }

  info(`Connected to ${url.host} (${result.ip}) port ${url.port}${v.connectedSuffix ? ' (#0)' : ''}`);
  if (result.stage === 'tls') {
    if (result.error === 'not-tls') {
      return fail(35, v.version.startsWith('7.58') ? 'error:1408F10B:SSL routines:ssl3_get_record:wrong version number' : `${v.tls}: error:0A00010B:SSL routines::wrong version number`);
    }
    const code = 60;
    if (verbose) out.err(`* SSL certificate problem: unable to get local issuer certificate\n`);
    if (meterShown && v.failedAfterMs) out.err(`${meterLine(0, 0, 0)}\n`);
    if (verbose) out.err(closingLine(v));
    if (showErrors) {
      out.err(
        'curl: (60) SSL certificate problem: unable to get local issuer certificate\n' +
          `More details here: ${v.failedAfterMs ? 'https://curl.se/docs/sslcerts.html' : 'https://curl.haxx.se/docs/sslcerts.html'}\n\n` +
          'curl failed to verify the legitimacy of the server and therefore could not\n' +
          'establish a secure connection to it. To learn more about this situation and\n' +
          'how to fix it, please visit the web page mentioned above.\n',
      );
    }
    return out.exit(code);
  }

  if (v.usingHttp) info('using HTTP/1.x');
  if (verbose) {
    const reqLines = [`${method} ${url.target} HTTP/1.1`, ...headers.map(([k, val]) => `${k}: ${val}`), ''];
    for (const l of reqLines) out.err(`> ${l}\r\n`);
    if (o.data !== undefined) out.err(`} [${Buffer.byteLength(o.data)} bytes data]\n`);
  }
  if (v.requestSent) info('Request completely sent off');

  if (result.stage === 'empty') return fail(52, 'Empty reply from server');

  const res = result.response;
  const bodyBytes = method === 'HEAD' ? 0 : Buffer.byteLength(res.body);
  const total = Number(res.headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? bodyBytes);
  const timing: Timing = { ms: 1 + ctx.net.rng.int(3), speed: 0 };
  timing.speed = Math.floor((bodyBytes * 1000) / timing.ms);
  if (verbose) {
    out.err(`< ${statusLine(res)}\r\n`);
    for (const [k, val] of res.headers) out.err(`< ${k}: ${val}\r\n`);
    out.err('< \r\n');
  }
  if (o.fail && res.status >= 400) {
    return fail(22, `The requested URL returned error: ${res.status}${v.failedAfterMs ? '' : ` ${res.reason}`}`);
  }
  const toStdout = o.output === undefined || o.output === '-';
  if (o.include || o.head) {
    if (toStdout) out.out(headerBlock(res));
  }
  if (bodyBytes > 0) {
    if (verbose && (!ctx.tty || !toStdout)) out.err(`{ [${bodyBytes} bytes data]\n`);
    if (toStdout) out.out(res.body);
  }
  if (meter) out.err(`${meterLine(total, bodyBytes, timing.speed)}\n`);
  info(`Connection #0 to host ${url.host} left intact`);
  if (o.writeOut) {
    const secs = (timing.ms / 1000).toFixed(6);
    out.out(
      writeOut(o.writeOut, {
        http_code: String(res.status),
        response_code: String(res.status),
        size_download: String(bodyBytes),
        size_header: String(Buffer.byteLength(headerBlock(res))),
        content_type: res.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '',
        remote_ip: result.ip,
        remote_port: String(result.port),
        local_ip: result.sourceIP,
        num_connects: '1',
        exitcode: '0',
        errormsg: '',
        scheme: url.scheme.toUpperCase(),
        time_namelookup: '0.000012',
        time_connect: '0.000151',
        time_starttransfer: secs,
        time_total: secs,
        speed_download: String(timing.speed),
        url_effective: raw.includes('://') ? raw : `http://${raw}`,
        http_version: '1.1',
        method,
      }),
    );
  }
  return out.exit(0);
}
