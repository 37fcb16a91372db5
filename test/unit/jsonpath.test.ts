import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/api/errors.ts';
import {
  checkTemplateGiven,
  executeJsonPath,
  executeJsonPathAsJson,
  findResults,
  parseJsonPath,
  parseJsonPathExpression,
  relaxedJsonPathExpression,
} from '../../src/printers/jsonpath.ts';

function run(template: string, data: unknown, allowMissingKeys = false): string {
  return executeJsonPath(parseJsonPath('test', template), data, { allowMissingKeys });
}

/** The engine's own message for a template that parses but fails, as FindResults returns it. */
function failure(template: string, data: unknown, allowMissingKeys = false): string {
  const tpl = parseJsonPathExpression('test', template);
  expect(() => findResults(tpl, data, { allowMissingKeys })).toThrow(CliError);
  try {
    findResults(tpl, data, { allowMissingKeys });
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

function parseFailure(template: string): string {
  try {
    parseJsonPathExpression('test', template);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return (e as Error).message;
  }
  throw new Error(`${template} parsed`);
}

/** Whitespace-separated words, sorted: for results whose order Go leaves to map iteration. */
function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean).sort();
}

// ------------------------------------------------------------------ client-go parser_test.go

describe('parser (client-go parser_test.go)', () => {
  const array = (a: [number, boolean, boolean], b: [number, boolean, boolean], c: [number, boolean, boolean]) => ({
    type: 'array',
    params: [a, b, c].map(([value, known, derived]) => ({ value, known, derived })),
  });
  const list = (...nodes: unknown[]) => ({ type: 'list', nodes });
  const field = (name: string) => ({ type: 'field', name });
  const text = (t: string) => ({ type: 'text', text: t });
  const filter = (left: unknown, operator: string, right: unknown) => ({ type: 'filter', left, right, operator });

  const cases: [string, string, unknown[]][] = [
    ['plain', 'hello jsonpath', [text('hello jsonpath')]],
    ['variable', 'hello {.jsonpath}', [text('hello '), list(field('jsonpath'))]],
    ['arrayfiled', "hello {['jsonpath']}", [text('hello '), list(field('jsonpath'))]],
    ['quote', '{"{"}', [list(text('{'))]],
    ['array', '{[1:3]}', [list(array([1, true, false], [3, true, false], [0, false, false]))]],
    [
      'allarray',
      '{.book[*].author}',
      [list(field('book'), array([0, false, false], [0, false, false], [0, false, false]), field('author'))],
    ],
    ['wildcard', '{.bicycle.*}', [list(field('bicycle'), { type: 'wildcard' })]],
    ['filter', '{[?(@.price<3)]}', [list(filter(list(field('price')), '<', list({ type: 'int', value: 3 })))]],
    ['recursive', '{..}', [list({ type: 'recursive' })]],
    ['recurField', '{..price}', [list({ type: 'recursive' }, field('price'))]],
    ['arraydict', "{['book.price']}", [list(field('book'), field('price'))]],
    [
      'union',
      "{['bicycle.price', 3, 'book.price']}",
      [
        list({
          type: 'union',
          nodes: [
            list(field('bicycle'), field('price')),
            list(array([3, true, false], [4, true, true], [0, false, false])),
            list(field('book'), field('price')),
          ],
        }),
      ],
    ],
    [
      'range',
      '{range .items}{.name},{end}',
      [list({ type: 'identifier', name: 'range' }, field('items')), list(field('name')), text(','), list({ type: 'identifier', name: 'end' })],
    ],
    [
      'paired parentheses in quotes',
      '{[?(@.status.nodeInfo.osImage == "()")]}',
      [list(filter(list(field('status'), field('nodeInfo'), field('osImage')), '==', list(text('()'))))],
    ],
    [
      'paired parentheses in double quotes and with double quotes escape',
      '{[?(@.status.nodeInfo.osImage == "(\\"\\")")]}',
      [list(filter(list(field('status'), field('nodeInfo'), field('osImage')), '==', list(text('("")'))))],
    ],
    [
      'unregular parentheses in double quotes',
      '{[?(@.test == "())(")]}',
      [list(filter(list(field('test')), '==', list(text('())('))))],
    ],
    [
      'plain text in single quotes',
      "{[?(@.status.nodeInfo.osImage == 'Linux')]}",
      [list(filter(list(field('status'), field('nodeInfo'), field('osImage')), '==', list(text('Linux'))))],
    ],
    [
      'test filter suffix',
      '{[?(@.status.nodeInfo.osImage == "{[()]}")]}',
      [list(filter(list(field('status'), field('nodeInfo'), field('osImage')), '==', list(text('{[()]}'))))],
    ],
    [
      'double inside single',
      `{[?(@.status.nodeInfo.osImage == "''")]}`,
      [list(filter(list(field('status'), field('nodeInfo'), field('osImage')), '==', list(text("''"))))],
    ],
    [
      'single inside double',
      `{[?(@.status.nodeInfo.osImage == '""')]}`,
      [list(filter(list(field('status'), field('nodeInfo'), field('osImage')), '==', list(text('""'))))],
    ],
    [
      'single containing escaped single',
      "{[?(@.status.nodeInfo.osImage == '\\\\\\'')]}",
      [list(filter(list(field('status'), field('nodeInfo'), field('osImage')), '==', list(text("\\'"))))],
    ],
    ['negative index slice, equals a[len-5] to a[len-1]', '{[-5:]}', [list(array([-5, true, false], [0, false, false], [0, false, false]))]],
    ['negative index slice, equals a[len-1]', '{[-1]}', [list(array([-1, true, false], [0, true, true], [0, false, false]))]],
    ['negative index slice, equals a[1] to a[len-1]', '{[1:-1]}', [list(array([1, true, false], [-1, true, false], [0, false, false]))]],
  ];

  it.each(cases)('%s', (_name, template, nodes) => {
    // Spaces inside an action leave no node, so the filter operands compare as in client-go.
    const root = parseJsonPathExpression('test', template).root;
    expect(JSON.parse(JSON.stringify(root.nodes))).toEqual(nodes);
  });

  it('rejects malformed input', () => {
    expect(() => parseJsonPathExpression('test', '{\\\\\\}')).toThrow(CliError);
  });

  it.each([
    ['{.hello', 'unclosed action'],
    ['{*}', "unrecognized character in action: U+002A '*'"],
    ['{+12.3.0}', 'cannot parse number +12.3.0'],
    ['{[1}', 'unterminated array'],
    ['{[?(.price]}', 'unterminated filter'],
    ['{........}', 'invalid multiple recursive descent'],
  ])('fails to parse %s: %s', (template, message) => {
    expect(parseFailure(template)).toBe(message);
  });
});

// ------------------------------------------------------------------ client-go jsonpath_test.go

