// `kubectl get` tables end to end: buildTable (server cells) + formatTable (kubectl's decoration
// and layout). Every expected text is what kubectl v1.32.4 printed for the same objects when an
// API server handed it these tables: the everyday examples (svc, pods, nodes, get all, ...) and
// the decorations (-A, -L, --show-labels, kind prefixes, escaping).
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { buildTable, formatTable, type TableFormatOptions } from '../../src/printers/table.ts';

const NOW = new Date('2026-01-10T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const TWO_HOURS = 7200;

function opts(o: Partial<TableFormatOptions> = {}): TableFormatOptions {
  return { wide: false, noHeaders: false, showNamespace: false, showKind: false, showLabels: false, labelColumns: [], ...o };
}

function get(resource: string, objects: KObject[], o: Partial<TableFormatOptions> = {}): string {
  return formatTable(buildTable(resource, objects, NOW), opts(o));
}

/** The caller's job, as kubectl does it: one blank line between non-empty tables. */
function getMany(tables: [string, KObject[]][], o: Partial<TableFormatOptions> = {}): string {
  return tables
    .map(([resource, objects]) => get(resource, objects, o))
    .filter((t) => t !== '')
    .join('\n');
}

function service(name: string, type: string, ip: string, ports: object[], labels?: Record<string, string>): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', creationTimestamp: ago(4), ...(labels ? { labels } : {}) },
    spec: { type, clusterIP: ip, clusterIPs: [ip], ports, selector: { app: 'sample' } },
  };
}

const clusterIP = service('sample-clusterip', 'ClusterIP', '10.96.0.10', [{ port: 80, protocol: 'TCP', targetPort: 8080 }], { app: 'sample' });
const nodePort = service('sample-nodeport', 'NodePort', '10.96.0.11', [
  { port: 80, nodePort: 30081, protocol: 'TCP' },
  { port: 443, nodePort: 31000, protocol: 'TCP' },
]);

const pod: KObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'sample-7d4b9c8f5-abcde', namespace: 'default', creationTimestamp: ago(TWO_HOURS), labels: { app: 'sample' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], nodeName: 'kfake-node' },
  status: {
    phase: 'Running',
    podIP: '10.244.0.5',
    podIPs: [{ ip: '10.244.0.5' }],
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: '', state: { running: {} } }],
  },
};

const deployment: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'sample', namespace: 'default', creationTimestamp: ago(TWO_HOURS) },
  spec: { replicas: 3, selector: { matchLabels: { app: 'sample' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 },
};

const replicaSet: KObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'sample-7d4b9c8f5', namespace: 'default', creationTimestamp: ago(TWO_HOURS) },
  spec: { replicas: 3, selector: { matchLabels: { app: 'sample' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  status: { replicas: 3, readyReplicas: 3 },
};

function event(name: string, type: string, reason: string, message: string, lastSeen: number): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default', creationTimestamp: ago(lastSeen) },
    involvedObject: { apiVersion: 'v1', kind: 'Service', name: 'sample-nodeport', namespace: 'default' },
    type,
    reason,
    message,
    source: { component: 'service-controller' },
    firstTimestamp: ago(lastSeen),
    lastTimestamp: ago(lastSeen),
    count: 1,
  };
}

const events = [
  event('sample-nodeport.1', 'Normal', 'Type', 'ClusterIP -> NodePort', 300),
  event('sample-nodeport.2', 'Warning', 'EnsuringLoadBalancer', 'Ensuring load balancer', 30),
];

