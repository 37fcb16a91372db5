/**
 * `kfake cluster`: kfake's own commands about the simulated cluster (not kubectl ones): reset it
 * to a new cluster with chosen settings, and summarise what the store holds.
 */
import fs from 'node:fs';
import Table from 'cli-table3';
import { CliError } from '../api/errors.ts';
import { RESOURCES } from '../api/registry.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { DEFAULT_CONFIG, nodePortRangeText, type ClusterConfig, type NodeConfig } from '../store/meta.ts';
import { formatIPv4, parseCidr, parseIPv4 } from '../util/ipv4.ts';
import { apiServiceIP, dnsServiceIP } from '../cluster/bootstrap.ts';
import { installIngressNginx, INGRESS_NGINX_VERSION } from '../ingress/install.ts';
import { controllerPods } from '../ingress/controller.ts';
import { parsePool } from '../controllers/load-balancer.ts';

const INGRESS_NGINX_SUMMARY = `ingress-nginx v${INGRESS_NGINX_VERSION} (IngressClass nginx, the default class)`;

function configFromFlags(inv: Invocation): ClusterConfig {
  const f = inv.flags;
  const cfg: ClusterConfig = structuredClone(DEFAULT_CONFIG);
  const name = (f.name as string) || cfg.name;
  cfg.name = name;
  const serviceCIDR = f['service-cidr'] as string;
  if (serviceCIDR) {
    const c = parseCidr(serviceCIDR);
    if (!c || c.prefix > 28 || c.prefix < 8) throw new CliError(`--service-cidr must be an IPv4 CIDR between /8 and /28, not "${serviceCIDR}"`);
    cfg.serviceCIDR = c.text;
  }
  const podCIDR = f['pod-cidr'] as string;
  if (podCIDR) {
    const c = parseCidr(podCIDR);
    if (!c || c.prefix > 22) throw new CliError(`--pod-cidr must be an IPv4 CIDR of /22 or larger, not "${podCIDR}"`);
    cfg.podCIDR = c.text;
  }
  const range = f['node-port-range'] as string;
  if (range) {
    const m = /^(\d+)-(\d+)$/.exec(range);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2]) : NaN;
    if (!m || lo < 1 || hi > 65535 || hi < lo) throw new CliError(`--node-port-range must look like 30000-32767, not "${range}"`);
    cfg.nodePortRange = { base: lo, size: hi - lo + 1 };
  }
  const workers = f.workers as number;
  if (workers < 0 || workers > 250) throw new CliError('--workers must be between 0 and 250');
  const maxPods = f['max-pods'] as number;
  if (maxPods < 1) throw new CliError('--max-pods must be at least 1');
  cfg.maxPodsPerNode = maxPods;
  const pods = parseCidr(cfg.podCIDR)!;
  if (workers + 1 > pods.size / 256) throw new CliError(`--pod-cidr ${cfg.podCIDR} has room for only ${pods.size / 256} node /24 ranges`);
  const nodes: NodeConfig[] = [];
  for (let i = 0; i <= workers; i++) {
    nodes.push({
      name: i === 0 ? `${name}-control-plane` : i === 1 ? `${name}-worker` : `${name}-worker${i}`,
      role: i === 0 ? 'control-plane' : 'worker',
      internalIP: formatIPv4(parseIPv4('172.18.0.0')! + 2 + i),
      podCIDR: `${formatIPv4(pods.base + i * 256)}/24`,
    });
  }
  cfg.nodes = nodes;
  const lb = f['load-balancer-pool'] as string;
  if (lb) {
    if (!parsePool(lb)) {
      throw new CliError(`--load-balancer-pool must be a CIDR or a range like 172.18.255.200-172.18.255.250, not "${lb}"`);
    }
    cfg.loadBalancer = { mode: 'pool', pool: lb };
  }
  return cfg;
}

function summary(inv: Invocation, file: string, cfg: ClusterConfig, extra: [string, string][] = []): string {
  const table = new Table({ style: { head: [], border: [] } });
  const rows: [string, string][] = [
    ['Store', file],
    ['Kubernetes', cfg.kubernetesVersion],
    ['Nodes', cfg.nodes.map((n) => `${n.name} (${n.role}, ${n.internalIP}, pods ${n.podCIDR})`).join('\n')],
    ['Service CIDR', `${cfg.serviceCIDR} (kubernetes ${apiServiceIP(cfg)}, kube-dns ${dnsServiceIP(cfg)})`],
    ['Pod CIDR', cfg.podCIDR],
    ['Node ports', nodePortRangeText(cfg)],
    ['Load balancers', cfg.loadBalancer.mode === 'pool' ? `address pool ${cfg.loadBalancer.pool}` : 'none (EXTERNAL-IP stays <pending>)'],
    ['Max pods per node', String(cfg.maxPodsPerNode)],
    ...extra,
  ];
  for (const [k, v] of rows) table.push({ [inv.io.color.bold(k)]: v });
  return table.toString() + '\n';
}

