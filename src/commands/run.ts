/**
 * `kfake run`: create a pod from an image (staging/src/k8s.io/kubectl/pkg/cmd/run/run.go, the
 * BasicPod generator in staging/src/k8s.io/kubectl/pkg/generate/versioned/run.go and, for
 * `--expose`, the ServiceGeneratorV2 in generate/versioned/service.go).
 *
 * With `-i`/`--attach` kfake waits for the pod as kubectl does: a container that already ran to
 * completion has its log printed; a running one is attached to (an interactive program through
 * the registered attach handler, anything else until standard input closes); with restart policy
 * Never or OnFailure the exit code of the container becomes kfake's; `--rm` deletes what was
 * created afterwards.
 */
import { CliError, MultiError, notFound, StatusError } from '../api/errors.ts';
import { kindPrefix, resourceInfo, type ResourceInfo } from '../api/registry.ts';
import type { Container, EnvVar, KObject, Pod, Service } from '../api/types.ts';
import { decodeWithValidation } from '../api/schema/index.ts';
import { STRUCTS } from '../api/schema/types.generated.ts';
import { createObject, deleteObject, updateObject, type ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type FlagDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { changeCauseRecorder, DRY_RUN_FLAG, dryRunStrategy, LAST_APPLIED, MutationPrinter, OUTPUT_FLAGS, recordFlag } from '../cli/mutate.ts';
import { parseOutput, type OutputFormat } from '../cli/output.ts';
import type { Session } from '../cluster/session.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { jsonMergePatch } from '../patch/merge-patch.ts';
import { PatchError } from '../patch/patch-meta.ts';
import { strategicMergePatch } from '../patch/strategic.ts';
import { compareGoStrings, toJson } from '../printers/json.ts';
import { attachInteractive } from '../runtime/attach.ts';
import { readLog } from '../runtime/logs.ts';
import type { ClusterState } from '../store/state.ts';
import { rfc3339 } from '../util/duration.ts';

const PODS = resourceInfo('pods');
const SERVICES = resourceInfo('services');

/** A duration flag (pflag DurationVar): the value stays Go text such as `1m0s`. */
function durationFlag(name: string, usage: string, def: string): FlagDef {
  return { name, kind: 'duration', default: def, usage };
}

export const runCmd: CommandDef = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  group: 'Basic Commands (Beginner):',
  long: 'Create and run a particular image in a pod.',
  example: `  # Start a nginx pod
  kfake run nginx --image=nginx
  
  # Start a hazelcast pod and let the container expose port 5701
  kfake run hazelcast --image=hazelcast/hazelcast --port=5701
  
  # Start a hazelcast pod and set environment variables "DNS_DOMAIN=cluster" and "POD_NAMESPACE=default" in the container
  kfake run hazelcast --image=hazelcast/hazelcast --env="DNS_DOMAIN=cluster" --env="POD_NAMESPACE=default"
  
  # Start a hazelcast pod and set labels "app=hazelcast" and "env=prod" in the container
  kfake run hazelcast --image=hazelcast/hazelcast --labels="app=hazelcast,env=prod"
  
  # Dry run; print the corresponding API objects without creating them
  kfake run nginx --image=nginx --dry-run=client
  
  # Start a nginx pod, but overload the spec with a partial set of values parsed from JSON
  kfake run nginx --image=nginx --overrides='{ "apiVersion": "v1", "spec": { ... } }'
  
  # Start a busybox pod and keep it in the foreground, don't restart it if it exits
  kfake run -i -t busybox --image=busybox --restart=Never
  
  # Start the nginx pod using the default command, but use custom arguments (arg1 .. argN) for that command
  kfake run nginx --image=nginx -- <arg1> <arg2> ... <argN>
  
  # Start the nginx pod using a different command and custom arguments
  kfake run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>`,
  usage:
    'run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  flags: [
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    flag.stringArray('annotations', 'Annotations to apply to the pod.'),
    flag.bool('attach', "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned."),
    flag.string('cascade', 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', { default: 'background', noOptDefault: 'background' }),
    flag.bool('command', "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default."),
    flag.stringArray('env', 'Environment variables to set in the container.'),
    flag.bool('expose', 'If true, create a ClusterIP service associated with the pod.  Requires `--port`.'),
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-run' }),
    flag.stringSlice('filename', 'to use to replace the resource.', { short: 'f' }),
    flag.bool('force', 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.'),
    flag.int('grace-period', 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).', { default: -1 }),
    flag.string('image', 'The image for the container to run.'),
    flag.string('image-pull-policy', 'The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server.'),
    flag.string('kustomize', "Process a kustomization directory. This flag can't be used together with -f or -R.", { short: 'k' }),
    flag.string('labels', 'Comma separated labels to apply to the pod. Will override previous values.', { short: 'l' }),
    flag.bool('leave-stdin-open', 'If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.'),
    flag.string('override-type', 'The method used to override the generated object: json, merge, or strategic.', { default: 'merge' }),
    flag.string('overrides', 'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.'),
    durationFlag('pod-running-timeout', 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '1m0s'),
    flag.string('port', 'The port that this container exposes.'),
    flag.bool('privileged', 'If true, run the container in privileged mode.'),
    flag.bool('quiet', 'If true, suppress prompt messages.', { short: 'q' }),
    recordFlag(),
    flag.bool('recursive', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.', { short: 'R' }),
    flag.string('restart', 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].', { default: 'Always' }),
    flag.bool('rm', "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'."),
    flag.bool('save-config', 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.'),
    flag.bool('stdin', 'Keep stdin open on the container in the pod, even if nothing is attached.', { short: 'i' }),
    durationFlag('timeout', 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object', '0s'),
    flag.bool('tty', 'Allocate a TTY for the container in the pod.', { short: 't' }),
    flag.bool('wait', 'If true, wait for resources to be gone before returning. This waits for finalizers.'),
  ],
  run: runRun,
};

// ------------------------------------------------------------------ small parsers

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in milliseconds (the flag parser has already rejected bad syntax). */
export function parseGoDuration(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  let ms = 0;
  for (const m of text.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|ms|s|m|h)/g)) {
    ms += Number(m[1]) * DURATION_UNITS[m[2]];
  }
  return sign * ms;
}

/**
 * docker/distribution's reference.ReferenceRegexp, which kubectl run checks images against:
 * an optional registry host (with port), lowercase path components, an optional tag and digest.
 */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}))?$`,
);

export function isValidImageReference(image: string): boolean {
  return REFERENCE.test(image);
}

/** generate.ParseLabels: `k=v,k2=v2`, nothing more (the server validates keys and values). */
export function parseLabelSpec(spec: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of spec.split(',')) {
    const kv = item.split('=');
    if (kv.length !== 2) throw new CliError(`unexpected label spec: ${item}`);
    if (kv[0] === '') throw new CliError('unexpected empty label key');
    labels[kv[0]] = kv[1];
  }
  return sortedMap(labels);
}

/** `--annotations k=v`: the value is everything after the first `=`. */
function parseAnnotations(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid annotations format: ${item}`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return sortedMap(out);
}

