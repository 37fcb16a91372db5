/**
 * The pieces of the `create` generators that do not need a cluster. Expected values were
 * printed by kubectl v1.32 (`create ... --dry-run=client`, and `run --overrides` for the order of
 * struct fields kubectl's generators never fill in).
 */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import {
  buildConfigMap,
  buildDeployment,
  buildService,
  configMapHash,
  ConfigMapData,
  configMapKeyErrors,
  containerNameForImage,
  envVarNameErrors,
  goCompactJson,
  inGoStructOrder,
  parseEnvFile,
  parseFileSource,
  parseLiteralSource,
  validateServiceGenerator,
  withTypedLastApplied,
  type ServiceGeneratorOptions,
} from '../../src/commands/create-generators.ts';
import { toJson } from '../../src/printers/json.ts';
import { toYaml } from '../../src/printers/yaml.ts';
import { seededRandom } from '../../src/util/random.ts';

const service = (o: Partial<ServiceGeneratorOptions>): ServiceGeneratorOptions => ({
  name: 'x',
  type: 'ClusterIP',
  tcp: [],
  clusterIP: '',
  nodePort: 0,
  externalName: '',
  ...o,
});

describe('create service', () => {
  it('builds the struct kubectl prints, in field order for JSON', () => {
    const svc = buildService(service({ name: 'my-cs', tcp: ['5678:8080'] }));
    // kubectl create service clusterip my-cs --tcp=5678:8080 --dry-run=client -o json
    expect(toJson(inGoStructOrder(svc), { sortKeys: false })).toBe(`{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "my-cs",
        "creationTimestamp": null,
        "labels": {
            "app": "my-cs"
        }
    },
    "spec": {
        "ports": [
            {
                "name": "5678-8080",
                "protocol": "TCP",
                "port": 5678,
                "targetPort": 8080
            }
        ],
        "selector": {
            "app": "my-cs"
        },
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
`);
  });

  it('names each port after its spec and puts --node-port on every port', () => {
    const svc = buildService(service({ name: 'my-ns', type: 'NodePort', tcp: ['80', '443:https'], nodePort: 30080 }));
    // kubectl create service nodeport my-ns --tcp=80,443:https --node-port=30080 --dry-run=client -o yaml
    expect(toYaml(svc)).toBe(`apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: my-ns
  name: my-ns
spec:
  ports:
  - name: "80"
    nodePort: 30080
    port: 80
    protocol: TCP
    targetPort: 80
  - name: 443-https
    nodePort: 30080
    port: 443
    protocol: TCP
    targetPort: https
  selector:
    app: my-ns
  type: NodePort
status:
  loadBalancer: {}
`);
  });

  it('reads ports as strconv does: leading zeros, a signed target, extra fields ignored', () => {
    const ports = (spec: string) => (buildService(service({ tcp: [spec] })).spec as { ports: unknown[] }).ports[0];
    expect(ports('080')).toEqual({ name: '080', protocol: 'TCP', port: 80, targetPort: 80 });
    expect(ports('80:+8080')).toEqual({ name: '80-+8080', protocol: 'TCP', port: 80, targetPort: 8080 });
    expect(ports('80:8080:9')).toEqual({ name: '80-8080-9', protocol: 'TCP', port: 80, targetPort: 8080 });
    expect(ports('0')).toEqual({ name: '0', protocol: 'TCP', port: 0, targetPort: 0 });
  });

  it.each([
    ['abc', 'strconv.ParseUint: parsing "abc": invalid syntax'],
    ['-1', 'strconv.ParseUint: parsing "-1": invalid syntax'],
    ['+80', 'strconv.ParseUint: parsing "+80": invalid syntax'],
    [':80', 'strconv.ParseUint: parsing "": invalid syntax'],
    ['70000', 'strconv.ParseUint: parsing "70000": value out of range'],
    ['80:0', 'must be between 1 and 65535, inclusive'],
    ['80:70000', 'must be between 1 and 65535, inclusive'],
    ['80:Bad_Name', 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ['80:abcdefghijklmnopq', 'must be no more than 15 characters'],
    ['80:', 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-),must contain at least one letter (a-z)'],
  ])('--tcp=%s: %s', (spec, message) => {
    expect(() => buildService(service({ tcp: [spec] }))).toThrow(message);
  });

  it('validates as ServiceOptions.Validate does', () => {
    expect(() => validateServiceGenerator(service({}))).toThrow('at least one tcp port specifier must be provided');
    expect(() => validateServiceGenerator(service({ clusterIP: 'None' }))).not.toThrow();
    expect(() => validateServiceGenerator(service({ type: 'ExternalName', externalName: 'bar.com' }))).not.toThrow();
    expect(() => validateServiceGenerator(service({ type: 'ExternalName', externalName: 'Bad_Name' }))).toThrow('invalid service external name Bad_Name');
  });
});

describe('create deployment', () => {
  it('names containers after their images', () => {
    const rng = seededRandom('t');
    expect(containerNameForImage('busybox:latest', rng)).toBe('busybox');
    expect(containerNameForImage('registry:5000/team/app:v1', rng)).toBe('app');
    expect(containerNameForImage('app@sha256:0123', rng)).toBe('app');
    expect(containerNameForImage('registry.io/my_app.v2:1.0', rng)).toMatch(/^my-app-v2-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('puts --port on the first container only and keeps every image', () => {
    const d = buildDeployment(
      { name: 'd', images: ['busybox:latest', 'ubuntu:latest'], port: 5701, replicas: 3, command: [], namespace: 'ns1' },
      seededRandom('t'),
    );
    // kubectl create deployment d --image=busybox:latest --image=ubuntu:latest --port=5701 --replicas=3 -n ns1 --dry-run=client -o json
    expect(toJson(inGoStructOrder(d), { sortKeys: false })).toBe(`{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "d",
        "namespace": "ns1",
        "creationTimestamp": null,
        "labels": {
            "app": "d"
        }
    },
    "spec": {
        "replicas": 3,
        "selector": {
            "matchLabels": {
                "app": "d"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "d"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "busybox",
                        "image": "busybox:latest",
                        "ports": [
                            {
                                "containerPort": 5701
                            }
                        ],
                        "resources": {}
                    },
                    {
                        "name": "ubuntu",
                        "image": "ubuntu:latest",
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
`);
  });

  it('stores --save-config as the compact struct JSON', () => {
    const d = withTypedLastApplied(buildDeployment({ name: 'd', images: ['nginx'], port: -1, replicas: 1, command: [] }, seededRandom('t')));
    // kubectl create deployment d --image=nginx --dry-run=client -o yaml --save-config
    expect(d.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration':
        '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"d","creationTimestamp":null,"labels":{"app":"d"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"d"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}\n',
    });
  });
});

describe('struct order of what the server returns', () => {
  it('orders metadata, pod spec and container fields as Go does', () => {
    // Keys as a map-backed object has them (sorted); the order expected is the one kubectl
    // printed for a Pod built by `kubectl run ... --overrides` (typed, so in struct order).
    const sorted = JSON.parse(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"a":"b"},"creationTimestamp":"2026-01-01T00:00:00Z","finalizers":["f"],"generateName":"g","generation":2,"labels":{"run":"p"},"name":"p","ownerReferences":[{"apiVersion":"v1","blockOwnerDeletion":true,"controller":true,"kind":"X","name":"n","uid":"u"}],"resourceVersion":"1","uid":"u"},"spec":{"template":{"spec":{"containers":[{"args":["a"],"command":["c"],"env":[{"name":"A","value":"1"}],"image":"nginx","imagePullPolicy":"Always","name":"p","ports":[{"containerPort":80,"hostIP":"1.1.1.1","hostPort":1,"name":"http","protocol":"TCP"}],"resources":{"limits":{"cpu":"1"}},"securityContext":{"privileged":true},"stdin":true,"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","tty":true,"volumeMounts":[{"mountPath":"/m","name":"v"}],"workingDir":"/w"}],"dnsPolicy":"ClusterFirst","enableServiceLinks":true,"hostNetwork":true,"nodeName":"n","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{"runAsUser":1},"serviceAccountName":"default","terminationGracePeriodSeconds":30,"tolerations":[{"key":"k","operator":"Exists"}]}}}}',
    ) as KObject;
    const out = inGoStructOrder(sorted) as KObject & { spec: { template: { spec: Record<string, unknown> } } };
    expect(Object.keys(out)).toEqual(['kind', 'apiVersion', 'metadata', 'spec']);
    expect(Object.keys(out.metadata)).toEqual(['name', 'generateName', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers']);
    expect(Object.keys(out.metadata.ownerReferences![0])).toEqual(['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion']);
    const podSpec = out.spec.template.spec;
    expect(Object.keys(podSpec)).toEqual([
      'containers', 'restartPolicy', 'terminationGracePeriodSeconds', 'dnsPolicy', 'serviceAccountName', 'nodeName',
      'hostNetwork', 'securityContext', 'schedulerName', 'tolerations', 'enableServiceLinks',
    ]);
    const container = (podSpec.containers as Record<string, unknown>[])[0];
    expect(Object.keys(container)).toEqual([
      'name', 'image', 'command', 'args', 'workingDir', 'ports', 'env', 'resources', 'volumeMounts',
      'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'tty',
    ]);
    expect(Object.keys((container.ports as object[])[0])).toEqual(['name', 'hostPort', 'containerPort', 'protocol', 'hostIP']);
  });

  it('writes compact JSON in the given order, HTML-escaped as encoding/json does', () => {
    expect(goCompactJson({ b: 1, a: ['<&>', null, true] })).toBe('{"b":1,"a":["\\u003c\\u0026\\u003e",null,true]}');
  });
});

describe('create configmap', () => {
  it('parses literal and file sources with util.ParseLiteralSource / ParseFileSource', () => {
    expect(parseLiteralSource('url=a=b')).toEqual({ key: 'url', value: 'a=b' });
    expect(parseLiteralSource('empty=')).toEqual({ key: 'empty', value: '' });
    expect(() => parseLiteralSource('a')).toThrow('invalid literal source a, expected key=value');
    expect(() => parseLiteralSource('=a')).toThrow('invalid literal source =a, expected key=value');
    expect(parseFileSource('conf/app.properties')).toEqual({ key: 'app.properties', filePath: 'conf/app.properties' });
    expect(parseFileSource('conf/')).toEqual({ key: 'conf', filePath: 'conf/' });
    expect(parseFileSource('msg=greeting.txt')).toEqual({ key: 'msg', filePath: 'greeting.txt' });
    expect(() => parseFileSource('=greeting.txt')).toThrow('key name for file path greeting.txt missing');
    expect(() => parseFileSource('k=')).toThrow('file path for key name k missing');
    expect(() => parseFileSource('a=b=c')).toThrow("key names or file paths cannot contain '='");
  });

  it('checks keys with the API server\'s messages', () => {
    expect(configMapKeyErrors('key.name_1-x')).toEqual([]);
    expect(configMapKeyErrors('bad key')).toEqual([
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
    expect(configMapKeyErrors('..a')).toEqual(["must not start with '..'"]);
    expect(envVarNameErrors('1ST')).toEqual([
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ]);
  });

  it('refuses a key added twice, in data or binaryData', () => {
    const cm = new ConfigMapData('c');
    cm.addLiteral('a', '1');
    expect(() => cm.addLiteral('a', '2')).toThrow('cannot add key "a", another key by that name already exists in Data for ConfigMap "c"');
    cm.addFileContent('bin', Buffer.from([0xff, 0xfe]));
    expect(() => cm.addFileContent('bin', Buffer.from('text'))).toThrow(
      'cannot add key "bin", another key by that name already exists in BinaryData for ConfigMap "c"',
    );
  });

  it('reads env files as cmdutil.AddFromEnvFile does', () => {
    const file = Buffer.from('\ufeff# settings\nMODE=prod\n  LEVEL= debug  \r\n\t\nFROM_ENV\nEMPTY=\nURL=a=b', 'utf8');
    expect(parseEnvFile(file, 'app.env', { FROM_ENV: 'shell' })).toEqual([
      ['MODE', 'prod'],
      ['LEVEL', ' debug  '],
      ['FROM_ENV', 'shell'],
      ['EMPTY', ''],
      ['URL', 'a=b'],
    ]);
    expect(() => parseEnvFile(Buffer.from('OK=1\nexport C=3\n'), 'e.env', {})).toThrow(
      '"export C" is not a valid key name: a valid environment variable name must consist of alphabetic characters',
    );
    expect(() => parseEnvFile(Buffer.from('A=1\nA=\xff\n', 'latin1'), 'e3.env', {})).toThrow(
      'env file e3.env contains invalid utf8 bytes at line 2: [65 61 255]',
    );
  });

  it('appends the hash kubectl computes', () => {
    // kubectl create cm c ... --append-hash --dry-run=client -o name
    const name = (literals: [string, string][], binary: Record<string, Buffer> = {}) => {
      const cm = new ConfigMapData('c');
      for (const [k, v] of literals) cm.addLiteral(k, v);
      for (const [k, v] of Object.entries(binary)) cm.addFileContent(k, v);
      return buildConfigMap('c', cm, { appendHash: true }).metadata.name;
    };
    expect(name([['a', '1']])).toBe('c-9dtcmmmm5t');
    expect(name([])).toBe('c-94b26g54cg');
    expect(name([['k', '<&>']])).toBe('c-fg7b98hdhm');
    expect(name([['b', 'x'], ['a', '1']], { bin: Buffer.from([0xff, 0xfe, 0x00, 0x62, 0x69, 0x6e]) })).toBe('c-t95hdm2956');
    expect(configMapHash('c', { a: '1' }, {})).toBe('9dtcmmmm5t');
  });

  it('leaves out empty data and binaryData', () => {
    expect(toJson(inGoStructOrder(buildConfigMap('c', new ConfigMapData('c'))), { sortKeys: false })).toBe(`{
    "kind": "ConfigMap",
    "apiVersion": "v1",
    "metadata": {
        "name": "c",
        "creationTimestamp": null
    }
}
`);
  });
});
