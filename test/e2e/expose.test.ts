/**
 * `kfake expose` end to end: the seed post's walkthrough, the services expose derives from pods,
 * deployments, replica sets and services, and kubectl's errors. The --dry-run=client transcript
 * is compared with a golden file recorded from kubectl v1.32 reading the same objects.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestCluster, expectRefused } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
});
afterEach(() => c.cleanup());

/** KFAKE_NOW a number of seconds after the cluster was created. */
const at = (seconds: number) => new Date(Date.parse('2026-11-21T10:00:00Z') + seconds * 1000).toISOString().replace('.000Z', 'Z');

/** Objects to expose: several ports and protocols, none, set-based selectors, no labels, no selector. */
const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: multi
  labels: {app: multi, tier: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: multi}
  template:
    metadata:
      labels: {app: multi}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
        - containerPort: 53
          protocol: UDP
        - containerPort: 53
          protocol: TCP
          name: dns-tcp
      - name: cache
        image: redis
        ports:
        - containerPort: 6379
          name: redis
        - containerPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: noports
spec:
  replicas: 1
  selector:
    matchLabels: {app: noports}
  template:
    metadata:
      labels: {app: noports}
    spec:
      containers:
      - name: web
        image: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: exprs
spec:
  replicas: 1
  selector:
    matchLabels: {app: exprs}
    matchExpressions:
    - {key: tier, operator: In, values: [a, b]}
    - {key: track, operator: Exists}
  template:
    metadata:
      labels: {app: exprs, tier: a, track: stable}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata:
  name: nolabels
