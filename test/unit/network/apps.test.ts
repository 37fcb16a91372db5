/**
 * What answers on a pod's port, and what it logs: nginx, amsy810/echo-nginx, httpd,
 * hashicorp/http-echo, traefik/whoami, an unknown image on its declared ports; and what a
 * container's main process does when it starts.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { Pod } from '../../../src/api/types.ts';
import { readLog } from '../../../src/runtime/logs.ts';
import { pod, TestNet } from './cluster.ts';

let t: TestNet;

function ipOf(name: string): string {
  return t.pod(name).status!.podIP!;
}

function curl(...args: string[]) {
  return t.run(t.podPlace('client'), 'curl', ...args);
}

beforeAll(() => {
  t = new TestNet();
  t.create(pod('client', 'curlimages/curl', {}, { command: ['sleep', 'infinity'] }));
  t.create(pod('nginx', 'nginx:1.27'));
  t.create(pod('echo80', 'amsy810/echo-nginx:v2.0'));
  t.create(pod('echo81', 'amsy810/echo-nginx:v2.0', {}, { env: [{ name: 'NGINX_PORT', value: '81' }] }));
  t.create(pod('httpd', 'httpd:2.4'));
  t.create(pod('echo', 'hashicorp/http-echo', {}, { args: ['-listen=:8080', '-text=hello from whms'] }));
  t.create(pod('whoami', 'traefik/whoami'));
  t.create(pod('custom', 'example.com/shop:1.0', {}, { ports: [{ containerPort: 9000 }] }));
  t.create(pod('sleeper', 'nginx:1.27', {}, { command: ['sleep', '3600'] }));
});

describe('nginx', () => {
  test('the welcome page; 404 for anything else; the access log', () => {
    const ok = curl('-si', `http://${ipOf('nginx')}/`);
    expect(ok.stdout()).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\nDate: Sat, 21 Nov 2026 10:00:00 GMT\r\nContent-Type: text\/html\r\nContent-Length: 615\r\nLast-Modified: Tue, 26 Nov 2024 15:55:00 GMT\r\nConnection: keep-alive\r\nETag: "6745ef54-267"\r\nAccept-Ranges: bytes\r\n\r\n<!DOCTYPE html>/);
    const missing = curl('-s', `http://${ipOf('nginx')}/nope`);
    expect(missing.stdout()).toBe('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n');
    const log = readLog(t.state, t.pod('nginx'), 'nginx');
    const client = ipOf('client');
    expect(log).toContain(`\n${client} - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.11.1" "-"\n`);
    expect(log).toContain(`\n${client} - - [21/Nov/2026:10:00:00 +0000] "GET /nope HTTP/1.1" 404 153 "-" "curl/8.11.1" "-"\n`);
  });

  test('nginx prints its start-up notices when it starts', () => {
    const log = readLog(t.state, t.pod('nginx'), 'nginx');
    expect(log.startsWith('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n')).toBe(true);
    expect(log).toContain('2026/11/21 10:00:00 [notice] 1#1: nginx/1.27.3\n');
  });

  test('a container whose command replaces the server serves nothing: connection refused', () => {
    const r = curl('-sS', `http://${ipOf('sleeper')}/`);
    expect(r.stderr()).toMatch(new RegExp(`^curl: \\(7\\) Failed to connect to ${ipOf('sleeper').replace(/\./g, '\\.')} port 80 after [01] ms: Couldn't connect to server\n$`));
    expect(r.code).toBe(7);
  });
});

describe('amsy810/echo-nginx', () => {
  test("the seed's line, on port 80 or $NGINX_PORT", () => {
    expect(curl('-s', `http://${ipOf('echo80')}/a?b=1`).stdout()).toBe(`Host=${ipOf('echo80')}  Path=/a?b=1  From=echo80  ClientIP=${ipOf('client')}  XFF=\n`);
    expect(curl('-s', `http://${ipOf('echo81')}:81`).stdout()).toBe(`Host=${ipOf('echo81')}  Path=/  From=echo81  ClientIP=${ipOf('client')}  XFF=\n`);
    expect(curl('-s', '-H', 'X-Forwarded-For: 1.2.3.4', `http://${ipOf('echo81')}:81`).stdout()).toContain('XFF=1.2.3.4\n');
    expect(curl('-s', `http://${ipOf('echo81')}:80`).code).toBe(7);
  });

  test('two Content-Type headers: the default type and the added text/plain', () => {
    const head = curl('-sI', `http://${ipOf('echo80')}/`).stdout();
    expect(head).toContain('Content-Type: application/octet-stream\r\n');
    expect(head).toContain('Content-Type: text/plain\r\n');
  });
});

describe('other servers', () => {
  test('httpd: It works!', () => {
    const r = curl('-si', `http://${ipOf('httpd')}/`).stdout();
    expect(r).toBe(
      'HTTP/1.1 200 OK\r\nDate: Sat, 21 Nov 2026 10:00:00 GMT\r\nServer: Apache/2.4.62 (Unix)\r\nLast-Modified: Mon, 11 Jun 2007 18:53:14 GMT\r\nETag: "2d-432a5e4a73a80"\r\nAccept-Ranges: bytes\r\nContent-Length: 45\r\nContent-Type: text/html\r\n\r\n<html><body><h1>It works!</h1></body></html>\n',
    );
    expect(readLog(t.state, t.pod('httpd'), 'httpd')).toContain(`${ipOf('client')} - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 45\n`);
  });

  test('http-echo: -text on -listen, Go header order', () => {
    const r = curl('-si', `http://${ipOf('echo')}:8080/`).stdout();
    expect(r).toBe(
      'HTTP/1.1 200 OK\r\nX-App-Name: http-echo\r\nX-App-Version: 1.0.0\r\nDate: Sat, 21 Nov 2026 10:00:00 GMT\r\nContent-Length: 16\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello from whms\n',
    );
    expect(curl('-s', `http://${ipOf('echo')}:5678/`).code).toBe(7);
  });

  test('whoami: hostname, addresses, the client and the request', () => {
    const body = curl('-s', `http://${ipOf('whoami')}/`).stdout();
    const lines = body.split('\n');
    expect(lines[0]).toBe('Hostname: whoami');
    expect(lines.slice(1, 4)).toEqual(['IP: 127.0.0.1', 'IP: ::1', `IP: ${ipOf('whoami')}`]);
    expect(lines[5]).toMatch(new RegExp(`^RemoteAddr: ${ipOf('client').replace(/\./g, '\\.')}:\\d+$`));
    expect(body.endsWith(`GET / HTTP/1.1\r\nHost: ${ipOf('whoami')}\r\nUser-Agent: curl/8.11.1\r\nAccept: */*\r\n\r\n`)).toBe(true);
  });

  test('an unknown image answers on its declared ports and says it is a stand-in', () => {
    expect(curl('-s', `http://${ipOf('custom')}:9000/`).stdout()).toBe(
      'kfake does not know what example.com/shop:1.0 answers; this stands in for it: pod custom, container custom, port 9000\n',
    );
    expect(curl('-s', `http://${ipOf('custom')}:8080/`).code).toBe(7);
  });
});

