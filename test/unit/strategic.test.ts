/**
 * Strategic merge patch: expected values come from kubectl v1.32.4 (`kubectl patch --local -f
 * <object> -p <patch> -o json` for applying, `kubectl edit` and `kubectl apply` against a stub API
 * server that recorded the PATCH bodies for two- and three-way patches), from
 * kubectl-behavior.md §9.1, and from apimachinery's strategicpatch/patch_test.go (with its
 * MergeItem test type).
 */
import { describe, expect, it } from 'vitest';
import type { FieldMeta, TypeSchema } from '../../src/patch/patch-meta.ts';
import {
  createThreeWayMergePatch,
  createThreeWayMergePatchWithSchema,
  createTwoWayMergePatch,
  createTwoWayMergePatchWithSchema,
  strategicMergePatch,
  strategicMergePatchWithSchema,
} from '../../src/patch/strategic.ts';
import { errorOf, SERVICE, withChanges, type Json, type Outcome } from '../helpers/patching.ts';

// ------------------------------------------------------------------ applying

const OBJECTS: Record<string, Json> = {
  svc: SERVICE,
  svc3: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 1 }, { port: 2 }, { port: 3 }] } },
  dns: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'dns' },
    spec: {
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'm', port: 9153, protocol: 'TCP' },
      ],
    },
  },
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      finalizers: ['b', 'a'],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1' }],
    },
    spec: {
      containers: [
        {
          name: 'c1',
          image: 'i1',
          ports: [{ containerPort: 80 }, { containerPort: 81, name: 'm' }],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          volumeMounts: [{ name: 'v', mountPath: '/v' }],
        },
        { name: 'c2', image: 'i2' },
      ],
      volumes: [
        { name: 'v', emptyDir: {} },
        { name: 'w', configMap: { name: 'cm' } },
      ],
      tolerations: [{ key: 'k', operator: 'Exists' }],
      imagePullSecrets: [{ name: 's1' }],
    },
    status: {
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      podIPs: [{ ip: '10.0.0.1' }],
    },
  },
  deploy: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'd' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'X', value: '1' }] }] } },
    },
    status: {
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True' },
      ],
    },
  },
  node: {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n' },
    spec: { podCIDRs: ['10.0.0.0/24'], taints: [{ key: 'a', effect: 'NoSchedule' }] },
    status: {
      addresses: [
        { type: 'InternalIP', address: '1.2.3.4' },
        { type: 'Hostname', address: 'n' },
      ],
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'MemoryPressure', status: 'False' },
      ],
    },
  },
  ep: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '1.1.1.1' }], ports: [{ port: 80 }] }] },
  rs: {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'r' },
    spec: { template: { spec: { initContainers: [{ name: 'i', image: 'x' }], containers: [{ name: 'c', image: 'i' }] } } },
  },
  ns: {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'n' },
    spec: { finalizers: ['kubernetes'] },
    status: { conditions: [{ type: 'A', status: 'True' }] },
  },
};

const GROUP_KINDS: Record<string, string> = {
  Service: '/Service',
  Pod: '/Pod',
  Deployment: 'apps/Deployment',
  Node: '/Node',
  Endpoints: '/Endpoints',
  ReplicaSet: 'apps/ReplicaSet',
  Namespace: '/Namespace',
};

