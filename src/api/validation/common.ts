/**
 * Validation shared by every kind: ObjectMeta (k8s.io/apimachinery/pkg/api/validation/objectmeta.go),
 * labels and label selectors (apimachinery/pkg/apis/meta/v1/validation), IP and CIDR formats,
 * and Go renderings of bad values (`%#v`) that field errors print.
 */
import { FieldError, fieldErr, GoValue, goQuote } from '../errors.ts';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  regexError,
} from '../names.ts';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);
export const stringMap = (v: unknown): Record<string, string> => (isObj(v) ? (v as Record<string, string>) : {});

export const IMMUTABLE = 'field is immutable';
export const NEGATIVE = 'must be greater than or equal to 0';

/** field.TooLong as of v1.32 (the byte limit is part of the message). */
export function tooLong(field: string, max: number): FieldError {
  return new FieldError('FieldValueTooLong', field, '', `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}`);
}

/** field.NotFound. */
export function notFound(field: string, value: unknown): FieldError {
  return new FieldError('FieldValueNotFound', field, value, '');
}

export function nonNegative(value: number, field: string): FieldError[] {
  return value < 0 ? [fieldErr.invalid(field, value, NEGATIVE)] : [];
}

// ------------------------------------------------------------------ Go renderings (%#v)

/** `map[string]string{"a":"b"}`, `map[string]string(nil)` for an absent map. */
export function goStringMap(m: unknown): GoValue {
  if (!isObj(m)) return new GoValue('map[string]string(nil)');
  const body = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(str(m[k]))}`)
    .join(', ');
  return new GoValue(`map[string]string{${body}}`);
}

/** `[]string{"a", "b"}` or `[]string(nil)`, with the element type given. */
export function goStringSlice(v: unknown, type = 'string'): GoValue {
  if (!Array.isArray(v)) return new GoValue(`[]${type}(nil)`);
  return new GoValue(`[]${type}{${v.map((x) => goQuote(str(x))).join(', ')}}`);
}

/** A metav1.LabelSelector as `%#v` prints it. */
export function goLabelSelector(sel: Obj): GoValue {
  const exprs = Array.isArray(sel.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${objects(sel.matchExpressions)
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${goQuote(str(e.key))}, Operator:${goQuote(str(e.operator))}, Values:${goStringSlice(e.values).text}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels).text}, MatchExpressions:${exprs}}`);
}

/** A nil pointer: ErrorBody prints the string "null" (quoted). */
export const GO_NULL = new GoValue('"null"');

// ------------------------------------------------------------------ names

export type NameFn = (name: string, prefix: boolean) => string[];

/** generateName prefixes may end with '-' (apimachinery maskTrailingDash). */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name;
}

export const nameIsDNSSubdomain: NameFn = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameFn = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameFn = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

export function dns1123Label(value: string, field: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => fieldErr.invalid(field, value, msg));
}

export function dns1123Subdomain(value: string, field: string): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => fieldErr.invalid(field, value, msg));
}

export function qualifiedName(value: string, field: string): FieldError[] {
  return isQualifiedName(value).map((msg) => fieldErr.invalid(field, value, msg));
}

// ------------------------------------------------------------------ labels, annotations, selectors

/** ValidateLabels; keys in sorted order (Go's map order is random). */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = stringMap(labels);
  for (const k of Object.keys(m).sort()) {
    errs.push(...qualifiedName(k, field));
    for (const msg of isValidLabelValue(str(m[k]))) errs.push(fieldErr.invalid(field, str(m[k]), msg));
  }
  return errs;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = stringMap(annotations);
  let size = 0;
  for (const k of Object.keys(m).sort()) {
    // Annotation keys are qualified names, case-insensitively.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErr.invalid(field, k, msg));
    size += Buffer.byteLength(k) + Buffer.byteLength(str(m[k]));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** ValidateLabelSelector (metav1 validation). */
export function validateLabelSelector(sel: Obj, field: string): FieldError[] {
  const errs = validateLabels(sel.matchLabels, `${field}.matchLabels`);
  objects(sel.matchExpressions).forEach((req, i) => {
    const path = `${field}.matchExpressions[${i}]`;
    const values = strings(req.values);
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          errs.push(fieldErr.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          errs.push(fieldErr.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErr.invalid(`${path}.operator`, str(req.operator), 'not a valid selector operator'));
    }
    errs.push(...qualifiedName(str(req.key), `${path}.key`));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(fieldErr.invalid(`${path}.values[${j}]`, v, msg));
    });
  });
  return errs;
}

/** Whether a label selector matches a label set (metav1.LabelSelectorAsSelector semantics). */
export function selectorMatches(sel: Obj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(stringMap(sel.matchLabels))) if (labels[k] !== v) return false;
  for (const req of objects(sel.matchExpressions)) {
    const key = str(req.key);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = strings(req.values);
    if (req.operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (req.operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (req.operator === 'Exists' && !has) return false;
    if (req.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

// ------------------------------------------------------------------ ObjectMeta

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** ValidateObjectMeta (apimachinery) plus the core finalizer-name check. */
export function validateObjectMeta(meta: Obj, namespaced: boolean, nameFn: NameFn): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = str(meta.generateName);
  const name = str(meta.name);
  if (generateName) {
    for (const msg of nameFn(generateName, true)) errs.push(fieldErr.invalid('metadata.generateName', generateName, msg));
  }
  if (!name) errs.push(fieldErr.required('metadata.name', 'name or generateName is required'));
  else for (const msg of nameFn(name, false)) errs.push(fieldErr.invalid('metadata.name', name, msg));
  const namespace = str(meta.namespace);
  if (namespaced) {
    if (!namespace) errs.push(fieldErr.required('metadata.namespace'));
    else for (const msg of nameIsDNSLabel(namespace, false)) errs.push(fieldErr.invalid('metadata.namespace', namespace, msg));
  } else if (namespace) {
    errs.push(fieldErr.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  errs.push(...nonNegative(num(meta.generation), 'metadata.generation'));
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences));
  const finalizers = strings(meta.finalizers);
  for (const f of finalizers) errs.push(...qualifiedName(f, 'metadata.finalizers'));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(fieldErr.invalid('metadata.finalizers', goStringSlice(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  for (const f of finalizers) {
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(fieldErr.invalid('metadata.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

/** validateOwnerReference for each reference (the path is not indexed in the source either). */
function validateOwnerReferences(refs: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'metadata.ownerReferences';
  for (const ref of objects(refs)) {
    const apiVersion = str(ref.apiVersion);
    // schema.FromAPIVersionAndKind: the version is what follows the last '/'.
    if (!apiVersion.slice(apiVersion.lastIndexOf('/') + 1)) errs.push(fieldErr.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!str(ref.kind)) errs.push(fieldErr.invalid(`${path}.kind`, str(ref.kind), 'kind must not be empty'));
    if (!str(ref.name)) errs.push(fieldErr.invalid(`${path}.name`, str(ref.name), 'name must not be empty'));
    if (!str(ref.uid)) errs.push(fieldErr.invalid(`${path}.uid`, str(ref.uid), 'uid must not be empty'));
  }
  return errs;
}

/** ValidateObjectMetaUpdate: identity fields are immutable; labels and annotations stay valid. */
export function validateObjectMetaUpdate(meta: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (num(meta.generation) < num(old.generation)) {
    errs.push(fieldErr.invalid('metadata.generation', num(meta.generation), 'must not be decremented'));
  }
  for (const key of ['name', 'namespace', 'uid']) {
    if (str(meta[key]) !== str(old[key])) errs.push(fieldErr.invalid(`metadata.${key}`, str(meta[key]), IMMUTABLE));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences));
  return errs;
}

// ------------------------------------------------------------------ IPs and CIDRs

/** The 4 or 16 bytes of an IP as netutils.ParseIPSloppy reads it (IPv4 may have leading zeros). */
export function parseIP(s: string): number[] | undefined {
  if (/^[0-9.]+$/.test(s)) return parseIPv4(s);
  if (!s.includes(':') || s.includes('%')) return undefined;
  return parseIPv6(s);
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map(Number);
}

function parseIPv6(s: string): number[] | undefined {
  let tail: number[] = [];
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest].map((g) => parseInt(g, 16));
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The IPv4 bytes of an IPv4 or IPv4-mapped address (Go's To4), else undefined. */
function to4(ip: number[]): number[] | undefined {
  if (ip.length === 4) return ip;
  if (ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff) return ip.slice(12);
  return undefined;
}

export const isIPv6String = (s: string) => {
  const ip = parseIP(s);
  return ip !== undefined && to4(ip) === undefined;
};

export const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function validateIP(value: string, field: string): FieldError[] {
  return parseIP(value) ? [] : [fieldErr.invalid(field, value, IP_MESSAGE)];
}

export function validateCIDR(value: string, field: string): FieldError[] {
  const m = /^([^/]+)\/([0-9]+)$/.exec(value);
  const ip = m ? parseIP(m[1]) : undefined;
  const ok = ip !== undefined && Number(m![2]) <= (ip.length === 4 ? 32 : 128) && m![2].length <= 3;
  return ok ? [] : [fieldErr.invalid(field, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** ValidateNonSpecialIP (core validation): no unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(value: string, field: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [fieldErr.invalid(field, value, 'must be a valid IP address')];
  const v4 = to4(ip);
  const errs: FieldError[] = [];
  const unspecified = v4 ? v4.every((b) => b === 0) : ip.every((b) => b === 0);
  const loopback = v4 ? v4[0] === 127 : ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
  const linkLocalUnicast = v4 ? v4[0] === 169 && v4[1] === 254 : ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80;
  const linkLocalMulticast = v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : ip[0] === 0xff && (ip[1] & 0x0f) === 0x02;
  if (unspecified) errs.push(fieldErr.invalid(field, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(fieldErr.invalid(field, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocalUnicast) errs.push(fieldErr.invalid(field, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (linkLocalMulticast) errs.push(fieldErr.invalid(field, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

// ------------------------------------------------------------------ misc formats

const PERCENT_FMT = '[0-9]+%';

/** ValidatePositiveIntOrPercent (apps validation). */
export function validatePositiveIntOrPercent(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') {
    return new RegExp(`^${PERCENT_FMT}$`).test(value)
      ? []
      : [
          fieldErr.invalid(
            field,
            new GoValue(value),
            regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%'),
          ),
        ];
  }
  return nonNegative(num(value), field);
}
