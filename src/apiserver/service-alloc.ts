/**
 * Service ClusterIP and NodePort allocation, as the API server's service REST storage does it
 * (pkg/registry/core/service/storage/alloc.go, ipallocator/bitmap.go, portallocator). Allocation
 * runs BEFORE validation; its errors are the only ones a user sees when it fails.
 *
 * Both allocators split their range into a static (lower) band meant for requested values and a
 * dynamic (upper) band for random picks (KEP-3070 for IPs, KEP-3668 for node ports): a random
 * pick scans forward from a random start in the upper band, and falls back to the lower band
 * only when the upper one is full.
 */
import { fieldErr, internalError, invalid, type FieldError } from '../api/errors.ts';
import { resourceInfo } from '../api/registry.ts';
import type { Service, ServicePort } from '../api/types.ts';
import { validateServiceClusterIPFields } from '../api/validation/index.ts';
import type { ClusterState } from '../store/state.ts';
import type { Random } from '../util/random.ts';
import { formatIPv4, parseCidr, parseIPv4, type Cidr } from '../util/ipv4.ts';
import { nodePortRangeText } from '../store/meta.ts';

const SERVICES = resourceInfo('services');

/** ipallocator calculateRangeOffset: min(max(16, size/16), 256); 0 for tiny ranges. */
export function ipRangeOffset(cidrSize: number): number {
  if (cidrSize <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(cidrSize / 16)), 256);
}

/** portallocator calculateRangeOffset: min(max(16, size/32), 128); 0 for tiny ranges. */
export function portRangeOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

/**
 * randomScanStrategyWithOffset.AllocateBit over indexes [0, max): random start in the upper
 * band [offset, max), scanning forward with wrap-around, then the same in [0, offset).
 */
export function pickFree(max: number, offset: number, rng: Random, taken: (i: number) => boolean): number | undefined {
  const upper = max - offset;
  if (upper > 0) {
    const start = rng.int(upper);
    for (let i = 0; i < upper; i++) {
      const at = offset + ((start + i) % upper);
      if (!taken(at)) return at;
    }
  }
  if (offset > 0) {
    const start = rng.int(offset);
    for (let i = 0; i < offset; i++) {
      const at = (start + i) % offset;
      if (!taken(at)) return at;
    }
  }
  return undefined;
}

const needsClusterIP = (s: Service) => s.spec.type !== 'ExternalName';
const needsNodePort = (s: Service) => s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer';
const needsHCNodePort = (s: Service) => s.spec.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';
const shouldAllocateNodePorts = (s: Service) =>
  s.spec.type === 'NodePort' || (s.spec.type === 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts !== false);

function isHeadless(s: Service): boolean {
  return s.spec.clusterIPs?.length === 1 && s.spec.clusterIPs[0] === 'None';
}

/** The IPs and node ports a stored Service holds. */
function heldIPs(s: Service | undefined): string[] {
  if (!s || !needsClusterIP(s)) return [];
  return (s.spec.clusterIPs ?? []).filter((ip) => ip !== 'None' && ip !== '');
}

function heldPorts(s: Service | undefined): number[] {
  if (!s) return [];
  const ports = (s.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0);
  if (s.spec.healthCheckNodePort) ports.push(s.spec.healthCheckNodePort);
  return ports;
}

/**
 * One request's allocation work. Values allocated here are released again by rollback() if the
 * request fails later (validation); commit() releases what the old object held and the new one
 * no longer does.
 */
export class ServiceAllocation {
  private readonly state: ClusterState;
  private readonly rng: Random;
  private readonly owner: string;
  private readonly name: string;
  private readonly cidr: Cidr;
  private readonly ipMax: number;
  private readonly allocatedIPs: string[] = [];
  private readonly allocatedPorts: number[] = [];

  constructor(state: ClusterState, rng: Random, svc: Service) {
    this.state = state;
    this.rng = rng;
    this.owner = `${svc.metadata.namespace}/${svc.metadata.name}`;
    this.name = svc.metadata.name!;
    this.cidr = parseCidr(state.meta.config.serviceCIDR)!;
    // bitmap range: the network and broadcast addresses are never handed out
    this.ipMax = Math.max(0, this.cidr.size - 2);
  }

  private get alloc() {
    return this.state.meta.alloc;
  }

  private fail(errs: FieldError[]): never {
    this.rollback();
    throw invalid(SERVICES, this.name, errs);
  }

  // -------------------------------------------------------------- create

