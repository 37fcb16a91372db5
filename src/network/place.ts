/**
 * Where a command runs: in a pod's container, on a node, or on a machine outside the cluster.
 * A place has an address traffic leaves from, the node it leaves through (pods and nodes), a
 * resolver configuration and hosts file, an environment, and an image: the shells and tools
 * that exist there.
 */
import type { Container, Node, Pod } from '../api/types.ts';
import type { ClusterState } from '../store/state.ts';
import { seededRandom } from '../util/random.ts';
import { nodeByName, nodeIP, outsideIP } from './context.ts';
import {
  nodeHostsFile,
  nodeResolvConf,
  outsideHostsFile,
  outsideResolvConf,
  podHostname,
  podHostsFile,
  podResolvConf,
  type ResolvConf,
} from './dns/files.ts';
import { kubeletEnv, kubeletEnvFrom, processEnv, processEnvLookup, serviceLinkSnapshot, containerOwnEnv, withTerminal } from './env.ts';
import { imageProfile, NODE_IMAGE, OUTSIDE_IMAGE, type ImageProfile } from './images.ts';
import { containerStartOf } from './records.ts';

export interface Place {
  kind: 'pod' | 'node' | 'outside';
  /** `pod/NAME`, `node/NAME`, `outside`. */
  label: string;
  hostname: string;
  /** The source address of connections from here. */
  ip: string;
  /** The node traffic from here goes through (not for the outside machine). */
  node?: Node;
  pod?: Pod;
  container?: Container;
  image: ImageProfile;
  resolv: ResolvConf;
  hostsFile: string;
  env: [string, string][];
}

/** The environment of a running container: what it started with, or what it would start with now. */
export function containerEnvironment(state: ClusterState, pod: Pod, container: Container): [string, string][] {
  const image = imageProfile(container.image);
  const saved = containerStartOf(state, pod, container.name);
  if (saved) {
    const { started, links } = saved;
    const list = processEnv(image, podHostname(pod), kubeletEnvFrom(started.own, links, seededRandom(started.seed)));
    return started.tty ? withTerminal(list) : list;
  }
  const rng = seededRandom(`env:${pod.metadata.uid}:${container.name}`);
  return processEnv(image, podHostname(pod), kubeletEnv(state, pod, container, rng));
}

/** Maps of stored service-link snapshots, built once per decoded snapshot (pods share them). */
const linkMaps = new WeakMap<[string, string][], Map<string, string>>();

function linkMap(vars: [string, string][]): Map<string, string> {
  let m = linkMaps.get(vars);
  if (!m) {
    m = new Map(vars);
    linkMaps.set(vars, m);
  }
  return m;
}

/** Look up variables of a running container's environment without building the whole list. */
export function containerEnvView(state: ClusterState, pod: Pod, container: Container): ReadonlyMap<string, string> {
  const image = imageProfile(container.image);
  const saved = containerStartOf(state, pod, container.name);
  if (saved) return processEnvLookup(image, podHostname(pod), new Map(saved.started.own), linkMap(saved.links), saved.started.tty);
  const snap = serviceLinkSnapshot(state, pod);
  return processEnvLookup(image, podHostname(pod), new Map(containerOwnEnv(state, pod, container, snap.byName)), snap.byName, !!container.tty);
}

export function podPlace(state: ClusterState, pod: Pod, container: Container): Place {
  const node = pod.spec.nodeName ? nodeByName(state, pod.spec.nodeName) : undefined;
  const ip = pod.spec.hostNetwork ? (node ? nodeIP(node) : '') : (pod.status?.podIP ?? '');
  return {
    kind: 'pod',
    label: `pod/${pod.metadata.name}`,
    hostname: pod.spec.hostNetwork && node ? node.metadata.name! : podHostname(pod),
    ip,
    node,
    pod,
    container,
    image: imageProfile(container.image),
    resolv: podResolvConf(state, pod),
    hostsFile: podHostsFile(state, pod, node),
    env: containerEnvironment(state, pod, container),
  };
}

export function nodePlace(state: ClusterState, node: Node): Place {
  const name = node.metadata.name!;
  return {
    kind: 'node',
    label: `node/${name}`,
    hostname: name,
    ip: nodeIP(node),
    node,
    image: NODE_IMAGE,
    resolv: nodeResolvConf(state),
    hostsFile: nodeHostsFile(node),
    env: [
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['HOSTNAME', name],
      ['HOME', '/root'],
    ],
  };
}

export function outsidePlace(state: ClusterState): Place {
  return {
    kind: 'outside',
    label: 'outside',
    hostname: 'workstation',
    ip: outsideIP(state),
    image: OUTSIDE_IMAGE,
    resolv: outsideResolvConf(),
    hostsFile: outsideHostsFile(state),
    env: [
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['HOSTNAME', 'workstation'],
      ['HOME', '/home/user'],
      ['USER', 'user'],
      ['SHELL', '/bin/bash'],
    ],
  };
}

/** How a place is described in traces: `pod/testpod (10.244.1.5 on kfake-worker)`. */
export function describePlace(p: Place): string {
  if (p.kind === 'outside') return `outside the cluster (${p.ip})`;
  if (p.kind === 'node') return `${p.label} (${p.ip})`;
  const ns = p.pod!.metadata.namespace;
  return `pod ${ns}/${p.pod!.metadata.name}, container ${p.container!.name} (${p.ip}${p.node ? ` on ${p.node.metadata.name}` : ''})`;
}
