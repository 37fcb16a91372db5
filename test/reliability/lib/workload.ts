/**
 * Random write commands of the kinds users script: applying manifests of Deployments and
 * Services, deleting, scaling, labelling, patching, imperative creates and rollouts. Names come
 * from a small pool, so commands hit existing objects as often as missing ones (which fail, and
 * must leave the store as it was).
 */
import { deployment, manifest, service } from './objects.ts';
import type { Rng } from './random.ts';

export interface WriteCommand {
  args: string[];
  /** Files the command reads: name -> text (written into the sandbox first). */
  files?: Record<string, string>;
}

const POOL = 12;

export function randomWrite(rng: Rng, trial: number): WriteCommand {
  const d = `app${rng.int(0, POOL - 1)}`;
  const choice = rng.int(0, 13);
  switch (choice) {
    case 0:
    case 1:
    case 2: {
      // A manifest of several Deployments (each with a Service), some new, some changed.
      const objs: Record<string, unknown>[] = [];
      for (let i = rng.int(1, 4); i > 0; i--) {
        const name = `app${rng.int(0, POOL - 1)}`;
        const dep = deployment(name, rng.int(1, 5)) as { spec: { template: { spec: { containers: { image: string }[] } } } };
        dep.spec.template.spec.containers[0].image = `nginx:1.${rng.int(20, 27)}`;
        objs.push(dep, service(name, { type: rng.pick(['ClusterIP', 'NodePort', 'LoadBalancer']), selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }] }));
      }
      const file = `apply-${trial}.yaml`;
      return { args: ['apply', '-f', file], files: { [file]: manifest(objs) } };
    }
    case 3:
      return { args: ['delete', 'deployment', d, `app${rng.int(0, POOL - 1)}`, '--ignore-not-found'] };
    case 4:
      return { args: ['delete', 'service', d] };
    case 5:
      return { args: ['scale', 'deployment', d, `--replicas=${rng.int(0, 6)}`] };
    case 6:
      return { args: ['label', 'deployment', d, `trial=t${trial}`, '--overwrite'] };
    case 7:
      return { args: ['annotate', 'service', d, `trial=t${trial}`, '--overwrite'] };
    case 8:
      return { args: ['patch', 'deployment', d, '-p', JSON.stringify({ spec: { template: { metadata: { labels: { rev: `r${trial}` } } } } })] };
    case 9:
      return { args: ['create', 'deployment', d, '--image=nginx:1.27', `--replicas=${rng.int(1, 4)}`] };
    case 10:
      return { args: ['expose', 'deployment', d, '--port=80', `--name=${d}-x`] };
    case 11:
      return { args: ['set', 'image', `deployment/${d}`, `web=nginx:1.${rng.int(20, 27)}`] };
    case 12:
      return { args: ['rollout', 'restart', `deployment/${d}`] };
    default:
      return { args: ['delete', 'pods', '-l', `app=${d}`] };
  }
}

/** A manifest that makes the store a realistic size: `n` Deployments with Services. */
export function baseline(n: number, replicas: number): string {
  const objs: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    objs.push(deployment(`base${i}`, replicas), service(`base${i}`, { selector: { app: `base${i}` }, ports: [{ port: 80, protocol: 'TCP' }] }));
  }
  return manifest(objs);
}
