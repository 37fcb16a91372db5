/**
 * kfake's own commands that explain what the cluster does, which kubectl does not have.
 *
 * `kfake why endpoints SERVICE` explains a Service's endpoints the way the endpoints controller
 * decides them (pkg/controller/endpoint/endpoints_controller.go syncService,
 * pkg/api/v1/endpoints ShouldPodBeInEndpoints, podutil.FindPort): for every pod of the Service's
 * namespace, whether it is an endpoint and why not (the selector label that is missing or
 * differs, a finished pod, no IP yet, terminating, not Ready, no container port for a named
 * targetPort), and pods of other namespaces that the selector would match. So `Endpoints: <none>`
 * in `kubectl describe service` always comes with a reason. Colour only on a terminal.
 */
import type { ChalkInstance } from 'chalk';
import { CliError, notFound } from '../api/errors.ts';
import { resourceInfo } from '../api/registry.ts';
import type { EndpointAddress, Endpoints, Pod, Service, ServicePort } from '../api/types.ts';
import type { CommandDef, Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { findPort } from '../controllers/endpoints.ts';
import { podCondition } from '../controllers/pod-status.ts';
import { labelsString, selectorFromSet } from '../selectors/labels.ts';
import type { ClusterState } from '../store/state.ts';

// ------------------------------------------------------------------ analysis

/** in: an address; not-ready: under notReadyAddresses; terminating/out: not listed. */
export type PodVerdict = 'in' | 'not-ready' | 'terminating' | 'out';

export interface PodExplanation {
  namespace: string;
  name: string;
  ip?: string;
  node?: string;
  verdict: PodVerdict;
  /** Why the pod is out (or not ready), and notes that do not change the verdict. */
  reasons: string[];
  /** Selector keys whose label is missing or different (for "closest pods"). */
  labelMismatches: number;
}

/** An address of the Endpoints object with the port it serves a Service port on. */
export interface PortAddress {
  address: EndpointAddress;
  /** The resolved targetPort; undefined for a Service without ports. */
  port?: number;
}

export interface PortEndpoints {
  port: ServicePort;
  ready: PortAddress[];
  notReady: PortAddress[];
}

export interface EndpointsExplanation {
  service: Service;
  /** Facts about the Service itself that decide its endpoints (no selector, ExternalName...). */
  notes: string[];
  ports: PortEndpoints[];
  /** Pods of the Service's namespace, endpoints first. Empty without a selector. */
  pods: PodExplanation[];
  /** Pods of other namespaces whose labels match the selector. */
  elsewhere: PodExplanation[];
  /** Why the Service has no ready endpoint; undefined when it has one. */
  whyNone?: string;
}

function portLabel(sp: ServicePort): string {
  return `${sp.name ? `${sp.name} ` : ''}${sp.port}/${sp.protocol ?? 'TCP'}`;
}

function hasSelector(svc: Service): boolean {
  return !!svc.spec.selector && Object.keys(svc.spec.selector).length > 0;
}

/** The differences between a pod's labels and the selector, one text per selector key. */
function labelDifferences(selector: Record<string, string>, labels: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(selector)) {
    const have = labels?.[k];
    if (have === undefined) out.push(`no label ${k} (the selector wants ${k}=${v})`);
    else if (have !== v) out.push(`label ${k}=${have}, the selector wants ${k}=${v}`);
  }
  return out;
}

/** The Ready condition as kubectl describe pod would explain it. */
function notReadyText(pod: Pod): string {
  const c = podCondition(pod, 'Ready');
  if (!c) return 'not Ready (no Ready condition yet)';
  const detail = [c.reason, c.message].filter(Boolean).join(': ');
  return `not Ready${detail ? ` (${detail})` : ''}`;
}

/** A container port with this name but another protocol, to point out the mismatch. */
function sameNameOtherProtocol(pod: Pod, name: string, protocol: string): string | undefined {
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === name && (p.protocol ?? 'TCP') !== protocol) return p.protocol ?? 'TCP';
  }
  return undefined;
}

