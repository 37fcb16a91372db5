/**
 * Validation of Namespace, Node, Endpoints, ConfigMap, Event (core, in
 * kubernetes/kubernetes pkg/apis/core/validation), EndpointSlice (pkg/apis/discovery/validation)
 * and Lease (pkg/apis/coordination/validation).
 */
import { FieldError, fieldErr, GoValue, goQuote } from '../errors.ts';
import { isDNS1123Subdomain, isValidLabelValue, isValidPortNum, maxLenError, regexError } from '../names.ts';
import {
  dns1123Label,
  IMMUTABLE,
  isObj,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  objects,
  parseIP,
  qualifiedName,
  str,
  strings,
  stringMap,
  tooLong,
  type Obj,
  validateCIDR,
  validateIP,
  validateLabels,
  validateNonSpecialIP,
  validateObjectMeta,
  validateObjectMetaUpdate,
  isIPv6String,
} from './common.ts';
import { validateTaintEffect } from './pod.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_CONFIG_SIZE = 1024 * 1024;

const metaOf = (o: Obj): Obj => (isObj(o.metadata) ? o.metadata : {});

/** Metadata for create, or the update rules when there is a stored object. */
function meta(o: Obj, old: Obj | undefined, namespaced: boolean, nameFn = nameIsDNSSubdomain): FieldError[] {
  return old ? validateObjectMetaUpdate(metaOf(o), metaOf(old)) : validateObjectMeta(metaOf(o), namespaced, nameFn);
}

// ------------------------------------------------------------------ Namespace

export function validateNamespace(ns: Obj, old: Obj | undefined): FieldError[] {
  const errs = meta(ns, old, false, nameIsDNSLabel);
  if (!old) {
    const spec = isObj(ns.spec) ? ns.spec : {};
    for (const f of strings(spec.finalizers)) {
      errs.push(...qualifiedName(f, 'spec.finalizers'));
      if (!f.includes('/') && f !== 'kubernetes') {
        errs.push(fieldErr.invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
      }
    }
  }
  return errs;
}

// ------------------------------------------------------------------ Node

function validateTaints(taints: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  objects(taints).forEach((t, i) => {
    const path = `metadata.taints[${i}]`;
    const key = str(t.key);
    const effect = str(t.effect);
    errs.push(...qualifiedName(key, `${path}.key`));
    const valueErrs = isValidLabelValue(str(t.value));
    if (valueErrs.length) errs.push(fieldErr.invalid(`${path}.value`, str(t.value), valueErrs.join(';')));
    if (!effect) errs.push(fieldErr.required(`${path}.effect`));
    else errs.push(...validateTaintEffect(effect, `${path}.effect`));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) {
      const value = new GoValue(`core.Taint{Key:${goQuote(key)}, Value:${goQuote(str(t.value))}, Effect:${goQuote(effect)}, TimeAdded:<nil>}`);
      errs.push(new FieldError('FieldValueDuplicate', path, value, 'taints must be unique by key and effect pair'));
      return;
    }
    keys.add(key);
    seen.set(effect, keys);
  });
  return errs;
}

