/**
 * `kfake create service|deployment|namespace|configmap` end to end. The --dry-run=client
 * transcripts are compared with golden files recorded from kubectl v1.32 running the same
 * command lines on the same files (offline, which --dry-run=client allows); the others show
 * the objects going through the API server and what the cluster then holds.
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

/** Files for --from-file and --from-env-file, the same ones kubectl read for the golden files. */
function writeConfigFiles(dir: string): void {
  fs.mkdirSync(path.join(dir, 'conf', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'greeting.txt'), 'hello\nworld\n');
  fs.writeFileSync(path.join(dir, 'conf', 'app.properties'), 'color=blue\nsize=3\n');
  fs.writeFileSync(path.join(dir, 'conf', 'logo.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x62, 0x69, 0x6e]));
  fs.writeFileSync(path.join(dir, 'conf', 'sub', 'ignored.txt'), 'subdirectories are skipped');
  fs.symlinkSync('../greeting.txt', path.join(dir, 'conf', 'link.txt'));
  fs.writeFileSync(path.join(dir, 'app.env'), '\ufeff# settings\nMODE=prod\n  LEVEL= debug  \r\n\t\nexport_X=1\nFROM_ENV\nEMPTY=\nURL=a=b\n');
  fs.writeFileSync(path.join(dir, 'more.env'), 'EXTRA=1');
  fs.writeFileSync(path.join(dir, 'dup.env'), 'MODE=dev\n');
  fs.writeFileSync(path.join(dir, 'badkey.env'), 'OK=1\nexport BAD=2\n');
  fs.writeFileSync(path.join(dir, 'digit.env'), '1ST=x\n');
  fs.writeFileSync(path.join(dir, 'latin1.env'), Buffer.from('A=caf\xe9\n', 'latin1'));
  fs.mkdirSync(path.join(dir, 'badkeys'));
  fs.writeFileSync(path.join(dir, 'badkeys', 'has space'), 'x');
}

describe('--dry-run=client prints what kubectl generates', () => {
  it('services', async () => {
    const text = c.transcript([
      'kfake create service clusterip my-cs --tcp=5678:8080 --dry-run=client -o yaml',
      'kfake create service clusterip my-cs --tcp=5678:8080 --dry-run=client -o json',
      'kfake create service clusterip headless --clusterip=None --dry-run=client -o yaml',
      'kfake create service clusterip headless --clusterip=None --dry-run=client -o json',
      'kfake create service clusterip fixed --tcp=80 --clusterip=10.96.100.100 --dry-run=client -o yaml',
      'kfake create service clusterip multi --tcp=80,443:https --tcp 8080:8443 --tcp=080 --dry-run=client -o yaml',
      'kfake create service nodeport my-ns --tcp=80,443:https --node-port=30080 --dry-run=client -o yaml',
      'kfake create service nodeport my-ns --tcp=80:8080 --dry-run=client -o json',
      'kfake create service loadbalancer my-lbs --tcp=5678:8080 -n team-a --dry-run=client -o json',
      'kfake create service loadbalancer my-lbs --tcp=5678:8080 -n team-a --dry-run=client -o yaml',
      'kfake create service externalname my-en --external-name bar.com --dry-run=client -o yaml',
      'kfake create service externalname my-en --external-name=bar.com --tcp=80 --dry-run=client -o json',
      'kfake create svc clusterip my-cs --tcp=5678:8080 --dry-run=client',
      'kfake create service clusterip my-cs --tcp=5678:8080 --dry-run=client -o name',
      "kfake create service clusterip my-cs --tcp=5678:8080 --dry-run=client -o jsonpath={.spec.ports[0].name}",
      'kfake create service clusterip my-cs --tcp=5678:8080 --save-config --dry-run=client -o yaml',
      'kfake create service clusterip Odd_Name --tcp=80 --dry-run=client -o yaml',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/create/service-dry-run.txt');
  });

  it('deployments', async () => {
    const text = c.transcript([
      'kfake create deployment my-dep --image=busybox --dry-run=client -o yaml',
      'kfake create deployment my-dep --image=busybox --dry-run=client -o json',
      'kfake create deployment my-dep --image=nginx --replicas=3 --port=80 --dry-run=client -o yaml',
      'kfake create deploy my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx --port=5701 -n team-a --dry-run=client -o json',
      'kfake create deployment my-dep --image=busybox,registry:5000/team/app:v1,app@sha256:0123 -r 0 --dry-run=client -o yaml',
      'kfake create deployment my-dep --image=busybox --dry-run=client -o yaml -- date -u',
      'kfake create deployment my-dep --image=busybox --dry-run=client -o json -- sh -c "sleep 3600"',
      'kfake create deployment my-dep --image=x --port=0 --replicas=-1 --dry-run=client -o yaml',
      'kfake create deployment my-dep --image= --dry-run=client -o yaml',
      'kfake create deployment my-dep --image=nginx --save-config --dry-run=client -o yaml',
      'kfake create deployment my-dep --image=nginx --save-config -n team-a --dry-run=client -o json',
      'kfake create deployment my-dep --image=nginx --dry-run=client',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/create/deployment-dry-run.txt');
  });

  it('namespaces', async () => {
    const text = c.transcript([
      'kfake create namespace my-namespace --dry-run=client -o yaml',
      'kfake create namespace my-namespace --dry-run=client -o json',
      'kfake create ns n --dry-run=client -o yaml',
      'kfake create ns my-namespace -n other --dry-run=client -o json',
      'kfake create namespace my-namespace --save-config --dry-run=client -o yaml',
      'kfake create namespace my-namespace --dry-run=client',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/create/namespace-dry-run.txt');
  });

  it('configmaps', async () => {
    writeConfigFiles(c.dir);
    const text = c.transcript([
      'kfake create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2 --dry-run=client -o yaml',
      'kfake create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2 --dry-run=client -o json',
      'kfake create configmap my-config --from-literal=url=a=b --from-literal=empty= --from-literal=html=<&> --dry-run=client -o json',
      'kfake create configmap my-config --from-file=greeting.txt --dry-run=client -o yaml',
      'kfake create configmap my-config --from-file=conf --dry-run=client -o yaml',
      'kfake create configmap my-config --from-file=conf/ --dry-run=client -o json',
      'kfake create configmap my-config --from-file=msg=greeting.txt,conf/app.properties --from-literal=z=1 --dry-run=client -o json',
      'kfake create configmap my-config --from-env-file=app.env --dry-run=client -o yaml',
      'kfake create configmap my-config --from-env-file=app.env --from-env-file=more.env --dry-run=client -o json',
      'kfake create cm my-config --from-literal=a=1 --append-hash --dry-run=client -o yaml',
      'kfake create cm my-config --from-file=conf --append-hash --dry-run=client -o yaml',
      'kfake create cm my-config --append-hash --dry-run=client -o yaml',
      'kfake create cm my-config --dry-run=client -o json',
      'kfake create cm my-config --from-literal=a=1 --save-config -n team-a --dry-run=client -o yaml',
      'kfake create cm my-config --from-literal=a=1 --dry-run=client',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/create/configmap-dry-run.txt');
  });

  it('errors', async () => {
    writeConfigFiles(c.dir);
    const text = c.transcript([
      'kfake create service',
      'kfake create service bogus',
      'kfake create service clusterip',
      'kfake create service clusterip a b --tcp=80',
      'kfake create service clusterip x --dry-run=client',
      'kfake create service clusterip x --tcp=abc --dry-run=client',
      'kfake create service clusterip x --tcp=70000 --dry-run=client',
      'kfake create service clusterip x --tcp=80:0 --dry-run=client',
      'kfake create service clusterip x --tcp=80:Bad_Name --dry-run=client',
      'kfake create service clusterip x --tcp=80:averyveryverylongname --dry-run=client',
      'kfake create service clusterip x --tcp=80: --dry-run=client',
      'kfake create service externalname x --dry-run=client',
      'kfake create service externalname x --external-name=Bad_Name --dry-run=client',
      'kfake create service clusterip x --tcp=80 --dry-run=bogus',
      'kfake create service clusterip x --tcp=80 --dry-run=client -o wide',
      'kfake create deployment my-dep --dry-run=client',
      'kfake create deployment --image=nginx --dry-run=client',
      'kfake create deployment a b --image=nginx --dry-run=client',
      'kfake create deployment my-dep --image=busybox --image=nginx --dry-run=client -- date',
      'kfake create namespace --dry-run=client',
      'kfake create configmap --from-literal=a=1 --dry-run=client',
      'kfake create configmap c --from-literal=a --dry-run=client',
      'kfake create configmap c --from-literal==a --dry-run=client',
      'kfake create configmap c "--from-literal=bad key=1" --dry-run=client',
      'kfake create configmap c --from-literal=..a=1 --dry-run=client',
      'kfake create configmap c --from-literal=a=1 --from-literal=a=2 --dry-run=client',
      'kfake create configmap c --from-file=a=greeting.txt --from-literal=a=2 --dry-run=client',
      'kfake create configmap c --from-file=nope.txt --dry-run=client',
      'kfake create configmap c --from-file=k=conf --dry-run=client',
      'kfake create configmap c --from-file==greeting.txt --dry-run=client',
      'kfake create configmap c --from-file=k= --dry-run=client',
      'kfake create configmap c --from-file=a=b=c --dry-run=client',
      'kfake create configmap c --from-file=badkeys --dry-run=client',
      'kfake create configmap c --from-env-file=app.env --from-literal=a=b --dry-run=client',
      'kfake create configmap c --from-env-file=conf --dry-run=client',
      'kfake create configmap c --from-env-file=nope.env --dry-run=client',
      'kfake create configmap c --from-env-file=app.env,dup.env --dry-run=client',
      'kfake create configmap c --from-env-file=badkey.env --dry-run=client',
      'kfake create configmap c --from-env-file=digit.env --dry-run=client',
      'kfake create configmap c --from-env-file=latin1.env --dry-run=client',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/create/errors.txt');
  });

  it('gives containers of images with dots or underscores a random suffix, repeatable with KFAKE_SEED', () => {
    const line = 'kfake create deployment d --image=registry.io/my_app.v2:1.0 --dry-run=client -o jsonpath={.spec.template.spec.containers[0].name}';
    const first = c.sh(line).stdout;
    expect(first).toMatch(/^my-app-v2-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(c.sh(line).stdout).toBe(first);
  });

  it('takes a bare env-file key from the environment', () => {
    writeConfigFiles(c.dir);
    const r = c.sh('kfake create configmap c --from-env-file=app.env --dry-run=client -o jsonpath={.data.FROM_ENV}', { env: { FROM_ENV: 'from the shell' } });
    expect(r.stdout).toBe('from the shell');
  });

  it('does not read or create the cluster store', () => {
    expect(c.sh('kfake create namespace x --dry-run=client').code).toBe(0);
    expect(fs.existsSync(c.store)).toBe(false);
  });
});

describe('creating through the API server', () => {
  it('services of each type get their allocations', async () => {
    const text = c.transcript([
      'kfake create service clusterip my-cs --tcp=5678:8080',
      'kfake create service nodeport my-ns --tcp=80:8080 --node-port=30080',
      'kfake create service loadbalancer my-lbs --tcp=443:https',
      'kfake create service externalname my-en --external-name=bar.com',
      'kfake create service clusterip headless --clusterip=None',
      'kfake get services',
      'kfake describe service my-ns',
      'kfake create service clusterip my-cs2 --tcp=80 -o json',
      'kfake create service nodeport dry --tcp=80 --dry-run=server',
      'kfake get service dry',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/create/service-cluster.txt');
  });

  it('a deployment runs its pods; a namespace and a configmap are stored as generated', async () => {
    writeConfigFiles(c.dir);
    const text = c.transcript([
      'kfake create deployment web --image=nginx:1.27 --replicas=2 --port=80',
      'kfake get deployment,replicaset,pods -l app=web',
      'kfake create deployment saved --image=nginx --save-config -o yaml',
      'kfake create namespace team-a',
      'kfake create configmap settings --from-file=conf --from-literal=mode=prod -n team-a -o yaml',
      'kfake create configmap env --from-env-file=app.env -n team-a',
      'kfake get ns team-a',
      'kfake get configmaps -n team-a',
      'kfake describe configmap env -n team-a',
      'kfake create namespace team-b --dry-run=server -o json',
      'kfake get namespace team-b',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/create/objects-cluster.txt');
  });

  it('reports the server refusing an object as kubectl does', async () => {
    c.sh('kfake create service clusterip taken --tcp=80');
    c.sh('kfake create deployment taken --image=nginx');
    c.sh('kfake create namespace taken');
    c.sh('kfake create configmap taken --from-literal=a=b');
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake create service clusterip taken --tcp=80',
      'kfake create service nodeport low --tcp=80 --node-port=29999',
      'kfake create service clusterip Bad_Name --tcp=80',
      'kfake create service clusterip zero --tcp=0',
      'kfake create deployment taken --image=nginx',
      'kfake create deployment bad_name --image=nginx',
      'kfake create deployment none --image=',
      'kfake create namespace taken',
      'kfake create namespace Bad',
      'kfake create configmap taken --from-literal=a=b',
      'kfake create configmap bad_name --from-literal=a=b',
      'kfake create configmap c -n missing --from-literal=a=b',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/create/server-errors.txt');
    expect(c.storeBytes().equals(before)).toBe(true);
  });
});

describe('bad input leaves the store untouched', () => {
  const cases: [string, string][] = [
    ['kfake create service clusterip x', 'error: at least one tcp port specifier must be provided\n'],
    ['kfake create service clusterip x --tcp=abc', 'error: strconv.ParseUint: parsing "abc": invalid syntax\n'],
    ['kfake create service clusterip a b --tcp=80', "error: exactly one NAME is required, got 2\nSee 'kfake create service clusterip -h' for help and examples\n"],
    ['kfake create service externalname x', 'error: required flag(s) "external-name" not set\n'],
    ['kfake create service externalname x --external-name=Bad_Name', 'error: invalid service external name Bad_Name\n'],
    ['kfake create service nodeport x --tcp=80 --clusterip=None', 'unknown flag: --clusterip'],
    ['kfake create service nodeport x --tcp=80 --node-port=abc', 'invalid argument "abc" for "--node-port" flag: strconv.ParseInt: parsing "abc": invalid syntax'],
    ['kfake create service clusterip x --tcp=80 --validate=bogus', 'invalid - validate option "bogus"; must be one of: strict (or true), warn, ignore (or false)'],
    ['kfake create service foo', "error: unknown command \"foo\"\nSee 'kfake create service -h' for help and examples\n"],
    ['kfake create deployment d', 'error: required flag(s) "image" not set\n'],
    ['kfake create deployment d --image=nginx --port=abc', 'invalid argument "abc" for "--port" flag: strconv.ParseInt: parsing "abc": invalid syntax'],
    ['kfake create deployment d --image=nginx --replicas=99999999999', 'invalid argument "99999999999" for "-r, --replicas" flag: strconv.ParseInt: parsing "99999999999": value out of range'],
    ['kfake create deployment d --image=a --image=b -- date', 'error: cannot specify multiple --image options and command\n'],
    ['kfake create namespace', "error: exactly one NAME is required, got 0\nSee 'kfake create namespace -h' for help and examples\n"],
    ['kfake create configmap c --from-env-file=x.env --from-file=y', 'error: from-env-file cannot be combined with from-file or from-literal\n'],
    ['kfake create configmap c --from-file=nope', 'error: error reading nope: no such file or directory\n'],
    ['kfake create configmap c --from-literal=a -o yaml', 'error: invalid literal source a, expected key=value\n'],
    ['kfake create configmap c --from-literal=a=1 -o wide', 'error: unable to match a printer suitable for the output format "wide"'],
  ];
  it.each(cases)('%s', (line, message) => {
    expect(expectRefused(c, line, message).stdout).toBe('');
  });

  it('`create service` alone prints its help on stderr and exits 1', () => {
    const r = c.sh('kfake create service');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Available Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n');
  });
});
