/**
 * What the ingress-nginx controller running in the cluster is configured to do, read from its
 * pods the way the controller reads its own command line (kubernetes/ingress-nginx
 * cmd/nginx/flags.go), and what follows from it: which Ingresses it serves
 * (internal/ingress/controller/store/store.go GetIngressClass) and which addresses it publishes
 * in their status (internal/ingress/status/status.go runningAddresses).
 *
 * The controller is found by its pods: Running pods labelled
 * `app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/component=controller` whose container
 * runs `/nginx-ingress-controller`. So `kfake cluster reset --ingress nginx` and an ingress-nginx
 * applied from its own manifests behave the same.
 */
import type { Ingress, IngressClass, Node, Pod, Service } from '../api/types.ts';
import { isPodReady } from '../controllers/pod-status.ts';
import { selectorFromSet } from '../selectors/labels.ts';
import type { ClusterState } from '../store/state.ts';
import { parseIPv4 } from '../util/ipv4.ts';

export const CONTROLLER_LABELS = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
} as const;
const CONTROLLER_SELECTOR = selectorFromSet(CONTROLLER_LABELS);

/** --controller-class default: the IngressClass spec.controller ingress-nginx answers to. */
export const NGINX_CONTROLLER_CLASS = 'k8s.io/ingress-nginx';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** The controller's flags that matter to status and class selection. */
export interface ControllerConfig {
  namespace: string;
  controllerClass: string;
  /** --ingress-class: the value of the kubernetes.io/ingress.class annotation it accepts. */
  ingressClass: string;
  ingressClassByName: boolean;
  watchWithoutClass: boolean;
  /** --watch-namespace; empty for all namespaces. */
  watchNamespace: string;
  publishService: string;
  publishStatusAddress: string;
  useNodeInternalIP: boolean;
}

function isControllerPod(pod: Pod): boolean {
  const labels = pod.metadata.labels ?? {};
  if (Object.entries(CONTROLLER_LABELS).some(([k, v]) => labels[k] !== v)) return false;
  return pod.spec.containers.some((c) => [...(c.command ?? []), ...(c.args ?? [])].includes('/nginx-ingress-controller'));
}

/** The ingress-nginx controller pods, running or not. */
export function controllerPods(state: ClusterState): Pod[] {
  // through the label index: this is asked on every round of every write
  return state.select<Pod>('pods', undefined, CONTROLLER_SELECTOR).filter(isControllerPod);
}

/** Pods whose controller process is up (status.phase Running, not being deleted). */
export function runningControllerPods(state: ClusterState): Pod[] {
  return controllerPods(state).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
}

/** Go flag syntax: `--name=value`, `--name value`, `-name=value`; booleans without a value. */
function flagValue(args: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(args[i]);
    if (!m || m[1] !== name) continue;
    if (m[2] !== undefined) value = m[2];
    else if (i + 1 < args.length && !args[i + 1].startsWith('-')) value = args[++i];
    else value = 'true';
  }
  return value;
}

/** `$(POD_NAMESPACE)`-style references, expanded from the container's plain env values. */
function expand(text: string, pod: Pod, env: Record<string, string>): string {
  return text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => {
    if (name === 'POD_NAMESPACE') return pod.metadata.namespace ?? whole;
    if (name === 'POD_NAME') return pod.metadata.name ?? whole;
    return env[name] ?? whole;
  });
}

/** The configuration of the running controller, or undefined when no controller runs. */
export function controllerConfig(state: ClusterState): ControllerConfig | undefined {
  const pod = runningControllerPods(state)[0];
  return pod ? podConfig(pod) : undefined;
}

/** The configuration a controller pod runs with (its command line). */
export function podConfig(pod: Pod): ControllerConfig {
  const container = pod.spec.containers.find((c) => [...(c.command ?? []), ...(c.args ?? [])].includes('/nginx-ingress-controller'))!;
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
  const args = [...(container.command ?? []), ...(container.args ?? [])].map((a) => expand(a, pod, env));
  const bool = (name: string) => flagValue(args, name) === 'true';
  return {
    namespace: pod.metadata.namespace!,
    controllerClass: flagValue(args, 'controller-class') ?? NGINX_CONTROLLER_CLASS,
    ingressClass: flagValue(args, 'ingress-class') ?? 'nginx',
    ingressClassByName: bool('ingress-class-by-name'),
    watchWithoutClass: bool('watch-ingress-without-class'),
    watchNamespace: flagValue(args, 'watch-namespace') ?? '',
    publishService: flagValue(args, 'publish-service') ?? '',
    publishStatusAddress: flagValue(args, 'publish-status-address') ?? '',
    useNodeInternalIP: bool('report-node-internal-ip-address'),
  };
}

