import { describe, expect, it } from 'vitest';
import { decodeError } from '../../src/api/schema/decode.ts';
import { quantityParseError, timeParseError, RFC3339, base64DecodeError } from '../../src/api/schema/gotext.ts';

const svc = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', ...metadata },
  spec,
});
const prefix = 'Service in version "v1" cannot be handled as a Service: ';

describe('decodeError: unknown fields', () => {
  it('accepts a well-formed object', () => {
    expect(decodeError(svc({ ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }], selector: { app: 'web' } }))).toBeUndefined();
  });

  it('reports an unknown field with its path (kubectl-behavior.md §11.2)', () => {
    expect(decodeError(svc({ nodeSelector: { a: 'b' } }))).toBe(prefix + 'strict decoding error: unknown field "spec.nodeSelector"');
  });

  it('joins several, in the order of the keys kubectl sends (sorted), with list indexes', () => {
    // Path format as in test/integration/apiserver/field_validation_test.go:
    // unknown field "spec.template.spec.containers[0].unknownNested"
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', unknownMeta: 'a' },
      spec: {
        unknown1: 1,
        template: { spec: { containers: [{ name: 'c', image: 'i', unknownNested: 'x' }] } },
      },
    };
    expect(decodeError(deploy)).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ' +
        'unknown field "metadata.unknownMeta", unknown field "spec.template.spec.containers[0].unknownNested", unknown field "spec.unknown1"',
    );
  });

  it('does not look inside an unknown field', () => {
    expect(decodeError(svc({ extra: { deeper: { x: 1 } } }))).toBe(prefix + 'strict decoding error: unknown field "spec.extra"');
  });

  it('matches field names case-sensitively', () => {
    expect(decodeError(svc({ Ports: [] }))).toBe(prefix + 'strict decoding error: unknown field "spec.Ports"');
  });
});

describe('decodeError: wrong JSON types', () => {
  it.each([
    // the example of kubectl-behavior.md §11.2
    [svc({ ports: [{ port: 'eighty' }] }), 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32'],
    [svc({ ports: [{ port: 1.5 }] }), 'json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.port of type int32'],
    [svc({ ports: [{ port: 4294967296 }] }), 'json: cannot unmarshal number 4294967296 into Go struct field ServicePort.spec.ports.port of type int32'],
    [svc({ ports: [{ port: true }] }), 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.port of type int32'],
    [svc({ ports: { port: 80 } }), 'json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort'],
    [svc({ selector: ['a'] }), 'json: cannot unmarshal array into Go struct field ServiceSpec.spec.selector of type map[string]string'],
    [svc({ type: 1 }), 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.type of type v1.ServiceType'],
    [svc({ clusterIPs: '10.96.0.1' }), 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.clusterIPs of type []string'],
    [svc({ sessionAffinityConfig: 'x' }), 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.sessionAffinityConfig of type v1.SessionAffinityConfig'],
    [svc({}, { labels: { version: 1 } }), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    [svc({}, { annotations: { enabled: true } }), 'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string'],
    [{ apiVersion: 'v1', kind: 'Service', metadata: 'web' }, 'json: cannot unmarshal string into Go struct field Service.metadata of type v1.ObjectMeta'],
  ])('%#', (obj, message) => {
    expect(decodeError(obj)).toBe(prefix + message);
  });

  it('reports IntOrString errors from its own decoder, with the field context', () => {
    expect(decodeError(svc({ ports: [{ port: 80, targetPort: true }] }))).toBe(
      prefix + 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
    expect(decodeError(svc({ ports: [{ port: 80, targetPort: 80.5 }] }))).toBe(
      prefix + 'json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
    expect(decodeError(svc({ ports: [{ port: 80, targetPort: null }] }))).toBeUndefined();
  });

  it('keeps the first type error and drops unknown fields when there is one', () => {
    expect(decodeError(svc({ aaa: 1, ports: [{ port: 'x', nodePort: 'y' }] }))).toBe(
      prefix + 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.nodePort of type int32',
    );
  });

  it('accepts null for any field', () => {
    expect(decodeError(svc({ ports: null, type: null, sessionAffinityConfig: null }))).toBeUndefined();
  });

  it('reports resource.Quantity parse errors bare', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 'lots' } } }] },
    };
    expect(decodeError(pod)).toBe(
      "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  it('reports metav1.Time errors from time.Parse', () => {
    expect(decodeError(svc({}, { creationTimestamp: 'yesterday' }))).toBe(
      prefix + 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    );
    expect(decodeError(svc({}, { creationTimestamp: 5 }))).toBe(
      prefix + 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
    );
  });

  it('ignores kinds it does not serve', () => {
    expect(decodeError({ apiVersion: 'v1', kind: 'Secret', metadata: {}, bogus: 1 })).toBeUndefined();
  });
});

describe('Go parsers', () => {
  // Cases as in go/src/time/format_test.go parseErrorTests and the RFC 3339 layout.
  it.each([
    ['2025-06-01T09:00:00Z', undefined],
    ['2025-06-01T09:00:00.123+02:00', undefined],
    ['2025-13-01T09:00:00Z', 'parsing time "2025-13-01T09:00:00Z": month out of range'],
    ['2025-02-30T09:00:00Z', 'parsing time "2025-02-30T09:00:00Z": day out of range'],
    ['2025-06-01 09:00:00Z', 'parsing time "2025-06-01 09:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 09:00:00Z" as "T"'],
    ['2025-06-01T09:00:00', 'parsing time "2025-06-01T09:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
    ['2025-06-01T09:00:00Zjunk', 'parsing time "2025-06-01T09:00:00Zjunk": extra text: "junk"'],
  ])('time.Parse(RFC3339, %j)', (value, message) => {
    expect(timeParseError(RFC3339, value)).toBe(message);
  });

  it.each([
    ['100m', undefined],
    ['1Gi', undefined],
    ['1e3', undefined],
    ['', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['1kb', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['1Gb', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['1ki', "unable to parse quantity's suffix"],
  ])('resource.ParseQuantity(%j)', (value, message) => {
    expect(quantityParseError(value)).toBe(message);
  });

  it('base64 errors name the offending byte (encoding/base64 CorruptInputError)', () => {
    expect(base64DecodeError('aGVsbG8=')).toBeUndefined();
    expect(base64DecodeError('aGVs!G8=')).toBe('illegal base64 data at input byte 4');
    expect(base64DecodeError('abc')).toBe('illegal base64 data at input byte 0');
  });
});
