/**
 * `kfake annotate` end to end. Lines, messages and errors were compared with kubectl v1.32
 * (offline with --local, and through a stub API server recording the merge patches it sends).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshClusters } from '../helpers/kfake.ts';

const fresh = freshClusters();

describe('annotate', () => {
  it('sets, keeps, overwrites and removes annotations', async () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    const text = c.transcript([
      "kfake annotate svc whms-nodeport description='node port for whms' owner=team-a",
      'kfake annotate svc whms-nodeport owner=team-a',
      'kfake annotate svc whms-nodeport owner=team-b description=x',
      'kfake annotate svc whms-nodeport owner=team-b --overwrite',
      'kfake annotate svc whms-nodeport kubernetes.io/change-cause=resized',
      'kfake annotate svc whms-nodeport kubernetes.io/change-cause=resized-again',
      'kfake annotate svc whms-nodeport owner- missing-',
      'kfake annotate svc whms-nodeport config=a=b',
      "kfake get svc whms-nodeport -o jsonpath='{.metadata.annotations.description} {.metadata.annotations.config} {.metadata.annotations.kubernetes\\.io/change-cause}'",
    ]);
    await expect(text).toMatchFileSnapshot('../golden/annotate/changes.txt');
  });

  it('--list, selectors, dry runs and output formats', async () => {
    const c = fresh('kfake apply -f manifests/service-api/sample-named-port-pods.yaml');
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake annotate pods --all note=hello --dry-run=client',
      'kfake annotate pods -l app=sample-app note=hello --dry-run=server -o name',
      'kfake annotate pods --all --list',
    ]);
    expect(c.storeBytes().equals(before)).toBe(true);
    const more = c.transcript([
      'kfake annotate pod sample-named-port-pod-80 note=hello -o jsonpath={.metadata.annotations.note}',
      'kfake annotate pod sample-named-port-pod-80 --list -o yaml',
    ]);
    await expect(`${text}\n${more}`).toMatchFileSnapshot('../golden/annotate/list-and-output.txt');
  });

  it('--local annotates the objects of a file without a cluster', async () => {
    const c = fresh();
    const file = path.join(c.dir, 'cm.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  annotations:\n    owner: me\n');
    const text = c.transcript([
      `kfake annotate -f ${file} --local note=x -o yaml`,
      `kfake annotate -f ${file} --local owner=you`,
      `kfake annotate cm settings --local note=x`,
      'kfake annotate --local note=x',
    ]);
    expect(fs.existsSync(c.store)).toBe(false);
    await expect(text.replaceAll(file, 'cm.yaml')).toMatchFileSnapshot('../golden/annotate/local.txt');
  });

  it('bad input gets kubectl’s errors, exit 1 and an unchanged store', async () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml', 'kfake annotate svc whms-nodeport owner=a tier=b');
    const lines = [
      'kfake annotate',
      'kfake annotate svc',
      'kfake annotate svc owner=x',
      'kfake annotate svc nope owner=x',
      'kfake annotate foo bar owner=x',
      'kfake annotate svc whms-nodeport owner=x tier=y',
      'kfake annotate svc whms-nodeport owner=x owner- tier-',
      'kfake annotate svc whms-nodeport owner=x extra',
      'kfake annotate svc --all -l a=b owner=x',
      'kfake annotate svc whms-nodeport -- -bad=x',
      'kfake annotate svc --all owner=x --resource-version=1',
    ];
    const before = c.storeBytes();
    const text = c.transcript(lines);
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/annotate/errors.txt');
  });
});