function declaresPort(pod: Pod, port: number, protocol: string): boolean {
  return pod.spec.containers.some((c) => (c.ports ?? []).some((p) => p.containerPort === port && (p.protocol ?? 'TCP') === protocol));
}

/** ShouldPodBeInEndpoints, FindPort and the readiness split, with the reason for each step. */
function explainPod(svc: Service, pod: Pod): PodExplanation {
  const selector = svc.spec.selector ?? {};
  const base = {
    namespace: pod.metadata.namespace!,
    name: pod.metadata.name!,
    ip: pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip,
    node: pod.spec.nodeName,
  };
  const differences = labelDifferences(selector, pod.metadata.labels);
  if (pod.metadata.namespace !== svc.metadata.namespace) {
    const reasons = [`in namespace ${pod.metadata.namespace}; a Service selects pods of its own namespace (${svc.metadata.namespace}) only`];
    return { ...base, verdict: 'out', reasons: [...reasons, ...differences], labelMismatches: differences.length };
  }
  if (differences.length) return { ...base, verdict: 'out', reasons: differences, labelMismatches: differences.length };
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    return { ...base, verdict: 'out', reasons: [`phase ${phase}: finished pods are never endpoints`], labelMismatches: 0 };
  }
  if (!base.ip) {
    const scheduling = podCondition(pod, 'PodScheduled')?.message;
    const why = !pod.spec.nodeName
      ? `not scheduled to a node yet${scheduling ? ` (${scheduling})` : ''}`
      : `phase ${phase ?? 'Pending'} on ${pod.spec.nodeName}`;
    return { ...base, verdict: 'out', reasons: [`no IP yet: ${why}`], labelMismatches: 0 };
  }
  const tolerate = svc.spec.publishNotReadyAddresses === true;
  if (pod.metadata.deletionTimestamp && !tolerate) {
    return {
      ...base,
      verdict: 'terminating',
      reasons: [`terminating (deleted at ${pod.metadata.deletionTimestamp}): left out of the Endpoints; its EndpointSlice entry says ready=false, terminating=true`],
      labelMismatches: 0,
    };
  }
  const reasons: string[] = [];
  const ports = svc.spec.ports ?? [];
  let served = 0;
  for (const sp of ports) {
    const n = findPort(pod, sp);
    const protocol = sp.protocol ?? 'TCP';
    const target = sp.targetPort ?? sp.port;
    if (n === undefined) {
      const other = sameNameOtherProtocol(pod, String(target), protocol);
      reasons.push(
        other
          ? `port ${portLabel(sp)}: its container port "${target}" is ${other}, not ${protocol}`
          : `port ${portLabel(sp)}: no container port named "${target}" with protocol ${protocol}`,
      );
      continue;
    }
    served++;
    if (typeof target === 'string' && !/^\d+$/.test(target)) reasons.push(`port ${portLabel(sp)}: "${target}" is ${n} in this pod`);
    else if (!declaresPort(pod, n, protocol)) reasons.push(`port ${portLabel(sp)}: no container declares ${n}/${protocol} (listed anyway; the port must be open)`);
  }
  if (ports.length > 0 && served === 0) {
    // The EndpointSlice controller still lists the pod, in a slice without ports; kube-proxy
    // finds no port there, but `kubectl describe service` prints such endpoints as bare IPs.
    const why = "serves none of the Service's ports: not in the Endpoints; its EndpointSlice lists it without ports (kubectl describe shows its bare IP), which carries no traffic";
    return { ...base, verdict: 'out', reasons: [why, ...reasons], labelMismatches: 0 };
  }
  if (podCondition(pod, 'Ready')?.status !== 'True') {
    if (tolerate) reasons.unshift(`${notReadyText(pod)}, listed as ready anyway: publishNotReadyAddresses is true`);
    else return { ...base, verdict: 'not-ready', reasons: [`${notReadyText(pod)}: listed under notReadyAddresses, gets no traffic`, ...reasons], labelMismatches: 0 };
  }
  return { ...base, verdict: 'in', reasons, labelMismatches: 0 };
}

