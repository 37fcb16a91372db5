/**
 * Objects read with -f that kubectl cannot send as they are: a kind the cluster does not serve, an
 * object without a name, `metadata: null`, no apiVersion. Each command reports them as kubectl
 * v1.32 does (unstructured commands with a mapping error, typed ones with a decoding error, the
 * builder's aggregate without `error: `), exits 1 and leaves the store as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
  c.sh('kfake get ns'); // bootstrap, so the store exists before the commands under test
});
afterEach(() => c.cleanup());

function write(name: string, text: string): string {
  const file = path.join(c.dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const MAPPING = (file: string) =>
  `resource mapping not found for name: "w" namespace: "" from "${file}": no matches for kind "Widget" in version "v1"\nensure CRDs are installed first\n`;
const DECODING = (file: string) =>
  `error: unable to decode "${file}": no kind "Widget" is registered for version "v1" in scheme "pkg/scheme/scheme.go:28"\n`;

describe('a kind the cluster does not serve', () => {
  const commands: [string, (file: string) => string][] = [
    ['get', MAPPING],
    ['describe', MAPPING],
    ['delete', (f) => `error: ${MAPPING(f)}`],
    ['label x=y', (f) => `error: ${MAPPING(f)}`],
    ['annotate a=b', (f) => `error: ${MAPPING(f)}`],
    ['patch -p {}', (f) => `error: ${MAPPING(f)}`],
    ['edit', (f) => `error: ${MAPPING(f)}`],
    ['scale --replicas=1', (f) => `error: no objects passed to scale ${MAPPING(f)}`],
    ['rollout status', DECODING],
    ['set image c=i', DECODING],
    ['expose', DECODING],
  ];
  it.each(commands)('kfake %s -f widget.yaml', (command, expected) => {
    const file = write('widget.yaml', 'apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n');
    const before = c.storeBytes();
    const r = c.run([...command.split(' '), '-f', file]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: expected(file) });
    expect(c.storeBytes().equals(before)).toBe(true);
  });
});

describe('an object without a name', () => {
  for (const [label, metadata] of [
    ['empty metadata', 'metadata: {}\n'],
    ['metadata: null', 'metadata: null\n'],
  ]) {
    it(`${label}: refused where it must be fetched, a collection GET for get`, () => {
      const file = write('svc.yaml', `apiVersion: v1\nkind: Service\n${metadata}spec:\n  ports:\n  - port: 80\n`);
      const before = c.storeBytes();
      expect(c.run(['describe', '-f', file])).toEqual({ code: 1, stdout: '', stderr: 'error: resource name may not be empty\n' });
      expect(c.run(['delete', '-f', file])).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: error when deleting "${file}": resource name may not be empty\n`,
      });
      for (const verb of [['label', 'x=y'], ['scale', '--replicas=2'], ['patch', '-p', '{}']]) {
        expect(c.run([...verb, '-f', file])).toEqual({ code: 1, stdout: '', stderr: 'error: resource name may not be empty\n' });
      }
      expect(c.run(['apply', '-f', file]).stderr).toBe(
        'error: error when retrieving current configuration of:\n' +
          'Resource: "/v1, Resource=services", GroupVersionKind: "/v1, Kind=Service"\n' +
          'Name: "", Namespace: "default"\n' +
          `from server for: "${file}": resource name may not be empty\n`,
      );
      // Latest() asks for the object by name; with none the GET reaches the collection.
      const get = c.run(['get', '-f', file, '-o', 'name']);
      expect(get).toEqual({ code: 0, stdout: 'service/kubernetes\n', stderr: '' });
      expect(c.storeBytes().equals(before)).toBe(true);
    });
  }

  it('metadata: null is printed as read by a client dry run, and refused by the server', () => {
    const file = write('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: null\nspec:\n  type: null\n');
    const before = c.storeBytes();
    expect(c.run(['create', '-f', file, '--dry-run=client', '-o', 'name', '--validate=false'])).toEqual({
      code: 0,
      stdout: 'service/<unknown>\n',
      stderr: '',
    });
    expect(c.run(['create', '-f', file, '--dry-run=client', '--validate=false']).stdout).toBe('service/<unknown> created (dry run)\n');
    expect(c.run(['create', '-f', file])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'The Service "" is invalid: \n* metadata.name: Required value: name or generateName is required\n* spec.ports: Required value\n',
    });
    expect(c.storeBytes().equals(before)).toBe(true);
  });
});

describe('an object without apiVersion', () => {
  const pod = 'kind: Pod\nmetadata:\n  name: bare\nspec:\n  containers:\n  - name: c\n    image: busybox\n';

  it('is refused by validation, and with --validate=false is the preferred version, as the API server stores it', () => {
    const file = write('pod.yaml', pod);
    const before = c.storeBytes();
    expect(c.run(['apply', '-f', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: error validating "${file}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false\n`,
    });
    expect(c.storeBytes().equals(before)).toBe(true);
    expect(c.run(['apply', '--validate=false', '-f', file])).toEqual({ code: 0, stdout: 'pod/bare created\n', stderr: '' });
    expect(c.run(['get', 'pod', 'bare', '-o', 'jsonpath={.apiVersion} {.spec.restartPolicy}'])).toMatchObject({ stdout: 'v1 Always' });
  });
});