  /** BeginCreate: cluster-IP fields, IP families, cluster IP, node ports, health-check node port. */
  beginCreate(svc: Service): void {
    if (needsClusterIP(svc)) {
      // normalizeClusterIPs: an old-style client sets only the singular field
      if (svc.spec.clusterIP && !(svc.spec.clusterIPs?.length)) svc.spec.clusterIPs = [svc.spec.clusterIP];
      this.initIPFamilies(svc, undefined);
      this.allocClusterIPs(svc);
    }
    if (needsNodePort(svc)) this.initNodePorts(svc);
    if (needsHCNodePort(svc)) this.allocHealthCheckNodePort(svc);
  }

  // -------------------------------------------------------------- update

  /** BeginUpdate: keep allocated values the client omitted, then allocate what the change needs. */
  beginUpdate(svc: Service, old: Service): void {
    patchAllocatedValues(svc, old);
    normalizeClusterIPsOnUpdate(svc, old);
    if (needsClusterIP(svc)) {
      this.initIPFamilies(svc, old);
      if (!needsClusterIP(old)) this.allocClusterIPs(svc);
    }
    if (needsNodePort(svc)) this.updateNodePorts(svc, old);
    if (needsHCNodePort(svc)) {
      if (!needsHCNodePort(old) || !old.spec.healthCheckNodePort) this.allocHealthCheckNodePort(svc);
      else if (svc.spec.healthCheckNodePort !== old.spec.healthCheckNodePort && svc.spec.healthCheckNodePort) {
        // changing it is rejected by validation ("field is immutable"); nothing to allocate
      }
    }
  }

  /** Release what this request allocated (the request failed). */
  rollback(): void {
    for (const ip of this.allocatedIPs) delete this.alloc.clusterIPs[ip];
    for (const p of this.allocatedPorts) delete this.alloc.nodePorts[String(p)];
    this.allocatedIPs.length = 0;
    this.allocatedPorts.length = 0;
  }

  /** The request succeeded: free the old object's values that the new one no longer holds. */
  commit(svc: Service | undefined, old: Service | undefined): void {
    const keepIPs = new Set(heldIPs(svc));
    const keepPorts = new Set(heldPorts(svc));
    for (const ip of heldIPs(old)) if (!keepIPs.has(ip) && this.alloc.clusterIPs[ip] === this.owner) delete this.alloc.clusterIPs[ip];
    for (const p of heldPorts(old))
      if (!keepPorts.has(p) && this.alloc.nodePorts[String(p)] === this.owner) delete this.alloc.nodePorts[String(p)];
    this.allocatedIPs.length = 0;
    this.allocatedPorts.length = 0;
  }

  // -------------------------------------------------------------- IPs