/** [object, patch, what kubectl printed: the fields that changed, or the error after `error: `]. */
const KUBECTL_PATCH_LOCAL: [string, unknown, Outcome][] = [
  ["svc3", {"spec":{"ports":[{"port":9},{"port":2}]}}, { changed: { "spec.ports": [{"port":9},{"port":1},{"port":2},{"port":3}] } }],
  ["svc3", {"spec":{"ports":[{"port":3},{"port":9}]}}, { changed: { "spec.ports": [{"port":1},{"port":2},{"port":3},{"port":9}] } }],
  ["svc", {"spec":{"ports":[{"port":80},{"port":8081}]}}, { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"port":8081},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  ["svc", {"spec":{"ports":[{"port":8081}]}}, { changed: { "spec.ports": [{"port":8081},{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  ["svc", {"spec":{"ports":[{"port":443},{"port":9}]}}, { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443},{"port":9}] } }],
  ["svc", {"spec":{"ports":[{"port":80,"protocol":"UDP","name":"u"}]}}, { changed: { "spec.ports": [{"name":"u","port":80,"protocol":"UDP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  ["svc", {"spec":{"ports":[{"port":443,"$patch":"delete"}]}}, { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080}] } }],
  ["svc", {"spec":{"ports":[{"$patch":"replace"},{"port":1}]}}, { changed: { "spec.ports": [{"port":1}] } }],
  ["svc", {"spec":{"$patch":"replace","type":"NodePort"}}, { changed: { "spec.ports": undefined, "spec.selector": undefined, "spec.externalIPs": undefined, "spec.type": "NodePort" } }],
  ["svc", {"spec":{"externalIPs":["3.3.3.3"]}}, { changed: { "spec.externalIPs": ["3.3.3.3"] } }],
  ["svc", {"spec":{"externalIPs":null}}, { changed: { "spec.externalIPs": undefined } }],
  ["svc", {"spec":{"selector":{"app":null,"k":"v"}},"metadata":{"labels":{"a":null}}}, { changed: { "metadata.labels.a": undefined, "spec.selector.app": undefined, "spec.selector.k": "v" } }],
  ["svc", {"metadata":{"finalizers":["z","x"]}}, { changed: { "metadata.finalizers": ["z","x","y"] } }],
  ["svc", {"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]}}, { changed: { "metadata.finalizers": ["y"] } }],
  ["svc", {"metadata":{"$setElementOrder/finalizers":["y","x"]}}, { changed: { "metadata.finalizers": ["y","x"] } }],
  ["svc", {"metadata":{"$setElementOrder/finalizers":["y","q","x"],"finalizers":["q"]}}, { changed: { "metadata.finalizers": ["y","q","x"] } }],
  ["svc", {"spec":{"$setElementOrder/ports":[{"port":443},{"port":80}]}}, { changed: { "spec.ports": [{"name":"https","port":443,"protocol":"TCP","targetPort":8443},{"name":"http","port":80,"protocol":"TCP","targetPort":8080}] } }],
  ["svc", {"spec":{"$setElementOrder/ports":[{"port":443},{"port":9},{"port":80}],"ports":[{"port":9}]}}, { changed: { "spec.ports": [{"name":"https","port":443,"protocol":"TCP","targetPort":8443},{"port":9},{"name":"http","port":80,"protocol":"TCP","targetPort":8080}] } }],
  ["svc", {"spec":{"$setElementOrder/ports":[{"port":9},{"port":443}],"ports":[{"port":9},{"port":80,"$patch":"delete"}]}}, { changed: { "spec.ports": [{"port":9},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  ["svc", {"spec":{"$setElementOrder/ports":[{"port":443}],"ports":[{"port":9}]}}, { error: "The order in patch list:\n[map[port:9]]\n doesn't match $setElementOrder list:\n[map[port:443]]\n" }],
  ["svc", {"spec":{"$setElementOrder/externalIPs":["2.2.2.2","1.1.1.1"]}}, { changed: { "spec.externalIPs": ["2.2.2.2","1.1.1.1"] } }],
  ["dns", {"spec":{"ports":[{"port":53,"name":"x"}]}}, { changed: { "spec.ports": [{"name":"x","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53,"protocol":"TCP"},{"name":"m","port":9153,"protocol":"TCP"}] } }],
  ["dns", {"spec":{"ports":[{"port":53,"$patch":"delete"}]}}, { changed: { "spec.ports": [{"name":"m","port":9153,"protocol":"TCP"}] } }],
  ["dns", {"spec":{"ports":[{"port":9153},{"port":53,"protocol":"SCTP"},{"port":1}]}}, { changed: { "spec.ports": [{"name":"m","port":9153,"protocol":"TCP"},{"name":"dns","port":53,"protocol":"SCTP"},{"name":"dns-tcp","port":53,"protocol":"TCP"},{"port":1}] } }],
  ["pod", {"spec":{"containers":[{"name":"c1","image":"new"}]}}, { changed: { "spec.containers": [{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"new","name":"c1","ports":[{"containerPort":80},{"containerPort":81,"name":"m"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]},{"image":"i2","name":"c2"}] } }],
  ["pod", {"spec":{"containers":[{"name":"c3","image":"i3"}]}}, { changed: { "spec.containers": [{"image":"i3","name":"c3"},{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"i1","name":"c1","ports":[{"containerPort":80},{"containerPort":81,"name":"m"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]},{"image":"i2","name":"c2"}] } }],
  ["pod", {"spec":{"containers":[{"name":"c1","env":[{"name":"C","value":"3"},{"name":"A","value":"9"}]}]}}, { changed: { "spec.containers": [{"env":[{"name":"C","value":"3"},{"name":"A","value":"9"},{"name":"B","value":"2"}],"image":"i1","name":"c1","ports":[{"containerPort":80},{"containerPort":81,"name":"m"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]},{"image":"i2","name":"c2"}] } }],
  ["pod", {"spec":{"containers":[{"name":"c1","env":[{"name":"A","$patch":"delete"}],"ports":[{"containerPort":80,"protocol":"UDP"},{"containerPort":90}]}]}}, { changed: { "spec.containers": [{"env":[{"name":"B","value":"2"}],"image":"i1","name":"c1","ports":[{"containerPort":80,"protocol":"UDP"},{"containerPort":90},{"containerPort":81,"name":"m"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]},{"image":"i2","name":"c2"}] } }],
  ["pod", {"spec":{"containers":[{"name":"c1","volumeMounts":[{"mountPath":"/w","name":"w"}]}]}}, { changed: { "spec.containers": [{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"i1","name":"c1","ports":[{"containerPort":80},{"containerPort":81,"name":"m"}],"volumeMounts":[{"mountPath":"/w","name":"w"},{"mountPath":"/v","name":"v"}]},{"image":"i2","name":"c2"}] } }],
  ["pod", {"spec":{"volumes":[{"name":"v","$retainKeys":["name","hostPath"],"hostPath":{"path":"/x"}}]}}, { changed: { "spec.volumes": [{"hostPath":{"path":"/x"},"name":"v"},{"configMap":{"name":"cm"},"name":"w"}] } }],
  ["pod", {"spec":{"volumes":[{"name":"v","$retainKeys":["name"],"hostPath":{"path":"/x"}}]}}, { error: "invalid patch format of retainKeys" }],
  ["pod", {"spec":{"tolerations":[{"key":"z","operator":"Exists"}]}}, { changed: { "spec.tolerations": [{"key":"z","operator":"Exists"}] } }],
  ["pod", {"spec":{"imagePullSecrets":[{"name":"s2"}]}}, { changed: { "spec.imagePullSecrets": [{"name":"s2"},{"name":"s1"}] } }],
  ["pod", {"metadata":{"ownerReferences":[{"uid":"u2","name":"x","kind":"K","apiVersion":"v1"}]}}, { changed: { "metadata.ownerReferences": [{"apiVersion":"v1","kind":"K","name":"x","uid":"u2"},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1"}] } }],
  ["pod", {"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"New","status":"True"}]}}, { changed: { "status.conditions": [{"status":"False","type":"Ready"},{"status":"True","type":"New"},{"status":"True","type":"PodScheduled"}] } }],
  ["pod", {"status":{"podIPs":[{"ip":"10.0.0.2"}]}}, { changed: { "status.podIPs": [{"ip":"10.0.0.2"},{"ip":"10.0.0.1"}] } }],
  ["pod", {"spec":{"containers":[{"name":"c2","$patch":"delete"}],"$setElementOrder/containers":[{"name":"c1"}]}}, { changed: { "spec.containers": [{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"i1","name":"c1","ports":[{"containerPort":80},{"containerPort":81,"name":"m"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]}] } }],
  ["pod", {"spec":{"containers":[{"name":"c1","resources":{"limits":{"cpu":"1"}}}]}}, { changed: { "spec.containers": [{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"i1","name":"c1","ports":[{"containerPort":80},{"containerPort":81,"name":"m"}],"resources":{"limits":{"cpu":"1"}},"volumeMounts":[{"mountPath":"/v","name":"v"}]},{"image":"i2","name":"c2"}] } }],
  ["pod", {"metadata":{"finalizers":["a","c"]}}, { changed: { "metadata.finalizers": ["b","a","c"] } }],
  ["pod", {"metadata":{"finalizers":null}}, { changed: { "metadata.finalizers": undefined } }],
  ["pod", {"metadata":{"finalizers":[]}}, { changed: {  } }],
  ["pod", {"spec":{"containers":[]}}, { changed: {  } }],
  ["pod", {"spec":{"containers":[{"$patch":"replace"}]}}, { changed: { "spec.containers": [] } }],
  ["pod", {"spec":{"containers":[{"$patch":"replace"},{"image":"x"}]}}, { error: "map: map[image:x] does not contain declared merge key: name" }],
  ["pod", {"spec":{"containers":[{"name":"c1","env":[{"$patch":"replace"},{"name":"Z"}]}]}}, { changed: { "spec.containers": [{"env":[{"name":"Z"}],"image":"i1","name":"c1","ports":[{"containerPort":80},{"containerPort":81,"name":"m"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]},{"image":"i2","name":"c2"}] } }],
  ["pod", {"spec":{"containers":[{"name":"c1","$patch":"replace","image":"only"}]}}, { changed: { "spec.containers": [] } }],
  ["pod", {"spec":{"containers":[{"name":"c1","$patch":"delete"},{"name":"c1","image":"again"}]}}, { changed: { "spec.containers": [{"image":"again","name":"c1"},{"image":"i2","name":"c2"}] } }],
  ["pod", {"spec":{"containers":[{"name":"c1","image":"a"},{"name":"c1","image":"b"}]}}, { changed: { "spec.containers": [{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"b","name":"c1","ports":[{"containerPort":80},{"containerPort":81,"name":"m"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]},{"image":"i2","name":"c2"}] } }],
  ["pod", {"spec":{"ephemeralContainers":[{"name":"e","image":"x"}]}}, { changed: { "spec.ephemeralContainers": [{"image":"x","name":"e"}] } }],
  ["pod", {"spec":{"hostAliases":[{"ip":"1.2.3.4","hostnames":["a"]}]}}, { changed: { "spec.hostAliases": [{"hostnames":["a"],"ip":"1.2.3.4"}] } }],
  ["deploy", {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}, { changed: { "spec.strategy.type": "Recreate", "spec.strategy.rollingUpdate": undefined } }],
  ["deploy", {"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}, { changed: { "spec.strategy.type": "Recreate", "spec.strategy.rollingUpdate": undefined } }],
  ["deploy", {"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"Y","value":"2"}]}]}}}}, { changed: { "spec.template.spec.containers": [{"env":[{"name":"Y","value":"2"},{"name":"X","value":"1"}],"image":"i","name":"c"}] } }],
  ["deploy", {"spec":{"selector":{"matchExpressions":[{"key":"a","operator":"Exists"}]}}}, { changed: { "spec.selector.matchExpressions": [{"key":"a","operator":"Exists"}] } }],
  ["deploy", {"spec":{"replicas":null}}, { changed: { "spec.replicas": undefined } }],
  ["deploy", {"status":{"conditions":[{"type":"Progressing","reason":"X"}]}}, { changed: { "status.conditions": [{"status":"True","type":"Available"},{"reason":"X","status":"True","type":"Progressing"}] } }],
  ["node", {"status":{"addresses":[{"type":"ExternalIP","address":"5.6.7.8"}]}}, { changed: { "status.addresses": [{"address":"5.6.7.8","type":"ExternalIP"},{"address":"1.2.3.4","type":"InternalIP"},{"address":"n","type":"Hostname"}] } }],
  ["node", {"spec":{"taints":[{"key":"b","effect":"NoExecute"}]}}, { changed: { "spec.taints": [{"effect":"NoExecute","key":"b"}] } }],
  ["node", {"spec":{"podCIDRs":["10.0.1.0/24"]}}, { changed: { "spec.podCIDRs": ["10.0.1.0/24","10.0.0.0/24"] } }],
  ["ep", {"subsets":[{"addresses":[{"ip":"2.2.2.2"}]}]}, { changed: { "subsets": [{"addresses":[{"ip":"2.2.2.2"}]}] } }],
  ["rs", {"spec":{"template":{"spec":{"initContainers":[{"name":"j","image":"y"}]}}}}, { changed: { "spec.template.spec.initContainers": [{"image":"y","name":"j"},{"image":"x","name":"i"}] } }],
  ["ns", {"spec":{"finalizers":["other"]}}, { changed: { "spec.finalizers": ["other"] } }],
  ["ns", {"status":{"conditions":[{"type":"B","status":"True"}]}}, { changed: { "status.conditions": [{"status":"True","type":"B"},{"status":"True","type":"A"}] } }],
  ["svc", {"spec":{"ports":[{"port":80,"$patch":"bogus"}]}}, { error: "unknown patch type: bogus in map: map[$patch:bogus port:80]" }],
  ["svc", {"spec":{"ports":[{"$patch":"delete"}]}}, { error: "map: map[$patch:delete] does not contain declared merge key: port" }],
  ["svc", {"spec":{"ports":[1,2]}}, { error: "list element types are not identical: [[map[name:http port:80 protocol:TCP targetPort:8080] map[name:https port:443 protocol:TCP targetPort:8443]] [1 2]]" }],
  ["svc", {"spec":{"ports":[[1]]}}, { error: "list element types are not identical: [[map[name:http port:80 protocol:TCP targetPort:8080] map[name:https port:443 protocol:TCP targetPort:8443]] [[1]]]" }],
  ["svc", {"spec":{"ports":[{"port":1},"x"]}}, { error: "list element types are not identical: [[map[name:http port:80 protocol:TCP targetPort:8080] map[name:https port:443 protocol:TCP targetPort:8443]] [map[port:1] x]]" }],
  ["svc", {"spec":{"ports":{"port":1}}}, { changed: { "spec.ports": {"port":1} } }],
  ["svc", {"spec":{"$retainKeys":"x"}}, { error: "invalid patch format of retainKeys" }],
  ["svc", {"spec":{"$retainKeys":["ports","type"],"type":"NodePort"}}, { changed: { "spec.selector": undefined, "spec.externalIPs": undefined, "spec.type": "NodePort" } }],
  ["svc", {"spec":{"$retainKeys":["ports"],"type":null}}, { changed: { "spec.selector": undefined, "spec.externalIPs": undefined, "spec.type": undefined } }],
  ["svc", {"spec":{"$setElementOrderX/ports":[]}}, { error: "invalid patch format of setElementOrder list" }],
  ["svc", {"metadata":{"$deleteFromPrimitiveListX/finalizers":[]}}, { error: "invalid patch format of primitive list" }],
  ["svc", {"spec":{"$setElementOrder/ports":[{"name":"x"}]}}, { error: "map: map[name:x] does not contain declared merge key: port" }],
  ["svc", {"spec":{"$setElementOrder/ports":[{"port":80}],"ports":"x"}}, { error: "expected a []interface {}, but received a string" }],
  ["svc", {"spec":{"$patch":"delete"}}, { changed: { "spec.ports": undefined, "spec.selector": undefined, "spec.externalIPs": undefined, "spec.type": undefined } }],
  ["svc", {"$patch":"replace","apiVersion":"v1","kind":"Service","metadata":{"name":"s"}}, { changed: { "metadata.labels": undefined, "metadata.finalizers": undefined, "spec": undefined } }],
  ["svc", {"metadata":{"finalizers":["x","x","w"]}}, { changed: { "metadata.finalizers": ["x","w","y"] } }],
  ["svc", {"spec":{"ports":[{"port":80.5}]}}, { changed: { "spec.ports": [{"port":80.5},{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  ["svc", {"spec":{"ports":[{"port":"80"}]}}, { changed: { "spec.ports": [{"port":"80"},{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  ["svc", {"metadata":{"finalizers":[1]}}, { error: "list element types are not identical: [[x y] [1]]" }],
];

describe('strategicMergePatch, as kubectl patch --local applies it', () => {
  it.each(KUBECTL_PATCH_LOCAL)('%s %j', (name, patch, outcome) => {
    const obj = OBJECTS[name];
    const gk = GROUP_KINDS[obj.kind as string];
    if ('error' in outcome) {
      expect(errorOf(() => strategicMergePatch(obj, patch, gk)).message).toBe(outcome.error);
    } else {
      expect(strategicMergePatch(obj, patch, gk)).toEqual(withChanges(obj, outcome.changed));
    }
  });

  it('keeps the order rules of kubectl-behavior.md §9.1 for Service ports', () => {
    const ports = (list: number[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: list.map((port) => ({ port })) } });
    const merged = (live: number[], patch: number[]) =>
      ((strategicMergePatch(ports(live), { spec: { ports: patch.map((port) => ({ port })) } }, '/Service') as Json).spec as Json).ports;
    expect(merged([80, 443], [80, 8081])).toEqual([{ port: 80 }, { port: 8081 }, { port: 443 }]);
    expect(merged([80, 443], [8081])).toEqual([{ port: 8081 }, { port: 80 }, { port: 443 }]);
    expect(merged([1, 2, 3], [9, 2])).toEqual([{ port: 9 }, { port: 1 }, { port: 2 }, { port: 3 }]);
    expect(merged([1, 2, 3], [3, 9])).toEqual([{ port: 1 }, { port: 2 }, { port: 3 }, { port: 9 }]);
    expect(merged([80, 443], [443, 9])).toEqual([{ port: 80 }, { port: 443 }, { port: 9 }]);
  });

  it('accepts a core kind without the leading slash', () => {
    expect(strategicMergePatch(OBJECTS.svc3, { spec: { ports: [{ port: 4 }] } }, 'Service')).toEqual(
      withChanges(OBJECTS.svc3, { 'spec.ports': [{ port: 4 }, { port: 1 }, { port: 2 }, { port: 3 }] }),
    );
  });

  it('treats a null patch as no change', () => {
    expect(strategicMergePatch(OBJECTS.pod, null, '/Pod')).toEqual(OBJECTS.pod);
  });

  it('never mutates its inputs', () => {
    const obj = structuredClone(OBJECTS.pod);
    const patch = {
      metadata: { finalizers: ['z'], '$deleteFromPrimitiveList/finalizers': ['a'] },
      spec: {
        '$setElementOrder/containers': [{ name: 'c9' }, { name: 'c1' }],
        containers: [{ name: 'c2', $patch: 'delete' }, { name: 'c9', env: [{ name: 'Q', value: null }] }],
      },
    };
    const patchCopy = structuredClone(patch);
    strategicMergePatch(obj, patch, '/Pod');
    expect(obj).toEqual(OBJECTS.pod);
    expect(patch).toEqual(patchCopy);
  });

  it('sorts out the non-deterministic case upstream leaves to map order: additions, then the deletion list', () => {
    // With both keys in one patch Go's random map iteration decides; kubectl 1.32 gives this
    // result most of the time (and ["d","a","e"] otherwise).
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers: ['a', 'd'] } };
    const patch = { metadata: { finalizers: ['d', 'a', 'e'], '$deleteFromPrimitiveList/finalizers': ['a', 'b'] } };
    expect(strategicMergePatch(pod, patch, '/Pod')).toEqual(withChanges(pod, { 'metadata.finalizers': ['d', 'e'] }));
  });

  it('reads the live order through the original list after deleting and appending in place (Go slice aliasing)', () => {
    // Observed with kubectl patch --local: c3 stays after c4 because the appended c3 takes the
    // slot the deleted c2 left in the original array.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c4' }, { name: 'c2' }] } };
    const patch = {
      spec: {
        containers: [{ name: 'c3', image: 'new' }, { name: 'c2', $patch: 'delete' }],
        '$setElementOrder/containers': [{ name: 'c2' }, { name: 'c3' }],
      },
    };
    expect(strategicMergePatch(pod, patch, '/Pod')).toEqual(withChanges(pod, { 'spec.containers': [{ name: 'c4' }, { name: 'c3', image: 'new' }] }));
  });
});

describe('strategic merge failures', () => {
  it('are BadRequest on the server for the malformed-directive errors', () => {
    const e = errorOf(() => strategicMergePatch(OBJECTS.svc, { spec: { $retainKeys: 'x' } }, '/Service'));
    expect(e.status?.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' });
  });

  it('reach kubectl as a bare server error otherwise (Error from server: ...)', () => {
    const e = errorOf(() => strategicMergePatch(OBJECTS.svc, { spec: { ports: [{ port: 80, $patch: 'bogus' }] } }, '/Service'));
    expect(e.status?.status).toMatchObject({ code: 500, reason: '', message: 'unknown patch type: bogus in map: map[$patch:bogus port:80]' });
  });

  it('are a 422 without details for lists of lists', () => {
    const obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', finalizers: [['a']] } };
    const e = errorOf(() => strategicMergePatch(obj, { metadata: { finalizers: [['b']] } }, '/Service'));
    expect(e.message).toBe('lists of lists are not supported');
    expect(e.status?.status).toMatchObject({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
  });

  it('refuse a patch that is not an object, as kubectl --local does', () => {
    expect(errorOf(() => strategicMergePatch(OBJECTS.svc, [], '/Service')).message).toBe('invalid JSON document');
    expect(errorOf(() => strategicMergePatch(OBJECTS.svc, 'x', '/Service')).message).toBe('invalid JSON document');
  });

  it('refuse kinds without strategic merge metadata', () => {
    const e = errorOf(() => strategicMergePatch({ kind: 'Widget' }, {}, 'example.com/Widget'));
    expect(e.status?.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'strategic merge patch format is not supported' });
  });
});

// ------------------------------------------------------------------ two-way (kubectl edit, kubectl set)

const pod = (metadata: Json, spec: Json): Json => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ...metadata }, spec });
const ctr = (name: string, image: string, extra: Json = {}): Json => ({ name, image, ...extra });

/** [description, original, edited, the PATCH body kubectl edit sent]. */
const KUBECTL_EDIT: [string, Json, Json, Json][] = [
  [
    'image changed',
    pod({}, { containers: [ctr('a', 'i1'), ctr('b', 'i2')] }),
    pod({}, { containers: [ctr('a', 'i9'), ctr('b', 'i2')] }),
    { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ image: 'i9', name: 'a' }] } },
  ],
  [
    'container removed and added',
    pod({}, { containers: [ctr('a', 'i1'), ctr('b', 'i2')] }),
    pod({}, { containers: [ctr('c', 'i3'), ctr('a', 'i1')] }),
    {
      spec: {
        '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }],
        containers: [{ image: 'i3', name: 'c' }, { $patch: 'delete', name: 'b' }],
      },
    },
  ],
  [
    'containers reordered',
    pod({}, { containers: [ctr('a', 'i1'), ctr('b', 'i2')] }),
    pod({}, { containers: [ctr('b', 'i2'), ctr('a', 'i1')] }),
    { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } },
  ],
  [
    'env and ports',
    pod({}, { containers: [ctr('a', 'i', { env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] })] }),
    pod({}, {
      containers: [ctr('a', 'i', { env: [{ name: 'Y', value: '3' }], ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81, protocol: 'TCP' }] })],
    }),
    {
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }],
        containers: [
          {
            '$setElementOrder/env': [{ name: 'Y' }],
            '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 81 }],
            env: [{ name: 'Y', value: '3' }, { $patch: 'delete', name: 'X' }],
            name: 'a',
            ports: [{ containerPort: 81, protocol: 'TCP' }],
          },
        ],
      },
    },
  ],
  [
    'finalizers and labels',
    pod({ labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] }, { containers: [ctr('a', 'i')] }),
    pod({ labels: { b: '3' }, finalizers: ['z', 'x'] }, { containers: [ctr('a', 'i')] }),
    {
      metadata: {
        '$deleteFromPrimitiveList/finalizers': ['y'],
        '$setElementOrder/finalizers': ['z', 'x'],
        finalizers: ['z'],
        labels: { a: null, b: '3' },
      },
    },
  ],
  [
    // upstream compares the list after sorting it in place, so an unsorted one looks changed
    'unsorted finalizers left alone',
    pod({ labels: { a: '1' }, finalizers: ['y', 'x'] }, { containers: [ctr('a', 'i')] }),
    pod({ labels: { a: '2' }, finalizers: ['y', 'x'] }, { containers: [ctr('a', 'i')] }),
    { metadata: { '$setElementOrder/finalizers': ['y', 'x'], labels: { a: '2' } } },
  ],
  [
    'volume source switched',
    pod({}, { containers: [ctr('a', 'i')], volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] }),
    pod({}, { containers: [ctr('a', 'i')], volumes: [{ name: 'v', hostPath: { path: '/h' } }, { name: 'w', emptyDir: {} }] }),
    {
      spec: {
        '$setElementOrder/volumes': [{ name: 'v' }, { name: 'w' }],
        volumes: [{ $retainKeys: ['hostPath', 'name'], emptyDir: null, hostPath: { path: '/h' }, name: 'v' }],
      },
    },
  ],
  [
    'tolerations replaced',
    pod({}, { containers: [ctr('a', 'i')], tolerations: [{ key: 'a', operator: 'Exists' }] }),
    pod({}, { containers: [ctr('a', 'i')], tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }),
    { spec: { tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] } },
  ],
];

describe('createTwoWayMergePatch, as kubectl edit computes it', () => {
  it.each(KUBECTL_EDIT)('%s', (_name, original, edited, sent) => {
    const patch = createTwoWayMergePatch(original, edited, '/Pod');
    expect(JSON.stringify(patch)).toBe(JSON.stringify(sent));
    // Applying the patch yields the edited object.
    expect(strategicMergePatch(original, patch, '/Pod')).toEqual(edited);
  });
});

// ------------------------------------------------------------------ three-way (kubectl apply)

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Json)[k])]));
}

/** The file as kubectl apply records it: namespace filled in, `annotations: {}` (kubectl-behavior.md §6.4). */
function recorded(file: Json): Json {
  const o = structuredClone(file);
  const metadata = o.metadata as Json;
  if (o.kind !== 'Node' && o.kind !== 'Namespace') metadata.namespace ??= 'default';
  metadata.annotations = { ...(metadata.annotations as Json | undefined) };
  return o;
}

/** The annotation value: compact JSON with sorted keys and a newline. */
const lastAppliedOf = (file: Json) => JSON.stringify(sortedKeys(recorded(file))) + '\n';

/** kubectl apply's `modified`: the recorded file carrying its own last-applied annotation. */
function modifiedOf(file: Json): Json {
  const o = recorded(file);
  (o.metadata as Json).annotations = { ...((o.metadata as Json).annotations as Json), [LAST_APPLIED]: lastAppliedOf(file) };
  return o;
}

/** The live object, namespaced like the apiserver stores it, carrying the annotation of `last`. */
function liveWith(live: Json, last: Json | undefined): Json {
  const o = structuredClone(live);
  const metadata = o.metadata as Json;
  if (o.kind !== 'Node' && o.kind !== 'Namespace') metadata.namespace ??= 'default';
  if (last) metadata.annotations = { ...(metadata.annotations as Json | undefined), [LAST_APPLIED]: lastAppliedOf(last) };
  return o;
}

const svcFile = (spec: Json, metadata: Json = {}): Json => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', ...metadata }, spec });
const svcLive = (spec: Json, metadata: Json = {}): Json => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', uid: 'u', resourceVersion: '5', creationTimestamp: '2025-01-01T00:00:00Z', ...metadata },
  spec: {
    clusterIP: '10.96.0.5',
    clusterIPs: ['10.96.0.5'],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Cluster',
    ...spec,
  },
  status: { loadBalancer: {} },
});
const port = (n: number, extra: Json = {}): Json => ({ port: n, ...extra });
const livePort = (n: number, extra: Json = {}): Json => ({ port: n, protocol: 'TCP', targetPort: n, ...extra });

function deployment(spec: Json, containers: Json[] = [{ name: 'c', image: 'nginx' }], podSpec: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels: { app: 'd' } },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers, ...podSpec } },
      ...spec,
    },
  };
}

/** A deployment after the apiserver defaulted it. */
function liveDeployment(file: Json): Json {
  const o = structuredClone(file);
  const spec = o.spec as Json;
  const podSpec = (spec.template as Json).spec as Json;
  o.metadata = { ...(o.metadata as Json), uid: 'u' };
  spec.replicas ??= 1;
  spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  spec.revisionHistoryLimit = 10;
  spec.progressDeadlineSeconds = 600;
  podSpec.restartPolicy = 'Always';
  podSpec.dnsPolicy = 'ClusterFirst';
  for (const c of podSpec.containers as Json[]) {
    c.imagePullPolicy ??= 'Always';
    c.terminationMessagePath = '/dev/termination-log';
  }
  o.status = { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] };
  return o;
}

const withEnv = (env: Json[]) => [{ name: 'c', image: 'nginx', env }];

/**
 * [description, last applied (undefined: none), file, live, the PATCH body kubectl apply sent
 * (LA standing for the new annotation), or undefined when it printed "unchanged"].
 */
const KUBECTL_APPLY: [string, Json | undefined, Json, Json, Json | undefined][] = [
  [
    'unchanged service',
    svcFile({ ports: [port(80, { targetPort: 8080 })], selector: { app: 'x' } }),
    svcFile({ ports: [port(80, { targetPort: 8080 })], selector: { app: 'x' } }),
    svcLive({ ports: [livePort(80, { targetPort: 8080 })], selector: { app: 'x' } }),
    undefined,
  ],
  [
    'targetPort changed',
    svcFile({ ports: [port(80, { targetPort: 8080 })], selector: { app: 'x' } }),
    svcFile({ ports: [port(80, { targetPort: 9090 })], selector: { app: 'x' } }),
    svcLive({ ports: [livePort(80, { targetPort: 8080 })], selector: { app: 'x' } }),
    { metadata: { annotations: { LA: 1 } }, spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 80, targetPort: 9090 }] } },
  ],
  [
    'port removed from the file',
    svcFile({ ports: [port(80), port(443)], selector: { app: 'x' } }),
    svcFile({ ports: [port(80)], selector: { app: 'x' } }),
    svcLive({ ports: [livePort(80), livePort(443)], selector: { app: 'x' } }),
    { metadata: { annotations: { LA: 1 } }, spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ $patch: 'delete', port: 443 }] } },
  ],
  [
    'port added, order changed',
    svcFile({ ports: [port(80), port(443)] }),
    svcFile({ ports: [port(443), port(8080), port(80)] }),
    svcLive({ ports: [livePort(80), livePort(443)] }),
    {
      metadata: { annotations: { LA: 1 } },
      spec: { '$setElementOrder/ports': [{ port: 443 }, { port: 8080 }, { port: 80 }], ports: [{ port: 8080 }] },
    },
  ],
  [
    'order changed only',
    svcFile({ ports: [port(80), port(443)] }),
    svcFile({ ports: [port(443), port(80)] }),
    svcLive({ ports: [livePort(80), livePort(443)] }),
    { metadata: { annotations: { LA: 1 } }, spec: { '$setElementOrder/ports': [{ port: 443 }, { port: 80 }] } },
  ],
  [
    'selector key removed',
    svcFile({ ports: [port(80)], selector: { app: 'x', tier: 'fe' } }),
    svcFile({ ports: [port(80)], selector: { app: 'x' } }),
    svcLive({ ports: [livePort(80)], selector: { app: 'x', tier: 'fe' } }),
    { metadata: { annotations: { LA: 1 } }, spec: { selector: { tier: null } } },
  ],
  [
    'type removed from the file; the allocated nodePort is left to the server',
    svcFile({ type: 'NodePort', ports: [port(80)] }),
    svcFile({ ports: [port(80)] }),
    svcLive({ type: 'NodePort', ports: [livePort(80, { nodePort: 30080 })], externalTrafficPolicy: 'Cluster' }),
    { metadata: { annotations: { LA: 1 } }, spec: { type: null } },
  ],
  [
    'object created without apply',
    undefined,
    svcFile({ ports: [port(80)], selector: { app: 'x' } }),
    svcLive({ ports: [livePort(80)], selector: { app: 'x' } }),
    { metadata: { annotations: { LA: 1 } } },
  ],
  [
    'labels and annotations: only what the file dropped is deleted',
    svcFile({ ports: [port(80)] }, { labels: { a: '1' }, annotations: { n: 'v' } }),
    svcFile({ ports: [port(80)] }, { labels: { b: '2' } }),
    svcLive({ ports: [livePort(80)] }, { labels: { a: '1', c: 'server' }, annotations: { n: 'v', other: 'o' } }),
    { metadata: { annotations: { LA: 1, n: null }, labels: { a: null, b: '2' } } },
  ],
  [
    'externalIPs removed',
    svcFile({ ports: [port(80)], externalIPs: ['1.1.1.1'] }),
    svcFile({ ports: [port(80)] }),
    svcLive({ ports: [livePort(80)], externalIPs: ['1.1.1.1'] }),
    { metadata: { annotations: { LA: 1 } }, spec: { externalIPs: null } },
  ],
  [
    'unsorted finalizers: a patch although nothing changed',
    svcFile({ ports: [port(80)] }, { finalizers: ['b', 'a'] }),
    svcFile({ ports: [port(80)] }, { finalizers: ['b', 'a'] }),
    svcLive({ ports: [livePort(80)] }, { finalizers: ['b', 'a'] }),
    { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } },
  ],
  [
    'finalizer removed, the server one kept',
    svcFile({ ports: [port(80)] }, { finalizers: ['b', 'a'] }),
    svcFile({ ports: [port(80)] }, { finalizers: ['b'] }),
    svcLive({ ports: [livePort(80)] }, { finalizers: ['b', 'a', 'srv'] }),
    { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], '$setElementOrder/finalizers': ['b'], annotations: { LA: 1 } } },
  ],
  [
    'finalizer added',
    svcFile({ ports: [port(80)] }, { finalizers: ['a'] }),
    svcFile({ ports: [port(80)] }, { finalizers: ['a', 'c'] }),
    svcLive({ ports: [livePort(80)] }, { finalizers: ['a'] }),
    { metadata: { '$setElementOrder/finalizers': ['a', 'c'], annotations: { LA: 1 }, finalizers: ['c'] } },
  ],
  [
    'replicas 3 to 2',
    deployment({ replicas: 3 }),
    deployment({ replicas: 2 }),
    liveDeployment(deployment({ replicas: 3 })),
    { metadata: { annotations: { LA: 1 } }, spec: { replicas: 2 } },
  ],
  ['unchanged deployment', deployment({ replicas: 3 }), deployment({ replicas: 3 }), liveDeployment(deployment({ replicas: 3 })), undefined],
  [
    'image changed',
    deployment({}),
    deployment({}, [{ name: 'c', image: 'nginx:2' }]),
    liveDeployment(deployment({})),
    {
      metadata: { annotations: { LA: 1 } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ image: 'nginx:2', name: 'c' }] } } },
    },
  ],
  [
    'strategy set to Recreate: retainKeys clears the defaulted rollingUpdate',
    deployment({}),
    deployment({ strategy: { type: 'Recreate' } }),
    liveDeployment(deployment({})),
    { metadata: { annotations: { LA: 1 } }, spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
  ],
  [
    'strategy from RollingUpdate to Recreate',
    deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
    deployment({ strategy: { type: 'Recreate' } }),
    liveDeployment(deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } })),
    { metadata: { annotations: { LA: 1 } }, spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
  ],
  [
    'container added, env entry removed',
    deployment({}, withEnv([{ name: 'A', value: '1' }, { name: 'B', value: '2' }])),
    deployment({}, [...withEnv([{ name: 'B', value: '2' }]), { name: 'side', image: 'busybox' }]),
    liveDeployment(deployment({}, withEnv([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]))),
    {
      metadata: { annotations: { LA: 1 } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'c' }, { name: 'side' }],
            containers: [
              { '$setElementOrder/env': [{ name: 'B' }], env: [{ $patch: 'delete', name: 'A' }], name: 'c' },
              { image: 'busybox', name: 'side' },
            ],
          },
        },
      },
    },
  ],
  [
    'volume source switched',
    deployment({}, undefined, { volumes: [{ name: 'v', emptyDir: {} }] }),
    deployment({}, undefined, { volumes: [{ name: 'v', hostPath: { path: '/x' } }] }),
    liveDeployment(deployment({}, undefined, { volumes: [{ name: 'v', emptyDir: {} }] })),
    {
      metadata: { annotations: { LA: 1 } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'v' }],
            volumes: [{ $retainKeys: ['hostPath', 'name'], emptyDir: null, hostPath: { path: '/x' }, name: 'v' }],
          },
        },
      },
    },
  ],
  [
    'configmap key removed, server key kept',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid: 'u' }, data: { a: '1', b: '2', c: '3' } },
    { data: { b: null }, metadata: { annotations: { LA: 1 } } },
  ],
];

