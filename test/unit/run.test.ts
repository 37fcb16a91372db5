/**
 * kfake run: the generators and parsers against what kubectl v1.32 prints for the same input, and
 * the -i/--attach mechanism with a process model and an attach handler installed by the test
 * (so the outcome does not depend on which images the network simulation knows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.ts';
import { runCommand } from '../../src/cli/program.ts';
import { rootCommand } from '../../src/commands/root.ts';
import {
  applyOverrides,
  generatePod,
  generateService,
  goJsonSyntaxError,
  goOrdered,
  isValidImageReference,
  parseGoDuration,
  parseLabelSpec,
  type PodParams,
} from '../../src/commands/run.ts';
import { toJson } from '../../src/printers/json.ts';
import { toYaml } from '../../src/printers/yaml.ts';
import { setAttachHandler } from '../../src/runtime/attach.ts';
import { setProcessModel } from '../../src/runtime/process.ts';

const base: PodParams = {
  name: 'web',
  image: 'nginx',
  args: [],
  command: false,
  env: [],
  annotations: [],
  labels: '',
  port: '',
  restart: 'Always',
  stdin: false,
  tty: false,
  leaveStdinOpen: false,
  imagePullPolicy: '',
  privileged: false,
};

describe('generators (kubectl run --dry-run=client output)', () => {
  it('the default pod, as YAML and as Go-ordered JSON', () => {
    const pod = generatePod(base);
    expect(toYaml(pod)).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: web\n  name: web\nspec:\n  containers:\n  - image: nginx\n    name: web\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n',
    );
    expect(toJson(pod, { sortKeys: false })).toBe(
      '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "run": "web"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "web",\n                "image": "nginx",\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Always",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n',
    );
  });

  it('every flag in its place', () => {
    const pod = generatePod({
      ...base,
      image: 'nginx:1.2',
      args: ['a', 'b'],
      annotations: ['b=1', 'a=2'],
      labels: 'z=1,y=2',
      port: '-1',
      restart: 'Never',
      stdin: true,
      tty: true,
      imagePullPolicy: 'Always',
      privileged: true,
      env: ['A=1', 'EMPTY='],
      namespace: 'foo',
    });
    expect(toJson(pod, { sortKeys: false })).toBe(
      `{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "web",
        "namespace": "foo",
        "creationTimestamp": null,
        "labels": {
            "y": "2",
            "z": "1"
        },
        "annotations": {
            "a": "2",
            "b": "1"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.2",
                "args": [
                    "a",
                    "b"
                ],
                "ports": [
                    {
                        "containerPort": -1
                    }
                ],
                "env": [
                    {
                        "name": "A",
                        "value": "1"
                    },
                    {
                        "name": "EMPTY"
                    }
                ],
                "resources": {},
                "imagePullPolicy": "Always",
                "securityContext": {
                    "privileged": true
                },
                "stdin": true,
                "stdinOnce": true,
                "tty": true
            }
        ],
        "restartPolicy": "Never",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
`,
    );
  });

  it('--port wraps to int32 as the generator does, and --command moves the arguments', () => {
    const pod = generatePod({ ...base, port: '99999999999', args: ['sleep', '1'], command: true });
    expect(pod.spec.containers[0].ports).toEqual([{ containerPort: 1215752191 }]);
    expect(pod.spec.containers[0].command).toEqual(['sleep', '1']);
    expect(pod.spec.containers[0].args).toBeUndefined();
  });

  it('--expose: the service selects the pod labels and carries --labels', () => {
    expect(toYaml(generateService({ ...base, port: '80', labels: 'a=b' }))).toBe(
      'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    a: b\n  name: web\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    a: b\nstatus:\n  loadBalancer: {}\n',
    );
    expect(generateService({ ...base, port: '80' }).metadata.labels).toBeUndefined();
  });

  it('parse errors carry kubectl wording', () => {
    expect(() => generatePod({ ...base, env: ['1A=b'] })).toThrow('invalid env: 1A=b');
    expect(() => generatePod({ ...base, annotations: ['=b'] })).toThrow('invalid annotations format: =b');
    expect(() => generatePod({ ...base, port: '0x10' })).toThrow('strconv.Atoi: parsing "0x10": invalid syntax');
    expect(() => parseLabelSpec('a=b=c')).toThrow('unexpected label spec: a=b=c');
    expect(() => parseLabelSpec('=b')).toThrow('unexpected empty label key');
    expect(parseLabelSpec('a=b,a=c')).toEqual({ a: 'c' });
    // env is parsed before annotations, annotations before labels
    expect(() => generatePod({ ...base, env: ['X'], annotations: ['y'], labels: 'z' })).toThrow('invalid env: X');
    expect(() => generatePod({ ...base, annotations: ['y'], labels: 'z' })).toThrow('invalid annotations format: y');
  });
});

describe('--overrides', () => {
  it('merges, then decodes into a Pod: unknown fields go, Go-printed fields come back', () => {
    const pod = applyOverrides(generatePod(base), '{"spec":{"nodeName":"n1","containers":[{"name":"q","image":"busybox","foo":1}]}}', 'merge');
    expect(toJson(goOrdered(pod, 'Pod'), { sortKeys: false })).toContain(
      '"containers": [\n            {\n                "name": "q",\n                "image": "busybox",\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Always",\n        "dnsPolicy": "ClusterFirst",\n        "nodeName": "n1"\n',
    );
  });

  it('reports what kubectl reports for bad overrides', () => {
    const pod = generatePod(base);
    expect(() => applyOverrides(pod, '{bad', 'merge')).toThrow('Invalid JSON Patch');
    expect(() => applyOverrides(pod, 'null', 'merge')).toThrow('Invalid JSON Patch');
    expect(() => applyOverrides(pod, '{bad', 'strategic')).toThrow('invalid JSON document');
    expect(() => applyOverrides(pod, '{}', 'json')).toThrow('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    expect(() => applyOverrides(pod, '{}', 'yaml')).toThrow('invalid override type: yaml');
    expect(() => applyOverrides(pod, '{"spec":{"restartPolicy":5}}', 'merge')).toThrow(
      'json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy',
    );
  });

  it("encoding/json's syntax errors (observed with --override-type=json)", () => {
    expect(goJsonSyntaxError('{bad')).toBe("invalid character 'b' looking for beginning of object key string");
    expect(goJsonSyntaxError('[{"op" 1}]')).toBe("invalid character '1' after object key");
    expect(goJsonSyntaxError('[1,]')).toBe("invalid character ']' looking for beginning of value");
    expect(goJsonSyntaxError('[tru]')).toBe("invalid character ']' in literal true (expecting 'e')");
    expect(goJsonSyntaxError('["a\\x"]')).toBe("invalid character 'x' in string escape code");
    expect(goJsonSyntaxError('[1 2]')).toBe("invalid character '2' after array element");
    expect(goJsonSyntaxError('{"a":1,}')).toBe("invalid character '}' looking for beginning of object key string");
    expect(goJsonSyntaxError('[] x')).toBe("invalid character 'x' after top-level value");
    expect(goJsonSyntaxError('[-]')).toBe("invalid character ']' in numeric literal");
    expect(goJsonSyntaxError('[01]')).toBe("invalid character '1' after array element");
    expect(goJsonSyntaxError('[{"op":"add"')).toBe('unexpected end of JSON input');
    expect(goJsonSyntaxError('[{"op":"add" "path":"/x"}]')).toBe(`invalid character '"' after object key:value pair`);
  });
});

describe('small parsers', () => {
  it('Go durations', () => {
    expect(parseGoDuration('1m0s')).toBe(60_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('0s')).toBe(0);
    expect(parseGoDuration('-1s')).toBe(-1000);
  });

  it('image references as docker/distribution accepts them', () => {
    for (const ok of ['nginx', 'nginx:1.27', 'localhost:5000/foo/bar:v1', 'a__b', 'a---b:t', 'amsy810/tools:v2.0', `nginx@sha256:${'a'.repeat(64)}`]) {
      expect(isValidImageReference(ok), ok).toBe(true);
    }
    for (const bad of ['Bad Image', 'UPPER', 'a..b', 'nginx@sha256:abc', '']) {
      expect(isValidImageReference(bad), bad).toBe(false);
    }
  });
});

// ------------------------------------------------------------------ the attach mechanism

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-run-unit-'));
  // What the test images do: `exit N` prints and exits with N, `serve` keeps running.
  setProcessModel((_pod, container) => {
    const argv = [...(container.command ?? []), ...(container.args ?? [])];
    if (argv[0] === 'exit') return { kind: 'exited', exitCode: Number(argv[1]), output: `exiting with ${argv[1]}\n` };
    return { kind: 'running' };
  });
  // An interactive program that exits with the number it reads.
  setAttachHandler(async (req) => (req.container.args?.[0] === 'shell' ? Number(req.io.readStdin().trim()) : undefined));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function kfake(args: string[], stdin = ''): Promise<{ stdout: string; stderr: string; code: number }> {
  const io = memoryIO({
    stdin,
    env: { KFAKE_STORE: path.join(dir, 'cluster.json'), KFAKE_SEED: 'unit', KFAKE_NOW: '2026-11-21T10:00:00Z' },
  });
  const code = await runCommand(await rootCommand(), args, io, { program: 'kfake' });
  return { stdout: io.stdout, stderr: io.stderr, code };
}

describe('run -i', () => {
  it('a container that ran to completion has its log printed; --rm deletes the pod afterwards', async () => {
    expect(await kfake(['run', 'ok', '--image=busybox', '--restart=Never', '--rm', '-i', '--', 'exit', '0'])).toEqual({
      stdout: 'exiting with 0\npod "ok" deleted\n',
      stderr: '',
      code: 0,
    });
  });

  it("a failed container's exit code is kfake's, with kubectl's message", async () => {
    expect(await kfake(['run', 'bad', '--image=busybox', '--restart=Never', '-i', '--', 'exit', '3'])).toEqual({
      stdout: 'exiting with 3\n',
      stderr: 'pod default/bad terminated (Error)\n',
      code: 3,
    });
    expect((await kfake(['get', 'pod', 'bad', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Failed');
  });

  it('an interactive session decides the exit code and the pod ends with it', async () => {
    const r = await kfake(['run', 'sh', '--image=busybox', '--restart=Never', '-i', '--', 'shell'], '5\n');
    expect(r).toEqual({
      stdout: '',
      stderr: "If you don't see a command prompt, try pressing enter.\npod default/sh terminated (Error)\n",
      code: 5,
    });
    expect((await kfake(['get', 'pod', 'sh', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Failed');
  });

  it('a running container without an interactive program: the session ends with standard input', async () => {
    expect(await kfake(['run', 'srv', '--image=nginx', '-i', '--rm', '--', 'serve'])).toEqual({
      stdout: 'pod "srv" deleted\n',
      stderr: "If you don't see a command prompt, try pressing enter.\n",
      code: 0,
    });
    expect(await kfake(['run', 'srv2', '--image=nginx', '-i', '-q', '--rm', '--restart=Never', '--pod-running-timeout=1s', '--', 'serve'])).toEqual({
      stdout: '',
      stderr: 'error: timed out waiting for the condition\n',
      code: 1,
    });
  });

  it('without -i nothing is waited for: the created line is printed', async () => {
    expect(await kfake(['run', 'later', '--image=busybox', '--restart=Never', '--', 'exit', '1'])).toEqual({
      stdout: 'pod/later created\n',
      stderr: '',
      code: 0,
    });
  });
});
