/**
 * Ingress and IngressClass validation (kubernetes/kubernetes pkg/apis/networking/validation/validation.go)
 * for requests to networking.k8s.io/v1.
 */
import { FieldError, fieldErr, GoValue } from '../errors.ts';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain, regexError } from '../names.ts';
import {
  IMMUTABLE,
  isObj,
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
  objects,
  parseIP,
  str,
  strings,
  tooLong,
  type Obj,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './common.ts';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const MAX_CONTROLLER_LENGTH = 250;

/** pathvalidation.IsValidPathSegmentName */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

function validateTypedLocalObjectReference(ref: unknown, path: string): FieldError[] {
  if (!isObj(ref)) return [];
  const errs: FieldError[] = [];
  if (ref.apiGroup != null) {
    for (const msg of isDNS1123Subdomain(str(ref.apiGroup))) errs.push(fieldErr.invalid(`${path}.apiGroup`, str(ref.apiGroup), msg));
  }
  for (const key of ['kind', 'name']) {
    const v = str(ref[key]);
    if (!v) errs.push(fieldErr.required(`${path}.${key}`, `${key} is required`));
    else for (const msg of pathSegmentErrors(v)) errs.push(fieldErr.invalid(`${path}.${key}`, v, msg));
  }
  return errs;
}

function validateBackend(backend: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = backend.resource != null;
  const service = isObj(backend.service) ? backend.service : undefined;
  if (hasResource && service) return [fieldErr.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedLocalObjectReference(backend.resource, `${path}.resource`);
  if (!service) return [fieldErr.invalid(path, '', 'resource or service backend is required')];
  const name = str(service.name);
  if (!name) errs.push(fieldErr.required(`${path}.service.name`));
  else for (const msg of nameIsDNS1035Label(name, false)) errs.push(fieldErr.invalid(`${path}.service.name`, name, msg));
  const port = isObj(service.port) ? service.port : {};
  const portName = str(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName && portNumber !== 0) errs.push(fieldErr.invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const msg of isValidPortName(portName)) errs.push(fieldErr.invalid(`${path}.service.port.name`, portName, msg));
  else if (portNumber !== 0) for (const msg of isValidPortNum(portNumber)) errs.push(fieldErr.invalid(`${path}.service.port.number`, portNumber, msg));
  else errs.push(fieldErr.required(path, 'port name or number is required'));
  return errs;
}

function validatePath(p: Obj, path: string): FieldError[] {
  if (p.pathType == null) return [fieldErr.required(`${path}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = str(p.path);
  const pathType = str(p.pathType);
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(fieldErr.invalid(`${path}.path`, value, 'must be an absolute path'));
    if (value) {
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(fieldErr.invalid(`${path}.path`, value, `must not contain '${seq}'`));
      for (const suf of INVALID_PATH_SUFFIXES) if (value.endsWith(suf)) errs.push(fieldErr.invalid(`${path}.path`, value, `cannot end with '${suf}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) errs.push(fieldErr.invalid(`${path}.path`, value, 'must be an absolute path'));
  } else {
    errs.push(fieldErr.notSupported(`${path}.pathType`, pathType, PATH_TYPES));
  }
  errs.push(...validateBackend(isObj(p.backend) ? p.backend : {}, `${path}.backend`));
  return errs;
}

function validateSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const rules = objects(spec.rules);
  if (rules.length === 0 && !isObj(spec.defaultBackend)) {
    const value = Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)';
    errs.push(fieldErr.invalid('spec', new GoValue(value), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(spec.defaultBackend)) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const path = `spec.rules[${i}]`;
    const host = str(rule.host);
    if (host) {
      if (parseIP(host)) errs.push(fieldErr.invalid(`${path}.host`, host, 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const msg of msgs) errs.push(fieldErr.invalid(`${path}.host`, host, msg));
    }
    if (isObj(rule.http)) {
      const paths = objects(rule.http.paths);
      if (paths.length === 0) errs.push(fieldErr.required(`${path}.http.paths`));
      paths.forEach((p, j) => errs.push(...validatePath(p, `${path}.http.paths[${j}]`)));
    }
  });
  objects(spec.tls).forEach((tls, i) => {
    strings(tls.hosts).forEach((host, j) => {
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const msg of msgs) errs.push(fieldErr.invalid(`spec.tls[${i}].hosts[${j}]`, host, msg));
    });
    const secret = str(tls.secretName);
    if (secret) for (const msg of nameIsDNSSubdomain(secret, false)) errs.push(fieldErr.invalid(`spec.tls[${i}].secretName`, secret, msg));
  });
  if (spec.ingressClassName != null) {
    const cls = str(spec.ingressClassName);
    for (const msg of nameIsDNSSubdomain(cls, false)) errs.push(fieldErr.invalid('spec.ingressClassName', cls, msg));
  }
  return errs;
}

/** ValidateIngressCreate / ValidateIngressUpdate. */
export function validateIngress(ing: Obj, old: Obj | undefined): FieldError[] {
  const meta = isObj(ing.metadata) ? ing.metadata : {};
  const spec = isObj(ing.spec) ? ing.spec : {};
  const errs = old ? validateObjectMetaUpdate(meta, isObj(old.metadata) ? old.metadata : {}) : [];
  errs.push(...validateObjectMeta(meta, true, nameIsDNSSubdomain), ...validateSpec(spec));
  const annotations = isObj(meta.annotations) ? (meta.annotations as Record<string, string>) : {};
  if (!old && INGRESS_CLASS_ANNOTATION in annotations && spec.ingressClassName != null) {
    errs.push(
      fieldErr.invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotations[INGRESS_CLASS_ANNOTATION], 'can not be set when the class field is also set'),
    );
  }
  return errs;
}

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/** validation.IsDomainPrefixedPath. */
function domainPrefixedPath(value: string, path: string): FieldError[] {
  if (!value) return [fieldErr.required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || !host || !rest) return [fieldErr.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => fieldErr.invalid(path, host, msg));
  if (!new RegExp(`^${HTTP_PATH_FMT}$`).test(rest)) errs.push(fieldErr.invalid(path, rest, regexError('must be a valid path', HTTP_PATH_FMT)));
  return errs;
}

/** ValidateIngressClass / ValidateIngressClassUpdate. */
export function validateIngressClass(ic: Obj, old: Obj | undefined): FieldError[] {
  const meta = isObj(ic.metadata) ? ic.metadata : {};
  const spec = isObj(ic.spec) ? ic.spec : {};
  const errs: FieldError[] = [];
  if (old) {
    errs.push(...validateObjectMetaUpdate(meta, isObj(old.metadata) ? old.metadata : {}));
    const oldSpec = isObj(old.spec) ? old.spec : {};
    if (str(spec.controller) !== str(oldSpec.controller)) errs.push(fieldErr.invalid('spec.controller', str(spec.controller), IMMUTABLE));
  }
  errs.push(...validateObjectMeta(meta, false, nameIsDNSSubdomain));
  const controller = str(spec.controller);
  if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
  errs.push(...domainPrefixedPath(controller, 'spec.controller'));
  errs.push(...validateTypedLocalObjectReference(spec.parameters, 'spec.parameters'));
  return errs;
}