/** The recorded PATCH body with the new annotation put in place of LA. */
function sentPatch(sent: Json, file: Json): string {
  return JSON.stringify(sent).replace('"LA":1', `${JSON.stringify(LAST_APPLIED)}:${JSON.stringify(lastAppliedOf(file))}`);
}

describe('createThreeWayMergePatch, as kubectl apply computes it', () => {
  const groupKind = (o: Json) => (o.kind === 'Deployment' ? 'apps/Deployment' : `/${o.kind as string}`);

  it.each(KUBECTL_APPLY)('%s', (_name, last, file, live, sent) => {
    const current = liveWith(live, last);
    const original = last && JSON.parse(lastAppliedOf(last));
    const patch = createThreeWayMergePatch(original, modifiedOf(file), current, groupKind(file));
    if (sent === undefined) expect(patch).toEqual({});
    else expect(JSON.stringify(patch)).toBe(sentPatch(sent, file));
  });

  it('leaves what only the server set when the patch is applied', () => {
    const last = svcFile({ ports: [port(80), port(443)], selector: { app: 'x' } });
    const file = svcFile({ ports: [port(80, { targetPort: 8080 })], selector: { app: 'x' } });
    const current = liveWith(svcLive({ ports: [livePort(80, { nodePort: 30080 }), livePort(443)], selector: { app: 'x' } }), last);
    const patch = createThreeWayMergePatch(JSON.parse(lastAppliedOf(last)), modifiedOf(file), current, '/Service');
    const result = strategicMergePatch(current, patch, '/Service') as Json;
    expect((result.spec as Json).ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }]);
    expect((result.spec as Json).clusterIP).toBe('10.96.0.5');
    expect(result.status).toEqual({ loadBalancer: {} });
    expect(((result.metadata as Json).annotations as Json)[LAST_APPLIED]).toBe(lastAppliedOf(file));
  });

  it('refuses, with --overwrite=false, a patch that changes what changed since the last apply', () => {
    const last = deployment({ replicas: 3 });
    const file = deployment({ replicas: 2 });
    const current = liveWith(liveDeployment(deployment({ replicas: 5 })), last);
    const e = errorOf(() => createThreeWayMergePatch(JSON.parse(lastAppliedOf(last)), modifiedOf(file), current, 'apps/Deployment', false));
    // kubectl printed this text (after its "creating patch with: ... for:" wrapper).
    expect(e.message).toBe(
      [
        'patch:',
        'metadata:',
        '  annotations:',
        `    ${LAST_APPLIED}: |`,
        `      ${lastAppliedOf(file).trimEnd()}`,
        'spec:',
        '  replicas: 2',
        '',
        'conflicts with changes made from original to current:',
        'metadata:',
        '  annotations:',
        `    ${LAST_APPLIED}: |`,
        `      ${lastAppliedOf(last).trimEnd()}`,
        '  uid: u',
        'spec:',
        '  progressDeadlineSeconds: 600',
        '  replicas: 5',
        '  revisionHistoryLimit: 10',
        '  strategy:',
        '    rollingUpdate:',
        '      maxSurge: 25%',
        '      maxUnavailable: 25%',
        '    type: RollingUpdate',
        '  template:',
        '    spec:',
        '      containers:',
        '      - imagePullPolicy: Always',
        '        name: c',
        '        terminationMessagePath: /dev/termination-log',
        '      dnsPolicy: ClusterFirst',
        '      restartPolicy: Always',
        'status:',
        '  conditions:',
        '  - status: "True"',
        '    type: Available',
        '  replicas: 1',
        '',
        '',
      ].join('\n'),
    );
    expect(e.status).toBeUndefined();
  });
});

