/**
 * Manifest bytes as text, decoded the way kubectl's FileVisitor decodes files and standard input
 * alike (kubernetes/kubernetes:staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go): through
 * golang.org/x/text's unicode.BOMOverride(UTF-8), so a UTF-16 byte order mark selects UTF-16
 * (little or big endian), a UTF-8 one is dropped, and anything else is read as UTF-8.
 */
export function decodeManifestBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes); // drops a UTF-8 BOM
}
