/**
 * The core commands end to end: the seed posts' apply/get/describe walkthroughs, and bad input,
 * which must give kubectl's message and exit code and leave the store byte for byte as it was.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectRefused, TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
});
afterEach(() => c.cleanup());

/** KFAKE_NOW a number of seconds after the cluster was created. */
const at = (seconds: number) => new Date(Date.parse('2026-11-21T10:00:00Z') + seconds * 1000).toISOString().replace('.000Z', 'Z');

describe('seed: service API walkthrough (003)', () => {
  it('applies the echo deployment and a ClusterIP service, then lists and describes them', async () => {
    const text = c.transcript([
      'kfake apply -f manifests/service-api/sample-deployment.yaml',
      ['kfake get pod', { now: at(111) }],
      ["kfake get pod -o jsonpath='{.items[0].metadata.labels}'", { now: at(111) }],
      ['kfake get pod -l app=sample-app -o custom-columns="NAME:{metadata.name},IP:{status.podIP}"', { now: at(111) }],
      ['kfake apply -f manifests/service-api/sample-clusterip.yaml', { now: at(120) }],
      ['kfake get service sample-clusterip', { now: at(141) }],
      ['kfake describe service sample-clusterip', { now: at(141) }],
      ['kfake get endpoints sample-clusterip', { now: at(141) }],
      ['kfake get all', { now: at(1020) }],
    ]);
    await expect(text).toMatchFileSnapshot('../golden/core/seed-service-api.txt');
  });

  it('resolves a named targetPort per pod (80 and 81)', async () => {
    const text = c.transcript([
      'kfake apply -f manifests/service-api/sample-named-port-pods.yaml',
      'kfake apply -f manifests/service-api/sample-named-port-service.yaml',
      ['kfake describe service sample-named-port-service', { now: at(88) }],
      ['kfake get pod -o wide', { now: at(88) }],
      ['kfake get endpointslices', { now: at(88) }],
    ]);
    expect(text).toMatch(/Endpoints:\s+10\.244\.\d+\.\d+:80,10\.244\.\d+\.\d+:81|Endpoints:\s+10\.244\.\d+\.\d+:81,10\.244\.\d+\.\d+:80/);
    await expect(text).toMatchFileSnapshot('../golden/core/seed-named-ports.txt');
  });

  it('keeps allocations on re-apply and reports unchanged/configured', async () => {
    c.sh('kfake apply -f manifests/service-api/sample-clusterip.yaml');
    const ip1 = c.sh("kfake get svc sample-clusterip -o jsonpath={.spec.clusterIP}").stdout;
    const again = c.sh('kfake apply -f manifests/service-api/sample-clusterip.yaml');
    expect(again.stdout).toBe('service/sample-clusterip unchanged\n');
    expect(c.sh("kfake get svc sample-clusterip -o jsonpath={.spec.clusterIP}").stdout).toBe(ip1);
    // a field removed from the manifest is removed from the object
    const edited = c.sh('kfake apply -f -', {
      stdin: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: sample-clusterip\nspec:\n  ports:\n  - name: http-port\n    port: 8080\n    targetPort: 80\n',
    });
    expect(edited.stdout).toBe('service/sample-clusterip configured\n');
    expect(c.sh("kfake get svc sample-clusterip -o jsonpath={.spec.selector}").stdout).toBe('');
    expect(c.sh("kfake get svc sample-clusterip -o jsonpath={.spec.clusterIP}").stdout).toBe(ip1);
  });
});

describe('seed: whms services (000)', () => {
  it('a requested cluster IP, a NodePort, and a LoadBalancer pending without a load balancer', async () => {
    const text = c.transcript([
      'kfake apply -f manifests/whms/whms-deployment.yaml',
      'kfake apply -f manifests/whms/whms-service.yaml',
      'kfake apply -f manifests/whms/whms-nodeport.yaml',
      'kfake apply -f manifests/whms/whms-loadbalancer.yaml',
      ['kfake get svc', { now: at(17880) }],
      ['kfake describe svc whms-nodeport', { now: at(17880) }],
    ]);
    expect(text).toContain('provided port is already allocated');
    await expect(text).toMatchFileSnapshot('../golden/core/seed-whms.txt');
  });
});