/** validation.IsEnvVarName: C identifiers plus `.` and `-`, not starting with a digit. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function parseEnvs(items: string[]): EnvVar[] {
  return items.map((item) => {
    const eq = item.indexOf('=');
    const name = eq < 0 ? '' : item.slice(0, eq);
    if (!name || !ENV_NAME.test(name)) throw new CliError(`invalid env: ${item}`);
    const value = item.slice(eq + 1);
    // EnvVar.value is omitempty: an empty value is not sent.
    return value ? { name, value } : { name };
  });
}

/** strconv.Atoi, then the int32 conversion the generator does (which wraps silently). */
function parsePort(text: string): number {
  if (!/^[-+]?\d+$/.test(text)) throw new CliError(`strconv.Atoi: parsing "${text}": invalid syntax`);
  const n = BigInt(text);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw new CliError(`strconv.Atoi: parsing "${text}": value out of range`);
  }
  return Number(BigInt.asIntN(32, n));
}

function sortedMap(m: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort(compareGoStrings)) out[k] = m[k];
  return out;
}

// ------------------------------------------------------------------ generators

export interface PodParams {
  name: string;
  image: string;
  /** Arguments after NAME (after `--`). */
  args: string[];
  /** `--command`: the arguments are the container's command rather than its args. */
  command: boolean;
  env: string[];
  annotations: string[];
  /** `--labels`, empty for the default `run=NAME`. */
  labels: string;
  port: string;
  restart: string;
  stdin: boolean;
  tty: boolean;
  leaveStdinOpen: boolean;
  imagePullPolicy: string;
  privileged: boolean;
  /** Set on the object only when -n was given (client dry run prints it then). */
  namespace?: string;
}

/**
 * The BasicPod generator's pod, with keys inserted in Go struct order (kubectl prints its own
 * typed objects that way with -o json). Parse errors come in the generator's order: env,
 * annotations, labels, port.
 */
export function generatePod(p: PodParams): Pod {
  const env = parseEnvs(p.env);
  const annotations = parseAnnotations(p.annotations);
  const labels = p.labels ? parseLabelSpec(p.labels) : { run: p.name };
  const port = p.port ? parsePort(p.port) : undefined;

  const container: Record<string, unknown> = { name: p.name, image: p.image };
  if (p.args.length > 0) container[p.command ? 'command' : 'args'] = [...p.args];
  if (port !== undefined) container.ports = [{ containerPort: port }];
  if (env.length > 0) container.env = env;
  container.resources = {};
  if (p.imagePullPolicy) container.imagePullPolicy = p.imagePullPolicy;
  if (p.privileged) container.securityContext = { privileged: true };
  if (p.stdin) container.stdin = true;
  if (p.stdin && !p.leaveStdinOpen) container.stdinOnce = true;
  if (p.tty) container.tty = true;

  const metadata: Record<string, unknown> = { name: p.name };
  if (p.namespace) metadata.namespace = p.namespace;
  metadata.creationTimestamp = null;
  metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;

  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata,
    spec: { containers: [container as unknown as Container], restartPolicy: p.restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  } as unknown as Pod;
}

