/**
 * Which server answers on a port: the servers of a pod's running containers (or, for a node's
 * address, of the host-network pods on that node), each listening where its image's server
 * listens. A container whose command replaces the server (`sleep 3600`, a shell) serves nothing.
 */
import type { Container, Node, Pod } from '../../api/types.ts';
import type { ClusterState } from '../../store/state.ts';
import { podHostname } from '../dns/files.ts';
import { imageProfile, type AppId, type ImageProfile } from '../images.ts';
import { containerEnvView } from '../place.ts';
import { apiServerApp, coreDnsApp, genericApp } from './cluster-apps.ts';
import { httpEchoApp, whoamiApp } from './go-servers.ts';
import { httpdApp } from './httpd.ts';
import type { AppInstance, Listener, ServerApp } from './http.ts';
import { ingressNginxApp } from './ingress-nginx.ts';
import { echoNginxApp, nginxApp } from './nginx.ts';

const APPS: Record<Exclude<AppId, 'none'>, ServerApp> = {
  nginx: nginxApp,
  'echo-nginx': echoNginxApp,
  httpd: httpdApp,
  'http-echo': httpEchoApp,
  whoami: whoamiApp,
  coredns: coreDnsApp,
  'kube-apiserver': apiServerApp,
  'ingress-nginx': ingressNginxApp,
  generic: genericApp,
};

/** Program names that are the image's server (any word of the command line). */
const SERVER_BINARIES: Record<Exclude<AppId, 'none' | 'generic'>, string[]> = {
  nginx: ['nginx'],
  'echo-nginx': ['entrypoint.sh', 'nginx'],
  httpd: ['httpd-foreground', 'httpd'],
  'http-echo': ['http-echo'],
  whoami: ['whoami'],
  coredns: ['coredns'],
  'kube-apiserver': ['kube-apiserver'],
  'ingress-nginx': ['nginx-ingress-controller'],
};

/** Commands that are not a server whatever the image. */
const NOT_SERVERS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'sleep', 'tail', 'curl', 'wget', 'dig', 'nslookup', 'host', 'env', 'printenv', 'cat', 'echo', 'true', 'false']);

const base = (s: string) => s.slice(s.lastIndexOf('/') + 1);

/** ENTRYPOINT/CMD merged with the container's command/args (the kubelet's rule). */
export function effectiveArgv(c: Container, image: ImageProfile): string[] {
  if (c.command?.length) return [...c.command, ...(c.args ?? [])];
  return [...image.entrypoint, ...(c.args?.length ? c.args : image.cmd)];
}

/** The server a container's main process runs, if any. */
export function serverOf(c: Container): { app: ServerApp; image: ImageProfile } | undefined {
  const image = imageProfile(c.image);
  if (image.app === 'none') return undefined;
  const argv = effectiveArgv(c, image);
  if (image.app === 'generic') {
    if (argv.length && NOT_SERVERS.has(base(argv[0]))) return undefined;
    return { app: APPS.generic, image };
  }
  const names = SERVER_BINARIES[image.app];
  if (!argv.some((a) => names.includes(base(a)))) return undefined;
  return { app: APPS[image.app], image };
}

export function isContainerRunning(pod: Pod, name: string): boolean {
  return !!pod.status?.containerStatuses?.find((s) => s.name === name)?.state?.running;
}

export function appInstance(state: ClusterState, pod: Pod, c: Container, image: ImageProfile, nodeIP?: string): AppInstance {
  return {
    pod,
    container: c,
    image,
    env: containerEnvView(state, pod, c),
    hostname: pod.spec.hostNetwork ? (pod.spec.nodeName ?? podHostname(pod)) : podHostname(pod),
    podIP: pod.spec.hostNetwork ? (nodeIP ?? pod.status?.podIP ?? '') : (pod.status?.podIP ?? ''),
  };
}

export interface Bound {
  app: ServerApp;
  instance: AppInstance;
  listener: Listener;
}

/** The servers listening in a pod's network namespace. */
export function podListeners(state: ClusterState, pod: Pod): Bound[] {
  const out: Bound[] = [];
  if (pod.metadata.deletionTimestamp && pod.status?.phase !== 'Running') return out;
  for (const c of pod.spec.containers) {
    if (!isContainerRunning(pod, c.name)) continue;
    const s = serverOf(c);
    if (!s) continue;
    const instance = appInstance(state, pod, c, s.image);
    for (const listener of s.app.listeners(instance)) out.push({ app: s.app, instance, listener });
  }
  return out;
}

/** The servers listening on a node's own address: its host-network pods. */
export function hostListeners(state: ClusterState, node: Node, nodeAddress: string): Bound[] {
  const out: Bound[] = [];
  for (const pod of state.where<Pod>('pods', undefined, (s) => s.n === node.metadata.name)) {
    if (!pod.spec.hostNetwork) continue;
    for (const c of pod.spec.containers) {
      if (!isContainerRunning(pod, c.name)) continue;
      const s = serverOf(c);
      if (!s) continue;
      const instance = appInstance(state, pod, c, s.image, nodeAddress);
      for (const listener of s.app.listeners(instance)) out.push({ app: s.app, instance, listener });
    }
  }
  return out;
}

/** Whether a process in the container is reachable on a port of its own pod (localhost). */
export function findListener(bound: Bound[], port: number, protocol: 'TCP' | 'UDP'): Bound | undefined {
  return bound.find((b) => b.listener.port === port && b.listener.protocol === protocol);
}
