/**
 * PATCH as the commands that change objects in place send it (patch, label, annotate, set image,
 * scale), in two halves:
 *
 * - what kubectl does with a user's patch text before sending it: `yaml.ToJSON` sends text that
 *   starts with `{` verbatim and converts anything else from YAML
 *   (kubernetes/kubernetes:staging/src/k8s.io/apimachinery/pkg/util/yaml/decoder.go), and what
 *   `--local` / `--dry-run=client` do, applying it on the client
 *   (staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go getPatchedJSON);
 * - what the API server's PATCH handler does with the body
 *   (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go): decode it strictly, apply it
 *   to the stored object, decode the result into the kind's Go type with fieldValidation=Warn
 *   (unknown fields become warnings and are dropped; values of the wrong type make the request
 *   invalid), check name and namespace, then run the normal update (defaulting, allocation,
 *   validation, no-op detection) through updateObject.
 */
import { EMPTY_NAME } from '../cli/manifests.ts';
import { badRequest, CliError, conflict, fieldErr, FieldError, goQuote, invalid, StatusError } from '../api/errors.ts';
import { type ResourceInfo } from '../api/registry.ts';
import { decodeWithValidation } from '../api/schema/index.ts';
import type { KObject, LabelSelector } from '../api/types.ts';
import { getObject, updateObject, type ApiContext, type UpdateResult } from '../apiserver/api.ts';
import { hasStatusSubresource } from '../apiserver/strategy.ts';
import { decodeGoYaml, GoFloat, GoInt, GoMap, YamlError, type GoValue } from '../manifest/parse.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { jsonMergePatch } from '../patch/merge-patch.ts';
import { PatchError } from '../patch/patch-meta.ts';
import { strategicMergePatch } from '../patch/strategic.ts';
import { formatGoFloat, toCompactJson } from '../printers/json.ts';
import { selectorFromLabelSelector, selectorString } from '../selectors/labels.ts';

export type PatchType = 'json' | 'merge' | 'strategic';

/** The `--type` values, as kubectl lists them (sets.StringKeySet(patchTypes).List()). */
export const PATCH_TYPES: readonly PatchType[] = ['json', 'merge', 'strategic'];

/** `<group>/<Kind>`, the key of the strategic-merge metadata for a resource. */
export function groupKind(info: ResourceInfo): string {
  return `${info.group}/${info.kind}`;
}

// ------------------------------------------------------------------ the body kubectl sends

/**
 * yaml.ToJSON on the user's patch: text starting with `{` (after white space) is sent as it is,
 * even when it is not valid JSON; anything else is read as one YAML document (go-yaml v2, so
 * YAML 1.1 scalars) and sent as JSON. A YAML error stops kubectl before anything is sent:
 * `unable to parse "<-p value>": yaml: ...` (the -p value is quoted even for --patch-file).
 */
export function patchBodyFromUser(text: string, flagValue: string): string {
  if (/^\s*\{/u.test(text)) return text;
  let value: GoValue;
  try {
    value = decodeGoYaml(text);
  } catch (e) {
    if (e instanceof YamlError) throw new CliError(`unable to parse ${goQuote(flagValue)}: ${e.message}`);
    throw e;
  }
  return toCompactJson(fromGoValue(value));
}

/** sigs.k8s.io/yaml's conversion of go-yaml values to JSON values: map keys become strings. */
function fromGoValue(v: GoValue): unknown {
  if (v instanceof GoMap) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of v.entries.values()) out[mapKey(key)] = fromGoValue(value);
    return out;
  }
  if (Array.isArray(v)) return v.map(fromGoValue);
  if (v instanceof GoInt) return Number(v.value);
  if (v instanceof GoFloat) return v.value;
  return v;
}

/** Keys that are not strings print as Go formats them (floats as float32, as sigs.k8s.io/yaml does). */
function mapKey(key: GoValue): string {
  if (typeof key === 'string') return key;
  if (key instanceof GoInt) return key.value.toString();
  if (key instanceof GoFloat) return formatGoFloat(key.value, 32);
  return String(key);
}

// ------------------------------------------------------------------ Go's JSON syntax errors

