/**
 * Apache httpd as the official image runs it (`httpd-foreground`, httpd.conf unchanged): port 80,
 * htdocs/index.html ("It works!", dated 2007 in the image) at `/`, Apache's 404 page otherwise, the
 * `common` access log on stdout and the start-up notices on stderr.
 */
import { bytes, httpDate, requestLine, timeLocal, type AppInstance, type HttpRequest, type HttpResponse, type ServeContext, type ServerApp } from './http.ts';

const INDEX = '<html><body><h1>It works!</h1></body></html>\n';
const INDEX_MTIME = new Date('2007-06-11T18:53:14Z');

const NOT_FOUND = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
`;

function server(app: AppInstance): string {
  return `Apache/${app.image.serverVersion ?? '2.4.62'} (Unix)`;
}

function path(req: HttpRequest): string {
  const q = req.target.indexOf('?');
  return q < 0 ? req.target : req.target.slice(0, q);
}

export const httpdApp: ServerApp = {
  listeners: () => [{ port: 80, protocol: 'TCP' }],
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const head = req.method === 'HEAD';
    const p = path(req);
    if (p === '/' || p === '/index.html') {
      return {
        status: 200,
        reason: 'OK',
        headers: [
          ['Date', httpDate(x.net.now)],
          ['Server', server(x.app)],
          ['Last-Modified', httpDate(INDEX_MTIME)],
          ['ETag', '"2d-432a5e4a73a80"'],
          ['Accept-Ranges', 'bytes'],
          ['Content-Length', String(bytes(INDEX))],
          ['Content-Type', 'text/html'],
        ],
        body: head ? '' : INDEX,
      };
    }
    return {
      status: 404,
      reason: 'Not Found',
      headers: [
        ['Date', httpDate(x.net.now)],
        ['Server', server(x.app)],
        ['Content-Length', String(bytes(NOT_FOUND))],
        ['Content-Type', 'text/html; charset=iso-8859-1'],
      ],
      body: head ? '' : NOT_FOUND,
    };
  },
  /** LogFormat "%h %l %u %t \"%r\" %>s %b" common (`-` for an empty body). */
  accessLog(req, res, x) {
    const size = req.method === 'HEAD' || !res.body ? '-' : String(bytes(res.body));
    return `${req.remoteAddr} - - [${timeLocal(x.net.now)}] "${requestLine(req)}" ${res.status} ${size}\n`;
  },
  startupLog(app, now) {
    const d = now;
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const p2 = (n: number) => String(n).padStart(2, '0');
    const t = `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.000000 ${d.getUTCFullYear()}`;
    const fqdn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${app.podIP}. Set the 'ServerName' directive globally to suppress this message\n`;
    return (
      fqdn +
      fqdn +
      `[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: ${server(app)} configured -- resuming normal operations\n` +
      `[${t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'\n`
    );
  },
};
