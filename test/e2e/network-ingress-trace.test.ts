/**
 * Requests through the ingress-nginx controller from outside (path routing, rewrite-target, the
 * controller's 404, its access log), and `kfake trace` explaining a request hop by hop.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, freshClusters, type SetupLine } from '../helpers/kfake.ts';

const fresh = freshClusters();
let c: TestCluster;
const setup = (...lines: SetupLine[]): TestCluster => (c = fresh(...lines));

describe('ingress from outside', () => {
  it('routes /testpath (rewritten to /) to the backend, 404 elsewhere, logs each request', async () => {
    setup('kfake cluster reset --ingress nginx', 'kfake apply -f manifests/basics/my-app.yaml', 'kfake apply -f manifests/basics/minimal-ingress.yaml');
    const port = c.sh('kfake get svc -n ingress-nginx ingress-nginx-controller -o jsonpath={.spec.ports[0].nodePort}').stdout.trim();
    const text = c.transcript([
      'kfake get ingress',
      `kfake outside -- curl -s -o /dev/null -w '%{http_code}\\n' http://172.18.0.3:${port}/testpath`,
      `kfake outside -- curl -si http://172.18.0.4:${port}/other`,
      `kfake outside -- curl -s -H "Host: shop.example.com" http://172.18.0.2:${port}/testpath/deeper -o /dev/null -w '%{http_code}\\n'`,
      'kfake logs -n ingress-nginx deploy/ingress-nginx-controller --tail=3',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/network/ingress.txt');
  });
});

describe('trace', () => {
  it('a request through a Service, a refused one and a dropped one', async () => {
    setup(
      'kfake apply -f manifests/service-api/sample-deployment.yaml',
      'kfake apply -f manifests/service-api/sample-clusterip.yaml',
      'kfake create service clusterip nobody --tcp=80:80',
      'kfake run client --image=curlimages/curl --command -- sleep infinity',
    );
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake trace --from pod/client -- curl -s http://sample-clusterip:8080',
      'kfake trace --from pod/client -- curl -sS http://nobody',
      'kfake trace --from outside -- curl -sS -m 2 http://sample-clusterip:8080',
      'kfake trace --from node/kfake-worker -- dig +short sample-clusterip.default.svc.cluster.local',
      'kfake trace --from node/kfake-worker -- dig +short @10.96.0.10 sample-clusterip.default.svc.cluster.local',
      'kfake trace --from pod/nope -- curl http://x',
      'kfake trace -- curl http://x',
    ]);
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/network/trace.txt');
  });
});
