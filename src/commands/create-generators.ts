/**
 * `kfake create <kind> NAME ...`: the generators that build an object from flags
 * (staging/src/k8s.io/kubectl/pkg/cmd/create/create_service.go, create_deployment.go,
 * create_namespace.go, create_configmap.go).
 *
 * kubectl builds these objects as Go structs, so `-o json` prints their fields in struct order
 * (maps, such as labels, sorted) while `-o yaml` sorts everything; fields tagged `omitempty` are
 * left out when empty and the others (`creationTimestamp: null`, `status: {}`) always appear.
 * The typed client also hands back the server's answer as a struct, so the same order applies
 * to what the API server returns.
 */
import { createHash } from '../util/node-crypto.ts';
import fs from 'node:fs';
import path from 'node:path';
import { CliError, ExitError, goQuote, StatusError } from '../api/errors.ts';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum, maxLenError, regexError } from '../api/names.ts';
import type { KObject } from '../api/types.ts';
import { createObject } from '../apiserver/api.ts';
import { flag, FlagError, type CommandDef, type FlagDef, type Invocation } from '../cli/command.ts';
import { commandContext, type CommandContext } from '../cli/context.ts';
import { commandHelp } from '../cli/help.ts';
import { DRY_RUN_FLAG, dryRunStrategy, fieldValidation, LAST_APPLIED, MutationPrinter, OUTPUT_FLAGS, type DryRun } from '../cli/mutate.ts';
import { compareGoStrings, formatJsonNumber, quoteJsonString, toJson } from '../printers/json.ts';
import { randomString, seededRandom, systemRandom, type Random } from '../util/random.ts';
import { errnoText } from '../util/errno.ts';

// ------------------------------------------------------------------ Go struct order

/**
 * Field order of the Go structs kubectl prints for the kinds it builds (k8s.io/api core/v1 and
 * apps/v1 types.go, meta/v1 types.go). `field:Type` names the struct a field holds, `[]Type`
 * a list of them; fields without a type are scalars, lists of scalars or Go maps.
 */
const STRUCT_FIELDS: Record<string, string> = {
  Service: 'kind apiVersion metadata:ObjectMeta spec:ServiceSpec status:ServiceStatus',
  Deployment: 'kind apiVersion metadata:ObjectMeta spec:DeploymentSpec status:DeploymentStatus',
  Namespace: 'kind apiVersion metadata:ObjectMeta spec:NamespaceSpec status:NamespaceStatus',
  ConfigMap: 'kind apiVersion metadata:ObjectMeta immutable data binaryData',
  ObjectMeta:
    'name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp ' +
    'deletionGracePeriodSeconds labels annotations ownerReferences:[]OwnerReference finalizers managedFields:[]ManagedFieldsEntry',
  OwnerReference: 'apiVersion kind name uid controller blockOwnerDeletion',
  ManagedFieldsEntry: 'manager operation apiVersion time fieldsType fieldsV1 subresource',
  ServiceSpec:
    'ports:[]ServicePort selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP ' +
    'loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses ' +
    'sessionAffinityConfig:SessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts ' +
    'loadBalancerClass internalTrafficPolicy trafficDistribution',
  ServicePort: 'name protocol appProtocol port targetPort nodePort',
  SessionAffinityConfig: 'clientIP:ClientIPConfig',
  ClientIPConfig: 'timeoutSeconds',
  ServiceStatus: 'loadBalancer:LoadBalancerStatus conditions:[]Condition',
  LoadBalancerStatus: 'ingress:[]LoadBalancerIngress',
  LoadBalancerIngress: 'ip hostname ipMode ports:[]PortStatus',
  PortStatus: 'port protocol error',
  Condition: 'type status observedGeneration lastTransitionTime reason message',
  DeploymentSpec:
    'replicas selector:LabelSelector template:PodTemplateSpec strategy:DeploymentStrategy minReadySeconds ' +
    'revisionHistoryLimit paused progressDeadlineSeconds',
  LabelSelector: 'matchLabels matchExpressions:[]LabelSelectorRequirement',
  LabelSelectorRequirement: 'key operator values',
  DeploymentStrategy: 'type rollingUpdate:RollingUpdateDeployment',
  RollingUpdateDeployment: 'maxUnavailable maxSurge',
  DeploymentStatus:
    'observedGeneration replicas updatedReplicas readyReplicas availableReplicas unavailableReplicas ' +
    'terminatingReplicas conditions:[]DeploymentCondition collisionCount',
  DeploymentCondition: 'type status lastUpdateTime lastTransitionTime reason message',
  PodTemplateSpec: 'metadata:ObjectMeta spec:PodSpec',
  PodSpec:
    'volumes initContainers:[]Container containers:[]Container ephemeralContainers restartPolicy ' +
    'terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount ' +
    'automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext ' +
    'imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority ' +
    'dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints ' +
    'setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources',
  Container:
    'name image command args workingDir ports:[]ContainerPort envFrom env resources:ResourceRequirements resizePolicy ' +
    'restartPolicy volumeMounts volumeDevices livenessProbe readinessProbe startupProbe lifecycle ' +
    'terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty',
  ContainerPort: 'name hostPort containerPort protocol hostIP',
  ResourceRequirements: 'limits requests claims',
  NamespaceSpec: 'finalizers',
  NamespaceStatus: 'phase conditions:[]NamespaceCondition',
  NamespaceCondition: 'type status lastTransitionTime reason message',
};