/** ValidateNode / ValidateNodeUpdate (spec rules; status is the kubelet's). */
export function validateNode(node: Obj, old: Obj | undefined): FieldError[] {
  const errs = meta(node, old, false);
  const spec = isObj(node.spec) ? node.spec : {};
  // The taints' field path really is under metadata in ValidateNode.
  errs.push(...validateTaints(spec.taints));
  const cidrs = strings(spec.podCIDRs);
  cidrs.forEach((c, i) => errs.push(...validateCIDR(c, `spec.podCIDRs[${i}]`)));
  if (cidrs.length > 1) {
    const v6 = cidrs.filter((c) => isIPv6String(c.split('/')[0])).length;
    if (cidrs.length > 2 || v6 !== 1) errs.push(fieldErr.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(fieldErr.duplicate(`spec.podCIDRs[${i}]`, c));
      seen.add(c);
    });
  }
  if (old) {
    const oldSpec = isObj(old.spec) ? old.spec : {};
    const oldCIDRs = strings(oldSpec.podCIDRs);
    if (oldCIDRs.length && (oldCIDRs.length !== cidrs.length || oldCIDRs.some((c, i) => c !== cidrs[i]))) {
      errs.push(fieldErr.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    if (str(oldSpec.providerID) && str(oldSpec.providerID) !== str(spec.providerID)) {
      errs.push(fieldErr.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
  }
  return errs;
}

// ------------------------------------------------------------------ Endpoints

function validateEndpointPort(port: Obj, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port.name);
  if (requireName && !name) errs.push(fieldErr.required(`${path}.name`));
  else if (name) errs.push(...dns1123Label(name, `${path}.name`));
  const n = typeof port.port === 'number' ? port.port : 0;
  for (const msg of isValidPortNum(n)) errs.push(fieldErr.invalid(`${path}.port`, n, msg));
  const protocol = str(port.protocol);
  if (!protocol) errs.push(fieldErr.required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(protocol)) errs.push(fieldErr.notSupported(`${path}.protocol`, protocol, PROTOCOLS));
  if (port.appProtocol != null) errs.push(...qualifiedName(str(port.appProtocol), `${path}.appProtocol`));
  return errs;
}

function validateEndpointAddress(addr: Obj, path: string): FieldError[] {
  const ip = str(addr.ip);
  const errs = validateIP(ip, `${path}.ip`);
  if (str(addr.hostname)) errs.push(...dns1123Label(str(addr.hostname), `${path}.hostname`));
  if (addr.nodeName != null) {
    for (const msg of nameIsDNSSubdomain(str(addr.nodeName), false)) errs.push(fieldErr.invalid(`${path}.nodeName`, str(addr.nodeName), msg));
  }
  errs.push(...validateNonSpecialIP(ip, `${path}.ip`));
  return errs;
}

export function validateEndpoints(ep: Obj, old: Obj | undefined): FieldError[] {
  const errs = meta(ep, old, true);
  objects(ep.subsets).forEach((ss, i) => {
    const path = `subsets[${i}]`;
    const addresses = objects(ss.addresses);
    const notReady = objects(ss.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) errs.push(fieldErr.required(path, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${path}.addresses[${j}]`)));
    notReady.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${path}.notReadyAddresses[${j}]`)));
    const ports = objects(ss.ports);
    ports.forEach((p, j) => errs.push(...validateEndpointPort(p, ports.length > 1, `${path}.ports[${j}]`)));
  });
  return errs;
}

// ------------------------------------------------------------------ EndpointSlice

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

export function validateEndpointSlice(slice: Obj, old: Obj | undefined): FieldError[] {
  const errs = meta(slice, old, true);
  const addressType = str(slice.addressType);
  if (!addressType) errs.push(fieldErr.required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(fieldErr.notSupported('addressType', addressType, ADDRESS_TYPES));
  const endpoints = objects(slice.endpoints);
  if (endpoints.length > 1000) {
    errs.push(fieldErr.tooMany('endpoints', endpoints.length, 1000));
  } else {
    endpoints.forEach((ep, i) => {
      const path = `endpoints[${i}]`;
      const addresses = strings(ep.addresses);
      if (addresses.length === 0) errs.push(fieldErr.required(`${path}.addresses`, 'must contain at least 1 address'));
      else if (addresses.length > 100) errs.push(fieldErr.tooMany(`${path}.addresses`, addresses.length, 100));
      addresses.forEach((a, j) => {
        const ap = `${path}.addresses[${j}]`;
        const ip = parseIP(a);
        if (addressType === 'IPv4') {
          if (!ip || ip.length !== 4) errs.push(fieldErr.invalid(ap, a, 'must be a valid IPv4 address'));
          else errs.push(...validateNonSpecialIP(a, ap));
        } else if (addressType === 'IPv6') {
          if (!ip || !isIPv6String(a)) errs.push(fieldErr.invalid(ap, a, 'must be a valid IPv6 address'));
          else errs.push(...validateNonSpecialIP(a, ap));
        } else if (addressType === 'FQDN') {
          for (const msg of isDNS1123Subdomain(a)) errs.push(fieldErr.invalid(ap, a, msg));
        }
      });
      if (ep.nodeName != null) {
        for (const msg of nameIsDNSSubdomain(str(ep.nodeName), false)) errs.push(fieldErr.invalid(`${path}.nodeName`, str(ep.nodeName), msg));
      }
      errs.push(...validateLabels(ep.deprecatedTopology, `${path}.deprecatedTopology`));
      if (ep.hostname != null) errs.push(...dns1123Label(str(ep.hostname), `${path}.hostname`));
    });
  }
  const names = new Set<string>();
  objects(slice.ports).forEach((port, i) => {
    const path = `ports[${i}]`;
    const name = str(port.name);
    if (name) errs.push(...dns1123Label(name, `${path}.name`));
    if (names.has(name)) errs.push(fieldErr.duplicate(`${path}.name`, name));
    else names.add(name);
    if (port.protocol == null) errs.push(fieldErr.required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(str(port.protocol))) errs.push(fieldErr.notSupported(`${path}.protocol`, str(port.protocol), PROTOCOLS));
    if (port.appProtocol != null) errs.push(...qualifiedName(str(port.appProtocol), `${path}.appProtocol`));
  });
  if (old && str(old.addressType) !== addressType) errs.push(fieldErr.invalid('addressType', addressType, IMMUTABLE));
  return errs;
}

// ------------------------------------------------------------------ ConfigMap

const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';

/** validation.IsConfigMapKey. */
function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^${CONFIG_KEY_FMT}$`).test(key)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function validateConfigMap(cm: Obj, old: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (old) {
    errs.push(...validateObjectMetaUpdate(metaOf(cm), metaOf(old)));
    if (old.immutable === true) {
      const detail = 'field is immutable when `immutable` is set';
      if (cm.immutable !== true) errs.push(fieldErr.forbidden('immutable', detail));
      if (JSON.stringify(sorted(cm.data)) !== JSON.stringify(sorted(old.data))) errs.push(fieldErr.forbidden('data', detail));
      if (JSON.stringify(sorted(cm.binaryData)) !== JSON.stringify(sorted(old.binaryData))) errs.push(fieldErr.forbidden('binaryData', detail));
    }
  }
  errs.push(...validateObjectMeta(metaOf(cm), true, nameIsDNSSubdomain));
  const data = stringMap(cm.data);
  const binary = stringMap(cm.binaryData);
  let size = 0;
  for (const key of Object.keys(data).sort()) {
    for (const msg of configMapKeyErrors(key)) errs.push(fieldErr.invalid(`data[${key}]`, key, msg));
    if (key in binary) errs.push(fieldErr.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(str(data[key]));
  }
  for (const key of Object.keys(binary).sort()) {
    for (const msg of configMapKeyErrors(key)) errs.push(fieldErr.invalid(`binaryData[${key}]`, key, msg));
    size += Buffer.from(str(binary[key]), 'base64').length;
  }
  // The empty path stands for the whole object.
  if (size > MAX_CONFIG_SIZE) errs.push(tooLong('', MAX_CONFIG_SIZE));
  return errs;
}

function sorted(v: unknown): [string, unknown][] {
  return isObj(v) ? Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
}

// ------------------------------------------------------------------ Event

/** legacyValidateEvent: what core/v1 Event creates are held to. */
export function validateEvent(ev: Obj, old: Obj | undefined): FieldError[] {
  const errs: FieldError[] = old ? validateObjectMetaUpdate(metaOf(ev), metaOf(old)) : [];
  const namespace = str(metaOf(ev).namespace);
  const involved = isObj(ev.involvedObject) ? ev.involvedObject : {};
  const involvedNs = str(involved.namespace);
  const mismatch = () => fieldErr.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (ev.eventTime == null) {
    if (!involvedNs) {
      if (namespace && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNs) errs.push(mismatch());
  } else {
    if (!involvedNs && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    const rc = str(ev.reportingComponent);
    if (!rc) errs.push(fieldErr.required('reportingComponent'));
    errs.push(...qualifiedName(rc, 'reportingComponent'));
    const ri = str(ev.reportingInstance);
    if (!ri) errs.push(fieldErr.required('reportingInstance'));
    if (ri.length > 128) errs.push(fieldErr.invalid('reportingInstance', '', 'can have at most 128 characters'));
    const action = str(ev.action);
    if (!action) errs.push(fieldErr.required('action'));
    if (action.length > 128) errs.push(fieldErr.invalid('action', '', 'can have at most 128 characters'));
    const reason = str(ev.reason);
    if (!reason) errs.push(fieldErr.required('reason'));
    if (reason.length > 128) errs.push(fieldErr.invalid('reason', '', 'can have at most 128 characters'));
    if (str(ev.message).length > 1024) errs.push(fieldErr.invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(fieldErr.invalid('namespace', namespace, msg));
  return errs;
}

// ------------------------------------------------------------------ Lease

export function validateLease(lease: Obj, old: Obj | undefined): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(metaOf(lease), metaOf(old)) : [];
  errs.push(...validateObjectMeta(metaOf(lease), true, nameIsDNSSubdomain));
  const spec = isObj(lease.spec) ? lease.spec : {};
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(fieldErr.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(fieldErr.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