// ------------------------------------------------------------------ upstream patch_test.go cases

/** patch_test.go's MergeItem and RetainKeysMergeItem, with their struct tags. */
const mergeItemFields: Record<string, FieldMeta> = {};
const MERGE_ITEM: TypeSchema = { kind: 'struct', fields: mergeItemFields };
const INT: TypeSchema = { kind: 'int', fields: {} };
const RETAIN_KEYS_MERGE_ITEM: TypeSchema = {
  kind: 'struct',
  fields: {
    mergingIntList: { strategies: ['merge'], mergeKey: '', type: INT },
    mergingList: { strategies: ['merge'], mergeKey: 'name', type: MERGE_ITEM },
  },
};
Object.assign(mergeItemFields, {
  mergingList: { strategies: ['merge'], mergeKey: 'name', type: MERGE_ITEM },
  mergingIntList: { strategies: ['merge'], mergeKey: '', type: INT },
  mergeItemPtr: { strategies: ['merge'], mergeKey: 'name', type: MERGE_ITEM },
  replacingItem: { strategies: ['replace'], mergeKey: '', type: { kind: 'struct', fields: {} } },
  retainKeysMap: { strategies: ['retainKeys'], mergeKey: '', type: RETAIN_KEYS_MERGE_ITEM },
  retainKeysMergingList: { strategies: ['merge', 'retainKeys'], mergeKey: 'name', type: MERGE_ITEM },
});

