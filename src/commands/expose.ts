/**
 * `kfake expose`: a new Service for a pod, deployment, replica set or service
 * (staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go and the polymorphichelpers it calls:
 * canbeexposed.go, mapbasedselectorforobject.go, portsforobject.go, multiprotocolsforobject.go).
 *
 * The selector comes from the exposed object, the labels are copied from it, and the ports are
 * its container (or service) ports, each with targetPort equal to the port unless
 * --target-port is given. kubectl builds the Service as a Go struct (see create-generators.ts
 * for what that means when it is printed) and, like kubectl, one set of options serves every
 * object of a run: what was derived from the first object is kept for the next ones.
 */
import { CliError, MultiError, StatusError, goQuote } from '../api/errors.ts';
import type { ResourceInfo } from '../api/registry.ts';
import type { Deployment, KObject, LabelSelectorRequirement, Pod, PodSpec, ReplicaSet, Service } from '../api/types.ts';
import { createObject, getObject, type ApiContext } from '../apiserver/api.ts';
import { decodeWithValidation } from '../api/schema/index.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { mapManifestObjects } from '../cli/manifests.ts';
import { changeCauseRecorder, DRY_RUN_FLAG, dryRunStrategy, MutationPrinter, OUTPUT_FLAGS, recordFlag } from '../cli/mutate.ts';
import { parseResourceArgs, resolveType } from '../cli/resources.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { jsonMergePatch } from '../patch/merge-patch.ts';
import { PatchError } from '../patch/patch-meta.ts';
import { strategicMergePatch } from '../patch/strategic.ts';
import { compareGoStrings } from '../printers/json.ts';
import { TypedObjectPrinter, withTypedLastApplied } from './create-generators.ts';