/** scanner.go quoteChar: the offending character as a Go character literal. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  return `'${goQuote(c).slice(1, -1)}'`;
}

class SyntaxFailure extends Error {}

/**
 * The error encoding/json's Unmarshal gives for text that is not one JSON value (checkValid in
 * scanner.go), or undefined when the text is valid.
 */
export function goJsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const eof = (): never => {
    throw new SyntaxFailure('unexpected end of JSON input');
  };
  const fail = (context: string): never => {
    throw new SyntaxFailure(`invalid character ${quoteChar(text[i])} ${context}`);
  };
  const space = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const at = (): string => (i < text.length ? text[i] : eof());
  const digits = (context: string) => {
    if (!/[0-9]/.test(at())) fail(context);
    while (i < text.length && /[0-9]/.test(text[i])) i++;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      const c = at();
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') fail('in string literal');
      if (c === '\\') {
        i++;
        const e = at();
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(at())) fail('in \\u hexadecimal character escape');
          }
        } else if (!'bfnrt\\/"'.includes(e)) fail('in string escape code');
      }
      i++;
    }
  };
  const number = () => {
    if (text[i] === '-') {
      i++;
      if (!/[0-9]/.test(at())) fail('in numeric literal');
    }
    if (text[i] === '0') i++;
    else digits('in numeric literal');
    if (text[i] === '.') {
      i++;
      digits('after decimal point in numeric literal');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits('in exponent of numeric literal');
    }
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) {
      if (at() !== word[k]) fail(`in literal ${word} (expecting '${word[k]}')`);
    }
  };
  const value = (): void => {
    space();
    const c = at();
    if (c === '{') {
      i++;
      space();
      if (at() === '}') {
        i++;
        return;
      }
      for (;;) {
        if (at() !== '"') fail('looking for beginning of object key string');
        string();
        space();
        if (at() !== ':') fail('after object key');
        i++;
        value();
        space();
        if (at() === '}') {
          i++;
          return;
        }
        if (at() !== ',') fail('after object key:value pair');
        i++;
        space();
      }
    }
    if (c === '[') {
      i++;
      space();
      if (at() === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (at() === ']') {
          i++;
          return;
        }
        if (at() !== ',') fail('after array element');
        i++;
      }
    }
    if (c === '"') return string();
    if (c === '-' || /[0-9]/.test(c)) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    fail('looking for beginning of value');
  };
  try {
    value();
    space();
    if (i < text.length) fail('after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxFailure) return e.message;
    throw e;
  }
}

/** The patch value, or the message Unmarshal fails with. */
function parseJson(text: string): { value: unknown } | { error: string } {
  const error = goJsonSyntaxError(text);
  return error === undefined ? { value: JSON.parse(text) } : { error };
}

// ------------------------------------------------------------------ applying a patch locally

/**
 * getPatchedJSON: apply the patch on the client (`--local`, `--dry-run=client`), with the errors
 * kubectl prints for it (`error: ...`).
 */
export function applyPatchLocally(obj: KObject, type: PatchType, body: string, info: ResourceInfo): KObject {
  const parsed = parseJson(body);
  try {
    if ('error' in parsed) {
      // StrategicMergePatch answers mergepatch.ErrBadJSONDoc; MergePatch jsonpatch.ErrBadJSONPatch;
      // DecodePatch the decoder's own error.
      throw new PatchError(type === 'strategic' ? 'invalid JSON document' : type === 'merge' ? 'Invalid JSON Patch' : parsed.error);
    }
    switch (type) {
      case 'json':
        return applyJsonPatch(obj, parsed.value) as KObject;
      case 'merge':
        return jsonMergePatch(obj, parsed.value) as KObject;
      case 'strategic':
        return strategicMergePatch(obj, parsed.value, groupKind(info)) as KObject;
    }
  } catch (e) {
    if (e instanceof PatchError) throw new CliError(e.message);
    throw e;
  }
}

// ------------------------------------------------------------------ the API server

/** The body of a 404 for a path the server does not serve (an unknown subresource). */
export function unknownPath(): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
}

/**
 * errors.NewInvalid(schema.GroupKind{}, "", [patch: Invalid value: <value>: <detail>]): the
 * patched object does not decode into the kind's type. kubectl shows it as
 * `The request is invalid: patch: Invalid value: "...": ...`.
 */
