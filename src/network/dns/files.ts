/**
 * /etc/resolv.conf and /etc/hosts as each place has them.
 *
 * Pods: the kubelet's DNS configuration (pkg/kubelet/network/dns/dns.go) written by containerd
 * as `search …`, `nameserver …`, `options …` lines. ClusterFirst (the default) gives the cluster
 * DNS, the search list `<ns>.svc.<zone> svc.<zone> <zone>` and `ndots:5`; Default (and
 * ClusterFirst on the host network) the node's file; None only `dnsConfig`, which is merged
 * into the others. /etc/hosts is the kubelet-managed file (kubelet_pods.go
 * managedHostsFileContent), or the node's for host-network pods.
 *
 * Nodes (kind's Debian nodes) resolve through the docker network's resolver at the gateway,
 * which knows the node names and nothing else; the machine outside uses its local stub
 * resolver and lists the nodes in its /etc/hosts, as the seed's reader did for `worker-node2`.
 */
import type { Node, Pod } from '../../api/types.ts';
import type { ClusterState } from '../../store/state.ts';
import { clusterDNSIP, clusterDomain, nodeIP, nodes, outsideIP } from '../context.ts';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

export interface HostsEntry {
  ip: string;
  names: string[];
}

/** The `ndots` option (resolv.conf's default is 1). */
export function ndotsOf(conf: ResolvConf): number {
  const opt = conf.options.find((o) => o.startsWith('ndots:'));
  return opt ? Math.min(15, Number(opt.slice(6)) || 0) : 1;
}

export function renderResolvConf(conf: ResolvConf): string {
  let s = '';
  if (conf.search.length) s += `search ${conf.search.join(' ')}\n`;
  for (const ns of conf.nameservers) s += `nameserver ${ns}\n`;
  if (conf.options.length) s += `options ${conf.options.join(' ')}\n`;
  return s;
}

/** A kind node's resolv.conf (rewritten by kind to the docker network's resolver). */
export function nodeResolvConf(state: ClusterState): ResolvConf {
  return { nameservers: [outsideIP(state)], search: [], options: ['ndots:0'] };
}

export function outsideResolvConf(): ResolvConf {
  return { nameservers: ['127.0.0.53'], search: [], options: ['edns0', 'trust-ad'] };
}

/** The kubelet's resolv.conf for a pod. */
export function podResolvConf(state: ClusterState, pod: Pod): ResolvConf {
  const zone = clusterDomain(state);
  let policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  if (pod.spec.hostNetwork && policy === 'ClusterFirst') policy = 'Default';
  let conf: ResolvConf;
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    conf = {
      nameservers: [clusterDNSIP(state)],
      search: [`${pod.metadata.namespace}.svc.${zone}`, `svc.${zone}`, zone],
      options: ['ndots:5'],
    };
  } else if (policy === 'Default') {
    conf = nodeResolvConf(state);
  } else {
    conf = { nameservers: [], search: [], options: [] };
  }
  const dc = pod.spec.dnsConfig;
  if (dc) {
    conf = {
      nameservers: [...new Set([...conf.nameservers, ...(dc.nameservers ?? [])])].slice(0, 3),
      search: [...new Set([...conf.search, ...(dc.searches ?? [])])].slice(0, 32),
      options: mergeOptions(conf.options, (dc.options ?? []).map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name))),
    };
  }
  return conf;
}

/** mergeDNSOptions: a later option of the same name replaces the earlier one. */
function mergeOptions(base: string[], extra: string[]): string[] {
  const out = [...base];
  for (const o of extra) {
    const name = o.split(':')[0];
    const i = out.findIndex((x) => x.split(':')[0] === name);
    if (i >= 0) out[i] = o;
    else out.push(o);
  }
  return out;
}

const LOCALHOST_V6 = ['::1\tlocalhost ip6-localhost ip6-loopback\n'];

/** The hosts file docker writes into a kind node. */
export function nodeHostsFile(node: Node): string {
  return (
    '127.0.0.1\tlocalhost\n' +
    LOCALHOST_V6.join('') +
    'fe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' +
    `${nodeIP(node)}\t${node.metadata.name}\n`
  );
}

/** A pod's hostname (spec.hostname, else the pod name cut to 63 characters). */
export function podHostname(pod: Pod): string {
  return pod.spec.hostname || pod.metadata.name!.slice(0, 63).replace(/[-.]+$/, '');
}

/** The kubelet-managed /etc/hosts of a pod. */
export function podHostsFile(state: ClusterState, pod: Pod, node: Node | undefined): string {
  if (pod.spec.hostNetwork && node) return `# Kubernetes-managed hosts file (host network).\n${nodeHostsFile(node)}`;
  let s =
    '# Kubernetes-managed hosts file.\n' +
    '127.0.0.1\tlocalhost\n' +
    LOCALHOST_V6.join('') +
    'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  const hostname = podHostname(pod);
  const domain = pod.spec.subdomain ? `${pod.spec.subdomain}.${pod.metadata.namespace}.svc.${clusterDomain(state)}` : '';
  for (const { ip } of pod.status?.podIPs ?? (pod.status?.podIP ? [{ ip: pod.status.podIP }] : [])) {
    s += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  }
  const aliases = pod.spec.hostAliases ?? [];
  if (aliases.length) {
    s += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) s += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return s;
}

/** The workstation's /etc/hosts: localhost and the cluster's nodes. */
export function outsideHostsFile(state: ClusterState): string {
  let s = '127.0.0.1\tlocalhost\n127.0.1.1\tworkstation\n\n# The following lines are desirable for IPv6 capable hosts\n';
  s += '::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n\n';
  s += '# kfake cluster nodes\n';
  for (const n of nodes(state)) s += `${nodeIP(n)}\t${n.metadata.name}\n`;
  return s;
}

/** The IPv4 entries of a hosts file. */
export function parseHosts(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [ip, ...names] = line.split(/\s+/);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) out.push({ ip, names });
  }
  return out;
}
