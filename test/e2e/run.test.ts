/**
 * `kfake run` end to end. The --dry-run=client and client-side error transcripts are compared
 * with golden files recorded from kubectl v1.32 running the same command lines; the others show
 * the pod going through the API server, the kubelet running its command, and what -i/--attach,
 * --rm and --expose make of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
});
afterEach(() => c.cleanup());

describe('--dry-run=client prints what kubectl generates', () => {
  it('pods, the --expose service and --overrides', async () => {
    const text = c.transcript([
      'kfake run nginx --image=nginx --dry-run=client -o yaml',
      'kfake run nginx --image=nginx --dry-run=client -o json',
      'kfake run nginx --image=nginx --dry-run=client',
      'kfake run nginx --image=nginx --dry-run=client -o name',
      'kfake run hazelcast --image=hazelcast/hazelcast --port=5701 --env=DNS_DOMAIN=cluster --env=POD_NAMESPACE=default --labels=app=hazelcast,env=prod --dry-run=client -o yaml',
      'kfake run hazelcast --image=hazelcast/hazelcast --port=5701 --env=DNS_DOMAIN=cluster --env=POD_NAMESPACE=default --labels=app=hazelcast,env=prod --dry-run=client -o json',
      'kfake run testpod --image=amsy810/tools:v2.0 --restart=Never --dry-run=client -o yaml --command -- curl -s http://sample-clusterip:8080',
      'kfake run busybox --image=busybox --restart=OnFailure --dry-run=client -o yaml -- sh -c "echo hello; sleep 10"',
      'kfake run web --image=nginx --port=80 --expose --dry-run=client',
      'kfake run web --image=nginx --port=80 --expose --dry-run=client -o yaml',
      'kfake run web --image=nginx --port=80 --expose --dry-run=client -o json',
      'kfake run web --image=nginx --port=80 --expose --labels=tier=web --dry-run=client -o name',
      'kfake run web --image=nginx --port=80 --expose -n team-a --dry-run=client -o yaml',
      'kfake run shell --image=busybox -i -t --attach=false --restart=Never --dry-run=client -o yaml',
      'kfake run shell --image=busybox -i --leave-stdin-open --attach=false --dry-run=client -o json',
      'kfake run web --image=nginx:1.27 --annotations=team=blue --annotations=note=a=b --image-pull-policy=IfNotPresent --privileged --dry-run=client -o yaml',
      'kfake run web --image=nginx --env=EMPTY= --env=URL=http://x/?a=b --port=8080 --dry-run=client -o yaml',
      'kfake run web --image=nginx --save-config --dry-run=client -o yaml',
      'kfake run web --image=nginx --dry-run=client -o jsonpath={.spec.containers[0].image}',
      `kfake run web --image=nginx --dry-run=client -o yaml --overrides='{"spec":{"nodeName":"kfake-worker","containers":[{"name":"web","image":"nginx:1.27","args":["--debug"]}]}}'`,
      `kfake run web --image=nginx --dry-run=client -o json --overrides='{"apiVersion":"v1","metadata":{"labels":{"extra":"yes"}},"spec":{"hostNetwork":true,"unknownField":1}}'`,
      `kfake run web --image=nginx --dry-run=client -o yaml --override-type=strategic --overrides='{"spec":{"containers":[{"name":"web","env":[{"name":"A","value":"1"}]}]}}'`,
      `kfake run web --image=nginx --dry-run=client -o json --override-type=json --overrides='[{"op":"add","path":"/spec/nodeSelector","value":{"disk":"ssd"}}]'`,
      'kfake run web --image=localhost:5000/team/app:v1 --dry-run=client -o name',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/run/dry-run.txt');
  });
});

describe('bad input', () => {
  it('is refused with kubectl messages before anything is sent', async () => {
    c.sh('kfake get ns');
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake run',
      'kfake run web',
      'kfake run --image=nginx',
      'kfake run web --image=',
      "kfake run web --image='Bad Image'",
      'kfake run web --image=nginx@sha256:abc',
      'kfake run web --image=nginx -t',
      'kfake run web --image=nginx --expose',
      'kfake run web --image=nginx --restart=Sometimes',
      'kfake run web --image=nginx --rm',
      'kfake run web --image=nginx -i --dry-run=client',
      'kfake run web --image=nginx --attach --dry-run=server',
      'kfake run web --image=nginx --image-pull-policy=Sometimes',
      'kfake run web --image=nginx --pod-running-timeout=0s',
      'kfake run web --image=nginx --dry-run=maybe',
      'kfake run web --image=nginx --dry-run=client -l app',
      'kfake run web --image=nginx --dry-run=client -l =web',
      'kfake run web --image=nginx --dry-run=client -l a=b,',
      'kfake run web --image=nginx --dry-run=client --env=NOVALUE',
      'kfake run web --image=nginx --dry-run=client --env=1ST=x',
      'kfake run web --image=nginx --dry-run=client --annotations=note',
      'kfake run web --image=nginx --dry-run=client --port=http',
      'kfake run web --image=nginx --dry-run=client --port=99999999999999999999',
      `kfake run web --image=nginx --dry-run=client --overrides='{"spec":'`,
      `kfake run web --image=nginx --dry-run=client --overrides='[]'`,
      `kfake run web --image=nginx --dry-run=client --overrides='{"spec":{"containers":"web"}}'`,
      `kfake run web --image=nginx --dry-run=client --override-type=strategic --overrides='{bad'`,
      `kfake run web --image=nginx --dry-run=client --override-type=json --overrides='{"op":"add"}'`,
      `kfake run web --image=nginx --dry-run=client --override-type=json --overrides='[{"op":"add" "path":"/x"}]'`,
      `kfake run web --image=nginx --dry-run=client --override-type=json --overrides='[{"op":"remove","path":"/spec/nodeName"}]'`,
      `kfake run web --image=nginx --dry-run=client --override-type=yaml --overrides='{}'`,
      'kfake run web --image=nginx --dry-run=client -o wide',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/run/client-errors.txt');
    expect(c.storeBytes().equals(before)).toBe(true);
  });

  it('reports what the API server refuses, and leaves the store as it was', async () => {
    c.sh('kfake run web --image=nginx');
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake run web --image=nginx',
      'kfake run web --image=nginx --port=80 --expose',
      'kfake run bad --image=nginx --port=70000',
      'kfake run Bad --image=nginx',
      'kfake run web2 --image=nginx -l app=-x',
      'kfake run web2 --image=nginx -n nowhere',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/run/server-errors.txt');
    expect(c.storeBytes().equals(before)).toBe(true);
  });
});

describe('creating pods', () => {
  it('creates the pod (and the service first with --expose) as kubectl prints it', async () => {
    const text = c.transcript([
      'kfake run nginx --image=nginx',
      'kfake run web --image=nginx --port=80 --expose',
      'kfake run --image=nginx -- sleeper sleep 3600',
      'kfake run labelled --image=nginx --labels=app=web,tier=front --port=8080 --expose',
      'kfake run web --image=nginx --port=80 --expose',
      'kfake run dry --image=nginx --dry-run=server',
      'kfake run dry --image=nginx --dry-run=server -o name',
      'kfake get pods',
      'kfake get svc',
      'kfake get pod sleeper -o jsonpath={.spec.containers[0].args}',
      'kfake get svc labelled -o jsonpath={.spec.selector}',
      'kfake get pod nginx -o jsonpath={.metadata.labels}',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/run/cluster.txt');
  });

  it('prints the created pod with -o, in Go field order for JSON', async () => {
    const json = c.sh('kfake run web --image=nginx -o json');
    expect(json.code).toBe(0);
    const keys = Object.keys(JSON.parse(json.stdout));
    expect(keys).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(Object.keys(JSON.parse(json.stdout).metadata).slice(0, 3)).toEqual(['name', 'namespace', 'uid']);
    const yaml = c.sh('kfake run web2 --image=nginx -o yaml');
    expect(yaml.stdout.startsWith('apiVersion: v1\nkind: Pod\nmetadata:\n')).toBe(true);
    expect(yaml.stdout).toContain('  phase: Pending\n');
  });

  it('--save-config stores the generated object as the last applied configuration', () => {
    c.sh('kfake run web --image=nginx --save-config');
    const pod = JSON.parse(c.sh('kfake get pod web -o json').stdout);
    // run.go encodes its typed Pod before sending it: Go field order, no namespace
    expect(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"run":"web"}},"spec":{"containers":[{"name":"web","image":"nginx","resources":{}}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst"},"status":{}}\n',
    );
  });
});

describe('-i / --attach', () => {
  it('seed: a throw-away pod runs curl and dig against the service, then is deleted (003)', async () => {
    c.sh('kfake apply -f manifests/service-api/sample-deployment.yaml');
    c.sh('kfake apply -f manifests/service-api/sample-clusterip.yaml');
    const ip = c.sh('kfake get svc sample-clusterip -o jsonpath={.spec.clusterIP}').stdout;
    const text = c.transcript([
      `kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- curl -s http://${ip}:8080`,
      'kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- curl -s http://sample-clusterip:8080',
      'kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- dig +short sample-clusterip.default.svc.cluster.local',
      'kfake get pods',
    ]);
    expect(text).toContain(`Host=${ip}  Path=/  From=sample-deployment-`);
    expect(text.match(/pod "testpod" deleted/g)).toHaveLength(3);
    await expect(text).toMatchFileSnapshot('../golden/run/seed-service-api.txt');
  });

  it('a failing command ends kfake with its exit code; --rm still deletes the pod first', async () => {
    const text = c.transcript([
      'kfake run --image=amsy810/tools:v2.0 --restart=Never --rm -i testpod --command -- curl -s http://nowhere:8080',
      'kfake run --image=amsy810/tools:v2.0 --restart=Never -i kept --command -- curl -s http://nowhere:8080',
      'kfake get pod kept',
      'kfake run --image=busybox --restart=Never --rm -i -q quiet -- sh -c "exit 3"',
      'kfake get pods',
    ]);
    expect(c.sh('kfake run --image=busybox --restart=Never --rm -i again -- sh -c "exit 7"').code).toBe(7);
    await expect(text).toMatchFileSnapshot('../golden/run/exit-codes.txt');
  });

  it('attaches to a running container until its input ends, or times out waiting for it', async () => {
    const text = c.transcript([
      // restart Always: the session ends with standard input and kfake succeeds
      ['kfake run -i --rm server --image=nginx', { stdin: '' }],
      // Never: kubectl then waits for the container to finish, which a server never does
      ['kfake run -i --rm --restart=Never --pod-running-timeout=1s server --image=nginx', { stdin: '' }],
      // -t without a terminal
      ['kfake run -it --rm shell --image=nginx', { stdin: '' }],
      // --expose with --rm: the service is printed when created and deleted with the pod
      ['kfake run -i --rm web --image=nginx --port=80 --expose', { stdin: '' }],
      // a pod that cannot be scheduled never runs
      [`kfake run -i --rm --pod-running-timeout=1s stuck --image=nginx --overrides='{"spec":{"nodeSelector":{"disk":"none"}}}'`, { stdin: '' }],
      'kfake get pods,svc',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/run/attach.txt');
  });

  it('seed: an interactive shell reads its commands from standard input (000)', async () => {
    c.sh('kfake apply -f manifests/service-api/sample-deployment.yaml');
    c.sh('kfake apply -f manifests/service-api/sample-clusterip.yaml');
    const text = c.transcript([
      ['kfake run -it --image nicolaka/netshoot testnet bash', { stdin: 'curl -s sample-clusterip:8080\nexit\n' }],
      ['kfake run -i --rm --restart=Never sh --image=busybox -- sh', { stdin: 'echo hello from sh\nexit 4\n' }],
    ]);
    expect(text).toContain('From=sample-deployment-');
    await expect(text).toMatchFileSnapshot('../golden/run/interactive.txt');
  });
});
