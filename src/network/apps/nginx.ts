/**
 * nginx as the official image runs it (nginx.conf + conf.d/default.conf): port 80, the welcome
 * page at `/` and `/index.html`, `/50x.html`, the built-in 404/405 pages for anything else, and
 * the `main` access log on stdout:
 *
 *   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"
 *
 * amsy810/echo-nginx (github.com/MasayaAoyama/container-images, echo-nginx) is nginx:alpine whose
 * default.conf listens on $NGINX_PORT (default 80) and answers every request with
 *
 *   return 200 "Host=$host  Path=$request_uri  From=$hostname  ClientIP=$remote_addr  XFF=$http_x_forwarded_for\n";
 *
 * plus `add_header Content-Type text/plain`, so such responses carry two Content-Type headers.
 */
import { bytes, header, httpDate, nginxLogTime, requestLine, timeLocal, type AppInstance, type HttpRequest, type HttpResponse, type ServeContext, type ServerApp } from './http.ts';

const WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const ERROR_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** When the image's html files were written (their Last-Modified and ETag). */
const HTML_MTIME = new Date('2024-11-26T15:55:00Z');

function version(app: AppInstance): string {
  return app.image.serverVersion ?? '1.27.3';
}

/** ngx_http_special_response.c: the built-in error page, CRLF line ends. */
export function nginxErrorPage(status: number, reason: string, serverTag: string): string {
  const title = `${status} ${reason}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${serverTag}</center>\r\n</body>\r\n</html>\r\n`;
}

function connectionHeader(req: HttpRequest): string {
  return (header(req.headers, 'Connection') ?? '').toLowerCase() === 'close' ? 'close' : 'keep-alive';
}

function withoutBodyForHead(req: HttpRequest, res: HttpResponse): HttpResponse {
  return req.method === 'HEAD' ? { ...res, body: '' } : res;
}

function staticFile(req: HttpRequest, now: Date, v: string, body: string): HttpResponse {
  const etag = `"${Math.floor(HTML_MTIME.getTime() / 1000).toString(16)}-${bytes(body).toString(16)}"`;
  return withoutBodyForHead(req, {
    status: 200,
    reason: 'OK',
    headers: [
      ['Server', `nginx/${v}`],
      ['Date', httpDate(now)],
      ['Content-Type', 'text/html'],
      ['Content-Length', String(bytes(body))],
      ['Last-Modified', httpDate(HTML_MTIME)],
      ['Connection', connectionHeader(req)],
      ['ETag', etag],
      ['Accept-Ranges', 'bytes'],
    ],
    body,
  });
}

function errorResponse(req: HttpRequest, now: Date, v: string, status: number, reason: string): HttpResponse {
  const body = nginxErrorPage(status, reason, `nginx/${v}`);
  return withoutBodyForHead(req, {
    status,
    reason,
    headers: [
      ['Server', `nginx/${v}`],
      ['Date', httpDate(now)],
      ['Content-Type', 'text/html'],
      ['Content-Length', String(bytes(body))],
      ['Connection', connectionHeader(req)],
    ],
    body,
  });
}

/** The `main` log_format line. */
function mainLogLine(req: HttpRequest, res: HttpResponse, now: Date): string {
  const q = (v: string | undefined) => `"${v ?? '-'}"`;
  const sent = req.method === 'HEAD' ? 0 : bytes(res.body);
  return `${req.remoteAddr} - - [${timeLocal(now)}] "${requestLine(req)}" ${res.status} ${sent} ${q(header(req.headers, 'Referer'))} ${q(header(req.headers, 'User-Agent'))} ${q(header(req.headers, 'X-Forwarded-For'))}\n`;
}

function path(req: HttpRequest): string {
  const q = req.target.indexOf('?');
  return q < 0 ? req.target : req.target.slice(0, q);
}

/** docker-entrypoint.sh and nginx's startup notices (nginx:1.27 on Debian bookworm, 4 CPUs). */
function startupLog(app: AppInstance, now: Date): string {
  const t = nginxLogTime(now);
  const v = version(app);
  const alpine = app.image.id === 'nginx-alpine';
  const lines = [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    `${t} [notice] 1#1: using the "epoll" event method`,
    `${t} [notice] 1#1: nginx/${v}`,
    alpine ? `${t} [notice] 1#1: built by gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ` : `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
    `${t} [notice] 1#1: OS: Linux 6.8.0-51-generic`,
    `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
    `${t} [notice] 1#1: start worker processes`,
    ...[29, 30, 31, 32].map((pid) => `${t} [notice] 1#1: start worker process ${pid}`),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

export const nginxApp: ServerApp = {
  listeners: () => [{ port: 80, protocol: 'TCP' }],
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const now = x.net.now;
    const v = version(x.app);
    const p = path(req);
    const file = p === '/' || p === '/index.html' ? WELCOME : p === '/50x.html' ? ERROR_50X : undefined;
    if (!file) return errorResponse(req, now, v, 404, 'Not Found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return errorResponse(req, now, v, 405, 'Not Allowed');
    return staticFile(req, now, v, file);
  },
  accessLog: (req, res, x) => mainLogLine(req, res, x.net.now),
  startupLog,
};

function echoPort(app: AppInstance): number {
  const n = Number(app.env.get('NGINX_PORT') ?? '80');
  return Number.isInteger(n) && n > 0 ? n : 80;
}

export const echoNginxApp: ServerApp = {
  listeners: (app) => [{ port: echoPort(app), protocol: 'TCP' }],
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const v = version(x.app);
    // $host: the Host header without its port, lower-cased; the server_name `_` without one.
    const host = (header(req.headers, 'Host') ?? '_').replace(/:\d+$/, '').toLowerCase();
    const xff = header(req.headers, 'X-Forwarded-For') ?? '';
    const body = `Host=${host}  Path=${req.target}  From=${x.app.hostname}  ClientIP=${req.remoteAddr}  XFF=${xff}\n`;
    return withoutBodyForHead(req, {
      status: 200,
      reason: 'OK',
      headers: [
        ['Server', `nginx/${v}`],
        ['Date', httpDate(x.net.now)],
        ['Content-Type', 'application/octet-stream'],
        ['Content-Length', String(bytes(body))],
        ['Connection', connectionHeader(req)],
        ['Content-Type', 'text/plain'],
      ],
      body,
    });
  },
  accessLog: (req, res, x) => mainLogLine(req, res, x.net.now),
};