describe('observed kubectl v1.32 outputs', () => {
  it('kubectl get svc', () => {
    expect(get('services', [clusterIP, nodePort])).toBe(
      'NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                      AGE\n' +
        'sample-clusterip   ClusterIP   10.96.0.10   <none>        80/TCP                       4s\n' +
        'sample-nodeport    NodePort    10.96.0.11   <none>        80:30081/TCP,443:31000/TCP   4s\n',
    );
  });

  it('kubectl get svc -o wide', () => {
    expect(get('services', [clusterIP, nodePort], { wide: true })).toBe(
      'NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                      AGE   SELECTOR\n' +
        'sample-clusterip   ClusterIP   10.96.0.10   <none>        80/TCP                       4s    app=sample\n' +
        'sample-nodeport    NodePort    10.96.0.11   <none>        80:30081/TCP,443:31000/TCP   4s    app=sample\n',
    );
  });

  it('kubectl get svc -A', () => {
    expect(get('services', [clusterIP, nodePort], { showNamespace: true })).toBe(
      'NAMESPACE   NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                      AGE\n' +
        'default     sample-clusterip   ClusterIP   10.96.0.10   <none>        80/TCP                       4s\n' +
        'default     sample-nodeport    NodePort    10.96.0.11   <none>        80:30081/TCP,443:31000/TCP   4s\n',
    );
  });

  it('kubectl get svc --show-labels', () => {
    expect(get('services', [clusterIP, nodePort], { showLabels: true })).toBe(
      'NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                      AGE   LABELS\n' +
        'sample-clusterip   ClusterIP   10.96.0.10   <none>        80/TCP                       4s    app=sample\n' +
        'sample-nodeport    NodePort    10.96.0.11   <none>        80:30081/TCP,443:31000/TCP   4s    <none>\n',
    );
  });

  it('kubectl get svc sample-nodeport, a LoadBalancer without status', () => {
    const lb = service('sample-nodeport', 'LoadBalancer', '10.96.0.18', [
      { port: 80, nodePort: 30090, protocol: 'TCP' },
      { port: 443, nodePort: 31000, protocol: 'TCP' },
    ]);
    lb.metadata.creationTimestamp = ago(20);
    expect(get('services', [lb]).split('\n')[1]).toBe(
      'sample-nodeport   LoadBalancer   10.96.0.18   <pending>     80:30090/TCP,443:31000/TCP   20s',
    );
  });

  it('kubectl get pods -o wide', () => {
    expect(get('pods', [pod], { wide: true })).toBe(
      'NAME                     READY   STATUS    RESTARTS   AGE    IP           NODE         NOMINATED NODE   READINESS GATES\n' +
        'sample-7d4b9c8f5-abcde   1/1     Running   0          120m   10.244.0.5   kfake-node   <none>           <none>\n',
    );
  });

  it('kubectl get nodes', () => {
    const node: KObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'kfake-node', creationTimestamp: ago(TWO_HOURS), labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: {},
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.4' } },
    };
    expect(get('nodes', [node])).toBe(
      'NAME         STATUS   ROLES           AGE    VERSION\n' + 'kfake-node   Ready    control-plane   120m   v1.32.4\n',
    );
  });

  it('kubectl get endpointslices', () => {
    const slice = (name: string, ports: number[], ips: string[]): KObject => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name, namespace: 'default', creationTimestamp: ago(0) },
      addressType: 'IPv4',
      ports: ports.map((port) => ({ port, protocol: 'TCP' })),
      endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    });
    const pods = ['10.244.0.5', '10.244.0.6', '10.244.0.7'];
    expect(get('endpointslices', [slice('sample-clusterip-abcde', [8080], pods), slice('sample-nodeport-xyz12', [8080, 8443], [...pods, '10.244.0.8'])])).toBe(
      'NAME                     ADDRESSTYPE   PORTS       ENDPOINTS                                      AGE\n' +
        'sample-clusterip-abcde   IPv4          8080        10.244.0.5,10.244.0.6,10.244.0.7               0s\n' +
        'sample-nodeport-xyz12    IPv4          8080,8443   10.244.0.5,10.244.0.6,10.244.0.7 + 1 more...   0s\n',
    );
  });

  it('kubectl get ing', () => {
    const ing: KObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(TWO_HOURS) },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'sample.example.com' }] },
      status: { loadBalancer: { ingress: [{ ip: '172.18.0.2' }] } },
    };
    expect(get('ingresses', [ing])).toBe(
      'NAME   CLASS   HOSTS                ADDRESS      PORTS   AGE\n' + 'web    nginx   sample.example.com   172.18.0.2   80      120m\n',
    );
  });

  it('kubectl get deploy -o wide', () => {
    expect(get('deployments', [deployment], { wide: true })).toBe(
      'NAME     READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS   IMAGES       SELECTOR\n' +
        'sample   3/3     3            3           120m   web          nginx:1.27   app=sample\n',
    );
  });

  it('kubectl get rs', () => {
    expect(get('replicasets', [replicaSet])).toBe(
      'NAME               DESIRED   CURRENT   READY   AGE\n' + 'sample-7d4b9c8f5   3         3         3       120m\n',
    );
  });

  it('kubectl get ns', () => {
    const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', creationTimestamp: ago(TWO_HOURS) }, status: { phase: 'Active' } };
    expect(get('namespaces', [ns])).toBe('NAME      STATUS   AGE\n' + 'default   Active   120m\n');
  });

  it('kubectl get cm', () => {
    const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', creationTimestamp: ago(TWO_HOURS) }, data: { a: '1', b: '2' } };
    expect(get('configmaps', [cm])).toBe('NAME   DATA   AGE\n' + 'cfg    2      120m\n');
  });

  it('kubectl get events', () => {
    expect(get('events', events)).toBe(
      'LAST SEEN   TYPE      REASON                 OBJECT                    MESSAGE\n' +
        '5m          Normal    Type                   service/sample-nodeport   ClusterIP -> NodePort\n' +
        '30s         Warning   EnsuringLoadBalancer   service/sample-nodeport   Ensuring load balancer\n',
    );
  });
});

