/**
 * The simulated programs' output, version by version: curl 8.11 (curlimages/curl) and 7.58
 * (Ubuntu 18.04, amsy810/tools), BusyBox and GNU wget, BusyBox and BIND nslookup, host and dig.
 * Expected texts follow the programs' sources (curl lib/connect.c, lib/progress.c,
 * src/tool_cb_dbg.c; busybox networking/wget.c, nslookup.c; bind bin/dig).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { Service } from '../../../src/api/types.ts';
import { deployment, pod, service, TestNet } from './cluster.ts';

let t: TestNet;
let webIP: string;

const METER_HEADER =
  '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
  '                                 Dload  Upload   Total   Spent    Left  Speed\n';
const ZERO = '  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0';

beforeAll(() => {
  t = new TestNet();
  t.create(deployment('web', 'nginx:1.27', 2));
  t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
  t.create(service('nobody', { selector: { app: 'nobody' }, ports: [{ port: 80 }] }));
  webIP = t.state.get<Service>('services', 'default', 'web')!.spec.clusterIP!;
  t.create(pod('curl', 'curlimages/curl:8.11.1', {}, { command: ['sleep', 'infinity'] }));
  t.create(pod('tools', 'amsy810/tools:v2.0'));
  t.create(pod('bb', 'busybox', {}, { command: ['sleep', '3600'] }));
  t.create(pod('shoot', 'nicolaka/netshoot', {}, { args: ['sleep', 'infinity'] }));
});

describe('curl 8.11', () => {
  test('the body on stdout; the progress meter on stderr when stdout is not a terminal', () => {
    const r = t.run(t.podPlace('curl'), 'curl', 'http://web');
    expect(r.stdout()).toContain('<title>Welcome to nginx!</title>');
    expect(r.stderr()).toMatch(new RegExp(`^${METER_HEADER.replace(/[%]/g, '%')}\\r${ZERO}\\r100   615  100   615    0     0   (600|300|200)k      0 --:--:-- --:--:-- --:--:--  (600|300|200)k\\n$`));
    expect(r.code).toBe(0);
  });

  test('-s: nothing on stderr, even on failure', () => {
    const r = t.run(t.podPlace('curl'), 'curl', '-s', 'http://nobody');
    expect(r.stderr()).toBe('');
    expect(r.code).toBe(7);
  });

  test('connection refused: the meter ends its line, then the error (exit 7)', () => {
    const r = t.run(t.podPlace('curl'), 'curl', 'http://nobody');
    expect(r.stderr()).toMatch(new RegExp(`^${METER_HEADER}\\r${ZERO}\\r${ZERO}\\ncurl: \\(7\\) Failed to connect to nobody port 80 after [01] ms: Couldn't connect to server\\n$`));
  });

  test('-sS: the error line alone; could not resolve (exit 6)', () => {
    const r = t.run(t.podPlace('curl'), 'curl', '-sS', 'http://no-such-service');
    expect(r.stderr()).toBe('curl: (6) Could not resolve host: no-such-service\n');
    expect(r.code).toBe(6);
  });

  test('timeouts: -m, --connect-timeout (exit 28)', () => {
    const m = t.run(t.podPlace('curl'), 'curl', '-sS', '-m', '2', `http://${webIP}:8080`);
    expect(m.stderr()).toMatch(/^curl: \(28\) Connection timed out after 200[1-3] milliseconds\n$/);
    const c = t.run(t.podPlace('curl'), 'curl', '-sS', '--connect-timeout', '3', `http://${webIP}:8080`);
    expect(c.stderr()).toMatch(new RegExp(`^curl: \\(28\\) Failed to connect to ${webIP.replace(/\./g, '\\.')} port 8080 after 300[1-3] ms: Timeout was reached\\n$`));
    expect(c.code).toBe(28);
  });

  test('-v: resolve info, the request and response headers with CRLF, the data marker', () => {
    const r = t.run(t.podPlace('curl'), 'curl', '-sv', 'http://web/');
    const lines = r.stderr().split('\n');
    expect(lines.slice(0, 12)).toEqual([
      '* Host web:80 was resolved.',
      '* IPv6: (none)',
      `* IPv4: ${webIP}`,
      `*   Trying ${webIP}:80...`,
      `* Connected to web (${webIP}) port 80`,
      '* using HTTP/1.x',
      '> GET / HTTP/1.1\r',
      '> Host: web\r',
      '> User-Agent: curl/8.11.1\r',
      '> Accept: */*\r',
      '> \r',
      '* Request completely sent off',
    ]);
    expect(lines[12]).toBe('< HTTP/1.1 200 OK\r');
    expect(lines.slice(-4)).toEqual(['< \r', '{ [615 bytes data]', '* Connection #0 to host web left intact', '']);
  });

  test('-i, -I and -w', () => {
    const i = t.run(t.podPlace('curl'), 'curl', '-si', 'http://web/nope');
    expect(i.stdout()).toMatch(/^HTTP\/1\.1 404 Not Found\r\nServer: nginx\/1\.27\.3\r\nDate: Sat, 21 Nov 2026 10:00:00 GMT\r\nContent-Type: text\/html\r\nContent-Length: 153\r\nConnection: keep-alive\r\n\r\n<html>\r\n/);
    const head = t.run(t.podPlace('curl'), 'curl', '-sI', 'http://web/');
    expect(head.stdout()).toContain('Content-Length: 615\r\n');
    expect(head.stdout().endsWith('\r\n\r\n')).toBe(true);
    const w = t.run(t.podPlace('curl'), 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}\\n', 'http://web/');
    expect(w.stdout()).toBe('200\n');
  });

  test('-f on an error status: exit 22', () => {
    const r = t.run(t.podPlace('curl'), 'curl', '-sSf', 'http://web/nope');
    expect(r.stdout()).toBe('');
    expect(r.stderr()).toBe('curl: (22) The requested URL returned error: 404\n');
    expect(r.code).toBe(22);
  });

  test('usage errors (exit 2)', () => {
    expect(t.run(t.podPlace('curl'), 'curl').stderr()).toBe("curl: try 'curl --help' or 'curl --manual' for more information\n");
    const bad = t.run(t.podPlace('curl'), 'curl', '--nope', 'http://web');
    expect(bad.stderr()).toBe("curl: option --nope: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
    expect(bad.code).toBe(2);
  });
});

