/**
 * A container's environment, as the kubelet and containerd build it when the container starts
 * (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, pkg/kubelet/envvars/envvars.go,
 * containerd's CRI spec options):
 *
 *   PATH, HOSTNAME, the image's ENV, the kubelet's variables, HOME (added by runc when unset).
 *
 * The kubelet's variables are the container's `env`/`envFrom`, then the service links: for every
 * Service with a cluster IP in the pod's namespace (unless `enableServiceLinks: false`) and always
 * the `kubernetes` Service of `default`, FOO_SERVICE_HOST, FOO_SERVICE_PORT[_NAME], FOO_PORT and
 * FOO_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]. The kubelet collects both groups in Go maps, so
 * their order differs from pod to pod; kfake draws that order from the seeded randomness.
 * Computed once at start: Services created later only appear after the container restarts.
 */
import { createHash } from '../util/node-crypto.ts';
import type { ConfigMap, Container, EnvVar, KObject, Node, Pod, Service } from '../api/types.ts';
import type { ClusterState } from '../store/state.ts';
import type { Random } from '../util/random.ts';
import type { ImageProfile } from './images.ts';

/** makeEnvVariableName: upper case, `-` becomes `_`. */
function envName(s: string): string {
  return s.replace(/-/g, '_').toUpperCase();
}

function hasClusterIP(svc: Service): boolean {
  const ip = svc.spec.clusterIP;
  return !!ip && ip !== 'None' && svc.spec.type !== 'ExternalName';
}

/** envvars.FromServices for one Service. */
function linkVariables(svc: Service): [string, string][] {
  const prefix = envName(svc.metadata.name!);
  const ip = svc.spec.clusterIP!;
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) return [];
  const out: [string, string][] = [
    [`${prefix}_SERVICE_HOST`, ip],
    [`${prefix}_SERVICE_PORT`, String(ports[0].port)],
  ];
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  ports.forEach((p, i) => {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const hostPort = `${ip}:${p.port}`;
    if (i === 0) out.push([`${prefix}_PORT`, `${proto}://${hostPort}`]);
    const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push([pp, `${proto}://${hostPort}`], [`${pp}_PROTO`, proto], [`${pp}_PORT`, String(p.port)], [`${pp}_ADDR`, ip]);
  });
  return out;
}

/**
 * Each Service's own variables, and their JSON (a part of the snapshot's, which its hash is
 * taken of), kept per stored version of it (ClusterState.derive).
 */
interface ServiceVariables {
  name: string;
  vars: [string, string][];
  json: string;
}

const variablesMemo = new WeakMap<object, ServiceVariables | null>();

function serviceVariables(svc: Service): ServiceVariables {
  const vars = linkVariables(svc);
  return { name: svc.metadata.name!, vars, json: vars.map((v) => JSON.stringify(v)).join(',') };
}

/**
 * getServiceEnvVarMap, then FromServices: the variables of the `kubernetes` Service of `default`
 * and, with links, of every Service with a cluster IP in the pod's namespace (one of them also
 * named `kubernetes` takes that first place), in the namespace's key order.
 */
function linkedVariables(state: ClusterState, namespace: string, links: boolean): { vars: [string, string][]; json: string } {
  const api = state.get<Service>('services', 'default', 'kubernetes');
  let first = api && hasClusterIP(api) ? serviceVariables(api) : undefined;
  const rest: ServiceVariables[] = [];
  if (links) {
    const derive = (svc: KObject) => (hasClusterIP(svc as Service) ? serviceVariables(svc as Service) : null);
    for (const d of state.derive('services', namespace, variablesMemo, derive)) {
      if (!d) continue;
      if (d.name === 'kubernetes' && first !== undefined) first = d;
      else rest.push(d);
    }
  }
  const all = first ? [first, ...rest] : rest;
  const vars: [string, string][] = [];
  for (const d of all) for (const v of d.vars) vars.push(v);
  // JSON.stringify(vars), from the parts made once per Service
  const json = `[${all
    .map((d) => d.json)
    .filter((j) => j !== '')
    .join(',')}]`;
  return { vars, json };
}

/**
 * The service-link variables a container starting now gets, shared by every pod of the
 * namespace that starts while the Services stay the same (a namespace with a thousand Services
 * gives each pod seven thousand variables; they are computed and stored once).
 */