interface StructField {
  name: string;
  type?: string;
}

const parsedStructs = new Map<string, StructField[]>();

function structFields(type: string): StructField[] | undefined {
  const spec = STRUCT_FIELDS[type];
  if (spec === undefined) return undefined;
  let fields = parsedStructs.get(type);
  if (!fields) {
    fields = spec.split(' ').map((f) => {
      const [name, t] = f.split(':');
      return { name, type: t?.replace(/^\[\]/, '') };
    });
    parsedStructs.set(type, fields);
  }
  return fields;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Go map (or a struct this table does not describe): keys sorted at every level. */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort(compareGoStrings)) out[k] = sortedDeep(value[k]);
  return out;
}

function ordered(value: unknown, type: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, type));
  const fields = type === undefined ? undefined : structFields(type);
  if (!fields || !isPlainObject(value)) return sortedDeep(value);
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f.name in value) out[f.name] = ordered(value[f.name], f.type);
  for (const k of Object.keys(value).sort(compareGoStrings)) if (!(k in out)) out[k] = sortedDeep(value[k]);
  return out;
}

/** The object with its keys in the order Go's encoding/json writes the typed struct. */
export function inGoStructOrder(obj: KObject): KObject {
  return ordered(obj, STRUCT_FIELDS[obj.kind] ? obj.kind : undefined) as KObject;
}

/** json.Marshal of a value whose keys are already in the order to write (HTML-escaped, compact). */
export function goCompactJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quoteJsonString(value);
  if (typeof value === 'number') return formatJsonNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goCompactJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  return `{${keys.map((k) => `${quoteJsonString(k)}:${goCompactJson(obj[k])}`).join(',')}}`;
}

/**
 * --save-config on an object kubectl built (util.CreateOrUpdateAnnotation with the typed JSON
 * encoder): the struct as compact JSON plus a newline. An empty annotations map is omitted.
 */
export function withTypedLastApplied(obj: KObject): KObject {
  const copy = structuredClone(obj);
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  if (Object.keys(annotations).length) copy.metadata.annotations = annotations;
  else delete copy.metadata.annotations;
  const value = goCompactJson(inGoStructOrder(copy)) + '\n';
  copy.metadata.annotations = { ...annotations, [LAST_APPLIED]: value };
  return copy;
}

/** A Go map as encoding/json writes it: keys sorted. */
/**
 * The ObjectMeta a generator builds, in struct order: empty name and namespace are `omitempty`,
 * creationTimestamp (a struct) is always there, null until the server sets it.
 */
function generatedMeta(name: string | undefined, namespace: string | undefined, labels?: Record<string, string>): KObject['metadata'] {
  return {
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
    creationTimestamp: null,
    ...(labels ? { labels } : {}),
  } as KObject['metadata'];
}

function goMap(entries: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(entries).sort(compareGoStrings)) out[k] = entries[k];
  return out;
}

/**
 * Prints objects kubectl built or received as structs: `-o json` in struct order, every
 * other format as for any changed object.
 */
export class TypedObjectPrinter {
  private readonly printer: MutationPrinter;
  private readonly json: boolean;

