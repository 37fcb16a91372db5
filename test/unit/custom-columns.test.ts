import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/api/errors.ts';
import {
  customColumnCells,
  parseCustomColumns,
  parseCustomColumnsFile,
  renderCustomColumns,
} from '../../src/printers/custom-columns.ts';

// The objects kubectl printed (as `kubectl get ... -o json` returned them), reduced where noted to
// the fields the columns below read.
const MULTI = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    annotations: { note: 'a<b>&c', u: 'é\u2028x' },
    labels: { 'app.kubernetes.io/name': 'multi', tier: 'fe' },
    name: 'multi',
    namespace: 'default',
  },
  spec: {
    clusterIP: '10.96.0.11',
    ports: [
      { name: 'http', nodePort: 30081, port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'https', nodePort: 31000, port: 443, protocol: 'TCP', targetPort: 'https' },
    ],
    selector: { app: 'sample', tier: 'fe' },
    type: 'NodePort',
  },
};

const PLAIN = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'plain', namespace: 'default' },
  spec: {
    clusterIP: '10.96.0.10',
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    selector: { app: 'sample' },
    type: 'ClusterIP',
  },
};

const SERVICES = [MULTI, PLAIN];

const TYPES = JSON.parse(
  '{"apiVersion":"v1","data":{"k":"v"},"kind":"ConfigMap","list":[{"id":"i1","x":4,"y":-5},{"id":"i2","x":-2,"y":-5,"z":1},' +
    '{"id":"i3","x":8,"y":3},{"id":"i4","x":-6,"y":-1},{"id":"i5","x":0,"y":2,"z":1},{"id":"i6","x":1,"y":4},{"id":"i7","x":1.5,"y":null}],' +
    '"metadata":{"name":"types","namespace":"default"},"nulls":[1,null,"a",{"k":null}],"x":{"arr":[],"b":true,"big":1234567.5,' +
    '"bigint":12345678901,"e":1e+21,"e2":1.5e+300,"f":1.5,"n":null,"neg":-3,"nested":{"a":null,"z":[1,"two",{"three":3}]},"obj":{},' +
    '"s":"<a&b>","small":0.00001,"str":"tab\\there","tiny":1e-7,"zero":0}}',
) as unknown;

// sample-objects.json, reduced.
const SAMPLE_PODS = [
  ['web-7d4b9c8f5d-2xkqp', 'node-1', '10.244.1.5', 0],
  ['web-7d4b9c8f5d-8mz4t', 'node-1', '10.244.1.6', 0],
  ['web-7d4b9c8f5d-q7wnd', 'node-2', '10.244.2.7', 1],
].map(([name, nodeName, podIP, restartCount]) => ({
  metadata: { labels: { app: 'web', 'pod-template-hash': '7d4b9c8f5d' }, name },
  spec: { containers: [{ image: 'nginx:1.27', name: 'nginx' }], nodeName },
  status: { containerStatuses: [{ restartCount }], podIP },
}));

const SAMPLE_SERVICES = [
  { metadata: { name: 'external-db' }, spec: { externalName: 'db.example.com', type: 'ExternalName' }, status: { loadBalancer: {} } },
  { metadata: { name: 'web' }, spec: { clusterIP: '10.96.120.15', ports: [{ port: 80 }], type: 'ClusterIP' }, status: { loadBalancer: {} } },
  {
    metadata: { name: 'web-lb' },
    spec: { clusterIP: '10.96.200.5', ports: [{ nodePort: 31380, port: 80 }], type: 'LoadBalancer' },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } },
  },
  {
    metadata: { name: 'web-nodeport' },
    spec: { clusterIP: '10.96.33.200', ports: [{ nodePort: 30080, port: 80 }], type: 'NodePort' },
    status: { loadBalancer: {} },
  },
];

const CAPACITY = {
  cpu: '4',
  'ephemeral-storage': '102334Mi',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '16369604Ki',
  pods: '110',
};

const SAMPLE_NODES = [
  {
    metadata: { name: 'node-1' },
    spec: { podCIDR: '10.244.1.0/24' },
    status: {
      capacity: CAPACITY,
      addresses: [
        { address: '172.18.0.2', type: 'InternalIP' },
        { address: 'node-1', type: 'Hostname' },
      ],
    },
  },
  {
    metadata: { name: 'node-2' },
    spec: { podCIDR: '10.244.2.0/24', taints: [{ effect: 'PreferNoSchedule', key: 'dedicated', value: 'web' }] },
    status: {
      capacity: CAPACITY,
      addresses: [
        { address: '172.18.0.3', type: 'InternalIP' },
        { address: 'node-2', type: 'Hostname' },
      ],
    },
  },
];