/** customStrategicMergePatchTestCaseData: [description, original, patch, result]. */
const UPSTREAM_APPLY: [string, Json, Json, Json][] = [
  ['unique scalars when merging lists', { mergingIntList: [1, 2] }, { mergingIntList: [2, 3] }, { mergingIntList: [1, 2, 3] }],
  ['delete map from nested map', { simpleMap: { key1: 1, key2: 1 } }, { simpleMap: { $patch: 'delete' } }, { simpleMap: {} }],
  ['delete all items from merging list', { mergingList: [{ name: 1 }, { name: 2 }] }, { mergingList: [{ $patch: 'replace' }] }, { mergingList: [] }],
  ['merge empty merging lists', { mergingList: [] }, { mergingList: [] }, { mergingList: [] }],
  ['delete all keys from map', { name: 1, value: 1 }, { $patch: 'replace' }, {}],
  ['add key and delete all keys from map', { name: 1, value: 1 }, { other: 'a', $patch: 'replace' }, { other: 'a' }],
  [
    'delete all duplicate entries in a merging list',
    { mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }] },
    { mergingList: [{ name: 1, $patch: 'delete' }, { name: 1, $patch: 'delete' }, { name: 3, $patch: 'delete' }, { name: 3, $patch: 'delete' }] },
    { mergingList: [{ name: 2, value: 'a' }] },
  ],
  ['retainKeys map can add a field when no retainKeys directive present', { retainKeysMap: { name: 'foo' } }, { retainKeysMap: { value: 'bar' } }, { retainKeysMap: { name: 'foo', value: 'bar' } }],
  ['retainKeys map can delete a field when no retainKeys directive present', { retainKeysMap: { name: 'foo', value: 'a' } }, { retainKeysMap: { value: null } }, { retainKeysMap: { name: 'foo' } }],
  ['retainKeys map merge an empty map', { retainKeysMap: { name: 'foo', value: 'a' } }, { retainKeysMap: {} }, { retainKeysMap: { name: 'foo', value: 'a' } }],
  [
    'retainKeys list can change a field when no retainKeys directive present',
    { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
    { retainKeysMergingList: [{ name: 'foo', value: 'b' }] },
    { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'b' }] },
  ],
  [
    'preserve the order from the patch in a merging list',
    { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }] },
    { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, value: 'b', other: 'x' }] },
  ],
  [
    'preserve the order from the patch in a merging list 2',
    { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }] },
    { mergingList: [{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }] },
  ],
  ['preserve the order from the patch in a merging int list', { mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1, 2] }, { mergingIntList: [3, 1, 2] }],
  ['preserve the order from the patch in a merging int list 2', { mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1] }, { mergingIntList: [2, 3, 1] }],
  [
    '$setElementOrder contains item that is not present in the list to be merged',
    { mergingList: [{ name: 1 }, { name: 3 }] },
    { '$setElementOrder/mergingList': [{ name: 3 }, { name: 2 }, { name: 1 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
  ],
  [
    '$setElementOrder contains item that is not present in the int list to be merged',
    { mergingIntList: [1, 3] },
    { '$setElementOrder/mergingIntList': [3, 2, 1] },
    { mergingIntList: [3, 1] },
  ],
];

/** customStrategicMergePatchRawTestCases that must fail: [description, original, patch, error]. */
const UPSTREAM_APPLY_ERRORS: [string, Json, Json, string][] = [
  [
    'should check if order in $setElementOrder and patch list match',
    { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
    { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n",
  ],
  [
    'should check if order in $setElementOrder and patch int list match',
    { mergingIntList: [1, 3, 2] },
    { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
    "The order in patch list:\n[3 1]\n doesn't match $setElementOrder list:\n[1 2 3]\n",
  ],
  ['missing merge key should error out', { mergingList: [{ name: 1, value: 'a' }] }, { mergingList: [{ value: 'b' }] }, 'map: map[value:b] does not contain declared merge key: name'],
];

interface UpstreamCase {
  original?: Json;
  modified: Json;
  current: Json;
  twoWay: Json;
  /** The object the two-way patch yields, when not `modified` (nulls in modified mean deletion). */
  twoWayResult?: Json;
  threeWay: Json;
  result: Json;
}

/** createStrategicMergePatchTestCaseData and strategicMergePatchRawTestCases. */
const UPSTREAM_DIFF: [string, UpstreamCase][] = [
  ['nil original', { modified: { name: 1, value: 1 }, current: { name: 1, other: 'a' }, twoWay: { name: 1, value: 1 }, threeWay: { value: 1 }, result: { name: 1, value: 1, other: 'a' } }],
  ['nil patch', { original: { name: 1 }, modified: { name: 1 }, current: { name: 1 }, twoWay: {}, threeWay: {}, result: { name: 1 } }],
  ['add field to map', { original: { name: 1 }, modified: { name: 1, value: 1 }, current: { name: 1, other: 'a' }, twoWay: { value: 1 }, threeWay: { value: 1 }, result: { name: 1, value: 1, other: 'a' } }],
  [
    'add field to map with conflict',
    { original: { name: 1 }, modified: { name: 1, value: 1 }, current: { name: 'a', other: 'a' }, twoWay: { value: 1 }, threeWay: { name: 1, value: 1 }, result: { name: 1, value: 1, other: 'a' } },
  ],
  [
    'add field and delete field from map',
    { original: { name: 1 }, modified: { value: 1 }, current: { name: 1, other: 'a' }, twoWay: { name: null, value: 1 }, threeWay: { name: null, value: 1 }, result: { value: 1, other: 'a' } },
  ],
  [
    'delete field from nested map',
    {
      original: { simpleMap: { key1: 1, key2: 1 } },
      modified: { simpleMap: { key1: 1 } },
      current: { simpleMap: { key1: 1, key2: 1, other: 'a' } },
      twoWay: { simpleMap: { key2: null } },
      threeWay: { simpleMap: { key2: null } },
      result: { simpleMap: { key1: 1, other: 'a' } },
    },
  ],
  [
    'delete field from nested map with conflict',
    {
      original: { simpleMap: { key1: 1, key2: 1 } },
      modified: { simpleMap: { key1: 1 } },
      current: { simpleMap: { key1: 'a', key2: 1, other: 'a' } },
      twoWay: { simpleMap: { key2: null } },
      threeWay: { simpleMap: { key1: 1, key2: null } },
      result: { simpleMap: { key1: 1, other: 'a' } },
    },
  ],
  [
    'delete all fields from map',
    { original: { name: 1, value: 1 }, modified: {}, current: { name: 1, value: 1, other: 'a' }, twoWay: { name: null, value: null }, threeWay: { name: null, value: null }, result: { other: 'a' } },
  ],
  [
    'add field and delete all fields from map with conflict',
    {
      original: { name: 1, value: 1 },
      modified: { other: 'a' },
      current: { name: 1, value: 1, other: 'b' },
      twoWay: { name: null, other: 'a', value: null },
      threeWay: { name: null, other: 'a', value: null },
      result: { other: 'a' },
    },
  ],
  [
    'replace list of scalars with conflict',
    {
      original: { nonMergingIntList: [1, 2] },
      modified: { nonMergingIntList: [2, 3] },
      current: { nonMergingIntList: [1, 4] },
      twoWay: { nonMergingIntList: [2, 3] },
      threeWay: { nonMergingIntList: [2, 3] },
      result: { nonMergingIntList: [2, 3] },
    },
  ],
  [
    'delete all maps from merging list',
    {
      original: { mergingList: [{ name: 1 }, { name: 2 }] },
      modified: { mergingList: [] },
      current: { mergingList: [{ name: 1, other: 'a' }, { name: 2, other: 'b' }] },
      twoWay: { mergingList: [{ $patch: 'delete', name: 1 }, { $patch: 'delete', name: 2 }] },
      threeWay: { mergingList: [{ $patch: 'delete', name: 1 }, { $patch: 'delete', name: 2 }] },
      result: { mergingList: [] },
    },
  ],
  [
    'merge empty merging lists',
    { original: { mergingList: [] }, modified: { mergingList: [] }, current: { mergingList: [] }, twoWay: {}, threeWay: {}, result: { mergingList: [] } },
  ],
  [
    'defined null values should propagate overwrite current fields (with conflict)',
    {
      original: { name: 2 },
      modified: { name: 1, value: 1, other: null },
      current: { name: 'a', other: 'a' },
      twoWay: { name: 1, other: null, value: 1 },
      twoWayResult: { name: 1, value: 1 },
      threeWay: { name: 1, other: null, value: 1 },
      result: { name: 1, value: 1 },
    },
  ],
  [
    'retainKeys map with no change should not be present',
    {
      original: { name: 'a', retainKeysMap: { name: 'foo' } },
      modified: { name: 'a', value: 'b', retainKeysMap: { name: 'foo' } },
      current: { name: 'a', other: 'c', retainKeysMap: { name: 'foo' } },
      twoWay: { value: 'b' },
      threeWay: { value: 'b' },
      result: { name: 'a', value: 'b', other: 'c', retainKeysMap: { name: 'foo' } },
    },
  ],
  [
    'delete items in lists of scalars',
    {
      original: { mergingIntList: [1, 2, 3] },
      modified: { mergingIntList: [1, 2] },
      current: { mergingIntList: [1, 2, 3, 4] },
      twoWay: { '$deleteFromPrimitiveList/mergingIntList': [3], '$setElementOrder/mergingIntList': [1, 2] },
      threeWay: { '$deleteFromPrimitiveList/mergingIntList': [3], '$setElementOrder/mergingIntList': [1, 2] },
      result: { mergingIntList: [1, 2, 4] },
    },
  ],
  [
    'add and delete items in lists of scalars',
    {
      original: { mergingIntList: [1, 2, 3] },
      modified: { mergingIntList: [1, 2, 4] },
      current: { mergingIntList: [1, 2, 3, 4] },
      twoWay: { '$deleteFromPrimitiveList/mergingIntList': [3], '$setElementOrder/mergingIntList': [1, 2, 4], mergingIntList: [4] },
      threeWay: { '$deleteFromPrimitiveList/mergingIntList': [3], '$setElementOrder/mergingIntList': [1, 2, 4] },
      result: { mergingIntList: [1, 2, 4] },
    },
  ],
  [
    'merge lists of maps',
    {
      original: { mergingList: [{ name: 1 }, { name: 2, value: 2 }] },
      modified: { mergingList: [{ name: 4, value: 4 }, { name: 1 }, { name: 2, value: 2 }, { name: 3, value: 3 }] },
      current: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
      twoWay: {
        '$setElementOrder/mergingList': [{ name: 4 }, { name: 1 }, { name: 2 }, { name: 3 }],
        mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }],
      },
      threeWay: {
        '$setElementOrder/mergingList': [{ name: 4 }, { name: 1 }, { name: 2 }, { name: 3 }],
        mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }],
      },
      result: { mergingList: [{ name: 4, value: 4 }, { name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
    },
  ],
  [
    'merge lists of maps with conflict',
    {
      original: { mergingList: [{ name: 1 }, { name: 2, value: 2 }] },
      modified: { mergingList: [{ name: 1 }, { name: 2, value: 2 }, { name: 3, value: 3 }] },
      current: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 3, other: 'b' }] },
      twoWay: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3, value: 3 }] },
      threeWay: {
        '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }],
        mergingList: [{ name: 2, value: 2 }, { name: 3, value: 3 }],
      },
      result: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
    },
  ],
  [
    'add an item that already exists in current object in merging list',
    {
      original: { mergingList: [{ name: 1, value: 'a' }, { name: 2 }] },
      modified: { mergingList: [{ name: 1, value: 'a' }, { name: 2 }, { name: 3 }] },
      current: { mergingList: [{ name: 1, value: 'a', other: 'x' }, { name: 2 }, { name: 3 }] },
      twoWay: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3 }] },
      threeWay: {},
      result: { mergingList: [{ name: 1, value: 'a', other: 'x' }, { name: 2 }, { name: 3 }] },
    },
  ],
  [
    'delete missing map from merging list with conflict',
    {
      original: { mergingList: [{ name: 1 }, { name: 2 }] },
      modified: { mergingList: [{ name: 2 }] },
      current: { mergingList: [{ name: 3, other: 'a' }] },
      twoWay: { '$setElementOrder/mergingList': [{ name: 2 }], mergingList: [{ $patch: 'delete', name: 1 }] },
      threeWay: { '$setElementOrder/mergingList': [{ name: 2 }], mergingList: [{ name: 2 }, { $patch: 'delete', name: 1 }] },
      result: { mergingList: [{ name: 2 }, { name: 3, other: 'a' }] },
    },
  ],
  [
    'add map and delete map from merging list',
    {
      original: { mergingList: [{ name: 1 }, { name: 2 }] },
      modified: { mergingList: [{ name: 2 }, { name: 3 }] },
      current: { mergingList: [{ name: 1 }, { name: 2, other: 'b' }, { name: 4, other: 'c' }] },
      twoWay: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }], mergingList: [{ name: 3 }, { $patch: 'delete', name: 1 }] },
      threeWay: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }], mergingList: [{ name: 3 }, { $patch: 'delete', name: 1 }] },
      result: { mergingList: [{ name: 2, other: 'b' }, { name: 4, other: 'c' }, { name: 3 }] },
    },
  ],
  [
    'add map and delete map from merging list with conflict',
    {
      original: { mergingList: [{ name: 1 }, { name: 2 }] },
      modified: { mergingList: [{ name: 2 }, { name: 3 }] },
      current: { mergingList: [{ name: 1, other: 'a' }, { name: 4, other: 'c' }] },
      twoWay: { '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }], mergingList: [{ name: 3 }, { $patch: 'delete', name: 1 }] },
      threeWay: {
        '$setElementOrder/mergingList': [{ name: 2 }, { name: 3 }],
        mergingList: [{ name: 2 }, { name: 3 }, { $patch: 'delete', name: 1 }],
      },
      result: { mergingList: [{ name: 4, other: 'c' }, { name: 2 }, { name: 3 }] },
    },
  ],
  [
    'delete missing field from map in merging list with conflict',
    {
      original: { mergingList: [{ name: 1, value: 1 }, { name: 2, value: 2 }] },
      modified: { mergingList: [{ name: 1 }, { name: 2, value: 2 }] },
      current: { mergingList: [{ name: 1, other: 'a' }, { name: 2, other: 'b' }] },
      twoWay: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 1, value: null }] },
      threeWay: {
        '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }],
        mergingList: [{ name: 1, value: null }, { name: 2, value: 2 }],
      },
      result: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    },
  ],
  [
    'replace non merging list nested in merging list',
    {
      original: { mergingList: [{ name: 1, nonMergingList: [{ name: 1 }, { name: 2, value: 2 }] }, { name: 2 }] },
      modified: { mergingList: [{ name: 1, nonMergingList: [{ name: 1, value: 1 }] }, { name: 2 }] },
      current: { mergingList: [{ name: 1, other: 'a', nonMergingList: [{ name: 1 }, { name: 2, value: 2 }] }, { name: 2, other: 'b' }] },
      twoWay: {
        '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }],
        mergingList: [{ name: 1, nonMergingList: [{ name: 1, value: 1 }] }],
      },
      threeWay: {
        '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }],
        mergingList: [{ name: 1, nonMergingList: [{ name: 1, value: 1 }] }],
      },
      result: { mergingList: [{ name: 1, other: 'a', nonMergingList: [{ name: 1, value: 1 }] }, { name: 2, other: 'b' }] },
    },
  ],
];