  constructor(flags: Record<string, unknown>, dryRun: DryRun) {
    this.printer = new MutationPrinter(flags, dryRun);
    this.json = flags.output === 'json';
  }

  line(obj: KObject, verb: string): string {
    return this.json ? toJson(inGoStructOrder(obj), { sortKeys: false }) : this.printer.line(obj, verb);
  }
}

// ------------------------------------------------------------------ shared command plumbing

/** cmdutil NameFromCommandArgs: exactly one argument before `--`. */
function nameFromArgs(inv: Invocation): string {
  const n = inv.argsLenAtDash === -1 ? inv.args.length : inv.argsLenAtDash;
  if (n !== 1) throw new CliError(`exactly one NAME is required, got ${n}`, { usageCommand: inv.path });
  return inv.args[0];
}

/** A string-slice flag; pflag reads an empty value (`--tcp=`) as no entries. */
function sliceFlag(inv: Invocation, name: string): string[] {
  return ((inv.flags[name] as string[] | undefined) ?? []).filter((v) => v !== '');
}

/** cobra's MarkFlagRequired, checked before the command runs. */
function requireFlag(inv: Invocation, name: string): void {
  if (!inv.changed.has(name)) throw new CliError(`required flag(s) "${name}" not set`);
}

/** pflag's Int32 range, which kfake's int flags do not check while parsing. */
function int32Flag(inv: Invocation, name: string, label: string): number {
  const v = inv.flags[name] as number;
  if (v > 2147483647 || v < -2147483648) {
    throw new FlagError(`invalid argument "${v}" for "${label}" flag: strconv.ParseInt: parsing "${v}": value out of range`, inv.path);
  }
  return v;
}

/** Random container-name suffixes: repeatable with KFAKE_SEED, as every other choice kfake makes. */
function generatorRandom(inv: Invocation, name: string): Random {
  const seed = inv.io.env.KFAKE_SEED;
  return seed === undefined ? systemRandom() : seededRandom(`${seed}:create:${inv.path}:${name}`);
}

const SAVE_CONFIG_FLAG = flag.bool(
  'save-config',
  'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.',
);
const VALIDATE_FLAG = flag.string(
  'validate',
  `Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.`,
  { default: 'strict', noOptDefault: 'strict' },
);
const FIELD_MANAGER_FLAG = flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-create' });

/** Flags every generator has, besides its own. */
const GENERATOR_FLAGS: FlagDef[] = [...OUTPUT_FLAGS, DRY_RUN_FLAG, FIELD_MANAGER_FLAG, SAVE_CONFIG_FLAG, VALIDATE_FLAG];

interface Submission {
  object: KObject;
  /** Prefix for the server's error (`failed to create deployment`); none: the API error as it is. */
  failure?: string;
}

/** Parsed common flags, in the order kubectl's Complete() checks them. */
function generatorSetup(inv: Invocation): { dryRun: DryRun; printer: TypedObjectPrinter } {
  const dryRun = dryRunStrategy(inv.flags['dry-run'] as string);
  const printer = new TypedObjectPrinter(inv.flags, dryRun);
  // A generated object has no unknown fields, so only the flag's value is checked.
  fieldValidation(inv.flags.validate as string);
  return { dryRun, printer };
}

/**
 * Send the generated object (unless --dry-run=client) and print it: `<kind>/<name> created`,
 * or the object the server returned with -o.
 */
async function submit(ctx: CommandContext, dryRun: DryRun, printer: TypedObjectPrinter, s: Submission): Promise<void> {
  const inv = ctx.inv;
  if (dryRun === 'client') {
    inv.io.out(printer.line(s.object, 'created'));
    return;
  }
  // The client posts to the namespace's collection; the server fills metadata.namespace from it.
  const body = structuredClone(s.object);
  if (body.kind !== 'Namespace') body.metadata.namespace = ctx.namespace;
  const created = await ctx.session.transaction(
    (api) => {
      try {
        return createObject(api, body);
      } catch (e) {
        if (e instanceof StatusError && s.failure) throw new CliError(`${s.failure}: ${e.message}`);
        throw e;
      }
    },
    { dryRun: dryRun === 'server' },
  );
  inv.io.out(printer.line(created, 'created'));
}

// ------------------------------------------------------------------ create service