describe('curl 7.58 (Ubuntu 18.04)', () => {
  test('messages without the elapsed time; no meter line at the failure', () => {
    const r = t.run(t.podPlace('tools'), 'curl', 'http://nobody');
    expect(r.stderr()).toBe(`${METER_HEADER}\r${ZERO}curl: (7) Failed to connect to nobody port 80: Connection refused\n`);
  });

  test('-v lines of 7.58', () => {
    const r = t.run(t.podPlace('tools'), 'curl', '-sv', `http://${webIP}/`);
    expect(r.stderr().split('\n').slice(0, 4)).toEqual([`*   Trying ${webIP}...`, '* TCP_NODELAY set', `* Connected to ${webIP} (${webIP}) port 80 (#0)`, '> GET / HTTP/1.1\r']);
  });
});

describe('wget', () => {
  test('BusyBox: -qO- prints the body; errors are always printed (exit 1)', () => {
    expect(t.run(t.podPlace('bb'), 'wget', '-qO-', 'http://web').stdout()).toContain('Welcome to nginx!');
    const refused = t.run(t.podPlace('bb'), 'wget', '-qO-', 'http://nobody');
    expect(refused.stderr()).toBe(`wget: can't connect to remote host (${t.state.get<Service>('services', 'default', 'nobody')!.spec.clusterIP}): Connection refused\n`);
    expect(refused.code).toBe(1);
    expect(t.run(t.podPlace('bb'), 'wget', '-q', '-O', '-', 'http://nowhere').stderr()).toBe("wget: bad address 'nowhere'\n");
    expect(t.run(t.podPlace('bb'), 'wget', '-qO-', 'http://web/x').stderr()).toBe('wget: server returned error: HTTP/1.1 404 Not Found\n');
  });

  test('BusyBox without -q: Connecting, writing, progress', () => {
    const r = t.run(t.podPlace('bb'), 'wget', '-O-', 'http://web');
    expect(r.stderr()).toBe(`Connecting to web (${webIP}:80)\nwriting to stdout\n\r-                    100% |*******************************|   615  0:00:00 ETA\nwritten to stdout\n`);
  });

  test('GNU wget -q is silent even on failure (exit 4 network, 8 server)', () => {
    const r = t.run(t.podPlace('tools'), 'wget', '-qO-', 'http://nobody');
    expect(r.stderr()).toBe('');
    expect(r.code).toBe(4);
    expect(t.run(t.podPlace('tools'), 'wget', '-qO-', 'http://web/x').code).toBe(8);
  });
});