describe('patch_test.go cases on the MergeItem test type', () => {
  it.each(UPSTREAM_APPLY)('applies: %s', (_name, original, patch, result) => {
    expect(strategicMergePatchWithSchema(original, patch, MERGE_ITEM)).toEqual(result);
  });

  it.each(UPSTREAM_APPLY_ERRORS)('refuses: %s', (_name, original, patch, message) => {
    expect(errorOf(() => strategicMergePatchWithSchema(original, patch, MERGE_ITEM)).message).toBe(message);
  });

  it.each(UPSTREAM_DIFF)('two-way: %s', (_name, c) => {
    const twoWay = createTwoWayMergePatchWithSchema(c.original, c.modified, MERGE_ITEM);
    expect(twoWay).toEqual(c.twoWay);
    if (c.original) expect(strategicMergePatchWithSchema(c.original, twoWay, MERGE_ITEM)).toEqual(c.twoWayResult ?? c.modified);
  });

  it.each(UPSTREAM_DIFF)('three-way: %s', (_name, c) => {
    const threeWay = createThreeWayMergePatchWithSchema(c.original, c.modified, c.current, MERGE_ITEM);
    expect(threeWay).toEqual(c.threeWay);
    expect(strategicMergePatchWithSchema(c.current, threeWay, MERGE_ITEM)).toEqual(c.result);
  });
});