export type GeneratedServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServiceGeneratorOptions {
  name: string;
  type: GeneratedServiceType;
  /** --tcp: `<port>[:<targetPort>]` each. */
  tcp: string[];
  clusterIP: string;
  nodePort: number;
  externalName: string;
  /** Set when -n was given (kubectl's EnforceNamespace). */
  namespace?: string;
}

/** Go's strconv.Atoi: optional sign, decimal digits, int64 range; undefined on error. */
function goAtoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return Number(n);
}

/** utilsnet.ParsePort(s, allowZero=true): strconv.ParseUint(s, 10, 16). */
function parseServicePort(s: string): number {
  if (!/^\d+$/.test(s)) throw new CliError(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`);
  const n = Number(s);
  if (n > 65535) throw new CliError(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return n;
}

/** create_service.go parsePorts: `port[:targetPort]`, the target a number or a port name. */
function parsePortSpec(spec: string): { port: number; targetPort: number | string } {
  const parts = spec.split(':');
  const port = parseServicePort(parts[0]);
  if (parts.length === 1) return { port, targetPort: port };
  const target = parts[1];
  const num = goAtoi(target);
  const errs = num === undefined ? isValidPortName(target) : isValidPortNum(num);
  if (errs.length) throw new CliError(errs.join(','));
  return { port, targetPort: num ?? target };
}

/** ServiceOptions.Validate. */
export function validateServiceGenerator(o: ServiceGeneratorOptions): void {
  if (o.clusterIP !== 'None' && o.tcp.length === 0 && o.type !== 'ExternalName') {
    throw new CliError('at least one tcp port specifier must be provided');
  }
  if (o.type === 'ExternalName' && isDNS1123Subdomain(o.externalName).length) {
    throw new CliError(`invalid service external name ${o.externalName}`);
  }
}

/** ServiceOptions.createService: labels and selector are always `app=<name>`. */
export function buildService(o: ServiceGeneratorOptions): KObject {
  const ports = o.tcp.map((spec) => {
    const { port, targetPort } = parsePortSpec(spec);
    return {
      name: spec.replaceAll(':', '-'),
      protocol: 'TCP',
      port,
      targetPort,
      ...(o.nodePort ? { nodePort: o.nodePort } : {}),
    };
  });
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: generatedMeta(o.name, o.namespace, { app: o.name }),
    spec: {
      ...(ports.length ? { ports } : {}),
      selector: { app: o.name },
      ...(o.clusterIP ? { clusterIP: o.clusterIP } : {}),
      type: o.type,
      ...(o.externalName ? { externalName: o.externalName } : {}),
    },
    status: { loadBalancer: {} },
  };
}

const TCP_FLAG = flag.stringSlice('tcp', "Port pairs can be specified as '<port>:<targetPort>'.");

interface ServiceVariant {
  name: string;
  type: GeneratedServiceType;
  short: string;
  long: string;
  example: string;
  usage: string;
  flags: FlagDef[];
}

const SERVICE_VARIANTS: ServiceVariant[] = [
  {
    name: 'clusterip',
    type: 'ClusterIP',
    short: 'Create a ClusterIP service',
    long: 'Create a ClusterIP service with the specified name.',
    example: `  # Create a new ClusterIP service named my-cs
  kfake create service clusterip my-cs --tcp=5678:8080
  
  # Create a new ClusterIP service named my-cs (in headless mode)
  kfake create service clusterip my-cs --clusterip="None"`,
    usage: 'create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]',
    flags: [
      TCP_FLAG,
      flag.string('clusterip', "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)."),
    ],
  },
  {
    name: 'externalname',
    type: 'ExternalName',
    short: 'Create an ExternalName service',
    long: `Create an ExternalName service with the specified name.

 ExternalName service references to an external DNS address instead of only pods, which will allow application authors to reference services that exist off platform, on other clusters, or locally.`,
    example: `  # Create a new ExternalName service named my-ns
  kfake create service externalname my-ns --external-name bar.com`,
    usage: 'create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]',
    flags: [TCP_FLAG, flag.string('external-name', 'External name of service')],
  },
  {
    name: 'loadbalancer',
    type: 'LoadBalancer',
    short: 'Create a LoadBalancer service',
    long: 'Create a LoadBalancer service with the specified name.',
    example: `  # Create a new LoadBalancer service named my-lbs
  kfake create service loadbalancer my-lbs --tcp=5678:8080`,
    usage: 'create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]',
    flags: [TCP_FLAG],
  },
  {
    name: 'nodeport',
    type: 'NodePort',
    short: 'Create a NodePort service',
    long: 'Create a NodePort service with the specified name.',
    example: `  # Create a new NodePort service named my-ns
  kfake create service nodeport my-ns --tcp=5678:8080`,
    usage: 'create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]',
    flags: [TCP_FLAG, flag.int('node-port', 'Port used to expose the service on each node in a cluster.')],
  },
];

function serviceVariantCommand(v: ServiceVariant): CommandDef {
  return {
    name: v.name,
    short: v.short,
    long: v.long,
    example: v.example,
    usage: v.usage,
    flags: [...GENERATOR_FLAGS, ...v.flags],
    run: async (inv) => {
      const nodePort = v.type === 'NodePort' ? int32Flag(inv, 'node-port', '--node-port') : 0;
      if (v.type === 'ExternalName') requireFlag(inv, 'external-name');
      const name = nameFromArgs(inv);
      const ctx = commandContext(inv);
      const { dryRun, printer } = generatorSetup(inv);
      const f = inv.flags;
      const o: ServiceGeneratorOptions = {
        name,
        type: v.type,
        tcp: sliceFlag(inv, 'tcp'),
        clusterIP: (f.clusterip as string | undefined) ?? '',
        nodePort,
        externalName: (f['external-name'] as string | undefined) ?? '',
        namespace: ctx.namespaceExplicit ? ctx.namespace : undefined,
      };
      validateServiceGenerator(o);
      // create_service.go never reads --save-config, so the annotation is not added.
      await submit(ctx, dryRun, printer, { object: buildService(o), failure: `failed to create ${v.type} service` });
    },
  };
}

const createServiceCommand: CommandDef = {
  name: 'service',
  aliases: ['svc'],
  short: 'Create a service using a specified subcommand',
  long: 'Create a service using a specified subcommand.',
  subcommands: SERVICE_VARIANTS.map(serviceVariantCommand),
  // cmdutil.DefaultSubCommandRun: extra words are an unknown command; none prints the help on stderr.
  run: (inv) => {
    if (inv.args.length) throw new CliError(`unknown command ${goQuote(inv.args.join(' '))}`, { usageCommand: inv.path });
    inv.io.err(commandHelp(createServiceCommand, `${inv.program} ${inv.path}`, inv.program, []));
    throw new ExitError(1);
  },
};

// ------------------------------------------------------------------ create deployment

export interface DeploymentGeneratorOptions {
  name: string;
  images: string[];
  /** --port; negative means none. */
  port: number;
  replicas: number;
  command: string[];
  namespace?: string;
}

/**
 * The container name for an image: its last path segment without tag or digest; `_` and `.`
 * become `-` and get a random suffix to stay unique (sanitizeAndUniquify).
 */
export function containerNameForImage(image: string, rng: Random): string {
  let name = image.split('/').at(-1)!;
  if (name.includes(':')) name = name.split(':')[0];
  if (name.includes('@')) name = name.split('@')[0];
  if (/[_.]/.test(name)) name = `${name.replaceAll('_', '-').replaceAll('.', '-')}-${randomString(rng, 5)}`;
  return name;
}

export function buildDeployment(o: DeploymentGeneratorOptions, rng: Random): KObject {
  const labels = { app: o.name };
  const containers: Record<string, unknown>[] = o.images.map((image) => ({
    name: containerNameForImage(image, rng),
    image,
    ...(o.command.length ? { command: o.command } : {}),
    resources: {},
  }));
  if (o.port >= 0 && containers.length) containers[0] = { ...containers[0], ports: [{ containerPort: o.port }] };
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: generatedMeta(o.name, o.namespace, labels),
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

const createDeploymentCommand: CommandDef = {
  name: 'deployment',
  aliases: ['deploy'],
  short: 'Create a deployment with the specified name',
  long: 'Create a deployment with the specified name.',
  example: `  # Create a deployment named my-dep that runs the busybox image
  kfake create deployment my-dep --image=busybox
  
  # Create a deployment with a command
  kfake create deployment my-dep --image=busybox -- date
  
  # Create a deployment named my-dep that runs the nginx image with 3 replicas
  kfake create deployment my-dep --image=nginx --replicas=3
  
  # Create a deployment named my-dep that runs the busybox image and expose port 5701
  kfake create deployment my-dep --image=busybox --port=5701
  
  # Create a deployment named my-dep that runs multiple containers
  kfake create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx`,
  usage: 'create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  flags: [
    ...GENERATOR_FLAGS,
    flag.stringSlice('image', 'Image names to run. A deployment can have multiple images set for multi-container pod.'),
    flag.int('port', 'The containerPort that this deployment exposes.', { default: -1 }),
    flag.int('replicas', 'Number of replicas to create. Default is 1.', { short: 'r', default: 1 }),
  ],
  run: async (inv) => {
    const port = int32Flag(inv, 'port', '--port');
    const replicas = int32Flag(inv, 'replicas', '-r, --replicas');
    requireFlag(inv, 'image');
    const name = nameFromArgs(inv);
    const ctx = commandContext(inv);
    const { dryRun, printer } = generatorSetup(inv);
    const images = sliceFlag(inv, 'image');
    const command = inv.argsLenAtDash === -1 ? [] : inv.args.slice(1);
    if (images.length > 1 && command.length) throw new CliError('cannot specify multiple --image options and command');
    const o: DeploymentGeneratorOptions = {
      name,
      images,
      port,
      replicas,
      command,
      namespace: ctx.namespaceExplicit ? ctx.namespace : undefined,
    };
    let object = buildDeployment(o, generatorRandom(inv, name));
    if (inv.flags['save-config']) object = withTypedLastApplied(object);
    await submit(ctx, dryRun, printer, { object, failure: 'failed to create deployment' });
  },
};

// ------------------------------------------------------------------ create namespace

export function buildNamespace(name: string): KObject {
  return { kind: 'Namespace', apiVersion: 'v1', metadata: generatedMeta(name, undefined), spec: {}, status: {} };
}

const createNamespaceCommand: CommandDef = {
  name: 'namespace',
  aliases: ['ns'],
  short: 'Create a namespace with the specified name',
  long: 'Create a namespace with the specified name.',
  example: `  # Create a new namespace named my-namespace
  kfake create namespace my-namespace`,
  usage: 'create namespace NAME [--dry-run=server|client|none] [options]',
  flags: GENERATOR_FLAGS,
  run: async (inv) => {
    const name = nameFromArgs(inv);
    const ctx = commandContext(inv);
    const { dryRun, printer } = generatorSetup(inv);
    if (!name) throw new CliError('name must be specified');
    let object = buildNamespace(name);
    if (inv.flags['save-config']) object = withTypedLastApplied(object);
    // create_namespace.go returns the API error as it is.
    await submit(ctx, dryRun, printer, { object });
  },
};

// ------------------------------------------------------------------ create configmap

const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';

/** validation.hasChDirPrefix */
function chDirPrefixErrors(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** validation.IsConfigMapKey */
export function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^${CONFIG_KEY_FMT}$`).test(key)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  }
  return [...errs, ...chDirPrefixErrors(key)];
}