describe('kubectl get all', () => {
  const svcs = [clusterIP, nodePort].map((s) => ({ ...s, metadata: { ...s.metadata, creationTimestamp: ago(0) } }));
  const all: [string, KObject[]][] = [
    ['pods', [pod]],
    ['replicationcontrollers', []],
    ['services', svcs],
    ['deployments', [deployment]],
    ['replicasets', [replicaSet]],
  ];

  it('prints one table per kind, kind-prefixed names, one blank line between', () => {
    expect(getMany(all, { showKind: true })).toBe(
      'NAME                         READY   STATUS    RESTARTS   AGE\n' +
        'pod/sample-7d4b9c8f5-abcde   1/1     Running   0          120m\n' +
        '\n' +
        'NAME                       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                      AGE\n' +
        'service/sample-clusterip   ClusterIP   10.96.0.10   <none>        80/TCP                       0s\n' +
        'service/sample-nodeport    NodePort    10.96.0.11   <none>        80:30081/TCP,443:31000/TCP   0s\n' +
        '\n' +
        'NAME                     READY   UP-TO-DATE   AVAILABLE   AGE\n' +
        'deployment.apps/sample   3/3     3            3           120m\n' +
        '\n' +
        'NAME                               DESIRED   CURRENT   READY   AGE\n' +
        'replicaset.apps/sample-7d4b9c8f5   3         3         3       120m\n',
    );
  });

  it('adds NAMESPACE to every table with -A', () => {
    const text = getMany(all, { showKind: true, showNamespace: true });
    expect(text.split('\n').filter((l) => l.startsWith('NAMESPACE'))).toHaveLength(4);
    expect(text).toContain('default     deployment.apps/sample   3/3     3            3           120m\n');
  });
});

describe('formatTable decorations', () => {
  it('prints nothing at all for an empty table, headers or not', () => {
    expect(get('pods', [])).toBe('');
    expect(get('pods', [], { noHeaders: true })).toBe('');
  });

  it('omits the header with --no-headers and aligns on the rows alone', () => {
    expect(get('services', [clusterIP, nodePort], { noHeaders: true })).toBe(
      'sample-clusterip   ClusterIP   10.96.0.10   <none>   80/TCP                       4s\n' +
        'sample-nodeport    NodePort    10.96.0.11   <none>   80:30081/TCP,443:31000/TCP   4s\n',
    );
  });

  it('-L: one column per key, headed by the upper-cased part after the last /, trailing blanks when empty', () => {
    const tiered = { ...clusterIP, metadata: { ...clusterIP.metadata, labels: { app: 'sample', 'example.com/tier': 'frontend' } } };
    expect(get('services', [tiered, nodePort], { labelColumns: ['example.com/tier'] })).toBe(
      'NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                      AGE   TIER\n' +
        'sample-clusterip   ClusterIP   10.96.0.10   <none>        80/TCP                       4s    frontend\n' +
        'sample-nodeport    NodePort    10.96.0.11   <none>        80:30081/TCP,443:31000/TCP   4s    \n',
    );
  });

  it('-L accepts comma lists; label columns follow the wide columns and precede LABELS', () => {
    const text = get('services', [clusterIP], { wide: true, showLabels: true, labelColumns: ['app,example.com/tier'] });
    expect(text.split('\n')[0]).toBe(
      'NAME               TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR     APP      TIER   LABELS',
    );
    expect(text.split('\n')[1]).toBe(
      'sample-clusterip   ClusterIP   10.96.0.10   <none>        80/TCP    4s    app=sample   sample          app=sample',
    );
  });

  it('never adds NAMESPACE for cluster-scoped kinds', () => {
    const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', creationTimestamp: ago(60) }, status: { phase: 'Active' } };
    expect(get('namespaces', [ns], { showNamespace: true })).toBe('NAME      STATUS   AGE\n' + 'default   Active   60s\n');
  });

  it('prefixes the event NAME column, which only -o wide shows', () => {
    expect(get('events', events, { showKind: true })).toBe(get('events', events));
    const wide = get('events', events, { showKind: true, wide: true });
    expect(wide.split('\n')[0]).toBe(
      'LAST SEEN   TYPE      REASON                 OBJECT                    SUBOBJECT   SOURCE               MESSAGE                  FIRST SEEN   COUNT   NAME',
    );
    expect(wide.split('\n')[2]).toBe(
      '30s         Warning   EnsuringLoadBalancer   service/sample-nodeport               service-controller   Ensuring load balancer   30s          1       event/sample-nodeport.2',
    );
  });

  it('cuts cells at line breaks and escapes ESC, measuring widths in characters', () => {
    const withReason = (name: string, reason: string): KObject => ({
      ...pod,
      metadata: { ...pod.metadata, name },
      status: { phase: 'Running', reason },
    });
    expect(
      get('pods', [
        withReason('weird', 'line1\nline2'),
        withReason('esc', 'a\x1b[31mred'),
        withReason('cr', 'x\ry'),
        withReason('ff', 'x\fy'),
        withReason('ünïcødé-pod', 'Running'),
      ]),
    ).toBe(
      'NAME          READY   STATUS       RESTARTS   AGE\n' +
        'weird         0/1     line1...     0          120m\n' +
        'esc           0/1     a^[[31mred   0          120m\n' +
        'cr            0/1     x...         0          120m\n' +
        'ff            0/1     x...         0          120m\n' +
        'ünïcødé-pod   0/1     Running      0          120m\n',
    );
  });
});