/** The addresses the Endpoints object lists for one Service port (matched by port name). */
function endpointsFor(ep: Endpoints | undefined, sp: ServicePort): PortEndpoints {
  const out: PortEndpoints = { port: sp, ready: [], notReady: [] };
  for (const subset of ep?.subsets ?? []) {
    const p = (subset.ports ?? []).find((x) => (x.name ?? '') === (sp.name ?? '') && (x.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
    if (!p) continue;
    out.ready.push(...(subset.addresses ?? []).map((address) => ({ address, port: p.port })));
    out.notReady.push(...(subset.notReadyAddresses ?? []).map((address) => ({ address, port: p.port })));
  }
  return out;
}

const VERDICT_ORDER: Record<PodVerdict, number> = { in: 0, 'not-ready': 1, terminating: 2, out: 3 };

/** Sentence for the Service having no ready endpoint, from what its pods say. */
function whyNoEndpoints(svc: Service, pods: PodExplanation[], elsewhere: PodExplanation[]): string {
  const ns = svc.metadata.namespace;
  const selector = labelsString(svc.spec.selector);
  const selected = pods.filter((p) => p.labelMismatches === 0);
  if (selected.length === 0) {
    let text = pods.length === 0 ? `there are no pods in namespace ${ns}` : `no pod in namespace ${ns} has the labels ${selector}`;
    const closest = Math.min(...pods.map((p) => p.labelMismatches));
    const near = pods.filter((p) => p.labelMismatches === closest).slice(0, 3);
    // Pods that share at least one selector label are worth naming.
    if (near.length && closest < Object.keys(svc.spec.selector ?? {}).length) {
      text += `; closest: ${near.map((p) => `${p.name} (${p.reasons.join('; ')})`).join(', ')}`;
    }
    if (elsewhere.length) {
      const where = [...new Set(elsewhere.map((p) => p.namespace))].join(', ');
      text += `; pods with these labels run in namespace ${where}, but a Service only selects pods of its own namespace`;
    }
    return text;
  }
  const count = (v: PodVerdict) => selected.filter((p) => p.verdict === v).length;
  const parts: string[] = [];
  const notReady = count('not-ready');
  const terminating = count('terminating');
  const out = selected.filter((p) => p.verdict === 'out');
  if (notReady) parts.push(`${notReady} not Ready`);
  if (terminating) parts.push(`${terminating} terminating`);
  // the first clause of the pod's first reason (`no IP yet`, `serves none of the Service's ports`)
  for (const p of out) parts.push(`${p.name}: ${p.reasons[0].split(':')[0]}`);
  const total = selected.length === 1 ? 'the 1 pod with the labels' : `the ${selected.length} pods with the labels`;
  return `${total} ${selector} cannot serve: ${parts.join('; ')}`;
}

/** Why the Service `namespace/name` has the endpoints it has. */
export function explainEndpoints(state: ClusterState, namespace: string, name: string): EndpointsExplanation {
  const svc = state.get<Service>('services', namespace, name);
  if (!svc) throw notFound(resourceInfo('services'), name);
  const ep = state.get<Endpoints>('endpoints', namespace, name);
  const notes: string[] = [];
  const result: EndpointsExplanation = { service: svc, notes, ports: [], pods: [], elsewhere: [] };

  if (svc.spec.type === 'ExternalName') {
    notes.push(
      `type ExternalName: no endpoints and no cluster IP; cluster DNS answers ${name}.${namespace}.svc.${state.meta.config.clusterDomain} with a CNAME to ${svc.spec.externalName}`,
    );
    result.whyNone = 'an ExternalName Service is only a DNS alias';
    return result;
  }
  result.ports = (svc.spec.ports ?? []).map((sp) => endpointsFor(ep, sp));
  const anyReady = (ep?.subsets ?? []).some((s) => (s.addresses ?? []).length > 0);

  if (!hasSelector(svc)) {
    notes.push(
      namespace === 'default' && name === 'kubernetes'
        ? "no selector: the API server keeps this Service's endpoints itself (its own address, port 6443)"
        : 'no selector: the endpoints controller leaves this Service alone; its endpoints are what the Endpoints object of the same name lists (copied into an EndpointSlice by the mirroring controller)',
    );
    if (!ep) {
      notes.push(`there is no Endpoints object ${namespace}/${name}`);
      result.whyNone = `the Service has no selector and nobody created an Endpoints object named ${name}`;
    } else if (!anyReady) {
      result.whyNone = `the Service has no selector and its hand-made Endpoints object ${name} lists no ready address`;
    }
    return result;
  }

  if (svc.spec.clusterIP === 'None') notes.push('headless (clusterIP: None): DNS answers with the ready endpoints themselves');
  if (svc.spec.publishNotReadyAddresses) notes.push('publishNotReadyAddresses: pods are endpoints whether Ready or not');
  if (!(svc.spec.ports ?? []).length && svc.spec.clusterIP !== 'None') notes.push('no ports: there is nothing to list');

  const pods = state.list<Pod>('pods', namespace).map((p) => explainPod(svc, p));
  pods.sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || a.labelMismatches - b.labelMismatches || (a.name < b.name ? -1 : 1));
  result.pods = pods;
  result.elsewhere = state
    .select<Pod>('pods', undefined, selectorFromSet(svc.spec.selector))
    .filter((p) => p.metadata.namespace !== namespace)
    .map((p) => explainPod(svc, p));
  if (!anyReady) result.whyNone = whyNoEndpoints(svc, pods, result.elsewhere);
  return result;
}

// ------------------------------------------------------------------ rendering

function addressText({ address, port }: PortAddress): string {
  const who = address.targetRef?.name ? ` (${address.targetRef.name})` : '';
  return `${address.ip}${port !== undefined ? `:${port}` : ''}${who}`;
}

/** Rows of cells aligned like a `get` table (widths from the plain text, colour added after). */
function table(rows: { cells: string[]; paint?: ((s: string) => string)[] }[], indent: string): string {
  const widths: number[] = [];
  for (const r of rows) r.cells.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) => {
      const last = r.cells.length - 1;
      const line = r.cells.map((c, i) => {
        const text = r.paint?.[i] ? r.paint[i](c) : c;
        return i === last ? text : text + ' '.repeat(widths[i] - c.length + 3);
      });
      return indent + line.join('') + '\n';
    })
    .join('');
}