describe('execution (client-go jsonpath_test.go, JSON input)', () => {
  const types = {
    bools: [true, false, true, false],
    integers: [1, 2, 3, 4],
    floats: [1.0, 2.2, 3.3, 4.0],
    strings: ['one', 'two', 'three', 'four'],
    interfaces: [true, 'one', 1, 1.1],
    maps: [
      { name: 'one', value: 1 },
      { name: 'two', value: 2.02 },
      { name: 'three', value: 3.03 },
      { name: 'four', value: 4.04 },
    ],
  };

  it.each([
    ['{ .bools }', '[true,false,true,false]'],
    ['{ .bools[0] }', 'true'],
    ['{ .bools[-1] }', 'false'],
    ['{ .bools[0:2] }', 'true false'],
    ['{ .bools[:2] }', 'true false'],
    ['{ .bools[:4:2] }', 'true true'],
    ['{ .integers }', '[1,2,3,4]'],
    ['{ .integers[0] }', '1'],
    ['{ .integers[-2] }', '3'],
    ['{ .integers[0:2] }', '1 2'],
    ['{ .integers[:2] }', '1 2'],
    ['{ .integers[:4:2] }', '1 3'],
    ['{ .floats }', '[1,2.2,3.3,4]'],
    ['{ .floats[0] }', '1'],
    ['{ .floats[-2] }', '3.3'],
    ['{ .floats[0:2] }', '1 2.2'],
    ['{ .floats[:2] }', '1 2.2'],
    ['{ .floats[:4:2] }', '1 3.3'],
    ['{ .strings }', '["one","two","three","four"]'],
    ['{ .strings[0] }', 'one'],
    ['{ .strings[-2] }', 'three'],
    ['{ .strings[0:2] }', 'one two'],
    ['{ .strings[:2] }', 'one two'],
    ['{ .strings[:4:2] }', 'one three'],
    ['{ .interfaces }', '[true,"one",1,1.1]'],
    ['{ .interfaces[0] }', 'true'],
    ['{ .interfaces[-2] }', '1'],
    ['{ .interfaces[0:2] }', 'true one'],
    ['{ .interfaces[:2] }', 'true one'],
    ['{ .interfaces[:4:2] }', 'true 1'],
    ['{ .maps }', '[{"name":"one","value":1},{"name":"two","value":2.02},{"name":"three","value":3.03},{"name":"four","value":4.04}]'],
    ['{ .maps[0] }', '{"name":"one","value":1}'],
    ['{ .maps[-2] }', '{"name":"three","value":3.03}'],
    ['{ .maps[0:2] }', '{"name":"one","value":1} {"name":"two","value":2.02}'],
    ['{ .maps[:2] }', '{"name":"one","value":1} {"name":"two","value":2.02}'],
    ['{ .maps[::2] }', '{"name":"one","value":1} {"name":"three","value":3.03}'],
    ['{ .maps[1::2] }', '{"name":"two","value":2.02} {"name":"four","value":4.04}'],
  ])('TestTypesInput %s', (template, expected) => {
    expect(run(template, types)).toBe(expected);
  });

  // TestStructInput's store, as the JSON kubectl would hand over (map keys sorted when printed).
  const store = {
    Name: 'jsonpath',
    Book: [
      { Category: 'reference', Author: 'Nigel Rees', Title: 'Sayings of the Centurey', Price: 8.95 },
      { Category: 'fiction', Author: 'Evelyn Waugh', Title: 'Sword of Honour', Price: 12.99 },
      { Category: 'fiction', Author: 'Herman Melville', Title: 'Moby Dick', Price: 8.99 },
    ],
    Bicycle: [
      { Color: 'red', Price: 19.95, IsNew: true },
      { Color: 'green', Price: 20.01, IsNew: false },
    ],
    Labels: { engieer: 10, 'web/html': 15, 'k8s-app': 20 },
    Employees: { jason: 'manager', dan: 'clerk' },
  };

  it.each([
    ['hello jsonpath', null, 'hello jsonpath'],
    ['{..}', [1, 2, 3], '[1,2,3]'],
    ['{[?(@<5)]}', [2, 6, 3, 7], '2 3'],
    ['{"{"}', null, '{'],
    ['{[1,3,4]}', [0, 1, 2, 3, 4], '1 3 4'],
    ['{[0:2]}', ['Monday', 'Tudesday'], 'Monday Tudesday'],
    ['hello {.Name}', store, 'hello jsonpath'],
    ['{$.Labels.web/html}', store, '15'],
    ['{$.Employees.jason}', store, 'manager'],
    ['{$.Employees.dan}', store, 'clerk'],
    ['{.Labels.k8s-app}', store, '20'],
    ['{.Bicycle[*].Color}', store, 'red green'],
    ['{.Book[*].Author}', store, 'Nigel Rees Evelyn Waugh Herman Melville'],
    ['{.Bicycle}', store, '[{"Color":"red","IsNew":true,"Price":19.95},{"Color":"green","IsNew":false,"Price":20.01}]'],
    ['{range .Bicycle[*]}{ @ }{ " " }{end}', store, '{"Color":"red","IsNew":true,"Price":19.95} {"Color":"green","IsNew":false,"Price":20.01} '],
    ['{.Book[-1:]}', store, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'],
    ['{..Book[2]}', store, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'],
    ['{.Bicycle[?(@.IsNew==true)]}', store, '{"Color":"red","IsNew":true,"Price":19.95}'],
  ])('TestStructInput %s', (template, data, expected) => {
    expect(run(template, data)).toBe(expected);
  });

  it('TestStructInput recurfields (map order is Go map order, so compared as sets)', () => {
    expect(words(run('{..Price}', store))).toEqual(words('8.95 12.99 8.99 19.95 20.01'));
    expect(words(run('{...Price}', store))).toEqual(words('8.95 12.99 8.99 19.95 20.01'));
    expect(parseFailure('{............................................................Price}')).toBe(
      'invalid multiple recursive descent',
    );
  });

  it('TestStructInput missing keys allowed', () => {
    expect(run('{.hello}', store, true)).toBe('');
    expect(run('before-{.hello}after', store, true)).toBe('before-after');
  });

  it.each([
    ['{hello}', 'unrecognized identifier hello'],
    ['{.hello}', 'hello is not found'],
    ['{.Labels[0]}', 'map[string]interface {} is not array or slice'],
    ['{.Book[?(@.Price<>10)]}', 'unrecognized filter operator <>'],
    ['{range .Labels.*}{@}{end}{end}', 'not in range, nothing to end'],
  ])('TestStructInput fails: %s', (template, message) => {
    expect(failure(template, store)).toBe(message);
  });

  const points = [
    { id: 'i1', x: 4, y: -5 },
    { id: 'i2', x: -2, y: -5, z: 1 },
    { id: 'i3', x: 8, y: 3 },
    { id: 'i4', x: -6, y: -1 },
    { id: 'i5', x: 0, y: 2, z: 1 },
    { id: 'i6', x: 1, y: 4 },
  ];

  it('TestJSONInput', () => {
    expect(run('{[?(@.z)].id}', points)).toBe('i2 i5');
    expect(run("{[0]['id']}", points)).toBe('i1');
  });

  const nodes = {
    kind: 'List',
    items: [
      {
        kind: 'None',
        metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } },
        status: { capacity: { cpu: '4' }, ready: true, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }] },
      },
      {
        kind: 'None',
        metadata: { name: '127.0.0.2', labels: { 'kubernetes.io/hostname': '127.0.0.2' } },
        status: {
          capacity: { cpu: '8' },
          ready: false,
          addresses: [
            { type: 'LegacyHostIP', address: '127.0.0.2' },
            { type: 'another', address: '127.0.0.3' },
          ],
        },
      },
    ],
    users: [
      { name: 'myself', user: {} },
      { name: 'e2e', user: { username: 'admin', password: 'secret' } },
    ],
  };

  it.each([
    ['{range .items[*]}{.metadata.name}, {end}{.kind}', '127.0.0.1, 127.0.0.2, List'],
    ['{range .items[*]}{.metadata.name}{"\\t"}{end}', '127.0.0.1\t127.0.0.2\t'],
    ['{.items[*].status.addresses[*].address}', '127.0.0.1 127.0.0.2 127.0.0.3'],
    ['{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}', '127.0.0.1, 127.0.0.2, 127.0.0.3, '],
    ['{.items[*].metadata.name}', '127.0.0.1 127.0.0.2'],
    ["{.items[*]['metadata.name', 'status.capacity']}", '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'],
    ['{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}', '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '],
    ['{.users[?(@.name=="e2e")].user.password}', 'secret'],
    ['{.items[0].metadata.labels.kubernetes\\.io/hostname}', '127.0.0.1'],
    ['{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', 'None'],
    ['{.items[?(@..ready==true)].metadata.name}', '127.0.0.1'],
  ])('TestKubernetes %s', (template, expected) => {
    expect(run(template, nodes)).toBe(expected);
  });

  it('TestKubernetes recursive name (map order is Go map order, so compared as sets)', () => {
    expect(words(run('{..name}', nodes))).toEqual(words('127.0.0.1 127.0.0.2 myself e2e'));
  });

  it('TestEmptyRange', () => {
    const empty = { items: [] };
    expect(run('{range .items[*]}{.metadata.name}{end}', empty, true)).toBe('');
    expect(
      run('{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}', empty, true),
    ).toBe('');
  });

  const pods = {
    items: [
      {
        metadata: { name: 'pod1' },
        spec: {
          containers: [
            { name: 'foo', another: [{ name: 'value1' }, { name: 'value2' }] },
            { name: 'bar', another: [{ name: 'value1' }, { name: 'value2' }] },
          ],
        },
      },
      {
        metadata: { name: 'pod2' },
        spec: { containers: [{ name: 'baz', another: [{ name: 'value1' }, { name: 'value2' }] }] },
      },
    ],
  };

  it('TestNestedRanges', () => {
    expect(run('{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}', pods)).toBe(
      'pod1:foo,bar,+pod2:baz,+',
    );
    expect(
      run(
        '{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}',
        pods,
      ),
    ).toBe('pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#');
    expect(
      run(
        '{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}',
        pods,
      ),
    ).toBe('pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n');
  });

  it('TestFilterPartialMatchesSometimesMissingAnnotations', () => {
    const data = {
      kind: 'List',
      items: [
        { kind: 'Pod', metadata: { name: 'pod1', annotations: { color: 'blue' } } },
        { kind: 'Pod', metadata: { name: 'pod2' } },
        { kind: 'Pod', metadata: { name: 'pod3', annotations: { color: 'green' } } },
        { kind: 'Pod', metadata: { name: 'pod4', annotations: { color: 'blue' } } },
      ],
    };
    const template = '{.items[?(@.metadata.annotations.color=="blue")].metadata.name}';
    expect(run(template, data, true)).toBe('pod1 pod4');
    expect(failure(template, data, false)).toBe('annotations is not found');
  });

  const containers = (n: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    spec: { containers: Array.from({ length: n }, (_, i) => ({ image: 'radial/busyboxplus:curl', name: `fake${i}` })) },
  });

  it.each([
    ['{.spec.containers[0].name}', 'fake0'],
    ['{.spec.containers[0:0].name}', ''],
    ['{.spec.containers[0:-1].name}', 'fake0 fake1 fake2'],
    ['{.spec.containers[-1].name}', 'fake3'],
    ['{.spec.containers[-1:].name}', 'fake3'],
    ['{.spec.containers[-2].name}', 'fake2'],
    ['{.spec.containers[-2:].name}', 'fake2 fake3'],
    ['{.spec.containers[-3].name}', 'fake1'],
    ['{.spec.containers[-4].name}', 'fake0'],
    ['{.spec.containers[-4:].name}', 'fake0 fake1 fake2 fake3'],
    ['{.spec.containers[5:5].name}', ''],
    ['{.spec.containers[-5:-5].name}', ''],
  ])('TestNegativeIndex %s', (template, expected) => {
    expect(run(template, containers(4))).toBe(expected);
  });

  it.each([
    ['{.spec.containers[-1:0].name}', 'starting index 3 is greater than ending index 0'],
    ['{.spec.containers[-5].name}', 'array index out of bounds: index -1, length 4'],
    ['{.spec.containers[3:1].name}', 'starting index 3 is greater than ending index 1'],
    ['{.spec.containers[-1:-2].name}', 'starting index 3 is greater than ending index 2'],
  ])('TestNegativeIndex fails: %s', (template, message) => {
    expect(failure(template, containers(4))).toBe(message);
  });

  it('TestRunningPodsJSONPathOutput', () => {
    const data = {
      kind: 'List',
      items: [
        { kind: 'Pod', metadata: { name: 'pod1' }, status: { phase: 'Running' } },
        { kind: 'Pod', metadata: { name: 'pod2' }, status: { phase: 'Running' } },
        { kind: 'Pod', metadata: { name: 'pod3' }, status: { phase: 'Running' } },
        { resourceVersion: '', selfLink: '' },
      ],
    };
    expect(run('{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}', data, true)).toBe(
      'pod1 is Running\npod2 is Running\npod3 is Running\n',
    );
  });

  it.each([
    ['{.spec.containers[0:].name}', 'fake0 fake1 fake2 fake3 fake4 fake5'],
    ['{.spec.containers[0:6:].name}', 'fake0 fake1 fake2 fake3 fake4 fake5'],
    ['{.spec.containers[0:6:1].name}', 'fake0 fake1 fake2 fake3 fake4 fake5'],
    ['{.spec.containers[1:4:2].name}', 'fake1 fake3'],
    ['{.spec.containers[1:4:3].name}', 'fake1'],
    ['{.spec.containers[1:4:4].name}', 'fake1'],
    ['{.spec.containers[0:6:2].name}', 'fake0 fake2 fake4'],
    ['{.spec.containers[0:6:3].name}', 'fake0 fake3'],
    ['{.spec.containers[0:6:5].name}', 'fake0 fake5'],
    ['{.spec.containers[0:6:6].name}', 'fake0'],
  ])('TestStep %s', (template, expected) => {
    expect(run(template, containers(6))).toBe(expected);
  });

  it.each([['{.spec.containers[0:6:0].name}'], ['{.spec.containers[0:6:-1].name}']])('TestStep fails: %s', (template) => {
    expect(failure(template, containers(6))).toBe('step must be > 0');
  });
});

