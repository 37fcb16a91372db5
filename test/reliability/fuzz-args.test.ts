/**
 * Argument fuzzing: command lines put together from kubectl's vocabulary (commands, resource
 * types, names, flags and odd values). Whatever the combination: no crash, no hang, exit 0 or
 * 1 with a message, and the store untouched by reads and by commands that fail without
 * reporting a change.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { budget, Figures, size } from './lib/mode.ts';
import { manifest, service, deployment } from './lib/objects.ts';
import { Rng } from './lib/random.ts';
import { Sandbox, type RunResult } from './lib/sandbox.ts';
import { errorShape, firstLines, runProblems } from './lib/verdict.ts';

const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const s of sandboxes.splice(0)) s.cleanup();
});

/** Commands that only read; `--dry-run` makes any command one of them. */
const READS = new Set(['get', 'describe', 'logs', 'api-resources', 'options', 'version', 'cluster-info', 'trace', 'why', 'explain']);
/** Commands that run something "in" the cluster and exit with that program's status. */
const RUNS = new Set(['exec', 'node', 'outside']);

const VERBS: string[][] = [
  ['get'], ['get'], ['get'], ['describe'], ['describe'], ['apply'], ['create'], ['create', 'deployment'], ['create', 'service', 'clusterip'],
  ['create', 'service', 'nodeport'], ['create', 'configmap'], ['create', 'namespace'], ['delete'], ['delete'], ['label'], ['annotate'], ['patch'],
  ['scale'], ['expose'], ['set', 'image'], ['run'], ['rollout', 'status'], ['rollout', 'history'], ['rollout', 'restart'], ['rollout', 'undo'],
  ['replace'], ['edit'], ['logs'], ['exec'], ['api-resources'], ['version'], ['cluster-info'], ['cluster', 'info'], ['options'], ['why'],
  ['trace'], ['node'], ['outside'], ['explain'], ['frobnicate'], [''], ['-'], ['--'], ['help'], ['completion'],
];
const TYPES = [
  'pods', 'po', 'pod', 'svc', 'services', 'deploy', 'deployment', 'deployments.apps', 'deployments.v1.apps', 'rs', 'nodes', 'no', 'ns',
  'namespaces', 'ep', 'endpoints', 'endpointslices', 'cm', 'configmaps', 'events', 'ev', 'ing', 'ingress', 'ingressclasses', 'all',
  'pods,svc', 'svc,deploy,all', '', 'foo', 'pods.', '.pods', 'Pods', 'svc/', 'deploy/coredns', 'pods/', 'a/b/c', 'svc,', ',', 'secrets',
  'svc/kubernetes', 'deployment/web', 'node/kfake-worker', 'ns/kube-system',
];
const NAMES = [
  'kubernetes', 'coredns', 'kube-dns', 'web', 'web-svc', 'x', '', '-', 'a'.repeat(300), 'UPPER', 'ünïcödé😀', '..', '.', '/', '*', 'name with space',
  '$(touch pwned)', 'default', 'kube-system', 'kfake-worker', 'kfake-control-plane', 'coredns-0', '-x', '--', 'a=b', 'key=value', 'key-', 'k=v,w',
  'nginx', 'busybox', 'web=nginx:2', 'c=', '=v', 'image:tag', 'http://127.0.0.1:1/', '10.96.0.10', '0', '-1',
];
const NUMS = ['0', '1', '-1', '3', '99999999999999999999', '1.5', 'abc', '', ' 1', '0x10', '1e3', '2147483648', '65536', '30080'];
const VALUES: Record<string, string[]> = {
  '-o': ['json', 'yaml', 'wide', 'name', 'jsonpath={.items[*].metadata.name}', 'jsonpath={', 'jsonpath={.x', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}',
    'jsonpath={..}', 'jsonpath={.items[?(@.x==1)]}', 'custom-columns=NAME:.metadata.name', 'custom-columns=', 'custom-columns=A', 'custom-columns=A:{', 'go-template={{.metadata.name}}',
    'go-template={{', 'template', 'jsonpath-file=/nonexistent', 'bogus', '', 'yaml,json', 'jsonpath=' + '{.a}'.repeat(500)],
  '-l': ['app=web', 'app!=web', 'app in (a,b)', 'app notin (a)', '!app', 'app', 'a=b,c=d', 'app==x', '=x', 'app=', 'app in (', 'a b', 'k8s-app=kube-dns',
    'x'.repeat(70) + '=y', 'app=' + 'v'.repeat(64), 'tier in ()', ',', 'a>1', 'a<x'],
  '--field-selector': ['metadata.name=web', 'spec.nodeName=kfake-worker', 'status.phase!=Running', 'x=y', 'metadata.name', '=', 'spec.type=NodePort', 'metadata.namespace==default,,'],
  '-n': ['default', 'kube-system', 'nope', 'UPPER', '', 'a'.repeat(70), '-', 'kube-public'],
  '--replicas': NUMS, '--port': NUMS, '--target-port': [...NUMS, 'http', 'x'.repeat(20)], '--tail': NUMS, '--grace-period': NUMS, '--chunk-size': NUMS,
  '--image': ['nginx', 'nginx:1.27', '', 'UPPER', 'a@sha256:xyz', 'x'.repeat(300), ':', 'localhost:5000/a/b:c'],
  '--type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'bogus', '', 'json', 'merge', 'strategic'],
  '-p': ['{}', '{"metadata":{"labels":{"a":"b"}}}', '[]', '[{"op":"add","path":"/metadata/labels/x","value":"y"}]', '{bad', '{"spec":{"replicas":-1}}', '{"spec":{"replicas":"x"}}',
    'null', '"str"', '{"metadata":{"name":"renamed"}}', '[{"op":"remove","path":"/nope"}]', '{"spec":{"ports":[{"port":0}]}}', '{"$patch":"delete"}',
    '{"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]}}', 'metadata:\n  labels:\n    y: z', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":""}]}}}}'],
  '--dry-run': ['client', 'server', 'none', 'bogus', ''],
  '--validate': ['strict', 'warn', 'ignore', 'true', 'false', 'x'],
  '--cascade': ['orphan', 'foreground', 'background', 'x'],
  '--timeout': ['0', '1s', '-1', 'abc', '2m'],
  '--since': ['1h', 'x', '-1s'],
  '--sort-by': ['.metadata.name', '{.metadata.creationTimestamp}', '.x', '{', ''],
  '--resource-version': ['1', 'abc', '', '99999999'],
  '--selector': ['app=web', 'app in (', ''],
  '-c': ['web', 'x', ''],
  '--to-revision': NUMS,
  '--kubeconfig': ['/nonexistent'],
  '--context': ['nope'],
  '--server': ['http://127.0.0.1:1'],
  '--request-timeout': ['1', 'x'],
  '-v': ['9', 'x'],
  '--namespace': ['default', 'nope'],
  '--from-literal': ['a=b', 'a', '=b', 'a=b=c', 'ü=1'],
  '--tcp': ['80', '80:8080', 'x', '0:0', '80:'],
  '--external-name': ['example.com', 'UPPER', ''],
  '--overrides': ['{}', '{bad', '{"spec":{"containers":1}}'],
  '--env': ['A=B', 'A', '=B'],
  '--labels': ['a=b', 'a', 'a=b,c'],
  '--store': ['/nonexistent/dir/store.json', ''],
  '--current-replicas': NUMS,
  '--clusterip': ['None', '10.96.0.200', '10.0.0.1', 'x', ''],
  '--node-port': NUMS,
  '--from-file': ['/nonexistent', '/dev/null', 'key=/dev/null'],
  '--protocol': ['TCP', 'UDP', 'SCTP', 'tcp', 'x'],
  '--external-ip': ['1.2.3.4', 'x', '::1'],
  '--cluster-ip': ['None', '10.96.0.201', 'x'],
  '--revision': NUMS,
  '--subresource': ['status', 'scale', 'x', ''],
  '--field-manager': ['me', '', 'x'.repeat(200)],
  '--api-group': ['apps', '', 'x'],
  '--verbs': ['get', 'list,create', 'x'],
  '--namespaced': ['true', 'false', 'x'],
  '--client': ['true', 'false'],
  '--show-events': ['true', 'false', 'x'],
  '--name': ['web-2', 'UPPER', '', 'a'.repeat(70)],
};