describe('cluster bootstrap', () => {
  it('looks like a kubeadm cluster with CoreDNS and kube-proxy', async () => {
    const text = c.transcript([
      'kfake get nodes -o wide',
      'kfake get pods -A -o wide',
      'kfake get svc -A',
      'kfake get ns',
      'kfake get cm -A',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/core/bootstrap.txt');
  });

  it('makes the default store under a fresh home on the first command', () => {
    const env = { KFAKE_STORE: '' };
    const r = c.run(['get', 'ns'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kube-system');
    const store = `${c.dir}/.kfake/cluster.json`;
    expect(fs.existsSync(store)).toBe(true);
    expect((fs.statSync(`${c.dir}/.kfake`).mode & 0o777).toString(8)).toBe('700');
    expect(c.run(['cluster', 'reset'], { env }).code).toBe(0);
    expect(fs.existsSync(c.store)).toBe(false);
  });
});

describe('bad input leaves the store untouched', () => {
  const cases: [string, string | RegExp][] = [
    ['kfake apply -f manifests/broken/service-nodeselector.yaml', 'Error from server (BadRequest): error when creating "/'],
    ['kfake apply -f manifests/broken/syntax-error.yaml', 'error converting YAML to JSON: yaml: line 8: did not find expected key'],
    ['kfake apply -f manifests/broken/tab-indentation.yaml', 'yaml: line 6: found character that cannot start any token'],
    ['kfake apply -f manifests/broken/missing-kind.yaml', 'error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false'],
    ['kfake apply -f manifests/broken/unknown-kind.yaml', 'no matches for kind "Servce" in version "v1"\nensure CRDs are installed first'],
    ['kfake apply -f manifests/broken/invalid-service.yaml', 'The Service "Invalid_Name" is invalid: \n* metadata.name: Invalid value: "Invalid_Name"'],
    ['kfake apply -f manifests/broken/loadbalancer-clusterip-out-of-range.yaml', 'The Service "my-service" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.171.239"}: failed to allocate IP 10.0.171.239: the provided IP (10.0.171.239) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
    ['kfake create -f manifests/broken/service-nodeselector.yaml', 'strict decoding error: unknown field "spec.nodeSelector"'],
    ['kfake apply -f nonexist.yaml', 'error: the path "nonexist.yaml" does not exist'],
    ['kfake apply', 'error: must specify one of -f and -k'],
    ['kfake get', 'You must specify the type of resource to get.'],
    ['kfake get foo', 'error: the server doesn\'t have a resource type "foo"'],
    ['kfake get svc nope', 'Error from server (NotFound): services "nope" not found'],
    ['kfake get deploy nope', 'Error from server (NotFound): deployments.apps "nope" not found'],
    ['kfake describe svc nope', 'Error from server (NotFound): services "nope" not found'],
    ['kfake delete svc nope', 'Error from server (NotFound): services "nope" not found'],
    ['kfake delete svc', 'error: resource(s) were provided, but no name was specified'],
    ['kfake get pods -o bogus', 'error: unable to match a printer suitable for the output format "bogus", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml'],
    ['kfake get pods --foo', "error: unknown flag: --foo\nSee 'kfake get --help' for usage."],
    ['kfake gett pods', 'error: unknown command "gett" for "kfake"\n\nDid you mean this?\n\tset\n\tget\n'],
    ['kfake get pods -l a=(', 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "a=(", field selector "": unable to parse requirement: found \'(\', expected: identifier'],
    ['kfake get svc web --all-namespaces', 'error: a resource cannot be retrieved by name across all namespaces'],
    ['kfake apply -f manifests/basics/external-name.yaml --validate=bogus', 'error: invalid - validate option "bogus"; must be one of: strict (or true), warn, ignore (or false)'],
  ];
  it.each(cases)('%s', (line, message) => {
    expectRefused(c, line, message);
  });

  it('leaves the Events section out with --show-events=false, as kubectl does', () => {
    c.sh('kfake apply -f manifests/service-api/sample-deployment.yaml');
    const rs = c.sh('kfake get rs -l app=sample-app -o name').stdout.trim();
    const pod = c.sh('kfake get pods -l app=sample-app -o name').stdout.split('\n')[0];
    for (const target of ['deployment sample-deployment', rs, pod, 'service kubernetes', 'node kfake-worker', 'configmap kube-root-ca.crt']) {
      const shown = c.sh(`kfake describe ${target}`);
      const hidden = c.sh(`kfake describe ${target} --show-events=false`);
      expect(shown.code).toBe(0);
      expect(hidden.code).toBe(0);
      const events = shown.stdout.search(/^Events:/m);
      expect(events, target).toBeGreaterThan(0);
      expect(hidden.stdout, target).toBe(shown.stdout.slice(0, events));
    }
  });

  it('prints tables without headers, and turns a boolean flag back off with =false', async () => {
    const text = c.transcript([
      'kfake apply -f manifests/service-api/sample-deployment.yaml',
      ['kfake get pods,deployments -n kube-system --no-headers', { now: at(60) }],
      ['kfake get pods -A --no-headers --show-labels -l app=sample-app', { now: at(60) }],
      ['kfake get deploy --no-headers=false', { now: at(60) }],
      ['kfake get pods -A --show-labels=false --no-headers -o custom-columns=NAME:.metadata.name -l app=sample-app', { now: at(60) }],
      'kfake api-resources --no-headers --api-group=apps',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/core/no-headers.txt');
  });

  it('applies the good objects of a directory and reports the bad one', () => {
    const r = c.sh('kfake apply -f manifests/whms/');
    expect(r.stdout).toBe(
      'deployment.apps/whms-deployment created\nservice/whms-loadbalancer created\nservice/whms-service created\n',
    );
    expect(r.stderr).toMatch(/^The Service "whms-nodeport" is invalid: spec.ports\[0\].nodePort: Invalid value: 30080: provided port is already allocated\n$/);
    expect(r.code).toBe(1);
  });

  it('reports a corrupt store without touching it', () => {
    c.sh('kfake get ns');
    const text = fs.readFileSync(c.store, 'utf8');
    fs.writeFileSync(c.store, text.slice(0, text.length / 2));
    const before = c.storeBytes();
    for (const line of ['kfake get pods', 'kfake apply -f manifests/basics/external-name.yaml']) {
      const r = c.sh(line);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: the cluster store .*cluster\.json is corrupt \(.*\); it was left untouched\. Restore the previous good copy with 'cp .*cluster\.json\.bak .*cluster\.json', or start over with 'kfake cluster reset'\n$/);
      expect(c.storeBytes().equals(before)).toBe(true);
    }
  });
});

describe('streams and exit codes', () => {
  it('prints "No resources found" on stderr with exit 0', () => {
    const r = c.sh('kfake get deploy');
    expect(r).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
    expect(c.sh('kfake get deploy -n kube-system -o name').stdout).toBe('deployment.apps/coredns\n');
  });

  it('prints found objects and then the NotFound error, exit 1', () => {
    const r = c.sh('kfake get svc kubernetes nope');
    expect(r.stdout).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP/);
    expect(r.stderr).toBe('Error from server (NotFound): services "nope" not found\n');
    expect(r.code).toBe(1);
  });
});
