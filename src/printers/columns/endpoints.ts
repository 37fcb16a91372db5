/**
 * Endpoints and EndpointSlice rows: printEndpoints / printEndpointSlice in
 * k8s.io/kubernetes pkg/printers/internalversion/printers.go.
 */
import type { EndpointSlice, Endpoints, KObject } from '../../api/types.ts';
import { AGE, NAME, ageOf, column, listWithMore, nameOf, type KindPrinter } from './common.ts';

export const endpointsPrinter: KindPrinter = {
  columns: [NAME, column('Endpoints'), AGE],
  cells: (object: KObject, now: Date) => [nameOf(object), formatEndpoints(object as Endpoints), ageOf(object, now)],
};

export const endpointSlicePrinter: KindPrinter = {
  columns: [NAME, column('AddressType'), column('Ports'), column('Endpoints'), AGE],
  cells: (object: KObject, now: Date) => {
    const slice = object as EndpointSlice;
    // formatDiscoveryPorts: the number, else the name, else `*`.
    const ports = (slice.ports ?? []).map((p) => (p.port != null ? String(p.port) : (p.name ?? '*')));
    // formatDiscoveryEndpoints: every address of every endpoint, ready or not.
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [nameOf(slice), slice.addressType ?? '', listWithMore(ports), listWithMore(addresses), ageOf(slice, now)];
  },
};

/**
 * formatEndpoints: ready addresses only, port-major inside each subset (`ip:port`, IPv6 in
 * brackets; a subset without ports lists bare IPs). The first three are shown, then
 * ` + <n> more...` where n counts every remaining address of the walk. `<none>` without subsets.
 */
function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    // A headless service may have no ports; its addresses are listed once, bare.
    const portList: (number | undefined)[] = ports.length === 0 ? [undefined] : ports.map((p) => p.port);
    for (const port of portList) {
      count += addresses.length;
      for (const address of addresses) {
        if (list.length === max) break;
        list.push(port === undefined ? address.ip : joinHostPort(address.ip, port));
      }
    }
  }
  const shown = list.join(',');
  return count > max ? `${shown} + ${count - max} more...` : shown;
}

/** net.JoinHostPort */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
