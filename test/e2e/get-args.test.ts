/**
 * The resource builder's argument rules and the generic printers' edge cases, as kubectl v1.32
 * prints them (each line was compared with real kubectl serving the same objects): names
 * against selectors and scope, resource/name forms, comma lists, the case of `-o`, and what
 * is printed when nothing was found.
 */
import { describe, expect, it } from 'vitest';
import { freshClusters } from '../helpers/kfake.ts';

const fresh = freshClusters();

describe('get and describe arguments', () => {
  it('checks names against selectors and scope as the builder does', async () => {
    const c = fresh();
    const text = c.transcript([
      'kfake get nodes kfake-worker -A -o name',
      'kfake get svc kubernetes -A -o name',
      'kfake describe svc kubernetes -A',
      'kfake describe svc kubernetes -l a=b',
      'kfake get svc kubernetes --field-selector metadata.name=x -o name',
      'kfake get svc/kubernetes -l a=b -o name',
      'kfake get svc/a/b',
      'kfake get svc/api,deploy/api',
      'kfake get svc,deploy/api',
      'kfake get svc, -o name',
      'kfake get ,svc -o name',
      'kfake get svc,deploy kubernetes -o name',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/core/get-args.txt');
  });

  it('matches -o json, yaml and name in any case, and prints nothing when nothing was found', async () => {
    const c = fresh();
    const text = c.transcript([
      'kfake get svc kubernetes -o NAME',
      'kfake get svc kubernetes -o Yaml',
      "kfake get svc kubernetes -o 'JSONPATH={.kind}'",
      'kfake get svc kubernetes -o WIDE',
      'kfake get cm nope -o custom-columns=A:.data.x',
      'kfake get svc nope --ignore-not-found -o custom-columns=A:.metadata.name',
      'kfake get svc -l nope=x -o custom-columns=A:.metadata.name',
      'kfake get svc -l x=y --ignore-not-found -o json',
      'kfake get svc -l x=y -o json',
      'kfake get svc kubernetes nope -o name',
      'kfake get svc -o yaml --output-watch-events',
      "kfake get svc -o 'jsonpath={.kind}' --show-labels",
      'kfake get svc -o NAME --show-labels',
      'kfake get svc -o jsonpath-file',
      'kfake get svc -o custom-columns-file',
      'kfake get svc -o jsonpath-file=/nonexistent',
      'kfake get svc -o custom-columns-file=/nonexistent',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/core/get-output-edges.txt');
  });
});