describe('DNS tools', () => {
  test('BusyBox nslookup: each search domain, A and AAAA, replies in turn', () => {
    const r = t.run(t.podPlace('bb'), 'nslookup', 'web');
    expect(r.stdout()).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n' +
        `Name:\tweb.default.svc.cluster.local\nAddress: ${webIP}\n\n` +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find web.cluster.local: NXDOMAIN\n\n" +
        '\n' +
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find web.cluster.local: NXDOMAIN\n\n",
    );
    expect(r.code).toBe(0);
  });

  test('BIND nslookup uses the search list and ndots', () => {
    expect(t.run(t.podPlace('shoot'), 'nslookup', 'web').stdout()).toBe(
      `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${webIP}\n\n`,
    );
    const nx = t.run(t.podPlace('shoot'), 'nslookup', 'web.nons');
    expect(nx.stdout()).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find web.nons: SERVFAIL\n\n");
    expect(nx.code).toBe(1);
  });

  test('host', () => {
    expect(t.run(t.podPlace('shoot'), 'host', 'web').stdout()).toBe(`web.default.svc.cluster.local has address ${webIP}\n`);
    const rev = t.run(t.podPlace('shoot'), 'host', webIP);
    expect(rev.stdout()).toBe(`${webIP.split('.').reverse().join('.')}.in-addr.arpa domain name pointer web.default.svc.cluster.local.\n`);
    const nx = t.run(t.podPlace('shoot'), 'host', 'web.default.svc.cluster.local.nope.');
    expect(nx.stdout()).toBe('Host web.default.svc.cluster.local.nope. not found: 2(SERVFAIL)\n');
  });

  test('dig +short, +noall +answer', () => {
    expect(t.run(t.podPlace('shoot'), 'dig', '+short', 'web.default.svc.cluster.local').stdout()).toBe(`${webIP}\n`);
    expect(t.run(t.podPlace('shoot'), 'dig', '+noall', '+answer', 'web.default.svc.cluster.local').stdout()).toBe(`web.default.svc.cluster.local. 30 IN\tA\t${webIP}\n`);
  });

  test('dig with no server reachable (9.18): communications errors, header again, exit 9', () => {
    const r = t.run(t.podPlace('shoot'), 'dig', '@10.96.0.99', 'web');
    const header = '\n; <<>> DiG 9.18.30 <<>> @10.96.0.99 web\n; (1 server found)\n;; global options: +cmd\n';
    expect(r.stdout()).toBe(`${header}${';; communications error to 10.96.0.99#53: timed out\n'.repeat(3)}${header};; no servers could be reached\n\n`);
    expect(r.code).toBe(9);
  });
});

describe('programs and shells of an image', () => {
  test('an image without the program: sh reports it as its shell does', () => {
    const r = t.run(t.podPlace('bb'), 'sh', '-c', 'curl web');
    expect(r.stderr()).toBe('sh: curl: not found\n');
    expect(r.code).toBe(127);
    expect(t.run(t.podPlace('tools'), 'sh', '-c', 'foo').stderr()).toBe('sh: 1: foo: not found\n');
  });

  test('cat of the files the kubelet writes', () => {
    expect(t.run(t.podPlace('bb'), 'cat', '/etc/resolv.conf').stdout()).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const hosts = t.run(t.podPlace('bb'), 'cat', '/etc/hosts').stdout();
    expect(hosts.startsWith('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n')).toBe(true);
    expect(hosts.endsWith(`${t.pod('bb').status!.podIP}\tbb\n`)).toBe(true);
    expect(t.run(t.podPlace('bb'), 'cat', '/nope').stderr()).toBe("cat: can't open '/nope': No such file or directory\n");
    expect(t.run(t.podPlace('tools'), 'cat', '/nope').stderr()).toBe('cat: /nope: No such file or directory\n');
  });
});
