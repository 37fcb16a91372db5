/**
 * Facts about container images as the node's container runtime (containerd) reports them:
 * fully-qualified references, digests and sizes.
 */
import { createHash } from '../util/node-crypto.ts';

/**
 * What was worked out per image: the kubelet asks for the same few images' references and
 * digests for every container it starts (tens of thousands in a big apply).
 */
const references = new Map<string, string>();
const digests = new Map<string, string>();

function remembered(memo: Map<string, string>, key: string, make: (key: string) => string): string {
  let value = memo.get(key);
  if (value === undefined) {
    value = make(key);
    memo.set(key, value);
  }
  return value;
}

/** docker/distribution reference normalisation: `nginx` -> `docker.io/library/nginx:latest`. */
export function normalizeImage(image: string): string {
  return remembered(references, image, normalize);
}

function normalize(image: string): string {
  let ref = image;
  const firstSlash = ref.indexOf('/');
  const first = firstSlash < 0 ? '' : ref.slice(0, firstSlash);
  const hasDomain = firstSlash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) ref = firstSlash < 0 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
  const lastSlash = ref.lastIndexOf('/');
  const tail = ref.slice(lastSlash + 1);
  if (!tail.includes(':') && !tail.includes('@')) ref += ':latest';
  return ref;
}

/** The repository part of a normalised reference (no tag, no digest). */
export function imageRepository(normalized: string): string {
  const at = normalized.indexOf('@');
  const base = at >= 0 ? normalized.slice(0, at) : normalized;
  const lastSlash = base.lastIndexOf('/');
  const colon = base.indexOf(':', lastSlash + 1);
  return colon >= 0 ? base.slice(0, colon) : base;
}

/** A stable sha256 digest for an image reference (what `imageID` shows). */
export function imageDigest(normalized: string): string {
  return remembered(digests, normalized, (ref) => 'sha256:' + createHash('sha256').update(`kfake-image:${ref}`).digest('hex'));
}

export function imageID(normalized: string): string {
  return `${imageRepository(normalized)}@${imageDigest(normalized)}`;
}

/** Compressed sizes of well-known images, in bytes (as `Image size:` in Pulled events). */
const KNOWN_SIZES: Record<string, number> = {
  'docker.io/library/nginx': 72955450,
  'docker.io/library/busybox': 2155231,
  'docker.io/library/httpd': 58286346,
  'docker.io/library/alpine': 3652536,
  'docker.io/curlimages/curl': 10074436,
  'docker.io/nicolaka/netshoot': 208361452,
  'docker.io/amsy810/echo-nginx': 54223371,
  'docker.io/amsy810/tools': 135318402,
  'docker.io/hashicorp/http-echo': 3472218,
  'docker.io/traefik/whoami': 3352935,
  'registry.k8s.io/coredns/coredns': 18562039,
};

export function imageSize(normalized: string): number {
  const known = KNOWN_SIZES[imageRepository(normalized)];
  if (known) return known;
  // Unknown images get a plausible size derived from their name.
  const h = createHash('sha256').update(normalized).digest();
  return 5_000_000 + (h.readUInt32BE(0) % 150_000_000);
}