/** ServiceGeneratorV2 as run --expose calls it: one TCP port, targetPort = port, selector = pod labels. */
export function generateService(p: PodParams): Service {
  const port = parsePort(p.port);
  const metadata: Record<string, unknown> = { name: p.name };
  if (p.namespace) metadata.namespace = p.namespace;
  metadata.creationTimestamp = null;
  if (p.labels) metadata.labels = parseLabelSpec(p.labels);
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata,
    spec: {
      ports: [{ protocol: 'TCP', port, targetPort: port }],
      selector: p.labels ? parseLabelSpec(p.labels) : { run: p.name },
    },
    status: { loadBalancer: {} },
  } as unknown as Service;
}

// ------------------------------------------------------------------ --overrides

/**
 * cmdutil.Overrider: the generated pod is encoded, patched with the override (JSON merge patch by
 * default) and decoded into a Pod again, so unknown fields vanish and wrongly typed ones are
 * errors with encoding/json's wording.
 */
export function applyOverrides(pod: Pod, overrides: string, type: string): Pod {
  if (!['json', 'merge', 'strategic'].includes(type)) throw new CliError(`invalid override type: ${type}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(overrides);
  } catch {
    if (type === 'merge') throw new CliError('Invalid JSON Patch');
    if (type === 'strategic') throw new CliError('invalid JSON document');
    throw new CliError(goJsonSyntaxError(overrides));
  }
  let result: unknown;
  try {
    if (type === 'merge') {
      // evanphx/json-patch MergePatch: null or a scalar is no patch; an array replaces the document.
      if (parsed === null || typeof parsed !== 'object') throw new CliError('Invalid JSON Patch');
      result = Array.isArray(parsed) ? parsed : jsonMergePatch(pod, parsed);
    } else if (type === 'strategic') {
      if (Array.isArray(parsed) || (parsed !== null && typeof parsed !== 'object')) throw new CliError('invalid JSON document');
      result = strategicMergePatch(pod, parsed ?? {}, '/Pod');
    } else {
      if (parsed !== null && !Array.isArray(parsed)) {
        throw new CliError(`json: cannot unmarshal ${jsonKind(parsed)} into Go value of type jsonpatch.Patch`);
      }
      result = applyJsonPatch(pod, parsed ?? []);
    }
  } catch (e) {
    if (e instanceof PatchError || e instanceof StatusError) throw new CliError(e.message);
    throw e;
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw new CliError(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(result)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  const obj = result as Record<string, unknown>;
  const decoded = decodeWithValidation(obj, 'Ignore');
  if (decoded.error) throw new CliError(decoded.error.replace(/^.*? cannot be handled as a \w+: /, ''));
  // Fields a Go struct always prints, whatever the override removed.
  const meta = (obj.metadata ??= {}) as Record<string, unknown>;
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  for (const c of ((obj.spec as Record<string, unknown> | undefined)?.containers ?? []) as Record<string, unknown>[]) {
    if (c && typeof c === 'object' && !c.resources) c.resources = {};
  }
  if (!obj.status) obj.status = {};
  return obj as unknown as Pod;
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
}

/** encoding/json's quoteChar: the offending byte as a Go character literal. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

/**
 * The SyntaxError text of encoding/json's scanner (checkValid) for `text`: the first byte that
 * cannot continue a JSON value, described by the state the scanner was in.
 */
export function goJsonSyntaxError(text: string): string {
  type Ctx = 'objectKey' | 'objectValue' | 'array';
  const stack: Ctx[] = [];
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  const digit = (c: string) => c >= '0' && c <= '9';
  const bad = (c: string, context: string) => `invalid character ${quoteChar(c)} ${context}`;
  let i = 0;
  const literal = (word: string): string | undefined => {
    for (let k = 1; k < word.length; k++, i++) {
      if (i >= text.length) return 'unexpected end of JSON input';
      if (text[i] !== word[k]) return bad(text[i], `in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
    return undefined;
  };
  const number = (): string | undefined => {
    if (text[i] === '-') {
      i++;
      if (i >= text.length) return 'unexpected end of JSON input';
      if (!digit(text[i])) return bad(text[i], 'in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (i < text.length && digit(text[i])) i++;
    if (text[i] === '.') {
      i++;
      if (i >= text.length) return 'unexpected end of JSON input';
      if (!digit(text[i])) return bad(text[i], 'after decimal point in numeric literal');
      while (i < text.length && digit(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= text.length) return 'unexpected end of JSON input';
      if (!digit(text[i])) return bad(text[i], 'in exponent of numeric literal');
      while (i < text.length && digit(text[i])) i++;
    }
    return undefined;
  };
  const string = (): string | undefined => {
    for (i++; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c < ' ') return bad(c, 'in string literal');
      if (c !== '\\') continue;
      i++;
      if (i >= text.length) break;
      if (text[i] === 'u') {
        for (let k = 0; k < 4; k++) {
          i++;
          if (i >= text.length) return 'unexpected end of JSON input';
          if (!/[0-9a-fA-F]/.test(text[i])) return bad(text[i], 'in \\u hexadecimal character escape');
        }
      } else if (!'bfnrt\\/"'.includes(text[i])) return bad(text[i], 'in string escape code');
    }
    return 'unexpected end of JSON input';
  };
  /** stateBeginString: an object key. */
  const key = (): string | undefined => {
    while (i < text.length && ws(text[i])) i++;
    if (i >= text.length) return 'unexpected end of JSON input';
    if (text[i] !== '"') return bad(text[i], 'looking for beginning of object key string');
    stack[stack.length - 1] = 'objectKey';
    return string() ?? afterValue();
  };
  /** stateBeginValue; `close` is the bracket that may end an empty container instead. */
  const value = (close?: string): string | undefined => {
    while (i < text.length && ws(text[i])) i++;
    if (i >= text.length) return 'unexpected end of JSON input';
    const c = text[i];
    if (close && c === close) {
      i++;
      stack.pop();
      return afterValue();
    }
    if (close === '}') return key();
    if (c === '{') {
      i++;
      stack.push('objectKey');
      return value('}');
    }
    if (c === '[') {
      i++;
      stack.push('array');
      return value(']');
    }
    let err: string | undefined;
    if (c === '"') err = string();
    else if (c === '-' || digit(c)) err = number();
    else if (c === 't' || c === 'f' || c === 'n') {
      i++;
      err = literal(c === 't' ? 'true' : c === 'f' ? 'false' : 'null');
    } else return bad(c, 'looking for beginning of value');
    return err ?? afterValue();
  };
  /** stateEndValue: what may follow a complete value in its container. */
  const afterValue = (): string | undefined => {
    while (i < text.length && ws(text[i])) i++;
    const top = stack[stack.length - 1];
    if (i >= text.length) return top ? 'unexpected end of JSON input' : undefined;
    const c = text[i];
    if (!top) return bad(c, 'after top-level value');
    i++;
    if (top === 'objectKey') {
      if (c !== ':') return bad(c, 'after object key');
      stack[stack.length - 1] = 'objectValue';
      return value();
    }
    if (top === 'objectValue') {
      if (c === ',') return key();
      if (c === '}') {
        stack.pop();
        return afterValue();
      }
      return bad(c, 'after object key:value pair');
    }
    if (c === ',') return value();
    if (c === ']') {
      stack.pop();
      return afterValue();
    }
    return bad(c, 'after array element');
  };
  return value() ?? 'unexpected end of JSON input';
}

// ------------------------------------------------------------------ Go struct field order

/**
 * Field order of the Go structs kubectl prints its typed objects in (k8s.io/api/core/v1 and
 * apps/v1 types.go): what `run` generates and what `rollout` reads through typed clients.
 * Captured from kubectl's own -o json output; structs not listed keep sorted keys.
 */
const GO_FIELDS: Record<string, string> = {
  Pod: 'kind apiVersion metadata spec status',
  Service: 'kind apiVersion metadata spec status',
  ObjectMeta:
    'name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences finalizers managedFields',
  OwnerReference: 'apiVersion kind name uid controller blockOwnerDeletion',
  PodSpec:
    'volumes initContainers containers ephemeralContainers restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources',
  Affinity: 'nodeAffinity podAffinity podAntiAffinity',
  NodeAffinity: 'requiredDuringSchedulingIgnoredDuringExecution preferredDuringSchedulingIgnoredDuringExecution',
  PodAffinity: 'requiredDuringSchedulingIgnoredDuringExecution preferredDuringSchedulingIgnoredDuringExecution',
  PodAntiAffinity: 'requiredDuringSchedulingIgnoredDuringExecution preferredDuringSchedulingIgnoredDuringExecution',
  NodeSelector: 'nodeSelectorTerms',
  NodeSelectorTerm: 'matchExpressions matchFields',
  NodeSelectorRequirement: 'key operator values',
  PreferredSchedulingTerm: 'weight preference',
  WeightedPodAffinityTerm: 'weight podAffinityTerm',
  PodAffinityTerm: 'labelSelector namespaces topologyKey namespaceSelector matchLabelKeys mismatchLabelKeys',
  LabelSelector: 'matchLabels matchExpressions',
  LabelSelectorRequirement: 'key operator values',
  Container:
    'name image command args workingDir ports envFrom env resources resizePolicy restartPolicy volumeMounts volumeDevices livenessProbe readinessProbe startupProbe lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty',
  ContainerPort: 'name hostPort containerPort protocol hostIP',
  EnvVar: 'name value valueFrom',
  EnvVarSource: 'fieldRef resourceFieldRef configMapKeyRef secretKeyRef',
  ObjectFieldSelector: 'apiVersion fieldPath',
  ResourceFieldSelector: 'containerName resource divisor',
  ConfigMapKeySelector: 'name key optional',
  SecretKeySelector: 'name key optional',
  EnvFromSource: 'prefix configMapRef secretRef',
  ConfigMapEnvSource: 'name optional',
  SecretEnvSource: 'name optional',
  ResourceRequirements: 'limits requests claims',
  ResourceClaim: 'name request',
  ContainerResizePolicy: 'resourceName restartPolicy',
  VolumeMount: 'name readOnly recursiveReadOnly mountPath subPath mountPropagation subPathExpr',
  VolumeDevice: 'name devicePath',
  Probe:
    'exec httpGet tcpSocket grpc initialDelaySeconds timeoutSeconds periodSeconds successThreshold failureThreshold terminationGracePeriodSeconds',
  Lifecycle: 'postStart preStop',
  LifecycleHandler: 'exec httpGet tcpSocket sleep',
  ExecAction: 'command',
  HTTPGetAction: 'path port host scheme httpHeaders',
  HTTPHeader: 'name value',
  TCPSocketAction: 'port host',
  GRPCAction: 'port service',
  SleepAction: 'seconds',
  SecurityContext:
    'capabilities privileged seLinuxOptions windowsOptions runAsUser runAsGroup runAsNonRoot readOnlyRootFilesystem allowPrivilegeEscalation procMount seccompProfile appArmorProfile',
  Capabilities: 'add drop',
  SELinuxOptions: 'user role type level',
  SeccompProfile: 'type localhostProfile',
  AppArmorProfile: 'type localhostProfile',
  PodSecurityContext:
    'seLinuxOptions windowsOptions runAsUser runAsGroup runAsNonRoot supplementalGroups supplementalGroupsPolicy fsGroup sysctls fsGroupChangePolicy seccompProfile appArmorProfile seLinuxChangePolicy',
  Sysctl: 'name value',
  Toleration: 'key operator value effect tolerationSeconds',
  TopologySpreadConstraint:
    'maxSkew topologyKey whenUnsatisfiable labelSelector minDomains nodeAffinityPolicy nodeTaintsPolicy matchLabelKeys',
  PodDNSConfig: 'nameservers searches options',
  PodDNSConfigOption: 'name value',
  HostAlias: 'ip hostnames',
  LocalObjectReference: 'name',
  PodOS: 'name',
  PodReadinessGate: 'conditionType',
  PodSchedulingGate: 'name',
  PodResourceClaim: 'name resourceClaimName resourceClaimTemplateName',
  Volume:
    'name hostPath emptyDir gcePersistentDisk awsElasticBlockStore gitRepo secret nfs iscsi glusterfs persistentVolumeClaim rbd flexVolume cinder cephfs flocker downwardAPI fc azureFile configMap vsphereVolume quobyte azureDisk photonPersistentDisk projected portworxVolume scaleIO storageos csi ephemeral image',
  HostPathVolumeSource: 'path type',
  EmptyDirVolumeSource: 'medium sizeLimit',
  SecretVolumeSource: 'secretName items defaultMode optional',
  ConfigMapVolumeSource: 'name items defaultMode optional',
  KeyToPath: 'key path mode',
  PersistentVolumeClaimVolumeSource: 'claimName readOnly',
  DownwardAPIVolumeSource: 'items defaultMode',
  DownwardAPIVolumeFile: 'path fieldRef resourceFieldRef mode',
  ProjectedVolumeSource: 'sources defaultMode',
  VolumeProjection: 'secret downwardAPI configMap serviceAccountToken clusterTrustBundle',
  SecretProjection: 'name items optional',
  ConfigMapProjection: 'name items optional',
  DownwardAPIProjection: 'items',
  ServiceAccountTokenProjection: 'audience expirationSeconds path',
  PodStatus:
    'phase conditions message reason nominatedNodeName hostIP hostIPs podIP podIPs startTime initContainerStatuses containerStatuses qosClass ephemeralContainerStatuses resize resourceClaimStatuses',
  PodCondition: 'type status lastProbeTime lastTransitionTime reason message',
  ContainerStatus:
    'name state lastState ready restartCount image imageID containerID started allocatedResources resources volumeMounts user allocatedResourcesStatus',
  ContainerState: 'waiting running terminated',
  ContainerStateWaiting: 'reason message',
  ContainerStateRunning: 'startedAt',
  ContainerStateTerminated: 'exitCode signal reason message startedAt finishedAt containerID',
  VolumeMountStatus: 'name mountPath readOnly recursiveReadOnly',
  HostIP: 'ip',
  PodIP: 'ip',
  ServiceSpec:
    'ports selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution',
  ServicePort: 'name protocol appProtocol port targetPort nodePort',
  SessionAffinityConfig: 'clientIP',
  ClientIPConfig: 'timeoutSeconds',
  ServiceStatus: 'loadBalancer conditions',
  LoadBalancerStatus: 'ingress',
  LoadBalancerIngress: 'ip hostname ipMode ports',
  PortStatus: 'port protocol error',
  Condition: 'type status observedGeneration lastTransitionTime reason message',
  Deployment: 'kind apiVersion metadata spec status',
  DeploymentSpec: 'replicas selector template strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds',
  DeploymentStrategy: 'type rollingUpdate',
  RollingUpdateDeployment: 'maxUnavailable maxSurge',
  DeploymentStatus:
    'observedGeneration replicas updatedReplicas readyReplicas availableReplicas unavailableReplicas conditions collisionCount',
  DeploymentCondition: 'type status lastUpdateTime lastTransitionTime reason message',
  ReplicaSet: 'kind apiVersion metadata spec status',
  ReplicaSetSpec: 'replicas minReadySeconds selector template',
  ReplicaSetStatus: 'replicas fullyLabeledReplicas readyReplicas availableReplicas observedGeneration conditions',
  ReplicaSetCondition: 'type status lastTransitionTime reason message',
  PodTemplateSpec: 'metadata spec',
};

/** The schema's field types of a struct (`name` -> `[]Container`, `{}s`, `ObjectMeta`, ...). */
function fieldTypes(struct: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of (STRUCTS[struct] ?? '').split(' ')) {
    const i = f.indexOf(':');
    if (i > 0) out.set(f.slice(0, i), f.slice(i + 1).replace(/@.*$/, ''));
  }
  return out;
}

/** A copy of `value` with keys in Go struct order (maps sorted), as encoding/json writes a typed object. */
export function goOrdered(value: unknown, type: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (type.startsWith('[]')) return Array.isArray(value) ? value.map((v) => goOrdered(v, type.slice(2))) : value;
  const obj = value as Record<string, unknown>;
  if (type.startsWith('{}')) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj).sort(compareGoStrings)) out[k] = goOrdered(obj[k], type.slice(2));
    return out;
  }
  const types = fieldTypes(type);
  const order = GO_FIELDS[type]?.split(' ') ?? [];
  const keys = [...order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !order.includes(k)).sort(compareGoStrings)];
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = goOrdered(obj[k], types.get(k) ?? '');
  return out;
}