export const exposeCommand: CommandDef = {
  name: 'expose',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  group: 'Basic Commands (Beginner):',
  long: `Expose a resource as a new Kubernetes service.

 Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the resource it exposes.

 Possible resources include (case insensitive):

 pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)`,
  example: `  # Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000
  kfake expose rc nginx --port=80 --target-port=8000
  
  # Create a service for a replication controller identified by type and name specified in "nginx-controller.yaml", which serves on port 80 and connects to the containers on port 8000
  kfake expose -f nginx-controller.yaml --port=80 --target-port=8000
  
  # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"
  kfake expose pod valid-pod --port=444 --name=frontend
  
  # Create a second service based on the above service, exposing the container port 8443 as port 443 with the name "nginx-https"
  kfake expose service nginx --port=443 --target-port=8443 --name=nginx-https
  
  # Create a service for a replicated streaming application on port 4100 balancing UDP traffic and named 'video-stream'.
  kfake expose rc streamer --port=4100 --protocol=UDP --name=video-stream
  
  # Create a service for a replicated nginx using replica set, which serves on port 80 and connects to the containers on port 8000
  kfake expose rs nginx --port=80 --target-port=8000
  
  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000
  kfake expose deployment nginx --port=80 --target-port=8000`,
  usage:
    'expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  flags: [
    ...OUTPUT_FLAGS,
    flag.string('cluster-ip', "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service."),
    DRY_RUN_FLAG,
    flag.string('external-ip', 'Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP.'),
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-expose' }),
    flag.stringSlice('filename', 'Filename, directory, or URL to files identifying the resource to expose a service', { short: 'f' }),
    flag.string('kustomize', "Process the kustomization directory. This flag can't be used together with -f or -R.", { short: 'k' }),
    flag.string('labels', 'Labels to apply to the service created by this call.', { short: 'l' }),
    flag.string('load-balancer-ip', 'IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).'),
    flag.string('name', 'The name for the newly created object.'),
    flag.string('override-type', 'The method used to override the generated object: json, merge, or strategic.', { default: 'merge' }),
    flag.string('overrides', 'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.'),
    flag.string('port', 'The port that the service should serve on. Copied from the resource being exposed, if unspecified'),
    flag.string('protocol', "The network protocol for the service to be created. Default is 'TCP'."),
    recordFlag(),
    flag.bool('recursive', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.', { short: 'R' }),
    flag.bool('save-config', 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.'),
    flag.string('selector', 'A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)'),
    flag.string('session-affinity', "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'"),
    flag.string('target-port', 'Name or number for the port on the container that the service should direct traffic to. Optional.'),
    flag.string('type', "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'."),
  ],
  run: runExpose,
};

/**
 * ExposeServiceOptions: the flags, plus what RunExpose derives from an exposed object when a
 * flag left it empty. Derived values stay for the following objects, as in kubectl.
 */
export interface ExposeOptions {
  name: string;
  /** The exposed object's name cut to 63 characters (DNS-1035 label length). */
  defaultName: string;
  /** `k=v,...` */
  selector: string;
  /** One port (--port, or the object's only one). */
  port: string;
  /** `p1,p2,...` when the object has several. */
  ports: string;
  /** `k=v,...` */
  labels: string;
  protocol: string;
  /** The object's protocols per port number (makeProtocols/parseProtocols). */
  protocols: Map<string, string[]>;
  targetPort: string;
  type: string;
  externalIP: string;
  loadBalancerIP: string;
  sessionAffinity: string;
  clusterIP: string;
  overrides: string;
  overrideType: string;
}

export function exposeOptionsFromFlags(flags: Record<string, unknown>): ExposeOptions {
  const s = (name: string) => (flags[name] as string | undefined) ?? '';
  return {
    name: s('name'),
    defaultName: '',
    selector: s('selector'),
    port: s('port'),
    ports: '',
    labels: s('labels'),
    protocol: s('protocol'),
    protocols: new Map(),
    targetPort: s('target-port'),
    type: s('type'),
    externalIP: s('external-ip'),
    loadBalancerIP: s('load-balancer-ip'),
    sessionAffinity: s('session-affinity'),
    clusterIP: s('cluster-ip'),
    overrides: s('overrides'),
    overrideType: s('override-type'),
  };
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

/** canBeExposed: pods, services, deployments and replica sets (replication controllers are not served). */
function checkCanBeExposed(obj: KObject): void {
  const group = groupOf(obj.apiVersion);
  const ok = group === '' ? obj.kind === 'Pod' || obj.kind === 'Service' : group === 'apps' && (obj.kind === 'Deployment' || obj.kind === 'ReplicaSet');
  if (!ok) throw new CliError(`cannot expose a ${obj.kind}${group ? `.${group}` : ''}`);
}

/** polymorphichelpers.MakeLabels (Go map order; sorted here, the result is parsed back into a map). */
function makeLabels(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort(compareGoStrings)
    .map((k) => `${k}=${labels![k]}`)
    .join(',');
}

/** `%+v` of []metav1.LabelSelectorRequirement. */
function formatRequirements(reqs: LabelSelectorRequirement[]): string {
  return `[${reqs.map((r) => `{Key:${r.key} Operator:${r.operator} Values:[${(r.values ?? []).join(' ')}]}`).join(' ')}]`;
}

/** mapBasedSelectorForObject */
function selectorForObject(obj: KObject): string {
  switch (obj.kind) {
    case 'Pod': {
      const labels = obj.metadata.labels;
      if (!labels || Object.keys(labels).length === 0) throw new Error('the pod has no labels and cannot be exposed');
      return makeLabels(labels);
    }
    case 'Service': {
      // An empty selector map is not sent by the server (omitempty), so it reads as none.
      const selector = (obj as Service).spec?.selector;
      if (!selector || Object.keys(selector).length === 0) throw new Error('the service has no pod selector set');
      return makeLabels(selector);
    }
    default: {
      const what = obj.kind === 'Deployment' ? 'deployment' : 'replicaset';
      const selector = (obj as Deployment | ReplicaSet).spec?.selector;
      if (!selector?.matchLabels || Object.keys(selector.matchLabels).length === 0) {
        throw new Error(`invalid ${what}: no selectors, therefore cannot be exposed`);
      }
      if (selector.matchExpressions?.length) {
        throw new Error(`couldn't convert expressions - "${formatRequirements(selector.matchExpressions)}" to map-based selector format`);
      }
      return makeLabels(selector.matchLabels);
    }
  }
}

function podSpecOf(obj: KObject): PodSpec | undefined {
  if (obj.kind === 'Pod') return (obj as Pod).spec;
  return (obj as Deployment | ReplicaSet).spec?.template?.spec;
}

/** Every port number with its protocol, in order: container ports, or a service's ports. */
function portsWithProtocols(obj: KObject): [string, string][] {
  if (obj.kind === 'Service') {
    return ((obj as Service).spec?.ports ?? []).map((p) => [String(p.port ?? 0), p.protocol || 'TCP']);
  }
  return (podSpecOf(obj)?.containers ?? []).flatMap((c) =>
    (c.ports ?? []).map((p): [string, string] => [String(p.containerPort ?? 0), p.protocol || 'TCP']),
  );
}

/** parseLabels: `k=v,...`, equality only. */
function parseLabels(spec: string): Record<string, string> {
  if (spec === '') throw new CliError('no label spec passed');
  const labels: Record<string, string> = {};
  for (const item of spec.split(',')) {
    const kv = item.split('=');
    if (kv.length !== 2) throw new CliError(`unexpected label spec: ${item}`);
    if (kv[0] === '') throw new CliError('unexpected empty label key');
    labels[kv[0]] = kv[1];
  }
  return labels;
}

/** strconv.Atoi and its errors. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new CliError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw new CliError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  }
  return Number(n);
}

/** Go's int32() conversion of an int. */
const toInt32 = (n: number) => Number(BigInt.asIntN(32, BigInt(n)));

/** intstr.Parse: a number when strconv.Atoi accepts it, else a name. */
function parseIntOrString(s: string): number | string {
  try {
    return toInt32(atoi(s));
  } catch {
    return s;
  }
}

interface GeneratedPort {
  name?: string;
  protocol: string;
  port: number;
  targetPort?: number | string;
}

/** ExposeServiceOptions.createService */
function createService(o: ExposeOptions): KObject {
  if (o.selector === '') throw new CliError('selector must be specified');
  const selector = parseLabels(o.selector);
  const labels = o.labels ? parseLabels(o.labels) : undefined;
  const name = o.name || o.defaultName;
  if (!name) throw new CliError('name must be specified');

  // --port, or all of the object's ports when it has several.
  const portString = o.ports || o.port;
  const ports: GeneratedPort[] = [];
  if (portString) {
    const list = portString.split(',');
    list.forEach((text, i) => {
      const port = toInt32(atoi(text));
      const portName = list.length > 1 ? `port-${i + 1}` : undefined;
      let protocol = o.protocol;
      if (!protocol && o.protocols.size === 0) protocol = 'TCP';
      else if (!protocol) {
        protocol = 'TCP';
        const found = o.protocols.get(text);
        if (found?.length === 1) protocol = found[0];
        else if (found) {
          // The same number with several protocols: one port per protocol.
          for (const p of found) ports.push({ name: `port-${i + 1}-${p.toLowerCase()}`, protocol: p, port });
          return;
        }
      }
      ports.push({ ...(portName ? { name: portName } : {}), protocol, port });
    });
  }
  const targetPort = o.targetPort ? parseIntOrString(o.targetPort) : undefined;
  for (const p of ports) p.targetPort = targetPort ?? p.port;

  const spec: Record<string, unknown> = {};
  if (ports.length) spec.ports = ports;
  spec.selector = selector;
  if (o.clusterIP) spec.clusterIP = o.clusterIP;
  if (o.type) spec.type = o.type;
  if (o.externalIP) spec.externalIPs = [o.externalIP];
  if (o.type === 'LoadBalancer' && o.loadBalancerIP) spec.loadBalancerIP = o.loadBalancerIP;
  if (o.sessionAffinity) {
    if (o.sessionAffinity !== 'None' && o.sessionAffinity !== 'ClientIP') {
      throw new CliError(`unknown session affinity: ${o.sessionAffinity}`);
    }
    spec.sessionAffinity = o.sessionAffinity;
  }
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: { name, creationTimestamp: null, ...(labels ? { labels } : {}) },
    spec,
    status: { loadBalancer: {} },
  };
}

/**
 * --overrides (cmdutil.OverrideOptions): a JSON merge patch by default, or a JSON patch or
 * strategic merge patch, applied to the generated Service, which is then decoded back into
 * the struct (unknown fields are dropped).
 */
function applyOverrides(o: ExposeOptions, service: KObject): KObject {
  if (!o.overrides) return service;
  const type = o.overrideType || 'merge';
  if (type !== 'json' && type !== 'merge' && type !== 'strategic') throw new CliError(`invalid override type: ${type}`);
  let patch: unknown;
  try {
    patch = JSON.parse(o.overrides);
  } catch {
    throw new CliError(type === 'merge' ? 'Invalid JSON Patch' : type === 'strategic' ? 'invalid JSON document' : `invalid JSON in --overrides: ${o.overrides}`);
  }
  let result: unknown;
  try {
    if (type === 'json') result = applyJsonPatch(service, patch);
    else if (type === 'merge') result = jsonMergePatch(service, patch);
    else result = strategicMergePatch(service, patch, '/Service');
  } catch (e) {
    if (e instanceof PatchError) throw new CliError(e.message);
    throw e;
  }
  const decoded = result as KObject;
  const problem = decodeWithValidation(decoded as Record<string, unknown>, 'Ignore').error;
  if (problem) throw new CliError(problem.slice(problem.indexOf(': ') + 2));
  return decoded;
}

/**
 * The Service for one exposed object (RunExpose's visitor up to the generated object). Fills
 * the options' empty values from the object first; throws CliError with kubectl's message.
 */
export function serviceForObject(o: ExposeOptions, obj: KObject): KObject {
  checkCanBeExposed(obj);
  o.defaultName = (obj.metadata.name ?? '').slice(0, 63);
  if (!o.selector) {
    try {
      o.selector = selectorForObject(obj);
    } catch (e) {
      throw new CliError(`couldn't retrieve selectors via --selector flag or introspection: ${(e as Error).message}`);
    }
  }
  const portsAndProtocols = portsWithProtocols(obj);
  if (!o.port) {
    const ports = [...new Set(portsAndProtocols.map(([port]) => port))];
    if (ports.length === 0 && o.clusterIP !== 'None') throw new CliError("couldn't find port via --port flag or introspection");
    if (ports.length === 1) o.port = ports[0];
    else if (ports.length > 1) o.ports = ports.join(',');
  }
  if (portsAndProtocols.length) {
    const protocols = new Map<string, string[]>();
    for (const [port, protocol] of portsAndProtocols) protocols.set(port, [...(protocols.get(port) ?? []), protocol]);
    o.protocols = protocols;
  }
  if (!o.labels) o.labels = makeLabels(obj.metadata.labels);
  return applyOverrides(o, createService(o));
}

const NO_RESOURCES = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/** One object to expose, or why it could not be read. */
type Target = { object: KObject } | { error: Error } | { lookup: { info: ResourceInfo; name: string } };

/** The builder's checks on TYPE NAME arguments that kfake's shared parser leaves to the caller. */
function checkTypeArgs(args: string[]): void {
  if (args.length < 2 || args[0].includes('/')) return;
  const types = args[0].split(',');
  if (types.length === 1 && types[0] === 'all') throw new CliError('you must specify only one resource');
  if (types.includes('all')) resolveType('all');
}

async function runExpose(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  // The client-side result is the struct kubectl built; the server's answer comes back unstructured.
  const printer = dryRun === 'client' ? new TypedObjectPrinter(f, dryRun) : new MutationPrinter(f, dryRun);
  const ctx = commandContext(inv);
  const filenames = ((f.filename as string[] | undefined) ?? []).filter((p) => p !== '');
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');
  if (filenames.length && inv.args.length) {
    throw new CliError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
  }
  if (!filenames.length && !inv.args.length) throw new CliError(NO_RESOURCES);

  let targets: Target[];
  if (filenames.length) {
    // Objects named by files are exposed as the files describe them, without reading the cluster.
    targets = mapManifestObjects(inv.io, filenames, f.recursive as boolean, ctx.namespace, ctx.namespaceExplicit, { typed: true }).map((m) =>
      m.error ? { error: m.error } : { object: m.object },
    );
  } else {
    checkTypeArgs(inv.args);
    const parsed = parseResourceArgs(inv.args, inv.program);
    if (parsed.requests.some((r) => r.names.length === 0)) throw new CliError('resource(s) were provided, but no name was specified');
    targets = parsed.requests.flatMap((r) => r.names.map((name) => ({ lookup: { info: r.info, name } })));
  }
  const saveConfig = f['save-config'] as boolean;
  const recorder = changeCauseRecorder(inv);
  const o = exposeOptionsFromFlags(f);

  const work = (api: ApiContext) => {
    const lines: string[] = [];
    const errors: Error[] = [];
    for (const t of targets) {
      if ('error' in t) {
        errors.push(t.error);
        continue;
      }
      try {
        const obj = 'object' in t ? t.object : getObject(api, t.lookup.info, ctx.namespace, t.lookup.name);
        let service = serviceForObject(o, obj);
        // Recorded on the generated Service before anything else happens to it, so a client dry
        // run shows it and --save-config keeps it.
        if (recorder) service = recorder.record(service);
        if (dryRun === 'client') {
          if (ctx.namespaceExplicit) service.metadata.namespace = ctx.namespace;
          lines.push(printer.line(service, 'exposed'));
          continue;
        }
        if (saveConfig) service = withTypedLastApplied(service);
        // Created in the namespace of the command, whatever the exposed object's.
        service.metadata.namespace = ctx.namespace;
        lines.push(printer.line(createObject(api, service), 'exposed'));
      } catch (e) {
        if (e instanceof CliError || e instanceof StatusError) errors.push(e);
        else throw e;
      }
    }
    return { lines, errors };
  };
  const result =
    dryRun === 'client'
      ? work({ state: await ctx.session.read(), now: ctx.session.now(), rng: { next: () => 0, int: () => 0 } })
      : await ctx.session.transaction(work, { dryRun: dryRun === 'server' });
  inv.io.out(result.lines.join(''));
  if (result.errors.length) throw new MultiError(result.errors);
}