const VERDICT_TEXT: Record<PodVerdict, string> = { in: 'yes', 'not-ready': 'not ready', terminating: 'no', out: 'no' };

function verdictColor(color: ChalkInstance, v: PodVerdict): (s: string) => string {
  if (v === 'in') return color.green;
  if (v === 'not-ready' || v === 'terminating') return color.yellow;
  return color.red;
}

function podRows(color: ChalkInstance, pods: PodExplanation[], qualify: boolean): string {
  const rows: { cells: string[]; paint?: ((s: string) => string)[] }[] = [
    { cells: ['POD', 'IP', 'NODE', 'ENDPOINT', 'WHY'], paint: [color.bold, color.bold, color.bold, color.bold, color.bold] },
  ];
  for (const p of pods) {
    const why = p.reasons.length ? p.reasons.join('; ') : p.verdict === 'in' ? 'selected, Ready, serves every port' : '';
    rows.push({
      cells: [qualify ? `${p.namespace}/${p.name}` : p.name, p.ip ?? '<none>', p.node ?? '<none>', VERDICT_TEXT[p.verdict], why],
      paint: [(s) => s, (s) => s, (s) => s, verdictColor(color, p.verdict)],
    });
  }
  return table(rows, '  ');
}

export function renderEndpointsExplanation(x: EndpointsExplanation, color: ChalkInstance): string {
  const svc = x.service;
  const ns = svc.metadata.namespace;
  const spec = svc.spec;
  let out = '';
  const ip = spec.type === 'ExternalName' ? spec.externalName : spec.clusterIP;
  const label = (text: string) => color.bold(text) + ' '.repeat(11 - text.length);
  out += `${label('Service:')}${ns}/${svc.metadata.name} (${spec.type ?? 'ClusterIP'}${ip ? ` ${ip}` : ''})\n`;
  out += `${label('Selector:')}${hasSelector(svc) ? labelsString(spec.selector) : '<none>'}\n`;
  for (const n of x.notes) out += `${label('Note:')}${n}\n`;
  if (x.ports.length) {
    out += `\n${color.bold('Endpoints:')}\n`;
    for (const p of x.ports) {
      const target = p.port.targetPort ?? p.port.port;
      const head = `${portLabel(p.port)} -> targetPort ${target}`;
      if (p.ready.length === 0 && p.notReady.length === 0) {
        out += `  ${head}: ${color.red('<none>')}\n`;
        continue;
      }
      out += `  ${head}:\n`;
      if (p.ready.length) out += `    ready:     ${p.ready.map(addressText).join(', ')}\n`;
      if (p.notReady.length) out += `    not ready: ${color.yellow(p.notReady.map(addressText).join(', '))}\n`;
    }
  }
  if (hasSelector(svc) && spec.type !== 'ExternalName') {
    out += `\n${color.bold(`Pods in namespace ${ns}:`)}${x.pods.length ? '' : ' none'}\n`;
    if (x.pods.length) out += podRows(color, x.pods, false);
    if (x.elsewhere.length) {
      out += `\n${color.bold('Pods in other namespaces with matching labels:')}\n`;
      out += podRows(color, x.elsewhere, true);
    }
  }
  if (x.whyNone) out += `\n${color.red('No ready endpoints')}: ${x.whyNone}.\n`;
  return out;
}