/** The flags each command has (so most generated lines get past flag parsing). */
const OWN_FLAGS: Record<string, string[]> = {
  get: ['-o', '-l', '--field-selector', '-n', '-A', '--show-labels', '--no-headers', '--sort-by', '--show-kind', '--chunk-size', '--ignore-not-found'],
  describe: ['-l', '-n', '-A', '--show-events', '--chunk-size'],
  apply: ['-n', '--dry-run', '-o', '--validate', '--overwrite', '--force', '--grace-period', '--field-manager', '-R', '-l'],
  create: ['-o', '--dry-run', '--validate', '--save-config', '-n'],
  'create deployment': ['--image', '--replicas', '--port', '--dry-run', '-o', '-n'],
  'create service clusterip': ['--tcp', '--clusterip', '--dry-run', '-o', '-n'],
  'create service nodeport': ['--tcp', '--node-port', '--dry-run', '-o'],
  'create configmap': ['--from-literal', '--from-file', '--dry-run', '-o'],
  'create namespace': ['--dry-run', '-o'],
  delete: ['-l', '-n', '-A', '--all', '--force', '--grace-period', '--now', '--ignore-not-found', '--cascade', '--dry-run', '-o', '--timeout', '--field-selector'],
  label: ['--overwrite', '--all', '-l', '--dry-run', '-o', '--resource-version', '--local', '-n', '--list'],
  annotate: ['--overwrite', '--all', '-l', '--dry-run', '-o', '--resource-version', '--local', '-n', '--list'],
  patch: ['-p', '--type', '--dry-run', '-o', '--local', '--subresource', '-n'],
  scale: ['--replicas', '--current-replicas', '--resource-version', '-l', '--all', '--dry-run', '-o', '--timeout'],
  expose: ['--port', '--target-port', '--type', '--name', '--protocol', '--selector', '--external-ip', '--dry-run', '-o', '--cluster-ip', '--labels'],
  'set image': ['--all', '-l', '--dry-run', '-o', '--local'],
  run: ['--image', '--port', '--labels', '--env', '--restart=Never', '--dry-run', '-o', '--expose', '--overrides'],
  'rollout status': ['--revision', '--timeout'],
  'rollout history': ['--revision', '-o'],
  'rollout restart': ['--dry-run', '-o'],
  'rollout undo': ['--to-revision', '--dry-run', '-o'],
  replace: ['--force', '--grace-period', '--dry-run', '-o', '--save-config', '--validate'],
  edit: ['-o', '--save-config', '--validate'],
  logs: ['-c', '--tail', '--since', '--previous', '--timestamps', '--all-containers', '-l'],
  'api-resources': ['-o', '--namespaced', '--api-group', '--verbs', '--sort-by', '--no-headers'],
  version: ['-o', '--client'],
};
const BARE_FLAGS = ['-A', '--all-namespaces', '--all', '--overwrite', '--show-labels', '--no-headers', '--force', '--now', '--save-config', '--local', '--record',
  '--help', '-h', '--unknown-flag', '-w', '--watch-only', '--previous', '--dry-run', '-i', '-t', '--ignore-not-found', '--wait', '--list', '--show-kind', '--recursive', '-R',
  '--all-containers', '--timestamps', '--expose', '--rm', '--restart=Never', '--restart=x', '--', '-o', '-l', '-n'];

