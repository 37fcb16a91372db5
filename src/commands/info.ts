/**
 * Small kubectl commands about the cluster itself: version, api-resources, cluster-info, and
 * `options` (the global flags).
 */
import { CliError } from '../api/errors.ts';
import { apiVersionOf, RESOURCES } from '../api/registry.ts';
import type { Service } from '../api/types.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { globalOptionsHelp } from '../cli/help.ts';
import { GLOBAL_FLAGS } from '../cli/program.ts';
import { GET_TABWRITER, tabwrite } from '../printers/tabwriter.ts';
import { toJson } from '../printers/json.ts';
import { toYaml } from '../printers/yaml.ts';
import { selectorFromSet } from '../selectors/labels.ts';

const KUSTOMIZE_VERSION = 'v5.5.0';

function versionInfo(gitVersion: string) {
  const [major, minor] = gitVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion,
    gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T16:04:18Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export const versionCommand: CommandDef = {
  name: 'version',
  short: 'Print the client and server version information',
  group: 'Other Commands:',
  long: 'Print the client and server version information for the current context.',
  example: `  # Print the client and server versions for the current context
  kfake version`,
  usage: 'version [flags] [options]',
  flags: [
    flag.bool('client', 'If true, shows client version only (no server required).'),
    flag.string('output', "One of 'yaml' or 'json'.", { short: 'o' }),
  ],
  run: async (inv) => {
    const client = inv.flags.client as boolean;
    const output = inv.flags.output as string;
    if (output && output !== 'yaml' && output !== 'json') throw new CliError('--output must be \'yaml\' or \'json\'');
    let server: string | undefined;
    if (!client) {
      const ctx = commandContext(inv);
      server = (await ctx.session.read()).meta.config.kubernetesVersion;
    }
    const clientVersion = 'v1.32.4';
    if (output) {
      const doc: Record<string, unknown> = { clientVersion: versionInfo(clientVersion), kustomizeVersion: KUSTOMIZE_VERSION };
      if (server) doc.serverVersion = versionInfo(server);
      inv.io.out(output === 'json' ? toJson(doc, { sortKeys: false }) : toYaml(doc));
      return;
    }
    let s = `Client Version: ${clientVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`;
    if (server) s += `Server Version: ${server}\n`;
    inv.io.out(s);
  },
};

export const apiResourcesCommand: CommandDef = {
  name: 'api-resources',
  short: 'Print the supported API resources on the server',
  group: 'Other Commands:',
  long: 'Print the supported API resources on the server.',
  example: `  # Print the supported API resources
  kfake api-resources
  
  # Print the supported API resources with more information
  kfake api-resources -o wide`,
  usage: 'api-resources [flags] [options]',
  flags: [
    flag.string('api-group', 'Limit to resources in the specified API group.'),
    flag.bool('namespaced', 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.', { default: true }),
    flag.bool('no-headers', "When using the default or custom-column output format, don't print headers (default print headers)."),
    flag.string('output', 'Output format. One of: (wide, name).', { short: 'o' }),
    flag.string('sort-by', "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'."),
  ],
  run: async (inv: Invocation) => {
    const f = inv.flags;
    let list = [...RESOURCES];
    if (inv.changed.has('api-group')) list = list.filter((r) => r.group === f['api-group']);
    if (inv.changed.has('namespaced')) list = list.filter((r) => r.namespaced === f.namespaced);
    if (f['sort-by'] === 'name') list.sort((a, b) => a.resource.localeCompare(b.resource));
    else if (f['sort-by'] === 'kind') list.sort((a, b) => a.kind.localeCompare(b.kind));
    const output = f.output as string;
    if (output === 'name') {
      inv.io.out(list.map((r) => (r.group ? `${r.resource}.${r.group}\n` : `${r.resource}\n`)).join(''));
      return;
    }
    const wide = output === 'wide';
    const rows: string[] = [];
    if (!f['no-headers']) rows.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])].join('\t'));
    for (const r of list) {
      // namespaces are the one served kind without deletecollection
      const verbs = r.resource === 'namespaces' ? 'create,delete,get,list,patch,update,watch' : 'create,delete,deletecollection,get,list,patch,update,watch';
      rows.push([r.resource, r.shortNames.join(','), apiVersionOf(r), String(r.namespaced), r.kind, ...(wide ? [verbs, r.categories.join(',')] : [])].join('\t'));
    }
    inv.io.out(tabwrite(rows.join('\n') + '\n', GET_TABWRITER));
  },
};

export const clusterInfoCommand: CommandDef = {
  name: 'cluster-info',
  short: 'Display cluster information',
  group: 'Cluster Management Commands:',
  long: `Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'kfake cluster-info dump'.`,
  example: `  # Print the address of the control plane and cluster services
  kfake cluster-info`,
  usage: 'cluster-info [flags] [options]',
  run: async (inv) => {
    const ctx = commandContext(inv);
    const state = await ctx.session.read();
    const cp = state.meta.config.nodes.find((n) => n.role === 'control-plane') ?? state.meta.config.nodes[0];
    const server = `https://${cp.internalIP}:6443`;
    const c = inv.io.color;
    let s = `${c.green('Kubernetes control plane')} is running at ${c.yellow(server)}\n`;
    for (const svc of state.select<Service>('services', 'kube-system', selectorFromSet({ 'kubernetes.io/cluster-service': 'true' }))) {
      const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name!;
      const port = svc.spec.ports?.[0];
      const portPart = port?.name ? `:${port.name}` : port ? `:${port.port}` : '';
      s += `${c.green(name)} is running at ${c.yellow(`${server}/api/v1/namespaces/kube-system/services/${svc.metadata.name}${portPart}/proxy`)}\n`;
    }
    s += `\nTo further debug and diagnose cluster problems, use '${inv.program} cluster-info dump'.\n`;
    inv.io.out(s);
  },
};

export const optionsCommand: CommandDef = {
  name: 'options',
  short: 'Print the list of flags inherited by all commands',
  group: 'Other Commands:',
  long: 'Print the list of flags inherited by all commands',
  example: `  # Print flags inherited by all commands
  kfake options`,
  usage: 'options [flags] [options]',
  run: (inv) => {
    inv.io.out(globalOptionsHelp(GLOBAL_FLAGS));
  },
};