describe('main processes', () => {
  test('a command runs to completion: its output is the log, its status the exit code', () => {
    t.create(pod('once', 'curlimages/curl', { restartPolicy: 'Never' }, { command: ['curl', '-s', `http://${ipOf('echo')}:8080`] }));
    const p = t.pod('once');
    expect(p.status!.phase).toBe('Succeeded');
    expect(readLog(t.state, p, 'once')).toBe('hello from whms\n');
    t.create(pod('fails', 'curlimages/curl', { restartPolicy: 'Never' }, { args: ['-sS', 'http://nowhere'] }));
    const f = t.pod('fails');
    expect(f.status!.phase).toBe('Failed');
    expect(f.status!.containerStatuses![0].state!.terminated!.exitCode).toBe(6);
    expect(readLog(t.state, f, 'fails')).toBe('curl: (6) Could not resolve host: nowhere\n');
  });

  test('with a terminal: no progress meter, CRLF line ends', () => {
    t.create(pod('tty', 'curlimages/curl', { restartPolicy: 'Never' }, { command: ['curl', `http://${ipOf('echo')}:8080`], stdin: true, tty: true }));
    expect(readLog(t.state, t.pod('tty'), 'tty')).toBe('hello from whms\r\n');
  });

  test('a shell without stdin ends at once; with stdin it waits for the attach', () => {
    t.create(pod('sh1', 'busybox', { restartPolicy: 'Never' }, { command: ['sh'] }));
    expect(t.pod('sh1').status!.phase).toBe('Succeeded');
    t.create(pod('sh2', 'busybox', { restartPolicy: 'Never' }, { command: ['sh'], stdin: true, tty: true }));
    expect((t.pod('sh2') as Pod).status!.phase).toBe('Running');
  });

  test('a program the image does not have cannot start (exit 128)', () => {
    t.create(pod('missing', 'busybox', { restartPolicy: 'Never' }, { command: ['curl', 'http://x'] }));
    expect(t.pod('missing').status!.containerStatuses![0].state!.terminated!.exitCode).toBe(128);
  });

  test("amsy810/tools' entrypoint is sleep: arguments after it are sleep's", () => {
    t.create(pod('sleepy', 'amsy810/tools:v2.0', { restartPolicy: 'Never' }, { args: ['curl', '-s', 'http://x'] }));
    expect(readLog(t.state, t.pod('sleepy'), 'sleepy')).toBe("sleep: invalid time interval 'curl'\nTry 'sleep --help' for more information.\n");
  });
});