/** One command line, and whether it can block by design (a watch, follow, attach or wait). */
function commandLine(rng: Rng, files: string[]): { args: string[]; blocking: boolean } {
  const args = [...rng.pick(VERBS)];
  // Mostly TYPE [NAME], as commands expect, sometimes anything.
  if (rng.chance(0.7)) {
    args.push(rng.pick(TYPES));
    if (rng.chance(0.7)) args.push(rng.pick(NAMES));
  } else for (let i = rng.int(0, 3); i > 0; i--) args.push(rng.chance(0.5) ? rng.pick(TYPES) : rng.pick(NAMES));
  const own = OWN_FLAGS[args.join(' ')] ?? OWN_FLAGS[args[0]] ?? [];
  for (let i = rng.int(0, 3); i > 0; i--) {
    const r = rng.next();
    if (r < 0.85 && own.length) {
      const flag = rng.pick(own);
      if (VALUES[flag]) args.push(`${flag}=${rng.pick(VALUES[flag])}`);
      else args.push(flag);
    } else if (r < 0.9) args.push(rng.pick(BARE_FLAGS));
    else if (r < 0.95) args.push('-f', rng.pick(files));
    else {
      const flag = rng.pick(Object.keys(VALUES));
      const value = rng.pick(VALUES[flag]);
      if (rng.chance(0.5)) args.push(`${flag}=${value}`);
      else args.push(flag, value);
    }
  }
  const blocking = args.some((a) => a === '-w' || a === '--watch' || a === '--watch-only' || a === '-f' && args[0] === 'logs' || a === '--follow');
  return { args, blocking };
}

