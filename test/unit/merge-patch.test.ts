/**
 * JSON merge patch. Expected values: kubectl v1.32.4 `kubectl patch --local --type merge`
 * output, the apiserver's handling of merge patch bodies
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go), and RFC 7386 appendix A where
 * gopkg.in/evanphx/json-patch.v4 agrees with it.
 */
import { describe, expect, it } from 'vitest';
import { createJsonMergePatch, jsonMergePatch } from '../../src/patch/merge-patch.ts';
import { PatchError } from '../../src/patch/patch-meta.ts';
import { errorOf, SERVICE, withChanges, type Json, type Outcome } from '../helpers/patching.ts';


/** [patch, what kubectl printed: the fields that changed, or the error after `error: `]. */
const KUBECTL_PATCH_LOCAL: [unknown, Outcome][] = [
  [{"spec":{"ports":[{"port":80,"targetPort":9090}]}}, { changed: { "spec.ports": [{"port":80,"targetPort":9090}] } }],
  [{"spec":{"selector":null,"new":{"a":null,"b":1},"ports":[{"port":1,"x":null},null]}}, { changed: { "spec.ports": [{"port":1},null], "spec.selector": undefined, "spec.new": {"b":1} } }],
  [{"spec":{"selector":{"app":null,"k":"v"}}}, { changed: { "spec.selector.app": undefined, "spec.selector.k": "v" } }],
  [{"spec":"str"}, { changed: { "spec": "str" } }],
  [{"spec":{"type":{"a":null,"b":{"c":null}}}}, { changed: { "spec.type": {"b":{}} } }],
  [{"spec":{"selector":[{"a":null}]}}, { changed: { "spec.selector": [{"a":null}] } }],
  [{"metadata":{"labels":{"a":null,"b":null}}}, { changed: { "metadata.labels.a": undefined, "metadata.labels.b": undefined } }],
  [{}, { changed: {  } }],
  [{"spec":{"externalIPs":null,"clusterIP":null}}, { changed: { "spec.externalIPs": undefined } }],
  ["x", { error: "Invalid JSON Patch" }],
  [null, { error: "Invalid JSON Patch" }],
  [7, { error: "Invalid JSON Patch" }],
  [[], { error: "json: cannot unmarshal array into Go value of type unstructured.detector" }],
  [[{"a":1}], { error: "json: cannot unmarshal array into Go value of type unstructured.detector" }],
];

describe('jsonMergePatch, as kubectl patch --local --type merge applies it', () => {
  it.each(KUBECTL_PATCH_LOCAL)('%j', (patch, outcome) => {
    if ('error' in outcome) expect(errorOf(() => jsonMergePatch(SERVICE, patch)).message).toBe(outcome.error);
    else expect(jsonMergePatch(SERVICE, patch)).toEqual(withChanges(SERVICE, outcome.changed));
  });

  it('replaces every list, as kubectl-behavior.md §9.1 describes', () => {
    const result = jsonMergePatch(SERVICE, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }) as Json;
    expect((result.spec as Json).ports).toEqual([{ port: 80, targetPort: 9090 }]);
  });

  it('never mutates its inputs', () => {
    const obj = structuredClone(SERVICE);
    const patch = { spec: { selector: null, extra: { a: null, b: [{ c: null }] } } };
    const patchCopy = structuredClone(patch);
    jsonMergePatch(obj, patch);
    expect(obj).toEqual(SERVICE);
    expect(patch).toEqual(patchCopy);
  });
});

describe('merge patch bodies the apiserver refuses', () => {
  it.each([
    ['x', 'string'],
    [7, 'number'],
    [true, 'bool'],
    [[], 'array'],
  ])('%j: the strict decode of the body fails', (patch, kind) => {
    expect(errorOf(() => jsonMergePatch(SERVICE, patch)).status?.status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: `error decoding patch: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`,
    });
  });

  it('null: the library refuses it', () => {
    expect(errorOf(() => jsonMergePatch(SERVICE, null)).status?.status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'Invalid JSON Patch',
    });
  });
});

describe('RFC 7386 appendix A', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], null],
    [{ a: 'b' }, ['c'], null],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j', (target, patch, result) => {
    // The library (and so Kubernetes) refuses a patch that is not an object, where the RFC would
    // return it.
    if (result === null) expect(() => jsonMergePatch(target, patch)).toThrow(PatchError);
    else expect(jsonMergePatch(target, patch)).toEqual(result);
  });
});

describe('createJsonMergePatch', () => {
  it.each([
    ['an unchanged object', { a: 1, b: { c: 2 } }, { a: 1, b: { c: 2 } }, {}],
    ['a changed and an added key', { a: 1 }, { a: 2, b: 3 }, { a: 2, b: 3 }],
    ['a removed key', { a: 1, b: 2 }, { a: 1 }, { b: null }],
    ['a nested change', { a: { b: 1, c: 2 } }, { a: { b: 1, c: 3, d: 4 } }, { a: { c: 3, d: 4 } }],
    ['a nested removal', { a: { b: 1, c: 2 } }, { a: { b: 1 } }, { a: { c: null } }],
    ['a changed list, whole', { a: [1, 2, 3] }, { a: [1, 2] }, { a: [1, 2] }],
    ['an equal list', { a: [{ b: 1 }] }, { a: [{ b: 1 }] }, {}],
    ['a type change', { a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    ['a value set to null', { a: 1 }, { a: null }, { a: null }],
  ])('%s', (_name, original, modified, patch) => {
    expect(createJsonMergePatch(original, modified)).toEqual(patch);
    expect(jsonMergePatch(original, createJsonMergePatch(original, modified))).toEqual(
      Object.fromEntries(Object.entries(modified).filter(([, v]) => v !== null)),
    );
  });

  it('writes keys in json.Marshal order', () => {
    expect(JSON.stringify(createJsonMergePatch({ z: 1 }, { y: { b: 1, a: 2 }, x: 1 }))).toBe('{"x":1,"y":{"a":2,"b":1},"z":null}');
  });
});