const OBJECTS: Record<string, unknown[]> = {
  'get svc': SERVICES,
  'get cm types': [TYPES],
  'get pods': [],
  'get pod -l app=web': SAMPLE_PODS,
  'get svc sample': SAMPLE_SERVICES,
  'get nodes': SAMPLE_NODES,
};

/** kubectl's stdout, and its error message (stderr without `error: `) when it failed. */
interface Printed {
  output: string;
  error?: string;
}

/** What kubectl printed for `kubectl <command> -o custom-columns=<spec> [--no-headers]`. */
function print(command: string, spec: string, noHeaders: boolean): Printed {
  let columns;
  try {
    columns = parseCustomColumns(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return { output: '', error: (e as Error).message };
  }
  const { output, error } = renderCustomColumns(columns, OBJECTS[command], { noHeaders });
  return error ? { output, error: error.message } : { output };
}

// [command, spec, --no-headers, printed], observed with kubectl v1.32.
const OBSERVED: [string, string, boolean, Printed][] = [
  ["get svc", "NAME", false, { output: "", error: "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>" }],
  ["get svc", "NAME:.metadata.name,BAD", false, { output: "", error: "unexpected custom-columns spec: BAD, expected <header>:<json-path-expr>" }],
  ["get svc", "A:{.metadata.name}}", false, { output: "", error: "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'" }],
  ["get svc", "A:{{.x}}", false, { output: "", error: "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'" }],
  ["get svc", "A:.spec.ports[", false, { output: "A\n", error: "unterminated array" }],
  ["get svc", "A:.spec.ports[*].port,B:.nope.x", false, { output: "A        B\n80,443   <none>\n80       <none>\n" }],
  ["get svc", "A:.metadata.name,B:.spec.ports[5]", false, { output: "A     B\n", error: "array index out of bounds: index 5, length 2" }],
  ["get svc", "A:x y", false, { output: "A\n", error: "unrecognized identifier y" }],
  ["get svc", "A:.spec.ports[?(@.port>100)].name", false, { output: "A\nhttps\n<none>\n" }],
  ["get svc", ":.metadata.name,:", false, { output: "        \nmulti   <none>\nplain   <none>\n" }],
  ["get svc", "A:B:C", false, { output: "A\n<none>\n<none>\n" }],
  ["get svc", "A:.metadata.name .kind", false, { output: "A\n<none>\n<none>\n" }],
  ["get svc", "A:$.kind", false, { output: "A\n<none>\n<none>\n" }],
  ["get svc", "A:..port", false, { output: "A\n80,443\n80\n" }],
  ["get svc", "", false, { output: "", error: "custom-columns format specified but no custom columns given" }],
  ["get svc", "NAME:.metadata.name,IP:.spec.clusterIP,PORTS:.spec.ports[*].port,NP:{spec.ports[*].nodePort},SEL:.spec.selector,X:.nope", false, { output: "NAME    IP           PORTS    NP            SEL                       X\nmulti   10.96.0.11   80,443   30081,31000   map[app:sample tier:fe]   <none>\nplain   10.96.0.10   80       <none>        map[app:sample]           <none>\n" }],
  ["get svc", "NAME:.metadata.name,P:.spec.ports[*].port,SEL:.spec.selector,LBL:{metadata.labels},PORTS:spec.ports,A:", false, { output: "NAME    P        SEL                       LBL                                         PORTS                                                                                                                                        A\nmulti   80,443   map[app:sample tier:fe]   map[app.kubernetes.io/name:multi tier:fe]   [map[name:http nodePort:30081 port:80 protocol:TCP targetPort:8080] map[name:https nodePort:31000 port:443 protocol:TCP targetPort:https]]   <none>\nplain   80       map[app:sample]           <none>                                      [map[port:80 protocol:TCP targetPort:80]]                                                                                                    <none>\n" }],
  ["get svc", "lower:metadata.name,Mixed Case:.kind", false, { output: "lower   Mixed Case\nmulti   Service\nplain   Service\n" }],
  ["get svc", "A:.spec.ports[0,1].port", false, { output: "", error: "unexpected custom-columns spec: 1].port, expected <header>:<json-path-expr>" }],
  ["get svc", "A:.metadata.annotations.note,B:.metadata.annotations", false, { output: "A        B\na<b>&c   map[note:a<b>&c u:é\u2028x]\n<none>   <none>\n" }],
  ["get svc", "A:.spec.ports[1].port", false, { output: "A\n443\n", error: "array index out of bounds: index 1, length 1" }],
  ["get svc", "A:{.spec.ports[0].port}", false, { output: "A\n80\n80\n" }],
  ["get svc", "A:.metadata.name,B:.spec.ports[?(@.port==80.0)]", false, { output: "A     B\n", error: "incompatible types for comparison" }],
  ["get svc", "NAME:.metadata.name,T:.spec.type", true, { output: "multi   NodePort\nplain   ClusterIP\n" }],
  ["get cm types", "N:.x.n,B:.x.b,F:.x.f,BIG:.x.big,SM:.x.small,E:.x.e,ARR:.x.arr,OBJ:.x.obj,S:.x.s,NEST:.x.nested,L:.list[0:2],STR:.x.str", false, { output: "N       B      F     BIG             SM      E       ARR   OBJ     S       NEST                                  L                                              STR\n<nil>   true   1.5   1.2345675e+06   1e-05   1e+21   []    map[]   <a&b>   map[a:<nil> z:[1 two map[three:3]]]   map[id:i1 x:4 y:-5],map[id:i2 x:-2 y:-5 z:1]   tab   here\n" }],
  ["get cm types", "A:.nulls[*],B:.nulls[1],C:.nulls", false, { output: "A                        B       C\n1,<nil>,a,map[k:<nil>]   <nil>   [1 <nil> a map[k:<nil>]]\n" }],
  ["get cm types", "A:.x.s.*,B:.x.e2,C:.x.tiny,D:.x.bigint", false, { output: "A                B          C       D\n60,97,38,98,62   1.5e+300   1e-07   12345678901\n" }],
  ["get pods", "NAME:.metadata.name", false, { output: "NAME\n" }],
  ["get pods", "NAME:.metadata.name[", false, { output: "NAME\n", error: "unterminated array" }],
  ["get pods", "NAME:.items[0]", false, { output: "NAME\n" }],
  ["get pods", "NAME:.metadata.name", true, { output: "" }],
  ["get pod -l app=web", "NAME:{metadata.name},IP:{status.podIP}", false, { output: "NAME                   IP\nweb-7d4b9c8f5d-2xkqp   10.244.1.5\nweb-7d4b9c8f5d-8mz4t   10.244.1.6\nweb-7d4b9c8f5d-q7wnd   10.244.2.7\n" }],
  ["get pod -l app=web", "NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image,RESTARTS:.status.containerStatuses[*].restartCount,LABELS:.metadata.labels", false, { output: "NAME                   NODE     IMAGES       RESTARTS   LABELS\nweb-7d4b9c8f5d-2xkqp   node-1   nginx:1.27   0          map[app:web pod-template-hash:7d4b9c8f5d]\nweb-7d4b9c8f5d-8mz4t   node-1   nginx:1.27   0          map[app:web pod-template-hash:7d4b9c8f5d]\nweb-7d4b9c8f5d-q7wnd   node-2   nginx:1.27   1          map[app:web pod-template-hash:7d4b9c8f5d]\n" }],
  ["get svc sample", "NAME:.metadata.name,TYPE:.spec.type,CLUSTER-IP:.spec.clusterIP,PORTS:.spec.ports[*].port,EXT:.spec.externalName,LB:.status.loadBalancer.ingress[*].ip", false, { output: "NAME           TYPE           CLUSTER-IP     PORTS    EXT              LB\nexternal-db    ExternalName   <none>         <none>   db.example.com   <none>\nweb            ClusterIP      10.96.120.15   80       <none>           <none>\nweb-lb         LoadBalancer   10.96.200.5    80       <none>           203.0.113.10\nweb-nodeport   NodePort       10.96.33.200   80       <none>           <none>\n" }],
  ["get nodes", "NAME:.metadata.name,TAINTS:.spec.taints,CAP:.status.capacity,ADDR:.status.addresses[?(@.type==\"InternalIP\")].address", false, { output: "NAME     TAINTS                                                   CAP                                                                                                ADDR\nnode-1   <none>                                                   map[cpu:4 ephemeral-storage:102334Mi hugepages-1Gi:0 hugepages-2Mi:0 memory:16369604Ki pods:110]   172.18.0.2\nnode-2   [map[effect:PreferNoSchedule key:dedicated value:web]]   map[cpu:4 ephemeral-storage:102334Mi hugepages-1Gi:0 hugepages-2Mi:0 memory:16369604Ki pods:110]   172.18.0.3\n" }],
];

describe('kubectl v1.32 -o custom-columns', () => {
  it.each(OBSERVED)('%s -o custom-columns=%s (no headers: %s)', (command, spec, noHeaders, printed) => {
    expect(print(command, spec, noHeaders)).toEqual(printed);
  });
});

// [file content, printed] for `kubectl get svc -o custom-columns-file=FILE`, observed with kubectl v1.32.
// kubectl ignores --no-headers with a file.
const OBSERVED_FILES: [string, Printed][] = [
  ["NAME   PORTS\n .metadata.name   {.spec.ports[*].port}\nextra line\n", { output: "NAME    PORTS\nmulti   80,443\nplain   80\n" }],
  ["NAME   PORTS\n", { output: "", error: "invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs." }],
  ["A B\nx\n", { output: "", error: "number of headers (2) and field specifications (1) don't match" }],
  ["", { output: "", error: "invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs." }],
  ["\n\n", { output: "\n\n\n" }],
  ["NAME\n.metadata.name\n", { output: "NAME\nmulti\nplain\n" }],
  ["A\tB\n.metadata.name\t.kind", { output: "A       B\nmulti   Service\nplain   Service\n" }],
  ["A B\n.x {.y}}\n", { output: "", error: "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'" }],
];

describe('kubectl v1.32 -o custom-columns-file', () => {
  it.each(OBSERVED_FILES)('%j', (content, printed) => {
    let result: Printed;
    try {
      const { output, error } = renderCustomColumns(parseCustomColumnsFile(content), SERVICES, { noHeaders: false });
      result = error ? { output, error: error.message } : { output };
    } catch (e) {
      expect(e).toBeInstanceOf(CliError);
      result = { output: '', error: (e as Error).message };
    }
    expect(result).toEqual(printed);
  });
});

describe('parseCustomColumns', () => {
  it('keeps headers as written and relaxes every expression', () => {
    expect(parseCustomColumns('NAME:{metadata.name},IP:{status.podIP},x:.a,Y:b.c,EMPTY:')).toEqual([
      { header: 'NAME', fieldSpec: '{.metadata.name}' },
      { header: 'IP', fieldSpec: '{.status.podIP}' },
      { header: 'x', fieldSpec: '{.a}' },
      { header: 'Y', fieldSpec: '{.b.c}' },
      { header: 'EMPTY', fieldSpec: '' },
    ]);
  });

  it('splits each part on its first colon only', () => {
    expect(parseCustomColumns('A:B:C')).toEqual([{ header: 'A', fieldSpec: '{.B:C}' }]);
  });
});

describe('parseCustomColumnsFile', () => {
  it('reads headers and expressions separated by any whitespace, ignoring CR and later lines', () => {
    expect(parseCustomColumnsFile('NAME \t IP\r\n{metadata.name}   .status.podIP\r\nignored\n')).toEqual([
      { header: 'NAME', fieldSpec: '{.metadata.name}' },
      { header: 'IP', fieldSpec: '{.status.podIP}' },
    ]);
  });
});

describe('customColumnCells', () => {
  it('prints values as Go fmt does, joins several with commas, and says <none> for no match', () => {
    const columns = parseCustomColumns('NAME:.metadata.name,PORTS:.spec.ports[*].port,SEL:.spec.selector,X:.nope');
    expect(customColumnCells(columns, MULTI)).toEqual(['multi', '80,443', 'map[app:sample tier:fe]', '<none>']);
    expect(customColumnCells(columns, PLAIN)).toEqual(['plain', '80', 'map[app:sample]', '<none>']);
  });

  it('shows ESC and CR the way kubectl escapes terminal output', () => {
    const columns = parseCustomColumns('V:.v');
    expect(customColumnCells(columns, { v: 'a\x1b[31mb\rc' })).toEqual(['a^[[31mb\\rc']);
  });

  it('fails with the engine message for an index out of range', () => {
    const columns = parseCustomColumns('A:.spec.ports[1].port');
    expect(customColumnCells(columns, MULTI)).toEqual(['443']);
    expect(() => customColumnCells(columns, PLAIN)).toThrow(new CliError('array index out of bounds: index 1, length 1'));
  });
});