/**
 * GetIngressClass: the class annotation (which must equal --ingress-class), else
 * spec.ingressClassName naming an IngressClass of this controller (or, with
 * --ingress-class-by-name, named like --ingress-class), else only with
 * --watch-ingress-without-class.
 */
export function servesIngress(state: ClusterState, cfg: ControllerConfig, ing: Ingress): boolean {
  if (cfg.watchNamespace && ing.metadata.namespace !== cfg.watchNamespace) return false;
  const annotation = ing.metadata.annotations?.[CLASS_ANNOTATION];
  if (annotation !== undefined) return annotation === cfg.ingressClass;
  const className = ing.spec?.ingressClassName;
  if (className) {
    const cls = state.get<IngressClass>('ingressclasses', '', className);
    if (cls?.spec?.controller === cfg.controllerClass) return true;
    return cfg.ingressClassByName && className === cfg.ingressClass;
  }
  return cfg.watchWithoutClass;
}

/** The Ingresses the running controller serves, oldest first (ingress-nginx sortIngressSlice). */
export function servedIngresses(state: ClusterState, cfg: ControllerConfig | undefined = controllerConfig(state)): Ingress[] {
  if (!cfg) return [];
  return state
    .list<Ingress>('ingresses')
    .filter((ing) => servesIngress(state, cfg, ing))
    .sort((a, b) => {
      const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
      const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
      if (ta !== tb) return ta - tb;
      const ka = `${a.metadata.namespace}/${a.metadata.name}`;
      const kb = `${b.metadata.namespace}/${b.metadata.name}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

export interface StatusAddress {
  ip?: string;
  hostname?: string;
}

function nameOrIP(text: string): StatusAddress {
  return parseIPv4(text) !== undefined ? { ip: text } : { hostname: text };
}

/** k8s.GetNodeIPOrName: the ExternalIP unless told to use the InternalIP (the fallback). */
function nodeAddress(state: ClusterState, nodeName: string, useInternalIP: boolean): string {
  const node = state.get<Node>('nodes', '', nodeName);
  const addresses = node?.status?.addresses ?? [];
  const internal = addresses.find((a) => a.type === 'InternalIP' && a.address)?.address ?? '';
  if (useInternalIP) return internal;
  return addresses.find((a) => a.type === 'ExternalIP' && a.address)?.address ?? internal;
}

/** statusAddressFromService: what the published Service exposes. */
function serviceAddresses(state: ClusterState, ref: string): StatusAddress[] {
  const slash = ref.indexOf('/');
  const svc = state.get<Service>('services', ref.slice(0, slash), ref.slice(slash + 1));
  if (!svc) return [];
  const spec = svc.spec;
  switch (spec.type) {
    case 'ExternalName':
      return [{ hostname: spec.externalName }];
    case 'ClusterIP':
      return [{ ip: spec.clusterIP }];
    case 'NodePort':
      return spec.externalIPs?.length ? spec.externalIPs.map((ip) => ({ ip })) : [{ ip: spec.clusterIP }];
    case 'LoadBalancer': {
      const out: StatusAddress[] = (svc.status?.loadBalancer?.ingress ?? []).map((i) => (i.ip ? { ip: i.ip } : { hostname: i.hostname }));
      for (const ip of spec.externalIPs ?? []) if (!out.some((a) => a.ip === ip || a.hostname === ip)) out.push({ ip });
      return out;
    }
    default:
      return [];
  }
}

/**
 * runningAddresses + updateStatus's ordering: --publish-status-address, else the
 * --publish-service Service's addresses, else the addresses of the nodes running Ready
 * controller pods; sorted by hostname, then IP (as strings).
 */
export function publishedAddresses(state: ClusterState, cfg: ControllerConfig): StatusAddress[] {
  let addrs: StatusAddress[];
  if (cfg.publishStatusAddress) addrs = cfg.publishStatusAddress.split(/,\s*/).map(nameOrIP);
  else if (cfg.publishService) addrs = serviceAddresses(state, cfg.publishService);
  else {
    addrs = [];
    for (const pod of runningControllerPods(state)) {
      if (!isPodReady(pod) || !pod.spec.nodeName) continue;
      const name = nodeAddress(state, pod.spec.nodeName, cfg.useNodeInternalIP);
      if (!addrs.some((a) => a.ip === name || a.hostname === name)) addrs.push(nameOrIP(name));
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return addrs.sort((a, b) => cmp(a.hostname ?? '', b.hostname ?? '') || cmp(a.ip ?? '', b.ip ?? ''));
}