function invalidPatch(value: string, detail: string): StatusError {
  const cause = new FieldError('FieldValueInvalid', 'patch', value, detail);
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: ` "" is invalid: ${cause.toString()}`,
    reason: 'Invalid',
    details: { causes: [{ reason: cause.type, message: cause.body(), field: cause.field }] },
    code: 422,
  });
}

/** fmt's %+v of a decoded JSON value (maps print with sorted keys, as Go's fmt does). */
export function goFormatValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormatValue).join(' ')}]`;
  if (typeof v === 'object') {
    const m = v as Record<string, unknown>;
    const keys = Object.keys(m).sort();
    return `map[${keys.map((k) => `${k}:${goFormatValue(m[k])}`).join(' ')}]`;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloatV(v);
  return String(v);
}

/** %v of a float64: %g with the shortest digits, so the exponent form below 1e-4 and from 1e+06. */
function goFloatV(f: number): string {
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

/** The Go kind of a decoded JSON value, as reflect names it in the converter's errors. */
function goKindOf(jsonKind: string, literal: string | undefined): string {
  switch (jsonKind) {
    case 'object':
      return 'map';
    case 'array':
      return 'slice';
    case 'number':
      return literal !== undefined && /[.eE]/.test(literal) ? 'float64' : 'int64';
    default:
      return jsonKind;
  }
}

const SCALARS = new Set(['string', 'bool', 'int32', 'int64', 'float64']);

/**
 * The unstructured converter's message for a value of the wrong type (fromUnstructured in
 * staging/src/k8s.io/apimachinery/pkg/runtime/converter.go), from the JSON decoder's message for
 * the same value: what a strategic merge patch reports, since the server converts the patched
 * map instead of decoding JSON. Types the mapping does not know keep the decoder's message.
 */
function converterMessage(jsonMessage: string): string {
  const m = /^json: cannot unmarshal (\w+)(?: (\S+))? into Go (?:struct field \S+|value) of type (\S+)$/.exec(jsonMessage);
  if (!m) return jsonMessage;
  const [, jsonKind, literal, target] = m;
  const source = goKindOf(jsonKind, literal);
  if (target.startsWith('[]')) return `cannot restore slice from ${source}`;
  if (target.startsWith('map[')) return `cannot restore map from ${source}`;
  if (!SCALARS.has(target)) return target.includes('.') ? `cannot restore struct from: ${source}` : jsonMessage;
  // Go converts integers to strings (as runes) and fractional floats to integers, which the
  // converter refuses by name; other pairs are not convertible at all.
  const integerTarget = target === 'int32' || target === 'int64';
  if ((source === 'int64' && target === 'string') || (source === 'float64' && integerTarget)) {
    return `cannot convert ${source} to ${target}`;
  }
  return `unrecognized type: ${target}`;
}

// ------------------------------------------------------------------ the scale subresource

/** Kinds served with /scale (statefulsets and replicationcontrollers too, which kfake does not serve). */
export function hasScaleSubresource(info: ResourceInfo): boolean {
  return info.resource === 'deployments' || info.resource === 'replicasets';
}

/** The autoscaling Scale kind, for its Invalid errors (`Scale.autoscaling "x" is invalid`). */
const SCALE_INFO: ResourceInfo = {
  resource: 'scale',
  singular: 'scale',
  kind: 'Scale',
  group: 'autoscaling',
  version: 'v1',
  shortNames: [],
  namespaced: true,
  categories: [],
};

/** The Scale view of a deployment or replica set (scaleFromDeployment, scaleFromReplicaSet), as autoscaling/v1. */
export function scaleOf(obj: KObject): KObject {
  const spec = obj.spec as { replicas?: number; selector?: LabelSelector };
  const status = obj.status as { replicas?: number } | undefined;
  const selector = spec.selector ? selectorString(selectorFromLabelSelector(spec.selector)) : '';
  const m = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: spec.replicas ? { replicas: spec.replicas } : {},
    status: { replicas: status?.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/**
 * PUT or PATCH through /scale (scaleUpdatedObjectInfo in pkg/registry/apps/deployment/storage):
 * the Scale is validated, its resourceVersion is a precondition, and its replicas become the
 * object's; the object then goes through its own update.
 */
export function updateScale(api: ApiContext, info: ResourceInfo, namespace: string, name: string, scale: KObject): UpdateResult {
  const current = getObject(api, info, namespace, name);
  const replicas = (scale.spec as { replicas?: number } | undefined)?.replicas ?? 0;
  if (replicas < 0) {
    throw invalid(SCALE_INFO, name, [fieldErr.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  const rv = scale.metadata.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) {
    throw conflict(info, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  const next = structuredClone(current);
  (next.spec as { replicas?: number }).replicas = replicas;
  const result = updateObject(api, next);
  return { object: scaleOf(result.object), changed: result.changed };
}

export interface PatchRequest {
  info: ResourceInfo;
  namespace: string;
  name: string;
  type: PatchType;
  /** The request body, JSON text. */
  body: string;
  subresource?: 'status' | 'scale';
}

export interface PatchResult {
  object: KObject;
  /** False when the patch changed nothing (nothing stored, resourceVersion unchanged). */
  changed: boolean;
  /** Warnings the server returns (`unknown field "spec.x"`). */
  warnings: string[];
}

/** Decode the body as the handler does, or fail with its BadRequest. */
function decodeBody(type: PatchType, body: string): unknown {
  const parsed = parseJson(body);
  if ('error' in parsed) {
    // The strategic patcher reports the decoder's error bare; the JSON patchers prefix it.
    throw badRequest(type === 'strategic' ? parsed.error : `error decoding patch: ${parsed.error}`);
  }
  if (type === 'strategic' && (typeof parsed.value !== 'object' || Array.isArray(parsed.value))) {
    if (parsed.value === null) return null;
    const kind = Array.isArray(parsed.value) ? 'array' : typeof parsed.value === 'boolean' ? 'bool' : typeof parsed.value;
    throw badRequest(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return parsed.value;
}

/** Go's omitempty drops empty label and annotation maps when the object is stored. */
function dropEmptyMetadataMaps(obj: KObject): void {
  const meta = obj.metadata;
  if (meta.labels && Object.keys(meta.labels).length === 0) delete meta.labels;
  if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
}

/** PATCH one object through the API server; throws the StatusError the server answers with. */
export function patchObject(api: ApiContext, req: PatchRequest): PatchResult {
  const { info } = req;
  // An object from -f without a name: client-go refuses the request before sending it.
  if (!req.name) throw new CliError(EMPTY_NAME);
  const stored = getObject(api, info, req.namespace, req.name);
  if (req.subresource === 'status' && !hasStatusSubresource(info.resource)) throw unknownPath();
  if (req.subresource === 'scale' && !hasScaleSubresource(info)) throw unknownPath();
  const current = req.subresource === 'scale' ? scaleOf(stored) : stored;
  const patch = decodeBody(req.type, req.body);
  let patched: KObject;
  try {
    if (req.type === 'json') patched = applyJsonPatch(current, patch) as KObject;
    else if (req.type === 'merge') patched = jsonMergePatch(current, patch) as KObject;
    else patched = strategicMergePatch(current, patch, groupKind(info)) as KObject;
  } catch (e) {
    if (e instanceof PatchError && e.status) throw e.status;
    throw e;
  }

  if (req.subresource === 'scale') return { ...updateScale(api, info, req.namespace, req.name, patched), warnings: [] };
  const decoded = decodeWithValidation(patched as unknown as Record<string, unknown>, 'Warn');
  if (decoded.error !== undefined) {
    const inner = decoded.error.slice(decoded.error.indexOf(': ') + 2);
    if (req.type === 'strategic') throw invalidPatch(goFormatValue(patch), converterMessage(inner));
    throw invalidPatch(toCompactJson(patched), inner);
  }

  // rest.EnsureObjectNamespaceMatchesRequestNamespace, then checkName (handlers/rest.go).
  const meta = (patched.metadata ??= {});
  if (info.namespaced) {
    if (!meta.namespace) meta.namespace = req.namespace;
    else if (meta.namespace !== req.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  } else {
    delete meta.namespace;
  }
  if ((meta.name ?? '') !== req.name) {
    throw badRequest(`the name of the object (${meta.name ?? ''}) does not match the name on the URL (${req.name})`);
  }
  dropEmptyMetadataMaps(patched);
  const result = updateObject(api, patched, req.subresource === 'status' ? { subresource: 'status' } : {});
  return { ...result, warnings: decoded.unknownFields };
}