export interface LinkSnapshot {
  /** Content hash, naming the stored snapshot. */
  hash: string;
  vars: [string, string][];
  /** The variables by name (made when first asked for: only `$(VAR)` references need it). */
  readonly byName: Map<string, string>;
}

/**
 * Per state, the latest snapshot of each namespace (with and without links), and the count of
 * Service writes it was made at: an older one is never asked for again, so it is let go.
 */
const snapshotMemo = new WeakMap<ClusterState, Map<string, { services: number; snap: LinkSnapshot }>>();

export function serviceLinkSnapshot(state: ClusterState, pod: Pod): LinkSnapshot {
  const links = pod.spec.enableServiceLinks !== false;
  const ns = pod.metadata.namespace!;
  const key = `${ns}|${links}`;
  const services = state.writeCount('services');
  let memo = snapshotMemo.get(state);
  if (!memo) {
    memo = new Map();
    snapshotMemo.set(state, memo);
  }
  const kept = memo.get(key);
  if (kept?.services === services) return kept.snap;
  const { vars, json } = linkedVariables(state, ns, links);
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
  let byName: Map<string, string> | undefined;
  const snap: LinkSnapshot = {
    hash,
    vars,
    get byName() {
      return (byName ??= new Map(vars));
    },
  };
  memo.set(key, { services, snap });
  return snap;
}

/** The service-link variables of a pod, in envvars.FromServices order. */
export function serviceLinkEnv(state: ClusterState, pod: Pod): [string, string][] {
  return serviceLinkSnapshot(state, pod).vars;
}

