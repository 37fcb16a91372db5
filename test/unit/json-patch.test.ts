/**
 * JSON patch (RFC 6902). Expected values: kubectl v1.32.4 `kubectl patch --local --type json`
 * output, which runs gopkg.in/evanphx/json-patch.v4 v4.12.0 as the apiserver does, and the
 * apiserver's answers from staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go.
 */
import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../src/patch/json-patch.ts';
import { errorOf, SERVICE, withChanges, type Json, type Outcome } from '../helpers/patching.ts';


/** [patch, what kubectl printed: the fields that changed, or the error after `error: `]. */
const KUBECTL_PATCH_LOCAL: [unknown, Outcome][] = [
  [[{"op":"replace","path":"/spec/nope","value":1}], { changed: { "spec.nope": 1 } }],
  [[{"op":"remove","path":"/spec/nope"}], { error: "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value" }],
  [[{"op":"add","path":"/spec/ports/-1","value":{"port":1}}], { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443},{"port":1}] } }],
  [[{"op":"remove","path":"/spec/ports/-1"}], { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080}] } }],
  [[{"op":"add","path":"/spec/a/b","value":1}], { error: "add operation does not apply: doc is missing path: \"/spec/a/b\": missing value" }],
  [[{"op":"replace","path":"/spec/ports/5","value":1}], { error: "Object to be patched is missing field (/spec/ports/5: missing value)" }],
  [[{"op":"test","path":"/spec/selector/app","value":"y"}], { error: "testing value /spec/selector/app failed: test failed" }],
  [[{"op":"test","path":"/spec/selector/app","value":"x"},{"op":"add","path":"/spec/z","value":[1]}], { changed: { "spec.z": [1] } }],
  [[{"op":"move","from":"/spec/x","path":"/spec/y"}], { error: "error in move for path: 'x': Unable to remove nonexistent key: x: missing value" }],
  [[{"op":"copy","from":"/spec/x","path":"/spec/y"}], { changed: { "spec.y": null } }],
  [[{"op":"copy","from":"/spec/ports/0","path":"/spec/ports/-"}], { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443},{"name":"http","port":80,"protocol":"TCP","targetPort":8080}] } }],
  [[{"op":"move","from":"/spec/ports/0","path":"/spec/ports/1"}], { changed: { "spec.ports": [{"name":"https","port":443,"protocol":"TCP","targetPort":8443},{"name":"http","port":80,"protocol":"TCP","targetPort":8080}] } }],
  [[{"op":"move","from":"/spec/ports/0","path":"/spec/ports/2"}], { error: "error in move for path: '/spec/ports/2': Unable to access invalid index: 2: invalid index referenced" }],
  [[{"op":"bogus","path":"/spec"}], { error: "Unexpected kind: bogus" }],
  [[{"op":"add","path":"/spec/ports/x","value":1}], { error: "error in add for path: '/spec/ports/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax" }],
  [[{"op":"remove","path":"/spec/ports/x"}], { error: "error in remove for path: '/spec/ports/x': strconv.Atoi: parsing \"x\": invalid syntax" }],
  [{"op":"add"}, { error: "json: cannot unmarshal object into Go value of type jsonpatch.Patch" }],
  ["x", { error: "json: cannot unmarshal string into Go value of type jsonpatch.Patch" }],
  [null, { changed: {  } }],
  [[], { changed: {  } }],
  [[{"op":"add","value":1}], { error: "add operation failed to decode path: missing value" }],
  [[{"op":"add","path":"spec","value":1}], { error: "add operation does not apply: doc is missing path: \"spec\": missing value" }],
  [[{"op":"remove","path":"/spec/ports/7"}], { error: "error in remove for path: '/spec/ports/7': Unable to access invalid index: 7: invalid index referenced" }],
  [[{"op":"add","path":"/spec/ports/7","value":1}], { error: "error in add for path: '/spec/ports/7': Unable to access invalid index: 7: invalid index referenced" }],
  [[{"op":"add","path":"/spec/ports/2","value":1}], { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080},{"name":"https","port":443,"protocol":"TCP","targetPort":8443},1] } }],
  [[{"op":"test","path":"/spec/nope","value":null}], { changed: {  } }],
  [[{"op":"replace","path":"","value":1}], { changed: {  } }],
  [[{"op":"replace","path":"","value":{"apiVersion":"v1","kind":"Service","metadata":{"name":"z"}}}], { changed: { "metadata.name": "z", "metadata.labels": undefined, "metadata.finalizers": undefined, "spec": undefined } }],
  [[{"op":"replace","value":1}], { error: "replace operation failed to decode path: operation missing path field: missing value" }],
  [[{"op":"replace","path":5,"value":1}], { error: "replace operation failed to decode path: json: cannot unmarshal number into Go value of type string" }],
  [[{"op":"move","path":"/a"}], { error: "move operation failed to decode from: operation, missing from field: missing value" }],
  [[{"op":"move","from":"/spec/selector","path":"/spec/sel2"}], { changed: { "spec.selector": undefined, "spec.sel2": {"app":"x"} } }],
  [[{"op":"move","from":"/spec/selector","path":"/x/y"}], { error: "move operation does not apply: doc is missing destination path: /x/y: missing value" }],
  [[{"op":"copy","from":7,"path":"/a"}], { error: "copy operation failed to decode from: json: cannot unmarshal number into Go value of type string" }],
  [[{"op":"copy","from":"/spec/ports/9","path":"/a"}], { error: "error in copy for from: '/spec/ports/9': Unable to access invalid index: 9: invalid index referenced" }],
  [[{"op":"test","path":"","value":{}}], { error: "testing value  failed: test failed" }],
  [[{"op":"test","path":"/spec/ports/0/port","value":80}], { changed: {  } }],
  [[{"op":"test","path":"/spec/ports/0","value":{"targetPort":8080,"port":80,"name":"http","protocol":"TCP"}}], { changed: {  } }],
  [[{"op":"test","path":"/spec/ports/0","value":{"port":80}}], { error: "testing value /spec/ports/0 failed: test failed" }],
  [[{"op":"add","path":"/spec/ports/0/x"}], { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080,"x":null},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  [[{"op":"add","path":"/spec/selector/a~1b~0c","value":"q"}], { changed: { "spec.selector.a/b~c": "q" } }],
  [[null], { error: "Unexpected kind: unknown" }],
  [["x"], { error: "json: cannot unmarshal string into Go value of type jsonpatch.Operation" }],
  [[{"op":1}], { error: "Unexpected kind: unknown" }],
  [[{"op":"add","path":"/spec/ports/-","value":1},{"op":"add","path":"/spec/ports/-3","value":2}], { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080},2,{"name":"https","port":443,"protocol":"TCP","targetPort":8443},1] } }],
  [[{"op":"add","path":"/spec/ports/-4","value":2}], { error: "error in add for path: '/spec/ports/-4': Unable to access invalid index: -4: invalid index referenced" }],
  [[{"op":"remove","path":"/spec/ports/-3"}], { error: "error in remove for path: '/spec/ports/-3': Unable to access invalid index: -3: invalid index referenced" }],
  [[{"op":"add","path":"/spec/ports/+1","value":2}], { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080},2,{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  [[{"op":"add","path":"/spec/ports/99999999999999999999","value":2}], { error: "error in add for path: '/spec/ports/99999999999999999999': value was not a proper array index: '99999999999999999999': strconv.Atoi: parsing \"99999999999999999999\": value out of range" }],
  [[{"op":"replace","path":"/spec/ports/-1","value":2}], { changed: { "spec.ports": [{"name":"http","port":80,"protocol":"TCP","targetPort":8080},2] } }],
  [[{"op":"replace","path":"/spec/ports/-3","value":2}], { error: "Object to be patched is missing field (/spec/ports/-3: missing value)" }],
  [[{"op":"add","path":"/spec/ports/0/port/x","value":2}], { error: "add operation does not apply: doc is missing path: \"/spec/ports/0/port/x\": missing value" }],
  [[{"op":"add","path":"/","value":2}], { changed: { "": 2 } }],
  [[{"op":"remove","path":""}], { error: "remove operation does not apply: doc is missing path: \"\": missing value" }],
  [[{"op":"add","path":"/spec/ports/x/y","value":2}], { error: "add operation does not apply: doc is missing path: \"/spec/ports/x/y\": missing value" }],
  [[{"op":"add","path":"/spec/externalIPs/0","value":"9.9.9.9"}], { changed: { "spec.externalIPs": ["9.9.9.9","1.1.1.1","2.2.2.2"] } }],
  [[{"op":"add","path":"/spec/ports/1/port/","value":2}], { error: "add operation does not apply: doc is missing path: \"/spec/ports/1/port/\": missing value" }],
  [[{"op":"remove","path":"/spec/ports/1/name"},{"op":"remove","path":"/spec/ports/1/name"}], { error: "error in remove for path: '/spec/ports/1/name': Unable to remove nonexistent key: name: missing value" }],
  [[{"op":"remove","path":"/spec/ports/-0"}], { changed: { "spec.ports": [{"name":"https","port":443,"protocol":"TCP","targetPort":8443}] } }],
  [[{"op":"remove","path":"/spec/ports/"}], { error: "error in remove for path: '/spec/ports/': strconv.Atoi: parsing \"\": invalid syntax" }],
  [[{"op":"test","path":"/spec/ports/9","value":1}], { error: "error in test for path: '/spec/ports/9': Unable to access invalid index: 9: invalid index referenced" }],
  [[{"op":"test","path":"/spec/q/9","value":1}], { error: "test operation does not apply: is missing path: /spec/q/9: missing value" }],
  [[{"op":"copy","from":"/spec/ports/0","path":"/spec/ports/9"}], { error: "error while adding value during copy: Unable to access invalid index: 9: invalid index referenced" }],
  [[{"op":"copy","from":"/spec/ports/0"}], { error: "copy operation failed to decode path: missing value" }],
  [[{"op":"copy","from":"/spec/ports/0","path":"/q/w"}], { error: "copy operation does not apply: doc is missing destination path: /q/w: missing value" }],
  [[{"op":"move","from":"/spec/ports/0","path":"/spec/ports/9"}], { error: "error in move for path: '/spec/ports/9': Unable to access invalid index: 9: invalid index referenced" }],
  [[{"op":"move","from":"/spec/ports/0"}], { error: "move operation failed to decode path: operation missing path field: missing value" }],
  [[{"op":"move","from":"/spec/ports/9","path":"/a"}], { error: "error in move for path: '9': Unable to access invalid index: 9: invalid index referenced" }],
  [[{"op":"move","from":"/q/w","path":"/a"}], { error: "move operation does not apply: doc is missing from path: /q/w: missing value" }],
  [[{"op":"copy","from":"/q/w","path":"/a"}], { error: "copy operation does not apply: doc is missing from path: /q/w: missing value" }],
  [[{"op":"test","path":3}], { error: "test operation failed to decode path: json: cannot unmarshal number into Go value of type string" }],
  [[{"op":"remove","path":[1]}], { error: "remove operation failed to decode path: missing value" }],
];

describe('applyJsonPatch, as kubectl patch --local --type json applies it', () => {
  it.each(KUBECTL_PATCH_LOCAL)('%j', (patch, outcome) => {
    if ('error' in outcome) expect(errorOf(() => applyJsonPatch(SERVICE, patch)).message).toBe(outcome.error);
    else expect(applyJsonPatch(SERVICE, patch)).toEqual(withChanges(SERVICE, outcome.changed));
  });

  it('never mutates its inputs', () => {
    const obj = structuredClone(SERVICE);
    const ops = [
      { op: 'add', path: '/spec/ports/-', value: { port: 1 } },
      { op: 'move', from: '/spec/selector', path: '/spec/sel' },
      { op: 'copy', from: '/spec/ports/0', path: '/spec/first' },
      { op: 'replace', path: '/spec/first/port', value: 2 },
    ];
    const opsCopy = structuredClone(ops);
    const result = applyJsonPatch(obj, ops) as Json;
    expect(obj).toEqual(SERVICE);
    expect(ops).toEqual(opsCopy);
    expect((result.spec as Json).first).toEqual({ name: 'http', port: 2, protocol: 'TCP', targetPort: 8080 });
  });
});

describe('what the apiserver answers', () => {
  it('an operation that does not apply: a 422 without the library message', () => {
    const e = errorOf(() => applyJsonPatch(SERVICE, [{ op: 'remove', path: '/spec/nope' }]));
    expect(e.status?.status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
    });
  });

  it.each([
    [{ op: 'add' }, 'json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
    ['x', 'json: cannot unmarshal string into Go value of type []handlers.jsonPatchOp'],
    [['x'], 'json: cannot unmarshal string into Go value of type handlers.jsonPatchOp'],
    [[{ op: 1 }], 'json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string'],
    [[{ op: 'remove', path: [1] }], 'json: cannot unmarshal array into Go struct field jsonPatchOp.path of type string'],
  ])('%j: a body that does not decode is a BadRequest', (ops, message) => {
    expect(errorOf(() => applyJsonPatch(SERVICE, ops)).status?.status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: `error decoding patch: ${message}`,
    });
  });

  it('refuses a non-string from even where the operation does not use it', () => {
    const e = errorOf(() => applyJsonPatch(SERVICE, [{ op: 'add', path: '/a', value: 1, from: 5 }]));
    expect(e.status?.status.message).toBe(
      'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.from of type string',
    );
  });
});