/** validation.IsEnvVarName */
export function envVarNameErrors(key: string): string[] {
  const errs: string[] = [];
  if (!new RegExp(`^${ENV_VAR_NAME_FMT}$`).test(key)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        ENV_VAR_NAME_FMT,
        'my.env-name',
        'MY_ENV.NAME',
        'MyEnvName1',
      ),
    );
  }
  return [...errs, ...chDirPrefixErrors(key)];
}

/** The data of a ConfigMap being built, checked key by key as kubectl adds them. */
export class ConfigMapData {
  readonly data: Record<string, string> = {};
  readonly binaryData: Record<string, Buffer> = {};
  private readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  /** validateNewConfigMap */
  private check(key: string): void {
    const errs = configMapKeyErrors(key);
    if (errs.length) throw new CliError(`${goQuote(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}`);
    if (key in this.data) {
      throw new CliError(`cannot add key ${goQuote(key)}, another key by that name already exists in Data for ConfigMap ${goQuote(this.name)}`);
    }
    if (key in this.binaryData) {
      throw new CliError(`cannot add key ${goQuote(key)}, another key by that name already exists in BinaryData for ConfigMap ${goQuote(this.name)}`);
    }
  }

  addLiteral(key: string, value: string): void {
    this.check(key);
    this.data[key] = value;
  }

