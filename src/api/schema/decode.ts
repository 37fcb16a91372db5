/**
 * The API server's strict decoding of a request body into the kind's Go struct
 * (k8s.io/apimachinery/pkg/runtime/serializer/json, sigs.k8s.io/json UnmarshalStrict), with
 * its error texts. kubectl's default --validate=strict sends fieldValidation=Strict, so unknown
 * fields are refused as well as values of the wrong JSON type.
 *
 * How the Go decoder reports (sigs.k8s.io/json internal/golang/encoding/json/decode.go):
 * - A value of the wrong type is skipped and the FIRST such error is kept; decoding goes on.
 *   Its text is `json: cannot unmarshal <what> into Go struct field <Struct>.<path> of type <T>`,
 *   <Struct> the innermost struct, <path> the JSON field names from the root joined by `.`
 *   (no array indexes, no map keys).
 * - Types with their own UnmarshalJSON (IntOrString, Quantity, Time, MicroTime) stop decoding at
 *   their first error, which wins over any earlier kept one; a type error from inside them gets
 *   the same `Go struct field` context, other errors are returned as they are.
 * - Unknown fields are collected (`unknown field "spec.template.spec.containers[0].foo"`, with
 *   indexes and map keys) but only reported when there was no other error.
 * Keys are visited in sorted order: kubectl sends objects re-encoded from maps, which Go's
 * encoder writes with sorted keys.
 */
import { canonicalApiVersion } from '../registry.ts';
import { goQuote } from '../errors.ts';
import { base64DecodeError, quantityParseError, RFC3339, RFC3339_MICRO, timeParseError } from './gotext.ts';
import { ROOTS, STRUCTS } from './types.generated.ts';

type Scalar = 's' | 'b' | 'i32' | 'i64' | 'q' | 't' | 'mt' | 'ios' | 'bytes' | 'any';

type Ty =
  | { kind: 'scalar'; code: Scalar; go: string }
  | { kind: 'slice'; elem: Ty; go: string }
  | { kind: 'map'; elem: Ty; go: string }
  | { kind: 'struct'; key: string; go: string };

const SCALAR_GO: Record<Scalar, string> = {
  s: 'string',
  b: 'bool',
  i32: 'int32',
  i64: 'int64',
  q: 'resource.Quantity',
  t: 'v1.Time',
  mt: 'v1.MicroTime',
  ios: 'intstr.IntOrString',
  bytes: '[]uint8',
  any: 'interface {}',
};

/** Go struct name of a table key (`discovery.EndpointPort` → `EndpointPort`). */
const structName = (key: string) => key.slice(key.lastIndexOf('.') + 1);

function parseType(code: string, named?: string): Ty {
  if (code.startsWith('[]')) {
    const elem = parseType(code.slice(2), named?.startsWith('[]') ? named.slice(2) : undefined);
    return { kind: 'slice', elem, go: named ?? '[]' + elem.go };
  }
  if (code.startsWith('{}')) {
    const elem = parseType(code.slice(2));
    return { kind: 'map', elem, go: named ?? 'map[string]' + elem.go };
  }
  if (code in SCALAR_GO) return { kind: 'scalar', code: code as Scalar, go: named ?? SCALAR_GO[code as Scalar] };
  return { kind: 'struct', key: code, go: 'v1.' + structName(code) };
}

const structCache = new Map<string, Map<string, Ty>>();

function structFields(key: string): Map<string, Ty> {
  let fields = structCache.get(key);
  if (!fields) {
    fields = new Map();
    for (const spec of STRUCTS[key].split(' ')) {
      const colon = spec.indexOf(':');
      const [code, named] = spec.slice(colon + 1).split('@');
      fields.set(spec.slice(0, colon), parseType(code, named));
    }
    structCache.set(key, fields);
  }
  return fields;
}

