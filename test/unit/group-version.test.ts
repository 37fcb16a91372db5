/**
 * apiVersion strings read as Kubernetes reads them (schema.ParseGroupVersion), stored as the API
 * server stores them, and manifest bytes decoded as kubectl decodes files and standard input.
 */
import { describe, expect, it } from 'vitest';
import { canonicalApiVersion, infoForObject, parseGroupVersion } from '../../src/api/registry.ts';
import { decodeWithValidation } from '../../src/api/schema/decode.ts';
import { decodeManifestBytes } from '../../src/manifest/encoding.ts';

describe('parseGroupVersion', () => {
  it.each([
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['/v1', { group: '', version: 'v1' }],
    ['apps/', { group: 'apps', version: '' }],
    ['', { group: '', version: '' }],
    ['/', { group: '', version: '' }],
    ['a/b/c', undefined],
    [7, { group: '', version: '' }],
  ])('%j', (input, expected) => {
    expect(parseGroupVersion(input)).toEqual(expected);
  });
});

describe('the apiVersion an object is served and stored with', () => {
  it('maps the core group written with a slash, and an empty version, to the served version', () => {
    expect(infoForObject('/v1', 'Service')?.resource).toBe('services');
    expect(infoForObject('', 'Pod')?.resource).toBe('pods');
    expect(infoForObject('apps/', 'Deployment')?.resource).toBe('deployments');
    expect(infoForObject('apps/v1beta1', 'Deployment')).toBeUndefined();
    expect(infoForObject('v1', 'Deployment')).toBeUndefined();
    expect(canonicalApiVersion('/v1', 'Pod')).toBe('v1');
    expect(canonicalApiVersion('apps/', 'ReplicaSet')).toBe('apps/v1');
    expect(canonicalApiVersion('example.com/v1', 'Widget')).toBe('example.com/v1');
  });

  it('decodes a body with an empty or slashed core version as v1, wrong types included', () => {
    for (const apiVersion of ['', '/v1', 'v1']) {
      const body = { apiVersion, kind: 'Service', metadata: { name: 's' }, spec: { ports: 7 } };
      expect(decodeWithValidation(body, 'Strict').error).toBe(
        'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort',
      );
    }
  });
});

describe('decodeManifestBytes', () => {
  const text = 'kind: Pod\n';
  it('reads UTF-8 with or without a byte order mark, and UTF-16 after one in either byte order', () => {
    expect(decodeManifestBytes(Buffer.from(text))).toBe(text);
    expect(decodeManifestBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    expect(decodeManifestBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeManifestBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
  });
});
