/**
 * `kfake label` end to end. Lines, messages and errors were compared with kubectl v1.32 (offline
 * with --local, and through a stub API server recording the merge patches it sends).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshClusters } from '../helpers/kfake.ts';

const fresh = freshClusters();

const NAMED_PORT_PODS = ['kfake apply -f manifests/service-api/sample-named-port-pods.yaml', 'kfake apply -f manifests/service-api/sample-named-port-service.yaml'];

describe('relabelling a pod', () => {
  it('takes it out of the Service’s endpoints and puts it back', async () => {
    const c = fresh(...NAMED_PORT_PODS);
    const text = c.transcript([
      'kfake get endpoints sample-named-port-service',
      'kfake label pod sample-named-port-pod-81 app=maintenance --overwrite',
      'kfake get pods --show-labels',
      'kfake get endpoints sample-named-port-service',
      'kfake label pod sample-named-port-pod-81 app=sample-app --overwrite',
      'kfake get endpoints sample-named-port-service',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/label/out-of-rotation.txt');
  });
});

describe('what label reports', () => {
  it('labeled, not labeled, unlabeled, and labels that were not there', async () => {
    const c = fresh(...NAMED_PORT_PODS);
    const text = c.transcript([
      'kfake label pod sample-named-port-pod-80 tier=web',
      'kfake label pod sample-named-port-pod-80 tier=web',
      'kfake label pod sample-named-port-pod-80 tier=db',
      'kfake label pod sample-named-port-pod-80 tier=db --overwrite',
      'kfake label pod sample-named-port-pod-80 tier- zone-',
      'kfake label pod sample-named-port-pod-80 zone-',
      'kfake label pod sample-named-port-pod-80 app- --overwrite',
      'kfake label pod sample-named-port-pod-80 app=sample-app example.com/team=blue',
      'kfake label pod sample-named-port-pod-80 --list',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/label/messages.txt');
  });

  it('a Service without labels is labeled even when nothing is removed', () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    expect(c.sh('kfake label svc whms-nodeport nope-')).toEqual({
      stdout: 'label "nope" not found.\nservice/whms-nodeport labeled\n',
      stderr: '',
      code: 0,
    });
  });
});

describe('selecting objects', () => {
  it('with -l, --all, --field-selector and -A', async () => {
    const c = fresh(...NAMED_PORT_PODS);
    const text = c.transcript([
      'kfake label pods -l app=sample-app tier=web',
      'kfake label pods --field-selector metadata.name=sample-named-port-pod-81 tier=api --overwrite',
      'kfake label pods --all --list',
      'kfake label pods -A -l tier=api checked=yes -o name',
      'kfake label pods -l app=nothing tier=none',
      'kfake label pods,svc --all owner=me',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/label/selectors.txt');
  });
});

describe('conditions, dry runs and output', () => {
  it('--resource-version must match, and only one object may be named', async () => {
    const c = fresh(...NAMED_PORT_PODS);
    const rv = c.sh('kfake get pod sample-named-port-pod-80 -o jsonpath={.metadata.resourceVersion}').stdout;
    const text = c.transcript([
      'kfake label pod sample-named-port-pod-80 tier=web --resource-version=1',
      `kfake label pod sample-named-port-pod-80 tier=web --resource-version=${rv}`,
      'kfake label pods --all tier=web --resource-version=1',
    ]);
    await expect(text.replaceAll(rv, '<rv>')).toMatchFileSnapshot('../golden/label/resource-version.txt');
  });

  it('--dry-run reports without storing, and -o prints the object as changed', async () => {
    const c = fresh(...NAMED_PORT_PODS);
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake label pod sample-named-port-pod-80 tier=web --dry-run=client',
      'kfake label pod sample-named-port-pod-80 tier=web --dry-run=server',
      'kfake label pod sample-named-port-pod-80 tier- --dry-run=server',
      'kfake label pod sample-named-port-pod-80 tier=web --dry-run=client -o jsonpath={.metadata.labels}',
    ]);
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/label/dry-run.txt');
  });

  it('--local labels the objects of a file without a cluster', async () => {
    const c = fresh();
    const file = path.join(c.dir, 'pod.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n');
    const text = c.transcript([
      `kfake label -f ${file} --local tier=front -o yaml`,
      `kfake label -f ${file} --local app=web`,
      `kfake label -f ${file} --local app-`,
      `kfake label -f ${file} --local --list`,
      `kfake label pod web --local tier=front`,
      'kfake label --local tier=front',
      `kfake label -f ${file} --local tier=front --dry-run=server`,
    ]);
    expect(fs.existsSync(c.store)).toBe(false);
    await expect(text.replaceAll(file, 'pod.yaml')).toMatchFileSnapshot('../golden/label/local.txt');
  });
});

describe('bad input', () => {
  it('gets kubectl’s errors, exit 1 and an unchanged store', async () => {
    const c = fresh(...NAMED_PORT_PODS);
    const lines = [
      'kfake label',
      'kfake label pods',
      'kfake label pods sample-named-port-pod-80',
      'kfake label pods tier=web',
      'kfake label foo bar tier=web',
      'kfake label pods nope tier=web',
      'kfake label pods sample-named-port-pod-80 app=other',
      'kfake label pods sample-named-port-pod-80 app=other name=x',
      'kfake label pods sample-named-port-pod-80 tier=a=b',
      'kfake label pods sample-named-port-pod-80 tier=-web',
      'kfake label pods sample-named-port-pod-80 tier=web tier-',
      'kfake label pods sample-named-port-pod-80 tier=web extra',
      "kfake label pods sample-named-port-pod-80 'bad key!=x'",
      'kfake label pods --all -l app=x tier=web',
      'kfake label pods --all --field-selector metadata.name=x tier=web',
      'kfake label pods sample-named-port-pod-80 -l app=x tier=web',
      'kfake label pods/sample-named-port-pod-80 -A tier=web',
      'kfake label pods/sample-named-port-pod-80 pods tier=web',
      "kfake label pods -l 'app in (' tier=web",
      'kfake label pods --field-selector spec.bogus=x tier=web',
      'kfake label pods --all --list -o yaml',
      'kfake label pods sample-named-port-pod-80 tier=web --bogus',
    ];
    const before = c.storeBytes();
    const text = c.transcript(lines);
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/label/errors.txt');
  });
});