/**
 * A mutating command's line for an object kubectl holds as a Go struct: -o json prints it in
 * field order, everything else as the printer does for any object.
 */
export function typedLine(printer: MutationPrinter, format: OutputFormat | undefined, obj: KObject, type: string, verb: string): string {
  return format?.kind === 'json' ? toJson(goOrdered(obj, type), { sortKeys: false }) : printer.line(obj, verb);
}

/**
 * The last-applied annotation as kubectl run's --save-config writes it: the typed object encoded
 * with json.Marshal (Go field order, HTML-escaped) plus a newline.
 */
function withRunLastApplied(obj: KObject, type: string): KObject {
  const text =
    JSON.stringify(goOrdered(obj, type)).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\n';
  const copy = structuredClone(obj);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [LAST_APPLIED]: text };
  copy.metadata.annotations = sortedMap(copy.metadata.annotations);
  return copy;
}

// ------------------------------------------------------------------ waiting on the cluster

/**
 * Re-read the store until `check` returns a value or the timeout (ms; 0 = none) passes. Other
 * kfake commands may change the cluster meanwhile, as other clients change a real one.
 */
export async function waitFor<T>(
  session: Session,
  check: (state: ClusterState) => T | undefined,
  timeoutMs: number,
  pollMs = 250,
): Promise<T | undefined> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  for (;;) {
    const found = check(await session.read());
    if (found !== undefined) return found;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
  }
}