// ------------------------------------------------------------------ commands

async function runWhyEndpoints(inv: Invocation): Promise<void> {
  const usage = `${inv.program} why endpoints SERVICE [-n NAMESPACE]`;
  if (inv.args.length !== 1) throw new CliError(`exactly one Service name is required: ${usage}`);
  const name = inv.args[0].replace(/^(services?|svc|endpoints|ep)\//, '');
  const ctx = commandContext(inv);
  const state = await ctx.session.read();
  inv.io.out(renderEndpointsExplanation(explainEndpoints(state, ctx.namespace, name), inv.io.color));
}

const whyEndpointsCommand: CommandDef = {
  name: 'endpoints',
  aliases: ['ep', 'endpoint', 'service', 'svc'],
  short: "Explain which pods are a Service's endpoints, and why the others are not",
  long: `Explain a Service's endpoints: for every pod of the Service's namespace, whether the endpoints controller lists it and, if not, why: a selector label that is missing or different, a finished pod, no IP yet, terminating, not Ready (listed under notReadyAddresses), or no container port for a named targetPort. Pods of other namespaces that the selector matches are pointed out, and so are Services without a selector (hand-made Endpoints) and ExternalName Services.`,
  example: `  # Why has the Service web no endpoints, or not the ones expected?
  kfake why endpoints web
  
  # A Service in another namespace
  kfake why endpoints kube-dns -n kube-system`,
  usage: 'why endpoints SERVICE [flags] [options]',
  run: runWhyEndpoints,
};

export const diagnoseCommands: CommandDef[] = [
  {
    name: 'why',
    short: 'Explain why the cluster does what it does (kfake)',
    group: 'kfake Commands:',
    long: 'Explanations of decisions the simulated cluster makes, which kubectl does not have.',
    usage: 'why [command] [flags] [options]',
    subcommands: [whyEndpointsCommand],
  },
];