  /** Text that is valid UTF-8 goes to data, anything else to binaryData. */
  addFileContent(key: string, content: Buffer): void {
    const text = utf8Text(content);
    if (text !== undefined) {
      this.addLiteral(key, text);
      return;
    }
    this.check(key);
    this.binaryData[key] = content;
  }
}

function utf8Text(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** util.ParseLiteralSource: `key=value`, the value may contain `=`. */
export function parseLiteralSource(source: string): { key: string; value: string } {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new CliError(`invalid literal source ${source}, expected key=value`);
  return { key: source.slice(0, eq), value: source.slice(eq + 1) };
}

/** util.ParseFileSource: `path` (key = its base name) or `key=path`. */
export function parseFileSource(source: string): { key: string; filePath: string } {
  const separators = source.split('=').length - 1;
  if (separators === 0) return { key: path.posix.basename(source.replaceAll(path.sep, '/')) || '/', filePath: source };
  if (separators > 1) throw new CliError("key names or file paths cannot contain '='");
  if (source.startsWith('=')) throw new CliError(`key name for file path ${source.slice(1)} missing`);
  if (source.endsWith('=')) throw new CliError(`file path for key name ${source.slice(0, -1)} missing`);
  const [key, filePath] = source.split('=');
  return { key, filePath };
}

function statSource(filePath: string): fs.Stats {
  try {
    return fs.statSync(filePath);
  } catch (e) {
    throw new CliError(`error reading ${filePath}: ${errnoText(e)}`);
  }
}

function readSourceFile(filePath: string): Buffer {
  try {
    return fs.readFileSync(filePath);
  } catch (e) {
    throw new CliError(`open ${filePath}: ${errnoText(e)}`);
  }
}

/** handleConfigMapFromFileSources: a file, `key=file`, or every regular file of a directory. */
function addFileSources(cm: ConfigMapData, sources: string[]): void {
  for (const source of sources) {
    const { key, filePath } = parseFileSource(source);
    if (!statSource(filePath).isDirectory()) {
      cm.addFileContent(key, readSourceFile(filePath));
      continue;
    }
    if (source.includes('=')) throw new CliError('cannot give a key name for a directory path');
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(filePath, { withFileTypes: true });
    } catch (e) {
      throw new CliError(`error listing files in ${filePath}: ${errnoText(e)}`);
    }
    // ioutil.ReadDir: sorted by name; Lstat modes, so symlinks are not regular files.
    entries.sort((a, b) => compareGoStrings(a.name, b.name));
    for (const entry of entries) {
      if (entry.isFile()) cm.addFileContent(entry.name, readSourceFile(path.posix.join(filePath, entry.name)));
    }
  }
}

