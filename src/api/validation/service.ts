/**
 * Service validation: ValidateService, ValidateServiceUpdate and
 * ValidateServiceClusterIPsRelatedFields (kubernetes/kubernetes pkg/apis/core/validation/validation.go).
 */
import { FieldError, fieldErr, GoValue, goQuote } from '../errors.ts';
import { isValidPortName, isValidPortNum } from '../names.ts';
import {
  dns1123Label,
  dns1123Subdomain,
  GO_NULL,
  goStringSlice,
  IMMUTABLE,
  isIPv6String,
  nameIsDNS1035Label,
  objects,
  qualifiedName,
  str,
  strings,
  type Obj,
  validateCIDR,
  validateIP,
  validateLabels,
  validateNonSpecialIP,
  validateObjectMeta,
  validateObjectMetaUpdate,
  isObj,
} from './common.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';

/** The Service's spec, with `clusterIPs` filled from `clusterIP` as the registry does on create. */
function specOf(svc: Obj): Obj {
  const spec = isObj(svc.spec) ? { ...svc.spec } : {};
  if (!Array.isArray(spec.clusterIPs) && str(spec.clusterIP)) spec.clusterIPs = [spec.clusterIP];
  return spec;
}

const isHeadless = (spec: Obj) => {
  const ips = strings(spec.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
};

/** apiservice.ExternallyAccessible (pkg/api/service/util.go). */
const externallyAccessible = (spec: Obj) =>
  spec.type === 'LoadBalancer' ||
  spec.type === 'NodePort' ||
  (spec.type === 'ClusterIP' && strings(spec.externalIPs).length > 0);

const needsHealthCheck = (spec: Obj) => spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

/** A port number as validation sees it (0 when absent). */
const portNum = (v: unknown) => (typeof v === 'number' ? v : 0);

/** core.ServicePort{Protocol, Port} as `%#v` prints it: the Duplicate value of spec.ports[i]. */
function goServicePortKey(protocol: string, port: number): GoValue {
  return new GoValue(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  );
}

/** ValidatePortNumOrName for an IntOrString value. */
export function validatePortNumOrName(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') return isValidPortName(value).map((msg) => fieldErr.invalid(field, value, msg));
  const n = portNum(value);
  return isValidPortNum(n).map((msg) => fieldErr.invalid(field, n, msg));
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP(s), ipFamilies, ipFamilyPolicy. */
export function clusterIPRelatedErrors(svc: Obj): FieldError[] {
  const spec = specOf(svc);
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIP = str(spec.clusterIP);
  const clusterIPs = strings(spec.clusterIPs);
  if (clusterIP) {
    if (clusterIPs.length === 0) errs.push(fieldErr.required('spec.clusterIPs'));
    else if (clusterIPs[0] !== clusterIP) errs.push(fieldErr.invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length) {
    errs.push(fieldErr.invalid('spec.clusterIPs', clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }
  const families = strings(spec.ipFamilies);
  const seen = new Set<string>();
  families.forEach((family, i) => {
    if (family !== 'IPv4' && family !== 'IPv6') errs.push(fieldErr.notSupported(`spec.ipFamilies[${i}]`, family, ['IPv4', 'IPv6']));
    if (seen.has(family)) errs.push(fieldErr.duplicate(`spec.ipFamilies[${i}]`, family));
    seen.add(family);
  });
  if (spec.ipFamilyPolicy != null && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(str(spec.ipFamilyPolicy))) {
    errs.push(fieldErr.notSupported('spec.ipFamilyPolicy', str(spec.ipFamilyPolicy), ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errs.push(fieldErr.invalid('spec.clusterIPs', clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIP(ip, `spec.clusterIPs[${i}]`);
    if (ipErrs.length) invalidIPs = true;
    errs.push(...ipErrs);
  });
  if (clusterIPs.length > 2) errs.push(fieldErr.invalid('spec.clusterIPs', clusterIPs, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (clusterIPs.length > 1) {
    // netutils.IsDualStackIPStrings: exactly one IP of each family.
    const v6 = clusterIPs.filter(isIPv6String).length;
    if (clusterIPs.length !== 2 || v6 !== 1) {
      errs.push(fieldErr.invalid('spec.clusterIPs', clusterIPs, 'may specify no more than one IP for each IP family'));
    }
  }
  if (!isHeadless(spec) && clusterIPs.length && families.length) {
    clusterIPs.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === 'IPv4' && isIPv6String(ip)) {
        errs.push(fieldErr.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && !isIPv6String(ip)) {
        errs.push(fieldErr.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

function validateServicePort(port: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port.name);
  if (requireName && !name) errs.push(fieldErr.required(`${path}.name`));
  else if (name) {
    errs.push(...dns1123Label(name, `${path}.name`));
    if (names.has(name)) errs.push(fieldErr.duplicate(`${path}.name`, name));
    else names.add(name);
  }
  for (const msg of isValidPortNum(portNum(port.port))) errs.push(fieldErr.invalid(`${path}.port`, portNum(port.port), msg));
  const protocol = str(port.protocol);
  if (!protocol) errs.push(fieldErr.required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(protocol)) errs.push(fieldErr.notSupported(`${path}.protocol`, protocol, PROTOCOLS));
  errs.push(...validatePortNumOrName(port.targetPort, `${path}.targetPort`));
  if (port.appProtocol != null) errs.push(...qualifiedName(str(port.appProtocol), `${path}.appProtocol`));
  return errs;
}

function validateClientIPAffinityConfig(config: unknown): FieldError[] {
  const path = 'spec.sessionAffinityConfig';
  const detail = 'when session affinity type is ClientIP';
  if (!isObj(config)) return [fieldErr.required(path, detail)];
  if (!isObj(config.clientIP)) return [fieldErr.required(`${path}.clientIP`, detail)];
  const timeout = config.clientIP.timeoutSeconds;
  if (typeof timeout !== 'number') return [fieldErr.required(`${path}.clientIP.timeoutSeconds`, detail)];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [
      fieldErr.invalid(
        `${path}.clientIP.timeoutSeconds`,
        timeout,
        `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`,
      ),
    ];
  }
  return [];
}

function validateLoadBalancerClass(spec: Obj, oldSpec: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const cls = spec.loadBalancerClass;
  if (oldSpec && oldSpec.type === 'LoadBalancer' && spec.type === 'LoadBalancer') {
    const oldCls = oldSpec.loadBalancerClass;
    const same = (cls == null && oldCls == null) || (cls != null && oldCls != null && cls === oldCls);
    if (!same) errs.push(fieldErr.invalid('spec.loadBalancerClass', cls == null ? GO_NULL : str(cls), 'may not change once set'));
  }
  if (spec.type === 'LoadBalancer') {
    if (cls != null) errs.push(...qualifiedName(str(cls), 'spec.loadBalancerClass'));
  } else if (cls != null) {
    errs.push(fieldErr.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

/** ValidateService. */
function validateService(svc: Obj): FieldError[] {
  const meta = isObj(svc.metadata) ? svc.metadata : {};
  const errs = validateObjectMeta(meta, true, nameIsDNS1035Label);
  const annotations = isObj(meta.annotations) ? (meta.annotations as Record<string, string>) : {};
  if (
    TOPOLOGY_MODE_ANNOTATION in annotations &&
    TOPOLOGY_HINTS_ANNOTATION in annotations &&
    annotations[TOPOLOGY_MODE_ANNOTATION] !== annotations[TOPOLOGY_HINTS_ANNOTATION]
  ) {
    errs.push(
      fieldErr.invalid(
        `metadata.annotations[${TOPOLOGY_MODE_ANNOTATION}]`,
        annotations[TOPOLOGY_MODE_ANNOTATION],
        `must match annotations[${TOPOLOGY_HINTS_ANNOTATION}] when both are specified`,
      ),
    );
  }
  const spec = specOf(svc);
  const type = str(spec.type);
  const ports = objects(spec.ports);
  const clusterIPs = strings(spec.clusterIPs);
  const headless = isHeadless(spec);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fieldErr.required('spec.ports'));
  if (type === 'LoadBalancer' && headless) {
    errs.push(fieldErr.invalid('spec.clusterIPs[0]', clusterIPs[0], "may not be set to 'None' for LoadBalancer services"));
  } else if (type === 'NodePort' && headless) {
    errs.push(fieldErr.invalid('spec.clusterIPs[0]', clusterIPs[0], "may not be set to 'None' for NodePort services"));
  } else if (type === 'ExternalName') {
    if (clusterIPs.length) errs.push(fieldErr.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (strings(spec.ipFamilies).length) errs.push(fieldErr.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy != null) errs.push(fieldErr.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    // A CNAME may end with a dot to mark it fully qualified.
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname) errs.push(...dns1123Subdomain(cname, 'spec.externalName'));
    else errs.push(fieldErr.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => errs.push(...validateServicePort(port, ports.length > 1, names, `spec.ports[${i}]`)));
  if (isObj(spec.selector)) errs.push(...validateLabels(spec.selector, 'spec.selector'));

  const affinity = str(spec.sessionAffinity);
  if (!affinity) errs.push(fieldErr.required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(fieldErr.notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') errs.push(...validateClientIPAffinityConfig(spec.sessionAffinityConfig));
  else if (affinity === 'None' && spec.sessionAffinityConfig != null) {
    errs.push(fieldErr.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  errs.push(...clusterIPRelatedErrors(svc));

  strings(spec.externalIPs).forEach((ip, i) => {
    const path = `spec.externalIPs[${i}]`;
    const ipErrs = validateIP(ip, path);
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(ip, path)));
  });

  if (!type) errs.push(fieldErr.required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(fieldErr.notSupported('spec.type', type, SERVICE_TYPES));

  if (type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (portNum(port.nodePort) !== 0) errs.push(fieldErr.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  // Duplicate (protocol, nodePort) and (protocol, port) pairs.
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const nodePort = portNum(port.nodePort);
    if (nodePort === 0) return;
    const key = `${str(port.protocol)}/${nodePort}`;
    if (nodePorts.has(key)) errs.push(fieldErr.duplicate(`spec.ports[${i}].nodePort`, nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((port, i) => {
    const key = `${str(port.protocol)}/${portNum(port.port)}`;
    if (portKeys.has(key)) errs.push(fieldErr.duplicate(`spec.ports[${i}]`, goServicePortKey(str(port.protocol), portNum(port.port))));
    portKeys.add(key);
  });

  // Source ranges: the field, or else the older annotation. (The field path's capital L is the source's.)
  const ranges = strings(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    if (type !== 'LoadBalancer') errs.push(fieldErr.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...validateCIDR(r.trim(), `spec.LoadBalancerSourceRanges[${i}]`)));
  } else if (LB_SOURCE_RANGES_ANNOTATION in annotations) {
    const path = `metadata.annotations[${LB_SOURCE_RANGES_ANNOTATION}]`;
    if (type !== 'LoadBalancer') errs.push(fieldErr.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    const val = str(annotations[LB_SOURCE_RANGES_ANNOTATION]).trim();
    if (val) for (const r of val.split(',')) errs.push(...validateCIDR(r.trim(), path));
  }

  if (spec.allocateLoadBalancerNodePorts != null && type !== 'LoadBalancer') {
    errs.push(fieldErr.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) {
    errs.push(fieldErr.required('allocateLoadBalancerNodePorts'));
  }
  errs.push(...validateLoadBalancerClass(spec, undefined));

  // validateServiceExternalTrafficPolicy
  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(fieldErr.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) {
    errs.push(fieldErr.required('spec.externalTrafficPolicy'));
  } else if (etp !== 'Cluster' && etp !== 'Local') {
    errs.push(fieldErr.notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  }
  const hcnp = portNum(spec.healthCheckNodePort);
  if (!needsHealthCheck(spec)) {
    if (hcnp !== 0) {
      errs.push(
        fieldErr.invalid('spec.healthCheckNodePort', hcnp, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"),
      );
    }
  } else if (hcnp === 0) {
    errs.push(fieldErr.required('spec.healthCheckNodePort'));
  } else {
    for (const msg of isValidPortNum(hcnp)) errs.push(fieldErr.invalid('spec.healthCheckNodePort', hcnp, msg));
  }

  // validateServiceInternalTrafficFieldsValue
  if (spec.internalTrafficPolicy == null) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') errs.push(fieldErr.required('spec.internalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(str(spec.internalTrafficPolicy))) {
    errs.push(fieldErr.notSupported('spec.internalTrafficPolicy', str(spec.internalTrafficPolicy), ['Cluster', 'Local']));
  }

  // validateServiceTrafficDistribution (v1.32: PreferClose only)
  if (spec.trafficDistribution != null && spec.trafficDistribution !== 'PreferClose') {
    errs.push(fieldErr.notSupported('spec.trafficDistribution', str(spec.trafficDistribution), ['PreferClose']));
  }
  return errs;
}

/** validateUpgradeDowngradeClusterIPs and validateUpgradeDowngradeIPFamilies. */
function upgradeDowngradeErrors(spec: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return errs;
  const ips = strings(spec.clusterIPs);
  const oldIPs = strings(old.clusterIPs);
  const newHeadless = isHeadless(spec);
  const oldHeadless = isHeadless(old);
  const policy = spec.ipFamilyPolicy == null ? GO_NULL : str(spec.ipFamilyPolicy);
  if (!(oldHeadless && newHeadless)) {
    if (oldIPs.length === ips.length) {
      oldIPs.forEach((ip, i) => {
        if (ip !== ips[i]) errs.push(fieldErr.invalid(`spec.clusterIPs[${i}]`, ips, 'may not change once set'));
      });
    } else if (oldIPs.length > ips.length) {
      if (ips.length === 0) errs.push(fieldErr.invalid('spec.clusterIPs[0]', goStringSlice(spec.clusterIPs), 'primary clusterIP can not be unset'));
      if (oldIPs.length && ips.length && ips[0] !== oldIPs[0]) errs.push(fieldErr.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
      if (ips.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
        errs.push(fieldErr.invalid('spec.ipFamilyPolicy', policy, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (oldIPs.length && ips[0] !== oldIPs[0]) {
      errs.push(fieldErr.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
    }
  }
  if (newHeadless !== oldHeadless || newHeadless) return errs;
  const families = strings(spec.ipFamilies);
  const oldFamilies = strings(old.ipFamilies);
  const familiesValue = goStringSlice(spec.ipFamilies, 'core.IPFamily');
  if (oldFamilies.length === families.length) {
    oldFamilies.forEach((f, i) => {
      if (f !== families[i]) errs.push(fieldErr.invalid('spec.ipFamilies[0]', familiesValue, 'may not change once set'));
    });
  } else if (oldFamilies.length > families.length) {
    if (ips.length === 0) errs.push(fieldErr.invalid('spec.ipFamilies[0]', familiesValue, 'primary ipFamily can not be unset'));
    if (families.length && families[0] !== oldFamilies[0]) {
      errs.push(fieldErr.invalid('spec.ipFamilies[0]', goStringSlice(spec.clusterIPs), 'may not change once set'));
    }
    if (families.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(fieldErr.invalid('spec.ipFamilyPolicy', policy, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldFamilies.length && families.length && families[0] !== oldFamilies[0]) {
    errs.push(fieldErr.invalid('spec.ipFamilies[0]', goStringSlice(spec.clusterIPs), 'may not change once set'));
  }
  return errs;
}

/** ValidateServiceCreate / ValidateServiceUpdate. */
export function validateServiceObject(svc: Obj, old: Obj | undefined): FieldError[] {
  if (!old) return validateService(svc);
  const spec = specOf(svc);
  const oldSpec = specOf(old);
  const errs = validateObjectMetaUpdate(isObj(svc.metadata) ? svc.metadata : {}, isObj(old.metadata) ? old.metadata : {});
  errs.push(...upgradeDowngradeErrors(spec, oldSpec));
  errs.push(...validateLoadBalancerClass(spec, oldSpec));
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && portNum(spec.healthCheckNodePort) !== portNum(oldSpec.healthCheckNodePort)) {
    errs.push(fieldErr.forbidden('spec.healthCheckNodePort', IMMUTABLE));
  }
  // ValidateService runs validateLoadBalancerClassField(nil, ...) itself, without the update rule.
  errs.push(...validateService(svc));
  return errs;
}
