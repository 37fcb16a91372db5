/**
 * What kubectl does with the text of `-p` / `--patch-file` and what the API server does with
 * the body. Expected messages were observed with kubectl v1.32
 * (`kubectl patch -f svc.yaml --local --type json -p ...` decodes the body with encoding/json,
 * so it prints Go's syntax errors; other cases as noted).
 */
import { describe, expect, it } from 'vitest';
import { resourceInfo } from '../../src/api/registry.ts';
import type { KObject } from '../../src/api/types.ts';
import { applyPatchLocally, goFormatValue, goJsonSyntaxError, patchBodyFromUser } from '../../src/commands/meta-patch.ts';

const SERVICES = resourceInfo('services');
const svc: KObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } };

describe("encoding/json's syntax errors", () => {
  it.each([
    ['{', 'unexpected end of JSON input'],
    ['{"a"', 'unexpected end of JSON input'],
    ['{"a":"b', 'unexpected end of JSON input'],
    ['{"a":}', "invalid character '}' looking for beginning of value"],
    ['{a}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a":1 "b"}', `invalid character '"' after object key:value pair`],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":nul}', "invalid character '}' in literal null (expecting 'l')"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
    ['{"a":1} x', "invalid character 'x' after top-level value"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['{"a":[1,2}', "invalid character '}' after array element"],
    [`{"a":'x'}`, "invalid character '\\'' looking for beginning of value"],
  ])('%s', (text, message) => {
    expect(goJsonSyntaxError(text)).toBe(message);
    expect(() => applyPatchLocally(svc, 'json', text, SERVICES)).toThrow(message);
  });

  it('accepts valid JSON, white space around it included', () => {
    expect(goJsonSyntaxError(' {"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"]} \n')).toBeUndefined();
  });
});

describe('the -p text kubectl sends (yaml.ToJSON)', () => {
  it('sends text starting with { as it is, even when it is not JSON', () => {
    expect(patchBodyFromUser('  {"spec":', '  {"spec":')).toBe('  {"spec":');
  });

  it('converts YAML with YAML 1.1 scalars (yes is true, 010 is octal, ~ is null)', () => {
    // kubectl patch -f svc.yaml --local --type merge -p 'spec: {a: yes, b: 010, ...}' -o json
    expect(patchBodyFromUser('spec: {a: yes, b: 010, c: 1.5, d: ~, e: "x", f: [1, two]}', '')).toBe(
      '{"spec":{"a":true,"b":8,"c":1.5,"d":null,"e":"x","f":[1,"two"]}}',
    );
  });

  it('reads a JSON patch list as YAML, which accepts a trailing comma', () => {
    expect(patchBodyFromUser('[{"op": "remove", "path": "/spec/x"},]', '')).toBe('[{"op":"remove","path":"/spec/x"}]');
  });

  it("refuses YAML that does not parse, quoting the -p value", () => {
    expect(() => patchBodyFromUser('a: b: c', 'a: b: c')).toThrow(
      'unable to parse "a: b: c": yaml: mapping values are not allowed in this context',
    );
  });
});

describe('patching on the client (--local, --dry-run=client)', () => {
  it('names the document error of each patch type', () => {
    expect(() => applyPatchLocally(svc, 'strategic', '{', SERVICES)).toThrow('invalid JSON document');
    expect(() => applyPatchLocally(svc, 'merge', '{"a":}', SERVICES)).toThrow('Invalid JSON Patch');
    expect(() => applyPatchLocally(svc, 'json', '{"a":}', SERVICES)).toThrow("invalid character '}' looking for beginning of value");
  });

  it('merges Service ports by port and deletes with $patch', () => {
    const out = applyPatchLocally(svc, 'strategic', '{"spec":{"ports":[{"port":80,"$patch":"delete"}]}}', SERVICES);
    expect(out.spec).toEqual({ ports: [] });
  });

  it('reports an unknown $patch directive as strategicpatch does', () => {
    expect(() => applyPatchLocally(svc, 'strategic', '{"spec":{"$patch":"bogus"}}', SERVICES)).toThrow(
      'unknown patch type: bogus in map: map[$patch:bogus]',
    );
  });
});

describe("fmt's %+v of a decoded patch (the value in the server's Invalid error)", () => {
  it('prints maps with sorted keys and lists with spaces', () => {
    expect(goFormatValue({ spec: { ports: [{ port: 'eighty', name: 'x' }], a: null } })).toBe('map[spec:map[a:<nil> ports:[map[name:x port:eighty]]]]');
  });

  it('prints floats as %g does', () => {
    expect(goFormatValue([3, 3.5, 1234567.5, 0.00001])).toBe('[3 3.5 1.2345675e+06 1e-05]');
  });
});