  /** initIPFamilyFields for a single-stack IPv4 cluster (alloc.go), after the cluster-IP checks. */
  private initIPFamilies(svc: Service, old: Service | undefined): void {
    const spec = svc.spec;
    if (isHeadless(svc) && Object.keys(spec.selector ?? {}).length === 0) {
      // Headless without selector: every family, even on a single-stack cluster.
      spec.ipFamilyPolicy ??= 'RequireDualStack';
      if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
      if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') spec.ipFamilies.push('IPv6');
      const errs = validateServiceClusterIPFields(svc, old);
      if (errs.length) this.fail(errs);
      return;
    }
    const pre = validateServiceClusterIPFields(svc, old);
    if (pre.length) this.fail(pre);
    const errs: FieldError[] = [];
    // Families implied by requested IPs.
    if (!spec.ipFamilies?.length) {
      const fams: string[] = [];
      for (const ip of spec.clusterIPs ?? []) {
        if (ip === 'None') continue;
        fams.push(ip.includes(':') ? 'IPv6' : 'IPv4');
      }
      if (fams.length) spec.ipFamilies = fams;
    }
    if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = old?.spec.ipFamilyPolicy ?? 'SingleStack';
    if (spec.ipFamilyPolicy === 'RequireDualStack') {
      errs.push(fieldErr.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    }
    (spec.ipFamilies ?? []).forEach((fam, i) => {
      if (fam !== 'IPv4') errs.push(fieldErr.invalid(`spec.ipFamilies[${i}]`, fam, 'not configured on this cluster'));
    });
    if (spec.ipFamilies && spec.ipFamilies.length > 1 && spec.ipFamilyPolicy === 'SingleStack') {
      errs.push(
        fieldErr.invalid(
          'spec.ipFamilyPolicy',
          spec.ipFamilyPolicy,
          'must be RequireDualStack or PreferDualStack when multiple IP families are specified',
        ),
      );
    }
    (spec.clusterIPs ?? []).forEach((ip, i) => {
      if (ip !== 'None' && ip.includes(':')) errs.push(fieldErr.invalid(`spec.clusterIPs[${i}]`, ip, 'IPv6 is not configured on this cluster'));
    });
    if (errs.length) this.fail(errs);
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
    // PreferDualStack on a single-stack cluster keeps one family.
    if (spec.ipFamilies.length > 1) spec.ipFamilies = spec.ipFamilies.slice(0, 1);
  }

  private allocClusterIPs(svc: Service): void {
    const spec = svc.spec;
    if (isHeadless(svc)) {
      spec.clusterIP = 'None';
      return;
    }
    const requested = spec.clusterIPs?.[0] ?? '';
    if (requested) {
      const n = parseIPv4(requested)!;
      const offset = n - this.cidr.base - 1;
      let reason: string | undefined;
      if (offset < 0 || offset >= this.ipMax) {
        reason = `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.cidr.text}`;
      } else if (this.alloc.clusterIPs[requested] !== undefined) {
        reason = 'provided IP is already allocated';
      }
      if (reason) this.fail([fieldErr.invalid('spec.clusterIPs', spec.clusterIPs, `failed to allocate IP ${requested}: ${reason}`)]);
      this.takeIP(requested);
    } else {
      const at = pickFree(this.ipMax, ipRangeOffset(this.cidr.size), this.rng, (i) =>
        this.alloc.clusterIPs[formatIPv4(this.cidr.base + 1 + i)] !== undefined,
      );
      if (at === undefined) {
        this.rollback();
        throw internalError('failed to allocate a serviceIP: range is full');
      }
      const ip = formatIPv4(this.cidr.base + 1 + at);
      this.takeIP(ip);
      spec.clusterIPs = [ip];
    }
    spec.clusterIP = spec.clusterIPs![0];
  }

  private takeIP(ip: string): void {
    this.alloc.clusterIPs[ip] = this.owner;
    this.allocatedIPs.push(ip);
  }

  // -------------------------------------------------------------- node ports

  private portRange() {
    return this.state.meta.config.nodePortRange;
  }

  private portError(port: number): string | undefined {
    const { base, size } = this.portRange();
    if (port < base || port >= base + size) {
      return `provided port is not in the valid range. The range of valid ports is ${nodePortRangeText(this.state.meta.config)}`;
    }
    if (this.alloc.nodePorts[String(port)] !== undefined) return 'provided port is already allocated';
    return undefined;
  }

  private takePort(port: number): void {
    this.alloc.nodePorts[String(port)] = this.owner;
    this.allocatedPorts.push(port);
  }

  private allocateNextPort(what: string): number {
    const { base, size } = this.portRange();
    const at = pickFree(size, portRangeOffset(size), this.rng, (i) => this.alloc.nodePorts[String(base + i)] !== undefined);
    if (at === undefined) {
      this.rollback();
      throw internalError(`failed to allocate a ${what}: range is full`);
    }
    this.takePort(base + at);
    return base + at;
  }

  private requestPort(i: number, port: number): void {
    const reason = this.portError(port);
    if (reason) this.fail([fieldErr.invalid(`spec.ports[${i}].nodePort`, port, reason)]);
    this.takePort(port);
  }

  /** initNodePorts: ports with the same port number (e.g. 53/TCP and 53/UDP) share one node port. */
  private initNodePorts(svc: Service): void {
    const ports: ServicePort[] = svc.spec.ports ?? [];
    const byServicePort = new Map<number, number>();
    ports.forEach((p, i) => {
      if (!p.nodePort && !shouldAllocateNodePorts(svc)) return;
      const shared = byServicePort.get(p.port);
      if (shared === undefined) {
        const requested = ports.find((q) => q.port === p.port && q.nodePort)?.nodePort;
        if (requested) {
          this.requestPort(i, requested);
          p.nodePort = requested;
        } else {
          p.nodePort = this.allocateNextPort('nodePort');
        }
        byServicePort.set(p.port, p.nodePort);
      } else if (p.nodePort !== shared) {
        if (!p.nodePort) p.nodePort = shared;
        else this.requestPort(i, p.nodePort);
      }
    });
  }

  /** updateNodePorts: new numbers are allocated, numbers the old object held are kept. */
  private updateNodePorts(svc: Service, old: Service): void {
    const oldNumbers = new Set(heldPorts(old));
    const taken = new Set<number>();
    (svc.spec.ports ?? []).forEach((p, i) => {
      if (!p.nodePort && !shouldAllocateNodePorts(svc)) return;
      if (p.nodePort) {
        if (!oldNumbers.has(p.nodePort) && !taken.has(p.nodePort)) {
          this.requestPort(i, p.nodePort);
          taken.add(p.nodePort);
        }
      } else {
        p.nodePort = this.allocateNextPort('nodePort');
      }
    });
  }

  private allocHealthCheckNodePort(svc: Service): void {
    const requested = svc.spec.healthCheckNodePort;
    if (requested) {
      const reason = this.portError(requested);
      if (reason) {
        this.rollback();
        throw internalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${reason}`);
      }
      this.takePort(requested);
    } else {
      svc.spec.healthCheckNodePort = this.allocateNextPort('HealthCheck NodePort');
    }
  }
}

/** patchAllocatedValues: values the server allocated and the client left out are kept. */
function patchAllocatedValues(svc: Service, old: Service): void {
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!svc.spec.clusterIP && old.spec.clusterIP) svc.spec.clusterIP = old.spec.clusterIP;
    if (!svc.spec.clusterIPs?.length && old.spec.clusterIPs?.length) svc.spec.clusterIPs = [...old.spec.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const oldUsed = new Set((old.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter(Boolean));
    const used = new Set((svc.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n && oldUsed.has(n)));
    const byName = new Map((old.spec.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of svc.spec.ports ?? []) {
      if (!p.nodePort) {
        const v = byName.get(p.name ?? '') ?? 0;
        if (v && !used.has(v)) p.nodePort = v;
      }
    }
  }
  if (needsHCNodePort(old) && needsHCNodePort(svc) && !svc.spec.healthCheckNodePort) {
    svc.spec.healthCheckNodePort = old.spec.healthCheckNodePort;
  }
}

function sameStrings(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** normalizeClusterIPs for updates: keep clusterIP and clusterIPs in sync. */
function normalizeClusterIPsOnUpdate(svc: Service, old: Service): void {
  const s = svc.spec;
  const o = old.spec;
  if (o.clusterIPs?.length && !s.clusterIPs?.length && o.clusterIP === s.clusterIP) s.clusterIPs = [...o.clusterIPs];
  if (o.clusterIP !== s.clusterIP) {
    if (o.clusterIP && !s.clusterIP && sameStrings(o.clusterIPs, s.clusterIPs)) delete s.clusterIPs;
    if (s.clusterIP && sameStrings(o.clusterIPs, s.clusterIPs)) s.clusterIPs = [s.clusterIP];
  }
}

/**
 * PrepareForUpdate's dropTypeDependentFields: when a Service changes type, values that only the
 * old type used are wiped if the user did not change them.
 */
export function dropTypeDependentFields(svc: Service, old: Service): void {
  const s = svc.spec;
  const o = old.spec;
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (s.clusterIP === o.clusterIP && sameStrings(s.clusterIPs, o.clusterIPs)) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (sameStrings(s.ipFamilies, o.ipFamilies)) delete s.ipFamilies;
    if (s.ipFamilyPolicy === o.ipFamilyPolicy) delete s.ipFamilyPolicy;
  }
  const nodePortsOf = (x: Service) => (x.spec.ports ?? []).map((p) => p.nodePort ?? 0);
  if (needsNodePort(old) && !needsNodePort(svc)) {
    // sameNodePorts: every new port's node port is 0 or one the old object had
    const oldSet = new Set(nodePortsOf(old));
    if (nodePortsOf(svc).every((n) => n === 0 || oldSet.has(n))) for (const p of s.ports ?? []) delete p.nodePort;
  }
  if (needsHCNodePort(old) && !needsHCNodePort(svc) && s.healthCheckNodePort === o.healthCheckNodePort) {
    delete s.healthCheckNodePort;
  }
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) {
      delete s.allocateLoadBalancerNodePorts;
    }
    if (s.loadBalancerClass === o.loadBalancerClass) delete s.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && s.externalTrafficPolicy === o.externalTrafficPolicy) {
    delete s.externalTrafficPolicy;
  }
  if (s.type !== 'LoadBalancer') svc.status = { ...(svc.status ?? {}), loadBalancer: {} };
}

/** pkg/api/v1/service ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with external IPs. */
export function externallyAccessible(svc: Service): boolean {
  const t = svc.spec.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (svc.spec.externalIPs?.length ?? 0) > 0);
}

/** Free everything a deleted Service held. */
export function releaseService(state: ClusterState, svc: Service): void {
  const owner = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const alloc = state.meta.alloc;
  for (const ip of heldIPs(svc)) if (alloc.clusterIPs[ip] === owner) delete alloc.clusterIPs[ip];
  for (const p of heldPorts(svc)) if (alloc.nodePorts[String(p)] === owner) delete alloc.nodePorts[String(p)];
}