spec:
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: noselector
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {a: b}
`;

function setupObjects(): void {
  c.sh('kfake apply -f manifests/pooh/pooh-db-nginx-pod.yaml');
  c.sh('kfake apply -f manifests/pooh/pooh-loadbalancer-service.yaml');
  c.sh('kfake apply -f -', { stdin: WORKLOADS });
}

describe('seed: exposing a pod (002)', () => {
  it('exposes the nginx pod as a ClusterIP service that has its endpoint at once', async () => {
    const text = c.transcript([
      'kfake apply -f manifests/pooh/pooh-db-nginx-pod.yaml',
      ['kfake expose pods pooh-db-nginx-pod --name=pooh-pod-service --type=ClusterIP', { now: at(30) }],
      ['kfake get services', { now: at(35) }],
      ['kfake get endpoints pooh-pod-service', { now: at(35) }],
      ['kfake describe service pooh-pod-service', { now: at(35) }],
      ['kfake get service pooh-pod-service -o yaml', { now: at(35) }],
      // The post's NodePort manifest reuses the name; applied over the exposed Service, the
      // three-way merge keeps the unnamed port 80 beside the new one, which the server refuses.
      ['kfake apply -f manifests/pooh/pooh-nodeport-service.yaml', { now: at(600) }],
      ['kfake delete service pooh-pod-service', { now: at(610) }],
      ['kfake apply -f manifests/pooh/pooh-nodeport-service.yaml', { now: at(620) }],
      ['kfake get service pooh-pod-service', { now: at(630) }],
      ['kfake get endpoints pooh-pod-service', { now: at(630) }],
    ]);
    expect(text).toMatch(/pooh-pod-service\s+10\.244\.\d+\.\d+:80\s/);
    await expect(text).toMatchFileSnapshot('../golden/expose/seed-pooh.txt');
  });
});

describe('--dry-run=client prints the Service kubectl builds', () => {
  it('from pods, deployments, replica sets, services and files', async () => {
    setupObjects();
    fs.writeFileSync(
      path.join(c.dir, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: only-in-a-file\n  namespace: elsewhere\n  labels: {app: file}\nspec:\n  containers:\n  - name: a\n    image: nginx\n    ports: [{containerPort: 9090, protocol: SCTP}]\n',
    );
    fs.writeFileSync(path.join(c.dir, 'workloads.yaml'), WORKLOADS);
    const text = c.transcript([
      'kfake expose pods pooh-db-nginx-pod --name=pooh-pod-service --type=ClusterIP --dry-run=client -o yaml',
      'kfake expose pods pooh-db-nginx-pod --name=pooh-pod-service --type=ClusterIP --dry-run=client -o json',
      'kfake expose pod/pooh-db-nginx-pod --dry-run=client',
      'kfake expose deployment multi --dry-run=client -o yaml',
      'kfake expose deployment multi --dry-run=client -o json',
      'kfake expose deployment multi --port=53 --dry-run=client -o yaml',
      'kfake expose deployment multi --port=80,90 --dry-run=client -o yaml',
      'kfake expose deploy multi --port=53 --protocol=SCTP --target-port=dns --type=LoadBalancer --load-balancer-ip=1.2.3.4 --external-ip=5.6.7.8 --session-affinity=ClientIP --cluster-ip=10.96.5.5 --name=x --labels=a=b,c=d --selector=k=v -n default --dry-run=client -o json',
      'kfake expose deploy multi --port=80 --target-port=08080 --load-balancer-ip=1.2.3.4 --type=NodePort --dry-run=client -o yaml',
      'kfake expose deploy multi --port=80 --type=Bogus --protocol=tcp -l team=x --dry-run=client -o yaml',
      'kfake expose deployment noports --cluster-ip=None --dry-run=client -o yaml',
      'kfake expose deployment noports --cluster-ip=None --dry-run=client -o json',
      'kfake expose replicaset multi-6cdd54487 --dry-run=client -o yaml',
      'kfake expose service pooh-lb-service --dry-run=client -o yaml',
      'kfake expose svc pooh-lb-service --port=443 --target-port=8443 --name=nginx-https --dry-run=client -o json',
      'kfake expose deploy/multi svc/pooh-lb-service --dry-run=client -o yaml',
      'kfake expose svc/pooh-lb-service deploy/multi --dry-run=client -o json',
      'kfake expose deployment,service multi --dry-run=client',
      'kfake expose deployment multi nope --dry-run=client',
      'kfake expose -f pod.yaml --dry-run=client -o yaml',
      'kfake expose -f workloads.yaml --dry-run=client -o yaml',
      'kfake expose -f manifests/pooh/pooh-db-nginx-pod.yaml -f manifests/pooh/pooh-nodeport-service.yaml --dry-run=client -o name',
      "kfake expose deploy multi --port=80 '--overrides={\"apiVersion\":\"v1\",\"spec\":{\"type\":\"NodePort\"}}' --dry-run=client -o yaml",
      "kfake expose deploy multi --port=80 --override-type=json '--overrides=[{\"op\":\"add\",\"path\":\"/spec/type\",\"value\":\"NodePort\"}]' --dry-run=client -o json",
      "kfake expose deploy multi --port=80 --override-type=strategic '--overrides={\"spec\":{\"ports\":[{\"port\":80,\"name\":\"web\"}],\"bogus\":1}}' --dry-run=client -o json",
      'kfake expose pod pooh-db-nginx-pod --dry-run=client -o jsonpath={.spec}',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/expose/dry-run.txt');
  });

  it('errors', async () => {
    setupObjects();
    fs.writeFileSync(path.join(c.dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: elsewhere\n  labels: {app: file}\nspec:\n  containers:\n  - {name: a, image: nginx}\n');
    const text = c.transcript([
      'kfake expose',
      'kfake expose deployment',
      'kfake expose foo bar',
      'kfake expose all multi',
      'kfake expose deploy/',
      'kfake expose deploy multi svc/pooh-lb-service',
      'kfake expose -f pod.yaml deploy multi',
      'kfake expose -f pod.yaml -n other --dry-run=client',
      'kfake expose deployment nope',
      'kfake expose deployment nope other --dry-run=client',
      'kfake expose endpointslices nope',
      'kfake expose configmap settings',
      'kfake expose namespace default',
      'kfake expose deployment noports',
      'kfake expose deployment exprs',
      'kfake expose pod nolabels',
      'kfake expose service noselector',
      'kfake expose deploy multi --port=abc',
      'kfake expose deploy multi --port=99999999999999999999',
      'kfake expose deploy multi --session-affinity=Sticky',
      "kfake expose deploy multi '--selector=tier in (web)'",
      'kfake expose deploy multi --selector=app=multi,tier',
      'kfake expose deploy multi --labels==x',
      'kfake expose deploy multi --dry-run=maybe',
      'kfake expose deploy multi -o wide',
      'kfake expose deploy multi --port=80 --overrides=bad',
      'kfake expose deploy multi --port=80 --override-type=yaml --overrides={}',
      "kfake expose deploy multi --port=80 --override-type=json '--overrides=[{\"op\":\"remove\",\"path\":\"/spec/nope\"}]'",
      "kfake expose deploy multi --port=80 '--overrides={\"spec\":{\"ports\":\"x\"}}'",
    ]);
    await expect(text).toMatchFileSnapshot('../golden/expose/errors.txt');
  });
});

describe('creating the Service', () => {
  it('from a deployment, a replica set, a service and a file; the services get endpoints', async () => {
    setupObjects();
    fs.writeFileSync(path.join(c.dir, 'workloads.yaml'), WORKLOADS);
    const text = c.transcript([
      'kfake expose deployment multi --port=6379 --target-port=redis --type=NodePort --name=multi-np',
      'kfake expose deployment noports --port=8080 --name=noports-8080 -o yaml',
      'kfake expose replicaset multi-6cdd54487 --port=6379 --name=redis --save-config -o json',
      'kfake expose service pooh-lb-service --name=pooh-copy',
      'kfake expose -f workloads.yaml --port=80 --name=from-file --selector=app=multi',
      'kfake expose pod pooh-db-nginx-pod --port=80 --type=LoadBalancer --external-ip=192.0.2.10 --name=pooh-lb2',
      'kfake expose pod pooh-db-nginx-pod --name=pooh-dry --dry-run=server',
      'kfake get services',
      'kfake get endpoints',
      'kfake describe service redis',
      'kfake get service pooh-dry',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/expose/cluster.txt');
  });

  it('creates the Service in the command\'s namespace, not in the exposed object\'s', () => {
    fs.writeFileSync(path.join(c.dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: kube-system\n  labels: {app: file}\nspec:\n  containers:\n  - {name: a, image: nginx, ports: [{containerPort: 80}]}\n');
    expect(c.sh('kfake expose -f pod.yaml').stdout).toBe('service/p exposed\n');
    expect(c.sh('kfake get service p -o jsonpath={.metadata.namespace}').stdout).toBe('default');
  });

  it('reports the server refusing a Service, and creates the others', async () => {
    setupObjects();
    c.sh('kfake expose pod pooh-db-nginx-pod --name=taken');
    const text = c.transcript([
      'kfake expose pod pooh-db-nginx-pod --name=taken',
      'kfake expose pod pooh-db-nginx-pod --name=bad --type=Bogus',
      'kfake expose pod pooh-db-nginx-pod --name=Bad_Name',
      'kfake expose deployment multi --name=dup',
      'kfake expose deployment/multi deployment/noports pod/pooh-db-nginx-pod --port=80 --name=one',
      'kfake get services -l app=multi',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/expose/server-errors.txt');
  });
});

describe('bad input leaves the store untouched', () => {
  const cases: [string, string][] = [
    ['kfake expose', 'error: You must provide one or more resources by argument or filename.\n'],
    ['kfake expose deployment', 'error: resource(s) were provided, but no name was specified\n'],
    ['kfake expose foo bar', 'error: the server doesn\'t have a resource type "foo"\n'],
    ['kfake expose deployment nope', 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    ['kfake expose pod nope --port=80', 'Error from server (NotFound): pods "nope" not found\n'],
    ['kfake expose configmap kube-root-ca.crt', 'error: cannot expose a ConfigMap\n'],
    ['kfake expose deployment coredns -n kube-system --port=abc', 'error: strconv.Atoi: parsing "abc": invalid syntax\n'],
    ['kfake expose deployment coredns -n kube-system --session-affinity=Sticky', 'error: unknown session affinity: Sticky\n'],
    ['kfake expose service kubernetes', "error: couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set\n"],
    ['kfake expose service kube-dns -n kube-system --name=dns --type=Bogus', 'The Service "dns" is invalid: spec.type: Unsupported value: "Bogus"'],
    ['kfake expose service kube-dns -n kube-system', 'Error from server (AlreadyExists): services "kube-dns" already exists\n'],
    ['kfake expose pod nope --bogus', 'unknown flag: --bogus'],
    ['kfake expose -f nonexist.yaml', 'error: the path "nonexist.yaml" does not exist\n'],
  ];
  it.each(cases)('%s', (line, message) => {
    expect(expectRefused(c, line, message).stdout).toBe('');
  });
});