const resetCommand: CommandDef = {
  name: 'reset',
  aliases: ['init'],
  short: 'Replace the cluster with a new one',
  long: `Replace the cluster in the store with a newly bootstrapped one (like kubeadm init plus worker joins), optionally with other settings. Everything in the old cluster is lost. This is also how to start over from a damaged store.`,
  example: `  # Start over with the default cluster (a control plane and two workers)
  kfake cluster reset
  
  # A cluster with five workers, more pods per node and a load-balancer address pool (like MetalLB)
  kfake cluster reset --workers 5 --max-pods 250 --load-balancer-pool 172.18.255.200-172.18.255.250
  
  # A cluster with the ingress-nginx controller, so Ingresses get an address and route requests
  kfake cluster reset --ingress nginx`,
  usage: 'cluster reset [flags] [options]',
  flags: [
    flag.string('name', 'Cluster name, used in node names.', { default: 'kfake' }),
    flag.int('workers', 'Number of worker nodes beside the control plane.', { default: 2 }),
    flag.int('max-pods', 'Pods each node accepts (kubelet --max-pods).', { default: 110 }),
    flag.string('service-cidr', 'Service IP range (kubeadm --service-cidr).', { default: DEFAULT_CONFIG.serviceCIDR }),
    flag.string('pod-cidr', 'Pod network; each node gets a /24 of it (kubeadm --pod-network-cidr).', { default: DEFAULT_CONFIG.podCIDR }),
    flag.string('node-port-range', 'NodePort range (kube-apiserver --service-node-port-range).', { default: '30000-32767' }),
    flag.string('load-balancer-pool', 'Addresses LoadBalancer Services get, as a CIDR or a range. Empty: no load-balancer implementation, EXTERNAL-IP stays <pending>.'),
    flag.string('ingress', 'Ingress controller to install: "nginx" (ingress-nginx, with IngressClass nginx as the default class). Empty: none.'),
  ],
  run: async (inv) => {
    const cfg = configFromFlags(inv);
    const ingress = inv.flags.ingress as string;
    if (ingress !== '' && ingress !== 'nginx') throw new CliError(`--ingress must be "nginx" or empty, not "${ingress}"`);
    const ctx = commandContext(inv);
    await ctx.session.reset(cfg);
    if (ingress === 'nginx') {
      await ctx.session.transaction((api) => installIngressNginx(api, { loadBalancer: cfg.loadBalancer.mode === 'pool' }));
    }
    const extra: [string, string][] = ingress === 'nginx' ? [['Ingress', INGRESS_NGINX_SUMMARY]] : [];
    inv.io.out(`Cluster "${cfg.name}" is ready.\n` + summary(inv, ctx.session.file, cfg, extra));
  },
};

const infoCommand: CommandDef = {
  name: 'info',
  short: 'Show the cluster settings and what the store holds',
  long: 'Show where the cluster store is, the settings the cluster was created with, and how many objects of each kind it holds.',
  example: `  # Summarise the cluster
  kfake cluster info`,
  usage: 'cluster info [flags] [options]',
  run: async (inv) => {
    const ctx = commandContext(inv);
    const state = await ctx.session.read();
    const counts = RESOURCES.map((r) => [r.resource, state.count(r.resource)] as const).filter(([, n]) => n > 0);
    const size = fs.statSync(ctx.session.file).size;
    inv.io.out(
      summary(inv, ctx.session.file, state.meta.config, [
        ...(controllerPods(state).length ? ([['Ingress', INGRESS_NGINX_SUMMARY]] as [string, string][]) : []),
        ['Created', state.meta.createdAt],
        ['Objects', counts.map(([r, n]) => `${r}: ${n}`).join('\n')],
        ['Store size', `${(size / 1024).toFixed(1)} KiB, resourceVersion ${state.meta.resourceVersion}`],
      ]),
    );
  },
};

export const clusterCommand: CommandDef = {
  name: 'cluster',
  short: 'Reset or inspect the simulated cluster (kfake)',
  group: 'kfake Commands:',
  long: 'Commands about the simulated cluster itself, which kubectl does not have.',
  usage: 'cluster [command] [flags] [options]',
  subcommands: [resetCommand, infoCommand],
};