/** Thrown by an UnmarshalJSON failure: Go's decoder stops there. */
class Fatal {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

interface Ctx {
  /** errorContext.Struct: the innermost struct whose field is being decoded. */
  struct: string;
  /** errorContext.FieldStack: JSON field names from the root. */
  fields: readonly string[];
  /** strictFieldStack rendered: `spec.ports[0]`. */
  path: string;
}

/** The text Go's json encoder gives a float64, which is how kubectl re-sends numbers. */
function goNumber(n: number): string {
  return String(n);
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

class Decoder {
  private saved: string | undefined;
  readonly strict: string[] = [];
  /** Drop unknown fields from the input (fieldValidation Warn or Ignore). */
  private readonly prune: boolean;

  constructor(prune = false) {
    this.prune = prune;
  }

  /** json.UnmarshalTypeError text, with the decoder's error context. */
  private typeError(ctx: Ctx, what: string, goType: string): string {
    if (!ctx.struct && ctx.fields.length === 0) return `json: cannot unmarshal ${what} into Go value of type ${goType}`;
    return `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${goType}`;
  }

  private save(message: string): void {
    this.saved ??= message;
  }

  private saveStrict(message: string): void {
    // saveStrictError: at most 100, de-duplicated.
    if (this.strict.length < 100 && !this.strict.includes(message)) this.strict.push(message);
  }

  /** Non-strict decoding fails only on a type error. */
  typeErrorOnly(): string | undefined {
    return this.saved;
  }

  result(): string | undefined {
    if (this.saved) return this.saved;
    if (this.strict.length) return 'strict decoding error: ' + this.strict.join(', ');
    return undefined;
  }

  value(v: unknown, ty: Ty, ctx: Ctx): void {
    if (v === null || v === undefined) return; // null leaves any Go value as it is
    if (ty.kind === 'scalar' && ['q', 't', 'mt', 'ios', 'any'].includes(ty.code)) {
      this.unmarshaler(v, ty.code, ctx);
      return;
    }
    if (Array.isArray(v)) {
      if (ty.kind !== 'slice') return this.save(this.typeError(ctx, 'array', ty.go));
      v.forEach((item, i) => this.value(item, ty.elem, { ...ctx, path: `${ctx.path}[${i}]` }));
      return;
    }
    if (typeof v === 'object') {
      if (ty.kind === 'struct') return this.struct(v as Record<string, unknown>, ty.key, ctx);
      if (ty.kind === 'map') {
        const obj = v as Record<string, unknown>;
        for (const key of Object.keys(obj).sort()) {
          this.value(obj[key], ty.elem, { ...ctx, path: ctx.path ? `${ctx.path}.${key}` : key });
        }
        return;
      }
      return this.save(this.typeError(ctx, 'object', ty.go));
    }
    this.literal(v, ty, ctx);
  }

  private struct(obj: Record<string, unknown>, key: string, ctx: Ctx): void {
    const fields = structFields(key);
    for (const name of Object.keys(obj).sort()) {
      const path = ctx.path ? `${ctx.path}.${name}` : name;
      const ty = fields.get(name);
      if (!ty) {
        this.saveStrict(`unknown field ${goQuote(path)}`);
        if (this.prune) delete obj[name];
        continue;
      }
      this.value(obj[name], ty, { struct: structName(key), fields: [...ctx.fields, name], path });
    }
  }

  /** literalStore: a string, number or boolean into a non-Unmarshaler Go value. */
  private literal(v: unknown, ty: Ty, ctx: Ctx): void {
    const code = ty.kind === 'scalar' ? ty.code : undefined;
    if (typeof v === 'string') {
      if (code === 's') return;
      if (code === 'bytes') {
        const err = base64DecodeError(v);
        if (err) this.save(err);
        return;
      }
      return this.save(this.typeError(ctx, 'string', ty.go));
    }
    if (typeof v === 'boolean') {
      if (code !== 'b') this.save(this.typeError(ctx, 'bool', ty.go));
      return;
    }
    if (typeof v === 'number') {
      if (code === 'i32' || code === 'i64') {
        const limit = code === 'i32' ? 2 ** 31 : 2 ** 63;
        if (!Number.isInteger(v) || v < -limit || v >= limit) this.save(this.typeError(ctx, `number ${goNumber(v)}`, ty.go));
        return;
      }
      return this.save(this.typeError(ctx, 'number', ty.go));
    }
    this.save(this.typeError(ctx, jsonKind(v), ty.go));
  }

  /** The UnmarshalJSON methods of intstr.IntOrString, resource.Quantity, metav1.Time/MicroTime. */
  private unmarshaler(v: unknown, code: Scalar, ctx: Ctx): void {
    switch (code) {
      case 'any':
        return;
      case 'ios':
        // A quoted value is the string form; anything else is decoded into an int32.
        if (typeof v === 'string') return;
        if (typeof v === 'number') {
          if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
            throw new Fatal(this.typeError(ctx, `number ${goNumber(v)}`, 'int32'));
          return;
        }
        throw new Fatal(this.typeError(ctx, jsonKind(v), 'int32'));
      case 'q': {
        // The raw JSON text, without its quotes, is parsed as a quantity.
        const text = typeof v === 'string' ? v : typeof v === 'number' ? goNumber(v) : JSON.stringify(v);
        const err = quantityParseError(text.trim());
        if (err) throw new Fatal(err);
        return;
      }
      default: {
        if (typeof v !== 'string') {
          throw new Fatal(this.typeError(ctx, typeof v === 'number' ? 'number' : jsonKind(v), 'string'));
        }
        const err = timeParseError(code === 't' ? RFC3339 : RFC3339_MICRO, v);
        if (err) throw new Fatal(err);
      }
    }
  }
}

/**
 * Decode `obj` as the API server decodes a request body with fieldValidation=Strict. Returns
 * undefined when it decodes cleanly, else the whole Status message, e.g.
 * `Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.nodeSelector"`
 * (transformDecodeError in k8s.io/apiserver/pkg/endpoints/handlers/rest.go). Objects of kinds
 * kfake does not serve are not checked.
 */
export function decodeError(obj: Record<string, unknown>): string | undefined {
  return decodeWithValidation(obj, 'Strict').error;
}

/** The fieldValidation modes kubectl's --validate selects (strict, warn, ignore). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface DecodeResult {
  /** The Status message when the object cannot be decoded. */
  error?: string;
  /** `unknown field "spec.x"` texts; with Warn the server returns each as a warning. */
  unknownFields: string[];
}

/**
 * Decode as the API server does with the given fieldValidation. Strict refuses unknown fields;
 * Warn and Ignore drop them from `obj` (in place) and only fail on values of the wrong type.
 */
export function decodeWithValidation(obj: Record<string, unknown>, mode: FieldValidation): DecodeResult {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  // The server fills a missing group or version in from the endpoint (`/v1` and `` are v1).
  const apiVersion = canonicalApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '', kind);
  const key = ROOTS[`${apiVersion}/${kind}`];
  if (!key) return { unknownFields: [] };
  const decoder = new Decoder(mode !== 'Strict');
  let message: string | undefined;
  try {
    decoder.value(obj, { kind: 'struct', key, go: 'v1.' + key }, { struct: '', fields: [], path: '' });
    message = mode === 'Strict' ? decoder.result() : decoder.typeErrorOnly();
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    message = e.message;
  }
  const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
  return {
    error: message === undefined ? undefined : `${kind} in version ${goQuote(version)} cannot be handled as a ${kind}: ${message}`,
    unknownFields: [...decoder.strict],
  };
}