describe('argument fuzzing', () => {
  it('generated command lines: no crash or hang, exit 0 or 1 with a message, the store untouched unless something was changed', async () => {
    const fig = new Figures('argument fuzzing');
    const cases = size(150, 2000);
    const shapes = new Map<string, number>();
    const workers = await Promise.all(
      [0, 1].map(async (n) => {
        const s = new Sandbox({ seed: `args-${n}` });
        sandboxes.push(s);
        await s.ok(['apply', '-f', s.write('web.yaml', manifest([deployment('web', 2), service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] })]))]);
        const files = [path.join(s.dir, 'web.yaml'), '/nonexistent.yaml', '/dev/null', s.dir, '-', 'http://127.0.0.1:1/x.yaml', '', path.join(s.dir, 'store')];
        return { s, files };
      }),
    );
    let next = 0;
    let slowest = 0;
    let exit0 = 0;
    let exit1 = 0;
    await Promise.all(
      workers.map(async ({ s, files }) => {
        while (next < cases) {
          const n = next++;
          if (n % 60 === 59) await s.ok(['apply', '-f', files[0]]);
          const rng = new Rng(`args-case-${n}`);
          const { args, blocking } = commandLine(rng, files);
          if (blocking) {
            fig.add('skipped (blocking by design)');
            continue;
          }
          const where = `case ${n}: kfake ${args.map((a) => JSON.stringify(a)).join(' ')}`;
          const before = s.bytes();
          let r: RunResult;
          try {
            r = await s.run(args, { timeoutMs: 20_000, env: { KUBE_EDITOR: 'true' } });
          } catch (e) {
            fig.fail(`${where}: ${(e as Error).message.split('\n')[0]}`);
            continue;
          }
          slowest = Math.max(slowest, r.ms);
          const problems = runProblems(r).filter((p) => !(RUNS.has(args[0]) && p.startsWith('exit ')));
          for (const p of problems) fig.fail(`${where}: ${p}`);
          const readOnly = READS.has(args[0]) || args.some((a) => /^--dry-run(=(client|server))?$/.test(a));
          if (readOnly || (r.code !== 0 && r.stdout === '')) {
            fig.check(s.bytes().equals(before), () => `${where}: exit ${r.code}, but the store changed:\n${firstLines(r.stdout + r.stderr)}`);
          }
          if (r.code === 0) exit0++;
          else {
            exit1++;
            const shape = errorShape(r.stderr);
            shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
          }
        }
      }),
    );
    fig.set('command lines', cases);
    fig.set('exit 0', exit0);
    fig.set('exit 1', exit1);
    fig.set('slowest (ms)', Math.round(slowest));
    fig.print();
    console.log(`  errors: ${[...shapes].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${k} (${v})`).join('; ')}`);
    expect(fig.failures).toEqual([]);
  }, budget(120_000, 3_600_000));
});