/**
 * cmdutil.AddFromEnvFile: `KEY=value` lines; blank lines and `#` comments skipped, leading
 * whitespace trimmed, a UTF-8 BOM dropped from the first line, and a bare `KEY` takes its value
 * from the environment.
 */
export function parseEnvFile(content: Buffer, filePath: string, env: NodeJS.ProcessEnv): [string, string][] {
  const pairs: [string, string][] = [];
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= content.length; i++) {
    if (i === content.length || content[i] === 0x0a) {
      if (i < content.length || i > start) {
        let line = content.subarray(start, i);
        if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
        lines.push(line);
      }
      start = i + 1;
    }
  }
  lines.forEach((raw, index) => {
    let text = utf8Text(raw);
    if (text === undefined) {
      throw new CliError(`env file ${filePath} contains invalid utf8 bytes at line ${index + 1}: [${[...raw].join(' ')}]`);
    }
    if (index === 0 && text.startsWith('\ufeff')) text = text.slice(1);
    // unicode.IsSpace (JavaScript's \s would also take U+FEFF)
    text = text.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '');
    if (text === '' || text.startsWith('#')) return;
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    const errs = envVarNameErrors(key);
    if (errs.length) throw new CliError(`${goQuote(key)} is not a valid key name: ${errs.join(';')}`);
    pairs.push([key, eq < 0 ? (env[key] ?? '') : text.slice(eq + 1)]);
  });
  return pairs;
}

function addEnvFileSources(cm: ConfigMapData, sources: string[], env: NodeJS.ProcessEnv): void {
  for (const source of sources) {
    if (statSource(source).isDirectory()) throw new CliError('env config file cannot be a directory');
    for (const [key, value] of parseEnvFile(readSourceFile(source), source, env)) cm.addLiteral(key, value);
  }
}