/** wait.ErrWaitTimeout as watchtools.UntilWithSync reports it. */
export const TIMED_OUT = 'timed out waiting for the condition';

// ------------------------------------------------------------------ the command

/** The object as the request for this namespace sends it. */
function inNamespace<T extends KObject>(obj: T, namespace: string): T {
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

interface Created {
  pod?: Pod;
  service?: Service;
  serviceError?: Error;
}

async function runRun(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const usage = { usageCommand: 'run' };
  if (!inv.changed.has('image')) throw new CliError('required flag(s) "image" not set');
  // run.go also refuses a NAME after `--`, but kubectl 1.32 never sees the dash there
  // (`kubectl run --image=nginx -- web` creates pod web), so only a missing NAME fails.
  if (inv.args.length === 0) throw new CliError('NAME is required for run', usage);
  const timeoutMs = parseGoDuration(f['pod-running-timeout'] as string);
  if (timeoutMs <= 0) throw new CliError('--pod-running-timeout must be higher than zero', usage);
  const image = f.image as string;
  if (!image) throw new CliError('--image is required');
  if (!isValidImageReference(image)) throw new CliError(`Invalid image name "${image}": invalid reference format`);
  const stdin = f.stdin as boolean;
  const tty = f.tty as boolean;
  if (tty && !stdin) throw new CliError('-i/--stdin is required for containers with -t/--tty=true', usage);
  const port = f.port as string;
  if (f.expose && !port) throw new CliError('--port must be set when exposing a service', usage);
  const ctx = commandContext(inv);
  const restart = f.restart as string;
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CliError(`invalid restart policy: ${restart}`, usage);
  // -i implies --attach unless --attach was given explicitly.
  const attach = inv.changed.has('attach') ? (f.attach as boolean) : stdin;
  const remove = f.rm as boolean;
  if (!attach && remove) throw new CliError('--rm should only be used for attached containers', usage);
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  if (attach && dryRun !== 'none') {
    throw new CliError("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)", usage);
  }
  const pullPolicy = f['image-pull-policy'] as string;
  if (pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
    throw new CliError(`invalid image pull policy: ${pullPolicy}`, usage);
  }
  const printer = new MutationPrinter(f, dryRun);
  const format = parseOutput((f.output as string) ?? '', { forGet: false, template: f.template as string });

  const params: PodParams = {
    name: inv.args[0],
    image,
    args: inv.args.slice(1),
    command: f.command as boolean,
    env: f.env as string[],
    annotations: f.annotations as string[],
    labels: f.labels as string,
    port,
    restart,
    stdin,
    tty,
    leaveStdinOpen: f['leave-stdin-open'] as boolean,
    imagePullPolicy: pullPolicy,
    privileged: f.privileged as boolean,
    // The generated objects carry no namespace (it is part of the request), except that a client
    // dry run shows the one given with -n (EnforceNamespace).
    namespace: dryRun === 'client' && ctx.namespaceExplicit ? ctx.namespace : undefined,
  };
  let pod = generatePod(params);
  if (f.overrides) pod = applyOverrides(pod, f.overrides as string, f['override-type'] as string);
  let service = f.expose ? generateService(params) : undefined;
  // createGeneratedObject records on each generated object before --save-config, which
  // therefore keeps the change-cause in the saved configuration.
  const recorder = changeCauseRecorder(inv);
  if (recorder) {
    pod = recorder.record(pod);
    if (service) service = recorder.record(service);
  }
  const saveConfig = (f['save-config'] as boolean) && dryRun !== 'client';
  if (saveConfig) {
    pod = withRunLastApplied(pod, 'Pod') as Pod;
    if (service) service = withRunLastApplied(service, 'Service') as Service;
  }

  // Objects kubectl itself built or decoded print in Go field order with -o json.
  const print = (obj: KObject, type: string): string => typedLine(printer, format, obj, type, 'created');
  const serviceSeparator = format?.kind === 'yaml' ? '---\n' : '';

  if (dryRun === 'client') {
    if (service) inv.io.out(print(service, 'Service') + serviceSeparator);
    inv.io.out(print(pod, 'Pod'));
    return;
  }

  const created = await ctx.session.transaction(
    (api): Created => {
      const result: Created = { pod: createObject(api, inNamespace(pod, ctx.namespace)) as Pod };
      if (service) {
        try {
          result.service = createObject(api, inNamespace(service, ctx.namespace)) as Service;
        } catch (e) {
          if (!(e instanceof StatusError)) throw e;
          result.serviceError = e;
        }
      }
      return result;
    },
    { dryRun: dryRun === 'server' },
  );
  if (created.service) inv.io.out(print(created.service, 'Service') + serviceSeparator);

  if (!attach) {
    inv.io.out(print(created.pod!, 'Pod'));
    if (created.serviceError) throw new MultiError([created.serviceError]);
    return;
  }

  // Attached: whatever happens, --rm removes what was created before the outcome is reported
  // (kubectl defers the removal).
  const quiet = f.quiet as boolean;
  let failure: unknown;
  try {
    await attachToPod(inv, ctx.session, created.pod!, { stdin, tty, quiet, timeoutMs });
    // waitForExitCode: with Never or OnFailure (stdin not left open) the pod's end decides.
    if (!params.leaveStdinOpen && (restart === 'Never' || restart === 'OnFailure')) {
      await waitForExit(ctx.session, created.pod!, restart, timeoutMs);
    }
  } catch (e) {
    failure = e;
  }
  if (remove) await removeCreated(inv, ctx.session, created, quiet);
  if (failure) throw failure;
}

interface AttachOptions {
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  timeoutMs: number;
}

/**
 * podRunningAndReady, with one addition for kfake's kubelet (which does not restart
 * containers): a container that has terminated counts as completed whatever the phase, so its
 * output is shown as kubectl shows a finished pod's.
 */
function attachView(pod: Pod | undefined): 'completed' | 'ready' | 'gone' | undefined {
  if (!pod) return 'gone';
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 'completed';
  if (pod.status?.containerStatuses?.[0]?.state?.terminated) return 'completed';
  if (phase === 'Running' && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return 'ready';
  return undefined;
}

/** The container kubectl attaches to: the default-container annotation, else the first. */
function attachContainer(pod: Pod): Container {
  const wanted = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  return pod.spec.containers.find((c) => c.name === wanted) ?? pod.spec.containers[0];
}

/** The watch event kubectl's conditions fail on when the pod is deleted (`pods "" not found`). */
const podDeleted = () => notFound(PODS, '');

/**
 * handleAttachPod: wait for the pod to run; a pod that already finished has its log printed,
 * a running one is attached to (AttachOptions.Run).
 */
async function attachToPod(inv: Invocation, session: Session, created: Pod, o: AttachOptions): Promise<void> {
  const ns = created.metadata.namespace!;
  const name = created.metadata.name!;
  const view = await waitFor(session, (s) => attachView(s.get<Pod>('pods', ns, name)), o.timeoutMs);
  if (view === undefined) throw new CliError(TIMED_OUT);
  if (view === 'gone') throw podDeleted();
  const state = await session.read();
  const pod = state.get<Pod>('pods', ns, name)!;
  const container = attachContainer(pod);
  if (view === 'completed') {
    inv.io.out(readLog(state, pod, container.name));
    return;
  }

  let tty = o.tty;
  if (tty && !container.tty) {
    tty = false;
    if (!o.quiet) inv.io.err(`error: Unable to use a TTY - container ${container.name} did not allocate one\n`);
  }
  // StreamOptions.SetupTTY: a TTY needs stdin, and stdin has to be a terminal.
  if (!o.stdin) tty = false;
  if (tty && !inv.io.stdinIsTTY) {
    tty = false;
    if (!o.quiet) inv.io.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  }
  if (!o.quiet) inv.io.err("If you don't see a command prompt, try pressing enter.\n");
  // Without an interactive program behind it, the session ends when standard input does.
  const code = await attachInteractive({ pod, container, io: inv.io, tty, stdin: o.stdin, session });
  if (code !== undefined) await recordSessionEnd(session, pod, container, code);
  if (!o.quiet && o.stdin && tty && pod.spec.restartPolicy === 'Always') {
    inv.io.out(`Session ended, resume using '${inv.program} attach ${name} -c ${container.name} -i -t' command when the pod is running\n`);
  }
}

/** waitForPod with podCompleted (Never) or podSucceeded (OnFailure), then the pod's exit status. */
async function waitForExit(session: Session, created: Pod, restartPolicy: string, timeoutMs: number): Promise<void> {
  const ns = created.metadata.namespace!;
  const name = created.metadata.name!;
  const done = await waitFor(
    session,
    (s): Pod | 'gone' | undefined => {
      const p = s.get<Pod>('pods', ns, name);
      if (!p) return 'gone';
      const phase = p.status?.phase;
      if (restartPolicy === 'OnFailure') return phase === 'Succeeded' ? p : undefined;
      return phase === 'Succeeded' || phase === 'Failed' ? p : undefined;
    },
    timeoutMs,
  );
  if (done === undefined) throw new CliError(TIMED_OUT);
  if (done === 'gone') throw podDeleted();
  exitOf(done);
}

/** The end of a pod that ran to completion, as kubectl run turns it into an exit status. */
function exitOf(pod: Pod): void {
  const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return;
  if (phase !== 'Failed') throw new CliError(`pod ${ref} left in phase ${phase}`);
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  if (!terminated || terminated.exitCode === 0) throw new CliError(`pod ${ref} failed with unknown exit code`);
  // uexec.CodeExitError: printed as is, and the container's code becomes kfake's.
  throw new CliError(`pod ${ref} terminated (${terminated.reason ?? ''})\n${terminated.message ?? ''}`, {
    raw: true,
    exitCode: terminated.exitCode,
  });
}

/**
 * An interactive session that ended ended its process. Unless the handler already recorded it,
 * the kubelet notices: with restart policy Never (or OnFailure after success) the container
 * stays terminated and the pod completes; otherwise it is restarted and keeps running.
 */
async function recordSessionEnd(session: Session, pod: Pod, container: Container, code: number): Promise<void> {
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (!(policy === 'Never' || (policy === 'OnFailure' && code === 0))) return;
  await session.transaction((api) => {
    const live = api.state.get<Pod>('pods', pod.metadata.namespace!, pod.metadata.name!);
    if (!live || live.metadata.uid !== pod.metadata.uid) return;
    const statuses = live.status?.containerStatuses ?? [];
    const current = statuses.find((s) => s.name === container.name);
    if (!current?.state?.running) return;
    const now = rfc3339(api.now);
    const next = structuredClone(live);
    const status = next.status!;
    status.containerStatuses = statuses.map((s) =>
      s.name !== container.name
        ? s
        : {
            ...s,
            ready: false,
            started: false,
            state: {
              terminated: {
                exitCode: code,
                reason: code === 0 ? 'Completed' : 'Error',
                startedAt: s.state?.running?.startedAt ?? now,
                finishedAt: now,
                containerID: s.containerID,
              },
            },
          },
    );
    if (!status.containerStatuses.some((s) => s.state?.running)) {
      status.phase = status.containerStatuses.some((s) => (s.state?.terminated?.exitCode ?? 0) !== 0) ? 'Failed' : 'Succeeded';
      status.conditions = (status.conditions ?? []).map((c) =>
        c.type === 'Ready' || c.type === 'ContainersReady'
          ? { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: now }
          : c.type === 'PodReadyToStartContainers'
            ? { ...c, status: 'False', lastTransitionTime: now }
            : c,
      );
    }
    updateObject(api, next, { subresource: 'status' });
  });
}

/** --rm: delete the pod (and the --expose service) as `kubectl delete` would, ignoring NotFound. */
async function removeCreated(inv: Invocation, session: Session, created: Created, quiet: boolean): Promise<void> {
  const targets: { info: ResourceInfo; obj: KObject }[] = [];
  if (created.pod) targets.push({ info: PODS, obj: created.pod });
  if (created.service) targets.push({ info: SERVICES, obj: created.service });
  const lines = await session.transaction((api: ApiContext) =>
    targets.flatMap(({ info, obj }) => {
      if (!api.state.get(info.resource, obj.metadata.namespace!, obj.metadata.name!)) return [];
      deleteObject(api, info, obj.metadata.namespace!, obj.metadata.name!);
      return [`${kindPrefix(info)} "${obj.metadata.name}" deleted\n`];
    }),
  );
  if (!quiet) inv.io.out(lines.join(''));
}

