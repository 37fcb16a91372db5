/**
 * ingress-nginx's own answers and proxy headers. The byte counts are the Content-Length values
 * ingress-nginx (server_tokens off) sends for its default-backend 404 and its no-endpoints 503.
 */
import { describe, expect, it } from 'vitest';
import { defaultBackend404, ingressAccessLogLine, serviceUnavailable503, upstreamRequestHeaders } from '../../src/ingress/responses.ts';

const DATE = new Date('2026-11-21T10:00:00Z');

describe('error responses', () => {
  it('answers an unmatched request with nginx 404 page (146 bytes, no Server header)', () => {
    const r = defaultBackend404(DATE);
    expect(r.status).toBe(404);
    expect(r.reason).toBe('Not Found');
    expect(r.headers).toEqual([
      ['Date', 'Sat, 21 Nov 2026 10:00:00 GMT'],
      ['Content-Type', 'text/html'],
      ['Content-Length', '146'],
      ['Connection', 'keep-alive'],
    ]);
    expect(r.body).toBe(
      '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    );
  });

  it('answers a backend without endpoints with 503 Service Temporarily Unavailable (190 bytes)', () => {
    const r = serviceUnavailable503(DATE);
    expect(`${r.status} ${r.reason}`).toBe('503 Service Temporarily Unavailable');
    expect(r.headers[2]).toEqual(['Content-Length', '190']);
    expect(r.body).toContain('<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>');
  });
});

describe('proxying', () => {
  it("sets ingress-nginx's proxy headers, then passes the client's", () => {
    const headers = upstreamRequestHeaders({
      host: 'web.example:30080',
      clientIP: '10.244.0.1',
      serverPort: 80,
      requestId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      clientHeaders: [
        ['Host', 'web.example:30080'],
        ['User-Agent', 'curl/8.5.0'],
        ['Accept', '*/*'],
        ['X-Forwarded-For', '203.0.113.9'],
      ],
    });
    expect(headers).toEqual([
      ['Host', 'web.example:30080'],
      ['X-Request-ID', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
      ['X-Real-IP', '10.244.0.1'],
      ['X-Forwarded-For', '10.244.0.1'],
      ['X-Forwarded-Host', 'web.example:30080'],
      ['X-Forwarded-Port', '80'],
      ['X-Forwarded-Proto', 'http'],
      ['X-Forwarded-Scheme', 'http'],
      ['X-Scheme', 'http'],
      ['X-Original-Forwarded-For', '203.0.113.9'],
      ['User-Agent', 'curl/8.5.0'],
      ['Accept', '*/*'],
    ]);
  });

  it('logs in the upstreaminfo format', () => {
    const line = ingressAccessLogLine({
      clientIP: '172.18.0.1',
      time: DATE,
      method: 'GET',
      uri: '/testpath',
      status: 200,
      bodyBytes: 615,
      userAgent: 'curl/8.5.0',
      requestLength: 79,
      upstream: 'default-test-80',
      upstreamAddr: '10.244.1.3:80',
      upstreamStatus: 200,
      upstreamBytes: 615,
      requestId: 'abc',
    });
    expect(line).toBe(
      '172.18.0.1 - - [21/Nov/2026:10:00:00 +0000] "GET /testpath HTTP/1.1" 200 615 "-" "curl/8.5.0" 79 0.000 [default-test-80] [] 10.244.1.3:80 615 0.000 200 abc\n',
    );
  });
});
