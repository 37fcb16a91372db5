/**
 * The objects concurrent writers apply: Services of every type (with and without selectors,
 * headless, ExternalName, requested cluster IPs and node ports) and Deployments with replicas.
 * Requested addresses come from the allocators' static bands (the first 256 addresses of the
 * service range, node ports 30000-30085), which random allocation only uses once the upper
 * band is full (KEP-3070, KEP-3668), so only the collisions planned here can happen.
 */
type Obj = Record<string, unknown>;

/** A small YAML writer for plain data: block style, every string double-quoted. */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value.map((v) => `\n${indent}- ${toYaml(v, indent + '  ').replace(/^\n\s*/, '')}`).join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return entries
      .map(([k, v]) => {
        const inner = toYaml(v, indent + '  ');
        return `\n${indent}${k}:${inner.startsWith('\n') ? '' : ' '}${inner}`;
      })
      .join('');
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function manifest(objects: Obj[]): string {
  return objects.map((o) => toYaml(o).replace(/^\n/, '') + '\n').join('---\n');
}

export function service(name: string, spec: Obj): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec };
}

export function deployment(name: string, replicas: number, app = name): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app } },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

/** What a collision group asks for: one cluster IP, or one node port. */
export interface Collision {
  group: string;
  ip?: string;
  nodePort?: number;
}

export interface WriterObject {
  kind: 'Service' | 'Deployment';
  name: string;
  object: Obj;
  /** Set when this object competes with others for the same address. */
  collision?: Collision;
  replicas?: number;
}

/**
 * Writer `w`'s `count` objects. Every tenth object competes for an address: indexes 9 and 19
 * with every other writer (one cluster IP, one node port), the rest with the neighbouring
 * writer (w xor 1). Objects at 8, 18, ... request addresses of their own.
 */
export function writerObjects(w: number, count: number): WriterObject[] {
  const out: WriterObject[] = [];
  const port = { port: 80, targetPort: 80, protocol: 'TCP' };
  for (let j = 0; j < count; j++) {
    const k = Math.floor(j / 10);
    const name = `w${w}-o${j}`;
    const app = `w${w}-app${k}`;
    const sel = { app };
    switch (j % 10) {
      case 0: {
        const replicas = (k % 3) + 1;
        out.push({ kind: 'Deployment', name, object: deployment(name, replicas, app), replicas });
        break;
      }
      case 1:
        out.push({ kind: 'Service', name, object: service(name, { selector: sel, ports: [port] }) });
        break;
      case 2:
        out.push({ kind: 'Service', name, object: service(name, { type: 'NodePort', selector: sel, ports: [port] }) });
        break;
      case 3:
        out.push({ kind: 'Service', name, object: service(name, { type: 'LoadBalancer', selector: sel, ports: [port] }) });
        break;
      case 4:
        out.push({ kind: 'Service', name, object: service(name, { clusterIP: 'None', selector: sel, ports: [port] }) });
        break;
      case 5:
        out.push({ kind: 'Service', name, object: service(name, { type: 'ExternalName', externalName: `db${j}.example.com` }) });
        break;
      case 6:
        out.push({ kind: 'Deployment', name, object: deployment(name, 2), replicas: 2 });
        break;
      case 7:
        out.push({ kind: 'Service', name, object: service(name, { ports: [{ port: 8080, protocol: 'TCP' }] }) });
        break;
      case 8:
        // Addresses of its own: 10.96.0.100-199 and node ports 30040-30079.
        out.push(
          k % 2 === 0
            ? { kind: 'Service', name, object: service(name, { clusterIP: `10.96.0.${100 + w * 5 + k}`, ports: [port] }) }
            : { kind: 'Service', name, object: service(name, { type: 'NodePort', ports: [{ ...port, nodePort: 30040 + w * 5 + k }] }) },
        );
        break;
      default: {
        const collision: Collision =
          k === 0
            ? { group: 'ip-all', ip: '10.96.0.50' }
            : k === 1
              ? { group: 'port-all', nodePort: 30005 }
              : k % 2 === 0
                ? { group: `ip-pair${w >> 1}-${k}`, ip: `10.96.0.${60 + (w >> 1) * 10 + k}` }
                : { group: `port-pair${w >> 1}-${k}`, nodePort: 30010 + (w >> 1) * 5 + (k % 5) };
        const spec = collision.ip
          ? { clusterIP: collision.ip, selector: sel, ports: [port] }
          : { type: 'NodePort', selector: sel, ports: [{ ...port, nodePort: collision.nodePort }] };
        out.push({ kind: 'Service', name, object: service(name, spec), collision });
      }
    }
  }
  return out;
}

/** The API server's refusal of a requested address already held by another Service. */
export function collisionError(name: string, c: Collision): string {
  return c.ip
    ? `Service "${name}" is invalid: spec.clusterIPs: Invalid value: []string{"${c.ip}"}: failed to allocate IP ${c.ip}: provided IP is already allocated`
    : `Service "${name}" is invalid: spec.ports[0].nodePort: Invalid value: ${c.nodePort}: provided port is already allocated`;
}