function shuffle<T>(items: T[], rng: Random): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** expansion.Expand: `$(VAR)` from the variables so far, `$$` is a literal `$`. */
function expand(value: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '$' || i + 1 >= value.length) {
      out += c;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = value.indexOf(')', i + 2);
      if (close < 0) {
        out += value.slice(i);
        break;
      }
      const name = value.slice(i + 2, close);
      const v = lookup(name);
      out += v ?? `$(${name})`;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

function fieldRefValue(pod: Pod, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.hostIP':
      return pod.status?.hostIP;
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((h) => h.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP;
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((p) => p.ip).join(',');
    default:
      return undefined;
  }
}

/** resourceFieldRef: the container's value, or the node's allocatable when there is no limit. */
function resourceValue(state: ClusterState, pod: Pod, c: Container, resource: string): string | undefined {
  const [kind, name] = resource.split('.');
  const own = (kind === 'limits' ? c.resources?.limits : c.resources?.requests)?.[name];
  if (own) return own;
  if (kind === 'requests') return '0';
  const node = pod.spec.nodeName ? state.get<Node>('nodes', '', pod.spec.nodeName) : undefined;
  return node?.status?.allocatable?.[name];
}

function configMapData(state: ClusterState, ns: string, name: string): Record<string, string> | undefined {
  return state.get<ConfigMap>('configmaps', ns, name)?.data;
}

function secretData(state: ClusterState, ns: string, name: string): Record<string, string> | undefined {
  const s = state.get('secrets', ns, name) as { data?: Record<string, string> } | undefined;
  if (!s?.data) return undefined;
  return Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

function envVarValue(state: ClusterState, pod: Pod, c: Container, v: EnvVar, lookup: (n: string) => string | undefined): string | undefined {
  if (!v.valueFrom) return expand(v.value ?? '', lookup);
  const from = v.valueFrom as {
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string; containerName?: string };
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
  const ns = pod.metadata.namespace!;
  if (from.fieldRef) return fieldRefValue(pod, from.fieldRef.fieldPath);
  if (from.resourceFieldRef) {
    const target = pod.spec.containers.find((x) => x.name === (from.resourceFieldRef!.containerName || c.name)) ?? c;
    return resourceValue(state, pod, target, from.resourceFieldRef.resource);
  }
  if (from.configMapKeyRef) return configMapData(state, ns, from.configMapKeyRef.name)?.[from.configMapKeyRef.key];
  if (from.secretKeyRef) return secretData(state, ns, from.secretKeyRef.name)?.[from.secretKeyRef.key];
  return undefined;
}

/** The container's own variables (env and envFrom, `$(VAR)` expanded), before the kubelet adds service links. */
export function containerOwnEnv(state: ClusterState, pod: Pod, c: Container, links: ReadonlyMap<string, string>): [string, string][] {
  const own = new Map<string, string>();
  const ns = pod.metadata.namespace!;
  for (const ef of c.envFrom ?? []) {
    const src = ef as { prefix?: string; configMapRef?: { name: string }; secretRef?: { name: string } };
    const data = src.configMapRef
      ? configMapData(state, ns, src.configMapRef.name)
      : src.secretRef
        ? secretData(state, ns, src.secretRef.name)
        : undefined;
    for (const [k, v] of Object.entries(data ?? {})) own.set(`${src.prefix ?? ''}${k}`, v);
  }
  const lookup = (name: string) => own.get(name) ?? links.get(name);
  for (const v of c.env ?? []) {
    const value = envVarValue(state, pod, c, v, lookup);
    if (value !== undefined) own.set(v.name, value);
  }
  return [...own];
}

/**
 * makeEnvironmentVariables: the container's own variables, then the service links it does not
 * override, in the random order Go's map iteration gives them (drawn from `rng`).
 */
export function kubeletEnvFrom(own: [string, string][], links: [string, string][], rng: Random): [string, string][] {
  const ownNames = new Set(own.map(([k]) => k));
  const serviceOnly = links.filter(([k]) => !ownNames.has(k));
  return [...shuffle(own, rng), ...shuffle(serviceOnly, rng)];
}

export function kubeletEnv(state: ClusterState, pod: Pod, c: Container, rng: Random): [string, string][] {
  const snap = serviceLinkSnapshot(state, pod);
  return kubeletEnvFrom(containerOwnEnv(state, pod, c, snap.byName), snap.vars, rng);
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The environment of the container's processes: PATH, HOSTNAME, image ENV, kubelet variables, HOME. */
export function processEnv(profile: ImageProfile, hostname: string, kubelet: [string, string][]): [string, string][] {
  // setenv semantics: a later value replaces an earlier one in place; new names are appended.
  const env = new Map<string, string>([['PATH', DEFAULT_PATH]]);
  env.set('HOSTNAME', hostname);
  for (const [k, v] of profile.env) env.set(k, v);
  for (const [k, v] of kubelet) env.set(k, v);
  if (!env.has('HOME')) env.set('HOME', profile.home);
  return [...env];
}

/**
 * One variable of a container's environment without building the whole list (servers read a
 * few variables such as NGINX_PORT; the list can be thousands long).
 */
export function processEnvLookup(
  profile: ImageProfile,
  hostname: string,
  own: ReadonlyMap<string, string>,
  links: ReadonlyMap<string, string>,
  tty: boolean,
): ReadonlyMap<string, string> {
  const get = (k: string): string | undefined => {
    const v = own.get(k) ?? links.get(k);
    if (v !== undefined) return v;
    const fromImage = profile.env.find(([n]) => n === k)?.[1];
    if (fromImage !== undefined) return fromImage;
    if (k === 'HOSTNAME') return hostname;
    if (k === 'PATH') return DEFAULT_PATH;
    if (k === 'HOME') return profile.home;
    if (k === 'TERM' && tty) return 'xterm';
    return undefined;
  };
  let full: Map<string, string> | undefined;
  const all = () => {
    if (!full) {
      const list = processEnv(profile, hostname, [...own, ...[...links].filter(([k]) => !own.has(k))]);
      full = new Map(tty ? withTerminal(list) : list);
    }
    return full;
  };
  return {
    get,
    has: (k) => get(k) !== undefined,
    get size() {
      return all().size;
    },
    forEach: (fn, thisArg) => all().forEach(fn, thisArg),
    entries: () => all().entries(),
    keys: () => all().keys(),
    values: () => all().values(),
    [Symbol.iterator]: () => all()[Symbol.iterator](),
  };
}

/** An `exec` with a terminal also gets TERM (containerd adds it before runc adds HOME). */
export function withTerminal(env: [string, string][]): [string, string][] {
  const out = env.filter(([k]) => k !== 'HOME' && k !== 'TERM');
  out.push(['TERM', 'xterm']);
  const home = env.find(([k]) => k === 'HOME');
  if (home) out.push(home);
  return out;
}