// ------------------------------------------------------------------ observed with kubectl v1.32

// What `kubectl get ... -o json` returned for the objects below: the data kubectl's jsonpath engine saw.
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

const SERVICE_LIST = { apiVersion: 'v1', items: [MULTI, PLAIN], kind: 'List', metadata: { resourceVersion: '' } };

const EMPTY_LIST = { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } };

const TYPES = JSON.parse(
  '{"apiVersion":"v1","data":{"k":"v"},"kind":"ConfigMap","list":[{"id":"i1","x":4,"y":-5},{"id":"i2","x":-2,"y":-5,"z":1},' +
    '{"id":"i3","x":8,"y":3},{"id":"i4","x":-6,"y":-1},{"id":"i5","x":0,"y":2,"z":1},{"id":"i6","x":1,"y":4},{"id":"i7","x":1.5,"y":null}],' +
    '"metadata":{"name":"types","namespace":"default"},"nulls":[1,null,"a",{"k":null}],"x":{"arr":[],"b":true,"big":1234567.5,' +
    '"bigint":12345678901,"e":1e+21,"e2":1.5e+300,"f":1.5,"n":null,"neg":-3,"nested":{"a":null,"z":[1,"two",{"three":3}]},"obj":{},' +
    '"s":"<a&b>","small":0.00001,"str":"tab\\there","tiny":1e-7,"zero":0}}',
) as unknown;

// sample-objects.json pods, reduced to the fields the templates below read.
const SAMPLE_PODS = {
  apiVersion: 'v1',
  items: [
    ['web-7d4b9c8f5d-2xkqp', 'node-1', '10.244.1.5', 0],
    ['web-7d4b9c8f5d-8mz4t', 'node-1', '10.244.1.6', 0],
    ['web-7d4b9c8f5d-q7wnd', 'node-2', '10.244.2.7', 1],
  ].map(([name, nodeName, podIP, restartCount]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels: { app: 'web', 'pod-template-hash': '7d4b9c8f5d' }, name, namespace: 'default' },
    spec: { containers: [{ image: 'nginx:1.27', name: 'nginx' }], nodeName },
    status: { containerStatuses: [{ image: 'docker.io/library/nginx:1.27', restartCount }], podIP },
  })),
  kind: 'List',
  metadata: { resourceVersion: '' },
};

const SAMPLE_WEB = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    creationTimestamp: '2025-06-01T09:00:30Z',
    labels: { app: 'web' },
    name: 'web',
    namespace: 'default',
    resourceVersion: '1012',
    uid: '0c0ffee0-0000-4000-8000-000000000500',
  },
  spec: {
    clusterIP: '10.96.120.15',
    clusterIPs: ['10.96.120.15'],
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
    selector: { app: 'web' },
    sessionAffinity: 'None',
    type: 'ClusterIP',
  },
  status: { loadBalancer: {} },
};

