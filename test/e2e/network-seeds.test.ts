/**
 * The seed walkthroughs of Services, end to end: curl through a ClusterIP and through its DNS
 * name landing on every pod over repeated calls, named target ports resolving to 80 and 81 per
 * pod, dig A/PTR/SRV answers, the service-link variables with and without enableServiceLinks,
 * NodePort from outside, a LoadBalancer pending until externalIPs are patched, and a ClusterIP
 * that answers on the nodes but not from outside. dig's layout was compared with dig 9.11/9.18
 * output against CoreDNS; the env lines with the seed's `env | grep -i kubernetes`.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, freshClusters, type SetupLine } from '../helpers/kfake.ts';

const fresh = freshClusters();
let c: TestCluster;
const setup = (...lines: SetupLine[]): TestCluster => (c = fresh(...lines));

function value(line: string): string {
  const r = c.sh(line);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

function from(stdout: string): string | undefined {
  return /From=(\S+)/.exec(stdout)?.[1];
}

describe('seed: Service API (amsy810/echo-nginx behind a ClusterIP)', () => {
  it('curl through the cluster IP and the DNS name lands on all three pods', async () => {
    setup('kfake apply -f manifests/service-api/sample-deployment.yaml', 'kfake apply -f manifests/service-api/sample-clusterip.yaml');
    const ip = value('kfake get svc sample-clusterip -o jsonpath={.spec.clusterIP}');
    const pods = value('kfake get pods -o name').split('\n').map((n) => n.replace('pod/', ''));
    const lines = [
      ...Array.from({ length: 4 }, () => `kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- curl -s http://${ip}:8080`),
      ...Array.from({ length: 3 }, () => 'kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- curl -s http://sample-clusterip:8080'),
    ];
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = c.sh(`kfake exec ${pods[0]} -- wget -qO- http://${ip}:8080`);
      seen.add(from(r.stdout)!);
    }
    expect([...seen].sort()).toEqual([...pods].sort());
    const text = c.transcript(['kfake get svc sample-clusterip', ...lines]);
    const landed = new Set([...text.matchAll(/From=(\S+)/g)].map((m) => m[1]));
    expect([...landed].sort()).toEqual([...pods].sort());
    await expect(text).toMatchFileSnapshot('../golden/network/seed-clusterip-curl.txt');
  });

  it('dig: A, PTR (-x) and SRV, as CoreDNS answers them', async () => {
    setup('kfake apply -f manifests/service-api/sample-deployment.yaml', 'kfake apply -f manifests/service-api/sample-clusterip.yaml');
    const ip = value('kfake get svc sample-clusterip -o jsonpath={.spec.clusterIP}');
    const text = c.transcript([
      'kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- dig sample-clusterip.default.svc.cluster.local',
      `kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- dig -x ${ip}`,
      'kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- dig _http-port.tcp.sample-clusterip.default.svc.cluster.local SRV',
      'kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- dig +short nope.default.svc.cluster.local',
    ]);
    expect(text).toContain(`sample-clusterip.default.svc.cluster.local. 30 IN A ${ip}\n`);
    expect(text).toContain(`_http-port.tcp.sample-clusterip.default.svc.cluster.local. 30 IN SRV 0 100 8080 sample-clusterip.default.svc.cluster.local.\n`);
    await expect(text).toMatchFileSnapshot('../golden/network/seed-dig.txt');
  });

  it('service-link variables: the kubernetes Service always, the namespace\'s only with enableServiceLinks', async () => {
    setup('kfake apply -f manifests/service-api/sample-clusterip.yaml', 'kfake apply -f manifests/service-api/sample-deployment.yaml');
    const pod = value('kfake get pods -l app=sample-app -o jsonpath={.items[0].metadata.name}');
    const r = c.sh(`kfake exec -it ${pod} -- env`);
    expect(r.stderr).toBe('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    // `| grep -i kubernetes` runs in the user's shell
    const kube = r.stdout.split('\n').filter((l) => /kubernetes/i.test(l));
    expect([...kube].sort()).toEqual(
      [
        'KUBERNETES_PORT=tcp://10.96.0.1:443',
        'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
        'KUBERNETES_SERVICE_HOST=10.96.0.1',
        'KUBERNETES_SERVICE_PORT_HTTPS=443',
        'KUBERNETES_PORT_443_TCP_PORT=443',
        'KUBERNETES_SERVICE_PORT=443',
        'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
        'KUBERNETES_PORT_443_TCP_PROTO=tcp',
      ].sort(),
    );
    expect(r.stdout).toContain('SAMPLE_CLUSTERIP_SERVICE_HOST=');
    const withLinks = c.transcript([`kfake exec -it ${pod} -- env`]);
    c.sh('kfake delete deploy sample-deployment');
    expect(c.sh('kfake apply -f manifests/service-api/sample-deployment-servicelinks.yaml').code).toBe(0);
    const noLinks = value('kfake get pods -l app=sample-app -o jsonpath={.items[0].metadata.name}');
    const without = c.transcript([`kfake exec ${noLinks} -- env`]);
    expect(without).not.toContain('SAMPLE_CLUSTERIP');
    expect(without).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    await expect(`${withLinks}\n${without}`).toMatchFileSnapshot('../golden/network/seed-env.txt');
  });

  it('named target ports resolve per pod: 80 on one, 81 on the other', async () => {
    setup('kfake apply -f manifests/service-api/sample-named-port-pods.yaml', 'kfake apply -f manifests/service-api/sample-named-port-service.yaml');
    const ip = value('kfake get svc sample-named-port-service -o jsonpath={.spec.clusterIP}');
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) seen.add(from(c.sh(`kfake node exec kfake-control-plane -- curl -s ${ip}:8080`).stdout)!);
    expect([...seen].sort()).toEqual(['sample-named-port-pod-80', 'sample-named-port-pod-81']);
    const text = c.transcript(['kfake get endpoints sample-named-port-service', `kfake node exec kfake-control-plane -- curl -s ${ip}:8080`, `kfake node exec kfake-control-plane -- curl -s ${ip}:8080`]);
    await expect(text).toMatchFileSnapshot('../golden/network/seed-named-ports.txt');
  });
});

describe('seeds: NodePort, LoadBalancer, ClusterIP from nodes and from outside', () => {
  it('a NodePort answers on every node from outside; a ClusterIP only inside', async () => {
    setup('kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-nodeport.yaml', 'kfake apply -f manifests/whms/whms-service.yaml');
    const text = c.transcript([
      'kfake get nodes -o wide',
      'kfake get svc',
      'kfake outside -- curl -s http://172.18.0.2:30080',
      'kfake outside -- curl -s http://172.18.0.3:30080',
      'kfake outside -- curl -s http://kfake-worker2:30080',
      'kfake node exec kfake-control-plane -- curl -s 10.96.0.100',
      'kfake node exec kfake-worker -- curl -s 10.96.0.100:80',
      'kfake outside -- curl -sS -m 5 10.96.0.100',
      'kfake outside -- curl -sS http://whms-service',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/network/seed-nodeport.txt');
  });

  it('a LoadBalancer stays <pending>; patched externalIPs answer from outside', async () => {
    setup('kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-loadbalancer.yaml');
    const text = c.transcript([
      'kfake get svc whms-loadbalancer',
      'kfake outside -- curl -sS -m 3 http://35.222.10.20',
      'kfake outside -- curl -s http://172.18.0.3:30080',
      `kfake patch svc whms-loadbalancer -p '{"spec": {"type": "LoadBalancer", "externalIPs":["35.222.10.20"]}}'`,
      'kfake get svc whms-loadbalancer',
      'kfake outside -- curl -s http://35.222.10.20',
      'kfake outside -- curl -sS -m 3 http://35.222.10.20:8080',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/network/seed-loadbalancer.txt');
  });
});