/**
 * hash.ConfigMapHash: sha256 of the JSON of kind, name, data (and binaryData), the first ten
 * hex digits with 0, 1, 3, a and e swapped for letters so the suffix never reads as a number
 * or a word.
 */
export function configMapHash(name: string, data: Record<string, string>, binaryData: Record<string, Buffer>): string {
  const encoded: Record<string, unknown> = { kind: 'ConfigMap', name, data: goMap(data) };
  if (Object.keys(binaryData).length) {
    const b64: Record<string, string> = {};
    for (const k of Object.keys(binaryData)) b64[k] = binaryData[k].toString('base64');
    encoded.binaryData = goMap(b64);
  }
  const hex = createHash('sha256').update(goCompactJson(sortedDeep(encoded))).digest('hex');
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('');
}

export function buildConfigMap(name: string, cm: ConfigMapData, opts: { namespace?: string; appendHash?: boolean } = {}): KObject {
  const finalName = opts.appendHash ? `${name}-${configMapHash(name, cm.data, cm.binaryData)}` : name;
  const binary: Record<string, string> = {};
  for (const k of Object.keys(cm.binaryData)) binary[k] = cm.binaryData[k].toString('base64');
  return {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: generatedMeta(finalName, opts.namespace),
    ...(Object.keys(cm.data).length ? { data: goMap(cm.data) } : {}),
    ...(Object.keys(binary).length ? { binaryData: goMap(binary) } : {}),
  };
}

const createConfigMapCommand: CommandDef = {
  name: 'configmap',
  aliases: ['cm'],
  short: 'Create a config map from a local file, directory or literal value',
  long: `Create a config map based on a file, directory, or specified literal value.

 A single config map may package one or more key/value pairs.

 When creating a config map based on a file, the key will default to the basename of the file, and the value will default to the file content.  If the basename is an invalid key, you may specify an alternate key.

 When creating a config map based on a directory, each file whose basename is a valid key in the directory will be packaged into the config map.  Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).`,
  example: `  # Create a new config map named my-config based on folder bar
  kfake create configmap my-config --from-file=path/to/bar
  
  # Create a new config map named my-config with specified keys instead of file basenames on disk
  kfake create configmap my-config --from-file=key1=/path/to/bar/file1.txt --from-file=key2=/path/to/bar/file2.txt
  
  # Create a new config map named my-config with key1=config1 and key2=config2
  kfake create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2
  
  # Create a new config map named my-config from the key=value pairs in the file
  kfake create configmap my-config --from-file=path/to/bar
  
  # Create a new config map named my-config from an env file
  kfake create configmap my-config --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env`,
  usage: 'create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  flags: [
    ...GENERATOR_FLAGS,
    flag.bool('append-hash', 'Append a hash of the configmap to its name.'),
    flag.stringSlice('from-env-file', 'Specify the path to a file to read lines of key=val pairs to create a configmap.'),
    flag.stringSlice(
      'from-file',
      'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key.',
    ),
    flag.stringArray('from-literal', 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)'),
  ],
  run: async (inv) => {
    const f = inv.flags;
    const name = nameFromArgs(inv);
    const ctx = commandContext(inv);
    const { dryRun, printer } = generatorSetup(inv);
    const files = sliceFlag(inv, 'from-file');
    const literals = f['from-literal'] as string[];
    const envFiles = sliceFlag(inv, 'from-env-file');
    if (!name) throw new CliError('name must be specified');
    if (envFiles.length && (files.length || literals.length)) {
      throw new CliError('from-env-file cannot be combined with from-file or from-literal');
    }
    const cm = new ConfigMapData(name);
    addFileSources(cm, files);
    for (const source of literals) {
      const { key, value } = parseLiteralSource(source);
      cm.addLiteral(key, value);
    }
    addEnvFileSources(cm, envFiles, inv.io.env);
    let object = buildConfigMap(name, cm, {
      namespace: ctx.namespaceExplicit ? ctx.namespace : undefined,
      appendHash: f['append-hash'] as boolean,
    });
    if (f['save-config']) object = withTypedLastApplied(object);
    await submit(ctx, dryRun, printer, { object, failure: 'failed to create configmap' });
  },
};

/** In kubectl's order (alphabetical, as cobra lists subcommands). */
export const createSubcommands: CommandDef[] = [createConfigMapCommand, createDeploymentCommand, createNamespaceCommand, createServiceCommand];