/**
 * stdout for a template, `error` for the whole message of a parse failure, `errorLine` for the
 * first line of an execution failure (the rest is the debugging block, checked separately).
 * Messages are kubectl's stderr without its `error: ` prefix.
 */
type Observed = string | { error: string } | { errorLine: string };

interface ObservedGroup {
  title: string;
  data: unknown;
  asJson: boolean;
  allowMissingKeys: boolean;
  cases: [string, Observed][];
}

const OBSERVED: ObservedGroup[] = [
  {
    title: 'a Service with two ports (get svc multi), -o jsonpath',
    data: MULTI,
    asJson: false,
    allowMissingKeys: true,
    cases: [
      ["{.metadata.labels}|{.metadata.annotations}|{.spec.ports}|{.spec.ports[*].port}|{.spec.ports[-1].name}|{.spec.ports[0:1].name}", "{\"app.kubernetes.io/name\":\"multi\",\"tier\":\"fe\"}|{\"note\":\"a\\u003cb\\u003e\\u0026c\",\"u\":\"é\\u2028x\"}|[{\"name\":\"http\",\"nodePort\":30081,\"port\":80,\"protocol\":\"TCP\",\"targetPort\":8080},{\"name\":\"https\",\"nodePort\":31000,\"port\":443,\"protocol\":\"TCP\",\"targetPort\":\"https\"}]|80 443|https|http"],
      ["{.metadata.name", { error: "error parsing jsonpath {.metadata.name, unclosed action" }],
      ["{.spec.ports[*][\"name\",\"port\"]}", { error: "error parsing jsonpath {.spec.ports[*][\"name\",\"port\"]}, invalid array index \"name\"" }],
      ["{.spec.ports[5].name}", { errorLine: "error executing jsonpath \"{.spec.ports[5].name}\": Error executing template: array index out of bounds: index 5, length 2. Printing more information for debugging the template:" }],
      ["{*}", { error: "error parsing jsonpath {*}, unrecognized character in action: U+002A '*'" }],
      ["{+12.3.0}", { error: "error parsing jsonpath {+12.3.0}, cannot parse number +12.3.0" }],
      ["{[1}", { error: "error parsing jsonpath {[1}, unterminated array" }],
      ["{[?(.price]}", { error: "error parsing jsonpath {[?(.price]}, unterminated filter" }],
      ["{........}", { error: "error parsing jsonpath {........}, invalid multiple recursive descent" }],
      ["{.a\tb}", { error: "error parsing jsonpath {.a\tb}, unrecognized character in action: U+0009" }],
      ["{hello}", { errorLine: "error executing jsonpath \"{hello}\": Error executing template: unrecognized identifier hello. Printing more information for debugging the template:" }],
      ["{end}", { errorLine: "error executing jsonpath \"{end}\": Error executing template: not in range, nothing to end. Printing more information for debugging the template:" }],
      ["{range .spec.ports[*]}{.port}{end}{end}", { errorLine: "error executing jsonpath \"{range .spec.ports[*]}{.port}{end}{end}\": Error executing template: not in range, nothing to end. Printing more information for debugging the template:" }],
      ["{.spec.ports[?(@.port<>10)]}", { errorLine: "error executing jsonpath \"{.spec.ports[?(@.port<>10)]}\": Error executing template: unrecognized filter operator <>. Printing more information for debugging the template:" }],
      ["{.spec[0]}", { errorLine: "error executing jsonpath \"{.spec[0]}\": Error executing template: map[string]interface {} is not array or slice. Printing more information for debugging the template:" }],
      ["{.spec.ports[3:1]}", { errorLine: "error executing jsonpath \"{.spec.ports[3:1]}\": Error executing template: array index out of bounds: index 3, length 2. Printing more information for debugging the template:" }],
      ["{.spec.ports[0:2:0]}", { errorLine: "error executing jsonpath \"{.spec.ports[0:2:0]}\": Error executing template: step must be > 0. Printing more information for debugging the template:" }],
      ["{\"\\q\"}", { error: "error parsing jsonpath {\"\\q\"}, unquote string \"\\q\" error invalid syntax" }],
      ["{.spec.ports[?(@.name==http)].port}", { errorLine: "error executing jsonpath \"{.spec.ports[?(@.name==http)].port}\": Error executing template: unrecognized identifier http. Printing more information for debugging the template:" }],
      ["{.spec.ports[?(@.port==\"80\")].port}", { errorLine: "error executing jsonpath \"{.spec.ports[?(@.port==\\\"80\\\")].port}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{.spec.ports[?(@.port==80.0)].port}", { errorLine: "error executing jsonpath \"{.spec.ports[?(@.port==80.0)].port}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{range .items[*]}{.metadata.name}", "multi"],
      ["{range .items[*]}{.metadata.name}{\"|\"}{end}{.kind}", "Service"],
      ["{.}", ""],
      ["{@}", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{\"note\":\"a\\u003cb\\u003e\\u0026c\",\"u\":\"é\\u2028x\"},\"labels\":{\"app.kubernetes.io/name\":\"multi\",\"tier\":\"fe\"},\"name\":\"multi\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.96.0.11\",\"ports\":[{\"name\":\"http\",\"nodePort\":30081,\"port\":80,\"protocol\":\"TCP\",\"targetPort\":8080},{\"name\":\"https\",\"nodePort\":31000,\"port\":443,\"protocol\":\"TCP\",\"targetPort\":\"https\"}],\"selector\":{\"app\":\"sample\",\"tier\":\"fe\"},\"type\":\"NodePort\"}}"],
      ["{$}", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{\"note\":\"a\\u003cb\\u003e\\u0026c\",\"u\":\"é\\u2028x\"},\"labels\":{\"app.kubernetes.io/name\":\"multi\",\"tier\":\"fe\"},\"name\":\"multi\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.96.0.11\",\"ports\":[{\"name\":\"http\",\"nodePort\":30081,\"port\":80,\"protocol\":\"TCP\",\"targetPort\":8080},{\"name\":\"https\",\"nodePort\":31000,\"port\":443,\"protocol\":\"TCP\",\"targetPort\":\"https\"}],\"selector\":{\"app\":\"sample\",\"tier\":\"fe\"},\"type\":\"NodePort\"}}"],
      ["{.metadata.labels['app.kubernetes.io/name']}", ""],
      ["{.metadata.labels.app\\.kubernetes\\.io/name}", "multi"],
      ["{.metadata.labels['app\\.kubernetes\\.io/name']}", "multi"],
      ["{.spec.ports[]}", "{\"name\":\"http\",\"nodePort\":30081,\"port\":80,\"protocol\":\"TCP\",\"targetPort\":8080}"],
      ["{.spec.ports[0,1].name}", "http https"],
      ["{.spec.ports[*]['name','port']}", "http https 80 443"],
      ["{.spec['type','clusterIP']}", "NodePort 10.96.0.11"],
      ["x{.kind}y", "xServicey"],
      [".metadata.name", ".metadata.name"],
      ["{..port}", "80 443"],
      ["{.spec.ports[?(@.port>100)].name}", "https"],
      ["{.spec.ports[?(@.nodePort)].name}", "http https"],
      ["{.spec.ports[?(@.name=='http')].port}", "80"],
      ["{5} {1.5} {true} {\"a\"}{'b'}", "5 1.5 true ab"],
      ["{5[0]}", { errorLine: "error executing jsonpath \"{5[0]}\": Error executing template: int is not array or slice. Printing more information for debugging the template:" }],
      ["{1.5.x}", { error: "error parsing jsonpath {1.5.x}, cannot parse number 1.5." }],
      ["{-}", { error: "error parsing jsonpath {-}, cannot parse number -" }],
      ["{+}", { error: "error parsing jsonpath {+}, cannot parse number +" }],
      ["{1.}", "1"],
      ["{.spec.ports[-1:]}", "{\"name\":\"https\",\"nodePort\":31000,\"port\":443,\"protocol\":\"TCP\",\"targetPort\":\"https\"}"],
      ["{.spec.ports[-3]}", { errorLine: "error executing jsonpath \"{.spec.ports[-3]}\": Error executing template: array index out of bounds: index -1, length 2. Printing more information for debugging the template:" }],
      ["{.spec.ports[-2:-2]}", ""],
      ["{.spec.ports[:-1].name}", "http"],
      ["{.spec.ports[1:].name}", "https"],
      ["{.spec.ports[::2].name}", "http"],
      ["{.spec.ports[0:0].name}", ""],
      ["{.spec.ports[-]}", { error: "error parsing jsonpath {.spec.ports[-]}, array index - is not a number" }],
      ["{.spec.ports[a]}", { error: "error parsing jsonpath {.spec.ports[a]}, invalid array index a" }],
      ["{.spec.ports[ 0 ]}", { error: "error parsing jsonpath {.spec.ports[ 0 ]}, invalid array index  0 " }],
      ["{.spec.ports[0, 1].port}", "80 443"],
      ["{.spec.ports[0]['name', 'port']}", "http 80"],
      ["{.spec.ports[99999999999999999999]}", { error: "error parsing jsonpath {.spec.ports[99999999999999999999]}, array index 99999999999999999999 is not a number" }],
      ["{\"\\x41\\u00e9\\101\\t\"}", "AéA\t"],
      ["{\"a\\\"b\"}", "a\"b"],
      ["{'it\\'s'}", "it's"],
      ["{'a\\\"b'}", { error: "error parsing jsonpath {'a\\\"b'}, unquote string 'a\\\"b' error invalid syntax" }],
      ["{\"\\\\\"}", { error: "error parsing jsonpath {\"\\\\\"}, unterminated quoted string" }],
      ["{\"abc", { error: "error parsing jsonpath {\"abc, unterminated quoted string" }],
      ["{\"\\400\"}", { error: "error parsing jsonpath {\"\\400\"}, unquote string \"\\400\" error invalid syntax" }],
      ["{\"\\ud800\"}", { error: "error parsing jsonpath {\"\\ud800\"}, unquote string \"\\ud800\" error invalid syntax" }],
      ["{.metadata.name}{\"\\n\"}", "multi\n"],
      ["{.spec.ports[?(@.port>=443)].name}{.spec.ports[?(@.port<=80)].name}{.spec.ports[?(@.port!=80)].name}{.spec.ports[?(@.port<443)].name}", "httpshttphttpshttp"],
      ["{.spec.ports[?( @.port > 100 )].name}", "https"],
      ["{.spec.ports[?(@.name==\"a)b\")].name}", ""],
      ["{.spec.ports[?(@.name)]", { error: "error parsing jsonpath {.spec.ports[?(@.name)], unclosed action" }],
      ["{.spec.ports[?(@.name)x}", { error: "error parsing jsonpath {.spec.ports[?(@.name)x}, unclosed array expect ]" }],
      ["{.spec.ports[?(@.targetPort==8080)].name}", { errorLine: "error executing jsonpath \"{.spec.ports[?(@.targetPort==8080)].name}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{.spec.ports[?(@.name>\"a\")].name}", "http https"],
      ["{.spec.ports[?(@.name==true)].name}", { errorLine: "error executing jsonpath \"{.spec.ports[?(@.name==true)].name}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{.spec.ports[?(@.x==@.y)].name}", ""],
      ["{.spec.ports[?(@.port==@.port)].name}", "http https"],
      ["{.spec.ports[?(@..port==80)].name}", "http"],
      ["{.spec.ports[?(@.*)].name}", "http https"],
      ["{.spec.ports[?()].name}", "http https"],
      ["{range .spec.ports[*]}[{.name}:{.port}]{end}", "[http:80][https:443]"],
      ["{range .spec.ports[*]}{range .spec}{end}x{end}y", "xxy"],
      ["{range .spec.ports[*]}{.name}{end}{range .spec.ports[*]}{.port}{end}", "httphttps80443"],
      ["{range}{.kind}{end}", "Service"],
      ["{.metadata.name} {.kind}", "multi Service"],
      ["a{\"}\"}b", "a}b"],
      ["{.spec..port}", "80 443"],
      ["{.spec.selector.*}", "sample fe"],
      ["{.kind.*}", "83 101 114 118 105 99 101"],
      ["{$.spec.ports[0].port}", "80"],
      ["{@.kind}", "Service"],
      ["{.metadata.annotations.note}", "a<b>&c"],
      ["{.metadata.annotations.u}", "é\u2028x"],
      ["{.nope.deeper}", ""],
      ["{.spec.ports[0].port} {.spec.ports[1].port}", "80 443"],
      ["{range .spec.ports[*]}{@.port}{\"\\t\"}{end}", "80\t443\t"],
      ["{.spec.ports[?(@.port>100)]}", "{\"name\":\"https\",\"nodePort\":31000,\"port\":443,\"protocol\":\"TCP\",\"targetPort\":\"https\"}"],
      ["{\n}", { error: "error parsing jsonpath {\n}, unclosed action" }],
      ["{.a\n}", { error: "error parsing jsonpath {.a\n}, unclosed action" }],
      ["{.spec.ports[0\n]}", { error: "error parsing jsonpath {.spec.ports[0\n]}, unterminated array" }],
      ["{.spec.ports[?(@.a\n)]}", { error: "error parsing jsonpath {.spec.ports[?(@.a\n)]}, unterminated filter" }],
      ["{\"a\n\"}", { error: "error parsing jsonpath {\"a\n\"}, unterminated quoted string" }],
      ["{#}", { error: "error parsing jsonpath {#}, unrecognized character in action: U+0023 '#'" }],
      ["{.spec.ports[*].port}{end}", { errorLine: "error executing jsonpath \"{.spec.ports[*].port}{end}\": Error executing template: not in range, nothing to end. Printing more information for debugging the template:" }],
      ["{(}", { error: "error parsing jsonpath {(}, unrecognized character in action: U+0028 '('" }],
      ["{.x==1}", ""],
    ],
  },
  {
    title: 'a Service with two ports (get svc multi), -o jsonpath, --allow-missing-template-keys=false',
    data: MULTI,
    asJson: false,
    allowMissingKeys: false,
    cases: [
      ["{.spec.nope}", { errorLine: "error executing jsonpath \"{.spec.nope}\": Error executing template: nope is not found. Printing more information for debugging the template:" }],
      ["{.nope.deeper}", { errorLine: "error executing jsonpath \"{.nope.deeper}\": Error executing template: nope is not found. Printing more information for debugging the template:" }],
      ["{.spec.ports[?(@.nodePort)].name}", "http https"],
      ["{.spec.ports[?(@.nope)].name}", ""],
      ["{.spec.ports[?(@.nope==1)].name}", { errorLine: "error executing jsonpath \"{.spec.ports[?(@.nope==1)].name}\": Error executing template: nope is not found. Printing more information for debugging the template:" }],
      ["{.spec.ports[*].nope}", { errorLine: "error executing jsonpath \"{.spec.ports[*].nope}\": Error executing template: nope is not found. Printing more information for debugging the template:" }],
      ["{.spec.ports[0].nope}{.kind}", { errorLine: "error executing jsonpath \"{.spec.ports[0].nope}{.kind}\": Error executing template: nope is not found. Printing more information for debugging the template:" }],
      ["{range .spec.ports[*]}{.nope}{end}", { errorLine: "error executing jsonpath \"{range .spec.ports[*]}{.nope}{end}\": Error executing template: nope is not found. Printing more information for debugging the template:" }],
    ],
  },
  {
    title: 'a ConfigMap with every JSON type (get cm types), -o jsonpath',
    data: TYPES,
    asJson: false,
    allowMissingKeys: true,
    cases: [
      ["{.x.f} {.x.big} {.x.bigint} {.x.small} {.x.neg} {.x.n} {.x.b} {.x.arr} {.x.obj} {.x.s} {.x.e} {.x.e2} {.x.tiny} {.x.zero} {.x.str}", "1.5 1.2345675e+06 12345678901 1e-05 -3 null true [] {} <a&b> 1e+21 1.5e+300 1e-07 0 tab\there"],
      ["{.x}", "{\"arr\":[],\"b\":true,\"big\":1234567.5,\"bigint\":12345678901,\"e\":1e+21,\"e2\":1.5e+300,\"f\":1.5,\"n\":null,\"neg\":-3,\"nested\":{\"a\":null,\"z\":[1,\"two\",{\"three\":3}]},\"obj\":{},\"s\":\"\\u003ca\\u0026b\\u003e\",\"small\":0.00001,\"str\":\"tab\\there\",\"tiny\":1e-7,\"zero\":0}"],
      ["{.x.nested.z[*]}|{.x.nested.a}|{.x.nested.a.b}|{.list[?(@.y)].id}", "1 two {\"three\":3}|null||i1 i2 i3 i4 i5 i6 i7"],
      ["{.list[*].y}", "-5 -5 3 -1 2 4 null"],
      ["{.list[?(@.y>0)].id}", { errorLine: "error executing jsonpath \"{.list[?(@.y>0)].id}\": Error executing template: invalid type for comparison. Printing more information for debugging the template:" }],
      ["{.list[?(@.x>0)].id}", { errorLine: "error executing jsonpath \"{.list[?(@.x>0)].id}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{.list[0:6][?(@.x>0)].id}", { errorLine: "error executing jsonpath \"{.list[0:6][?(@.x>0)].id}\": Error executing template: map[id:i1 x:4 y:-5] is not array or slice and cannot be filtered. Printing more information for debugging the template:" }],
      ["{.list[?(@.z==1)].id}", "i2 i5"],
      ["{.list[?(@.id<\"i3\")].id}", "i1 i2"],
      ["{.list[?(@.x<@.y)].id}", { errorLine: "error executing jsonpath \"{.list[?(@.x<@.y)].id}\": Error executing template: invalid type for comparison. Printing more information for debugging the template:" }],
      ["{.x.n[?(@.a)]}", { errorLine: "error executing jsonpath \"{.x.n[?(@.a)]}\": Error executing template: <nil> is not array or slice and cannot be filtered. Printing more information for debugging the template:" }],
      ["{.x.s[0]}", { errorLine: "error executing jsonpath \"{.x.s[0]}\": Error executing template: string is not array or slice. Printing more information for debugging the template:" }],
      ["{.x.s.*}", "60 97 38 98 62"],
      ["{.x.b[*]}", { errorLine: "error executing jsonpath \"{.x.b[*]}\": Error executing template: bool is not array or slice. Printing more information for debugging the template:" }],
      ["{.x.f[0]}", { errorLine: "error executing jsonpath \"{.x.f[0]}\": Error executing template: float64 is not array or slice. Printing more information for debugging the template:" }],
      ["{.x.bigint[0]}", { errorLine: "error executing jsonpath \"{.x.bigint[0]}\": Error executing template: int64 is not array or slice. Printing more information for debugging the template:" }],
      ["{.x.nested[?(@.a)]}", { errorLine: "error executing jsonpath \"{.x.nested[?(@.a)]}\": Error executing template: map[a:<nil> z:[1 two map[three:3]]] is not array or slice and cannot be filtered. Printing more information for debugging the template:" }],
      ["{.x.nested.z[?(@==1)]}", { errorLine: "error executing jsonpath \"{.x.nested.z[?(@==1)]}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{.x.nested.z[?(@==\"two\")]}", { errorLine: "error executing jsonpath \"{.x.nested.z[?(@==\\\"two\\\")]}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{range .nulls[*]}{@}{\",\"}{end}", "1,<no value>,a,{\"k\":null},"],
      ["{.nulls[*]}", "1 null a {\"k\":null}"],
      ["{range .nulls[*]}{.k}{\",\"}{end}", ",,,null,"],
      ["{range .nulls[*]}{[?(@.a)]}{\",\"}{end}", { errorLine: "error executing jsonpath \"{range .nulls[*]}{[?(@.a)]}{\\\",\\\"}{end}\": Error executing template: 1 is not array or slice and cannot be filtered. Printing more information for debugging the template:" }],
      ["{.nulls[?(@==1)]}", { errorLine: "error executing jsonpath \"{.nulls[?(@==1)]}\": Error executing template: invalid type for comparison. Printing more information for debugging the template:" }],
      ["{.nulls[*].k}", "null"],
      ["{.list[0:6][?(@.x!=1)].id}", { errorLine: "error executing jsonpath \"{.list[0:6][?(@.x!=1)].id}\": Error executing template: map[id:i1 x:4 y:-5] is not array or slice and cannot be filtered. Printing more information for debugging the template:" }],
      ["{range .list[*]}{.id}={.x}{\"\\n\"}{end}", "i1=4\ni2=-2\ni3=8\ni4=-6\ni5=0\ni6=1\ni7=1.5\n"],
      ["{.list[?(@.x==4)].id}", { errorLine: "error executing jsonpath \"{.list[?(@.x==4)].id}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{.list[?(@.x>=-2)].id}", { errorLine: "error executing jsonpath \"{.list[?(@.x>=-2)].id}\": Error executing template: incompatible types for comparison. Printing more information for debugging the template:" }],
      ["{.list[0:5]}", "{\"id\":\"i1\",\"x\":4,\"y\":-5} {\"id\":\"i2\",\"x\":-2,\"y\":-5,\"z\":1} {\"id\":\"i3\",\"x\":8,\"y\":3} {\"id\":\"i4\",\"x\":-6,\"y\":-1} {\"id\":\"i5\",\"x\":0,\"y\":2,\"z\":1}"],
      ["{..three}", "3"],
      ["{..z[2].three}", { errorLine: "error executing jsonpath \"{..z[2].three}\": Error executing template: int64 is not array or slice. Printing more information for debugging the template:" }],
      ["{.x.str}", "tab\there"],
      ["{.x.nested..three}", "3"],
    ],
  },
  {
    title: 'a ConfigMap with every JSON type (get cm types), -o jsonpath-as-json',
    data: TYPES,
    asJson: true,
    allowMissingKeys: true,
    cases: [
      ["{.x.f}{.x.n}{.x}", "[\n    1.5\n]\n[\n    null\n]\n[\n    {\n        \"arr\": [],\n        \"b\": true,\n        \"big\": 1234567.5,\n        \"bigint\": 12345678901,\n        \"e\": 1e+21,\n        \"e2\": 1.5e+300,\n        \"f\": 1.5,\n        \"n\": null,\n        \"neg\": -3,\n        \"nested\": {\n            \"a\": null,\n            \"z\": [\n                1,\n                \"two\",\n                {\n                    \"three\": 3\n                }\n            ]\n        },\n        \"obj\": {},\n        \"s\": \"\\u003ca\\u0026b\\u003e\",\n        \"small\": 0.00001,\n        \"str\": \"tab\\there\",\n        \"tiny\": 1e-7,\n        \"zero\": 0\n    }\n]\n"],
      ["{.x.s.*}", "[\n    60,\n    97,\n    38,\n    98,\n    62\n]\n"],
      ["{.list[*].x}", "[\n    4,\n    -2,\n    8,\n    -6,\n    0,\n    1,\n    1.5\n]\n"],
      ["{.nope}", "[]\n"],
    ],
  },
  {
    title: 'a ConfigMap with every JSON type (get cm types), -o jsonpath, --allow-missing-template-keys=false',
    data: TYPES,
    asJson: false,
    allowMissingKeys: false,
    cases: [
      ["{.nope}", { errorLine: "error executing jsonpath \"{.nope}\": Error executing template: nope is not found. Printing more information for debugging the template:" }],
    ],
  },
  {
    title: 'a Service with two ports (get svc multi), -o jsonpath-as-json',
    data: MULTI,
    asJson: true,
    allowMissingKeys: true,
    cases: [
      ["{.spec.ports[*].port}", "[\n    80,\n    443\n]\n"],
      ["{.spec.ports[*].port}{.metadata.name}", "[\n    80,\n    443\n]\n[\n    \"multi\"\n]\n"],
      ["{.nope}", "[]\n"],
      ["{\"\\n\"}", "[\n    \"\\n\"\n]\n"],
      ["{.metadata.annotations}", "[\n    {\n        \"note\": \"a\\u003cb\\u003e\\u0026c\",\n        \"u\": \"é\\u2028x\"\n    }\n]\n"],
      ["{range .spec.ports[*]}{.name}{end}", "[\n    \"http\"\n]\n[\n    \"https\"\n]\n"],
      ["x{5}{1.5}{true}", "[\n    \"x\"\n]\n[\n    5\n]\n[\n    1.5\n]\n[\n    true\n]\n"],
      ["{.spec.ports[9]}", { errorLine: "error executing jsonpath \"{.spec.ports[9]}\": Error executing template: array index out of bounds: index 9, length 2. Printing more information for debugging the template:" }],
    ],
  },
  {
    title: 'an empty List (get pods, none found), -o jsonpath, --allow-missing-template-keys=false',
    data: EMPTY_LIST,
    asJson: false,
    allowMissingKeys: false,
    cases: [
      ["{range .items[*]}{.metadata.name}{end}", { errorLine: "error executing jsonpath \"{range .items[*]}{.metadata.name}{end}\": Error executing template: metadata is not found. Printing more information for debugging the template:" }],
      ["{range .items[*]}{.metadata.name}{\"\\n\"}{end}x", { errorLine: "error executing jsonpath \"{range .items[*]}{.metadata.name}{\\\"\\\\n\\\"}{end}x\": Error executing template: metadata is not found. Printing more information for debugging the template:" }],
      ["{.items[0].metadata.name}", { errorLine: "error executing jsonpath \"{.items[0].metadata.name}\": Error executing template: array index out of bounds: index 0, length 0. Printing more information for debugging the template:" }],
      ["{.items[*].metadata.name}", ""],
      ["{range .items[*]}{range .spec.containers[*]}{.name}{end}{\"+\"}{end}done", { errorLine: "error executing jsonpath \"{range .items[*]}{range .spec.containers[*]}{.name}{end}{\\\"+\\\"}{end}done\": Error executing template: spec is not found. Printing more information for debugging the template:" }],
    ],
  },
  {
    title: 'an empty List (get pods, none found), -o jsonpath',
    data: EMPTY_LIST,
    asJson: false,
    allowMissingKeys: true,
    cases: [
      ["{range .items[*]}{.metadata.name}{end}", ""],
      ["{.items[0].metadata.name}", { errorLine: "error executing jsonpath \"{.items[0].metadata.name}\": Error executing template: array index out of bounds: index 0, length 0. Printing more information for debugging the template:" }],
      ["{.items}", "[]"],
      ["{.items[*]}", ""],
      ["{range .items[*]}{[?(@.a)]}{end}z", { errorLine: "error executing jsonpath \"{range .items[*]}{[?(@.a)]}{end}z\": Error executing template: <invalid reflect.Value> is not array or slice and cannot be filtered. Printing more information for debugging the template:" }],
    ],
  },
  {
    title: 'a List of two Services (get svc), -o jsonpath',
    data: SERVICE_LIST,
    asJson: false,
    allowMissingKeys: true,
    cases: [
      ["{.items[*].metadata.name}", "multi plain"],
      ["{range .items[*]}{.metadata.name}{\"\\t\"}{.spec.clusterIP}{\"\\n\"}{end}", "multi\t10.96.0.11\nplain\t10.96.0.10\n"],
      ["{.items[*].spec.ports[*].port}", "80 443 80"],
      ["{range .items[*]}{.metadata.name}:{range .spec.ports[*]}{.port},{end};{end}", "multi:80,443,;plain:80,;"],
      ["{.items[?(@.spec.type==\"NodePort\")].metadata.name}", "multi"],
      ["{.metadata}", "{\"resourceVersion\":\"\"}"],
      ["{.items[1:]}", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"plain\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"port\":80,\"protocol\":\"TCP\",\"targetPort\":80}],\"selector\":{\"app\":\"sample\"},\"type\":\"ClusterIP\"}}"],
      ["{.items[*].spec.ports[0:0]}", ""],
      ["{.items[*].spec.ports[1:2].port}", { errorLine: "error executing jsonpath \"{.items[*].spec.ports[1:2].port}\": Error executing template: array index out of bounds: index 1, length 1. Printing more information for debugging the template:" }],
    ],
  },
  {
    title: 'a List of two Services (get svc), -o jsonpath, --allow-missing-template-keys=false',
    data: SERVICE_LIST,
    asJson: false,
    allowMissingKeys: false,
    cases: [
      ["{.items[*].spec.ports[1].port}", { errorLine: "error executing jsonpath \"{.items[*].spec.ports[1].port}\": Error executing template: array index out of bounds: index 1, length 1. Printing more information for debugging the template:" }],
      ["{range .items[*]}{.metadata.labels.tier}{end}", { errorLine: "error executing jsonpath \"{range .items[*]}{.metadata.labels.tier}{end}\": Error executing template: labels is not found. Printing more information for debugging the template:" }],
    ],
  },
  {
    title: 'the sample pods (get pods), -o jsonpath',
    data: SAMPLE_PODS,
    asJson: false,
    allowMissingKeys: true,
    cases: [
      ["{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}", "web-7d4b9c8f5d-2xkqp\t10.244.1.5\nweb-7d4b9c8f5d-8mz4t\t10.244.1.6\nweb-7d4b9c8f5d-q7wnd\t10.244.2.7\n"],
      ["{.items[*].spec.containers[*].image}", "nginx:1.27 nginx:1.27 nginx:1.27"],
      ["{.items[0].metadata.labels}", "{\"app\":\"web\",\"pod-template-hash\":\"7d4b9c8f5d\"}"],
      ["{range .items[*]}{.metadata.name}{\" \"}{range .status.containerStatuses[*]}{.restartCount}{end}{\"\\n\"}{end}", "web-7d4b9c8f5d-2xkqp 0\nweb-7d4b9c8f5d-8mz4t 0\nweb-7d4b9c8f5d-q7wnd 1\n"],
      ["{.items[?(@.spec.nodeName==\"node-2\")].metadata.name}", "web-7d4b9c8f5d-q7wnd"],
    ],
  },
  {
    title: 'the sample Service web (get svc web), -o jsonpath',
    data: SAMPLE_WEB,
    asJson: false,
    allowMissingKeys: true,
    cases: [
      ["{.spec.ports[*].port}", "80"],
      ["{.spec.clusterIP}", "10.96.120.15"],
      ["{.spec.selector}", "{\"app\":\"web\"}"],
    ],
  },
  {
    title: 'the sample Service web (get svc web), -o jsonpath, --allow-missing-template-keys=false',
    data: SAMPLE_WEB,
    asJson: false,
    allowMissingKeys: false,
    cases: [
      ["{.spec.nope}", { errorLine: "error executing jsonpath \"{.spec.nope}\": Error executing template: nope is not found. Printing more information for debugging the template:" }],
    ],
  },
];

describe.each(OBSERVED)('kubectl v1.32 output: $title', ({ data, asJson, allowMissingKeys, cases }) => {
  const execute = asJson ? executeJsonPathAsJson : executeJsonPath;
  it.each(cases)('%s', (template, observed) => {
    const attempt = () => execute(parseJsonPath('out', template), data, { allowMissingKeys });
    if (typeof observed === 'string') {
      expect(attempt()).toBe(observed);
      return;
    }
    expect(attempt).toThrow(CliError);
    try {
      attempt();
    } catch (e) {
      const message = (e as Error).message;
      if ('error' in observed) expect(message).toBe(observed.error);
      else expect(message.split('\n')[0]).toBe(observed.errorLine);
    }
  });
});

describe('kubectl v1.32 execution errors, whole message', () => {
  function message(template: string, data: unknown): string {
    try {
      executeJsonPath(parseJsonPath('out', template), data, { allowMissingKeys: false });
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('no error');
  }

  it('dumps the object as Go %#v after the template (get svc web)', () => {
    expect(message('{.spec.nope}', SAMPLE_WEB)).toBe(
      'error executing jsonpath "{.spec.nope}": Error executing template: nope is not found. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{.spec.nope}\n' +
        '\tobject given to jsonpath engine was:\n' +
        '\t\tmap[string]interface {}{"apiVersion":"v1", "kind":"Service", "metadata":map[string]interface {}{"creationTimestamp":"2025-06-01T09:00:30Z", ' +
        '"labels":map[string]interface {}{"app":"web"}, "name":"web", "namespace":"default", "resourceVersion":"1012", "uid":"0c0ffee0-0000-4000-8000-000000000500"}, ' +
        '"spec":map[string]interface {}{"clusterIP":"10.96.120.15", "clusterIPs":[]interface {}{"10.96.120.15"}, "internalTrafficPolicy":"Cluster", ' +
        '"ipFamilies":[]interface {}{"IPv4"}, "ipFamilyPolicy":"SingleStack", "ports":[]interface {}{map[string]interface {}{"name":"http", "port":80, ' +
        '"protocol":"TCP", "targetPort":"http"}}, "selector":map[string]interface {}{"app":"web"}, "sessionAffinity":"None", "type":"ClusterIP"}, ' +
        '"status":map[string]interface {}{"loadBalancer":map[string]interface {}{}}}\n\n\n',
    );
  });

  it('quotes the template with %q and escapes strings in the dump (get svc multi)', () => {
    expect(message('{.spec.ports[?(@.port=="80")].port}', MULTI)).toBe(
      'error executing jsonpath "{.spec.ports[?(@.port==\\"80\\")].port}": Error executing template: incompatible types for comparison. ' +
        'Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{.spec.ports[?(@.port=="80")].port}\n' +
        '\tobject given to jsonpath engine was:\n' +
        '\t\tmap[string]interface {}{"apiVersion":"v1", "kind":"Service", "metadata":map[string]interface {}{"annotations":map[string]interface {}{"note":"a<b>&c", ' +
        '"u":"é\\u2028x"}, "labels":map[string]interface {}{"app.kubernetes.io/name":"multi", "tier":"fe"}, "name":"multi", "namespace":"default"}, ' +
        '"spec":map[string]interface {}{"clusterIP":"10.96.0.11", "ports":[]interface {}{map[string]interface {}{"name":"http", "nodePort":30081, "port":80, ' +
        '"protocol":"TCP", "targetPort":8080}, map[string]interface {}{"name":"https", "nodePort":31000, "port":443, "protocol":"TCP", "targetPort":"https"}}, ' +
        '"selector":map[string]interface {}{"app":"sample", "tier":"fe"}, "type":"NodePort"}}\n\n\n',
    );
  });

  it('prints floats, nulls and empty collections as Go does (get cm types)', () => {
    expect(message('{.nope}', TYPES).split('\n')[4]).toBe(
      '\t\tmap[string]interface {}{"apiVersion":"v1", "data":map[string]interface {}{"k":"v"}, "kind":"ConfigMap", "list":[]interface {}{' +
        'map[string]interface {}{"id":"i1", "x":4, "y":-5}, map[string]interface {}{"id":"i2", "x":-2, "y":-5, "z":1}, ' +
        'map[string]interface {}{"id":"i3", "x":8, "y":3}, map[string]interface {}{"id":"i4", "x":-6, "y":-1}, ' +
        'map[string]interface {}{"id":"i5", "x":0, "y":2, "z":1}, map[string]interface {}{"id":"i6", "x":1, "y":4}, ' +
        'map[string]interface {}{"id":"i7", "x":1.5, "y":interface {}(nil)}}, "metadata":map[string]interface {}{"name":"types", "namespace":"default"}, ' +
        '"nulls":[]interface {}{1, interface {}(nil), "a", map[string]interface {}{"k":interface {}(nil)}}, "x":map[string]interface {}{"arr":[]interface {}{}, ' +
        '"b":true, "big":1.2345675e+06, "bigint":12345678901, "e":1e+21, "e2":1.5e+300, "f":1.5, "n":interface {}(nil), "neg":-3, ' +
        '"nested":map[string]interface {}{"a":interface {}(nil), "z":[]interface {}{1, "two", map[string]interface {}{"three":3}}}, ' +
        '"obj":map[string]interface {}{}, "s":"<a&b>", "small":1e-05, "str":"tab\\there", "tiny":1e-07, "zero":0}}',
    );
  });

  it('walks a range body once on nothing, so a field in it is missing (get pods, none found)', () => {
    expect(message('{range .items[*]}{.metadata.name}{end}', EMPTY_LIST)).toBe(
      'error executing jsonpath "{range .items[*]}{.metadata.name}{end}": Error executing template: metadata is not found. ' +
        'Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{range .items[*]}{.metadata.name}{end}\n' +
        '\tobject given to jsonpath engine was:\n' +
        '\t\tmap[string]interface {}{"apiVersion":"v1", "items":[]interface {}{}, "kind":"List", "metadata":map[string]interface {}{"resourceVersion":""}}\n\n\n',
    );
  });
});

describe('results in Go map order', () => {
  it('visits every value of a map (kubectl order varies between runs)', () => {
    expect(words(run('{.spec.*}', MULTI, true))).toEqual(
      words(
        'NodePort 10.96.0.11 {"app":"sample","tier":"fe"} ' +
          '[{"name":"http","nodePort":30081,"port":80,"protocol":"TCP","targetPort":8080},{"name":"https","nodePort":31000,"port":443,"protocol":"TCP","targetPort":"https"}]',
      ),
    );
    expect(words(run('{.spec.ports[*].*}', MULTI, true))).toEqual(words('http 80 TCP 8080 30081 https 443 TCP https 31000'));
    expect(words(run('{..name}', MULTI, true))).toEqual(words('multi http https'));
    expect(words(run('{...name}', MULTI, true))).toEqual(words('multi http https'));
    expect(words(run('{..image}', SAMPLE_PODS, true))).toEqual(
      words('nginx:1.27 docker.io/library/nginx:1.27 nginx:1.27 docker.io/library/nginx:1.27 nginx:1.27 docker.io/library/nginx:1.27'),
    );
  });
});

describe('template argument', () => {
  it('requires a template after jsonpath=', () => {
    expect(() => checkTemplateGiven('')).toThrow(new CliError('template format specified but no template given'));
    expect(() => checkTemplateGiven('{.kind}')).not.toThrow();
  });

  it('treats an empty template (an empty jsonpath-file) as printing nothing', () => {
    expect(run('', MULTI, true)).toBe('');
  });
});

describe('findResults', () => {
  it('returns one list of matches per action', () => {
    const tpl = parseJsonPathExpression('sorting', '{.spec.ports[*].port}');
    expect(findResults(tpl, MULTI, { allowMissingKeys: true })).toEqual([[80, 443]]);
    expect(findResults(tpl, PLAIN, { allowMissingKeys: true })).toEqual([[80]]);
  });

  it('returns nothing for a missing key when allowed, and the bare message otherwise', () => {
    const tpl = parseJsonPathExpression('column0', '{.spec.nope}');
    expect(findResults(tpl, MULTI, { allowMissingKeys: true })).toEqual([[]]);
    expect(() => findResults(tpl, MULTI, { allowMissingKeys: false })).toThrow(new CliError('nope is not found'));
  });

  it('reports parse errors with the bare message (custom-columns, --sort-by)', () => {
    expect(parseFailure('{.spec.ports[}')).toBe('unterminated array');
  });
});

describe('relaxedJsonPathExpression (kubectl customcolumn.go)', () => {
  it.each([
    ['metadata.name', '{.metadata.name}'],
    ['.metadata.name', '{.metadata.name}'],
    ['{metadata.name}', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
    ['.spec.ports[*].port', '{.spec.ports[*].port}'],
    ['', ''],
  ])('%s -> %s', (path, expected) => {
    expect(relaxedJsonPathExpression(path)).toBe(expected);
  });

  it.each([['{.metadata.name}}'], ['{{.x}}'], ['{.a}{.b}'], ['{']])('rejects %s', (path) => {
    expect(() => relaxedJsonPathExpression(path)).toThrow(
      new CliError(
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
      ),
    );
  });
});
