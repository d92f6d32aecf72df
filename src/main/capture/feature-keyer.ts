import { createHmac } from 'node:crypto';
import type { FeatureKeyer } from '../../model/keystroke-windows';

/**
 * The agent's FeatureKeyer: key and digraph ids are HMAC-SHA256 under a
 * per-install secret, truncated. Without the secret an id cannot be tied to a
 * key or a pair (no dictionary of 100-odd key codes can be hashed to match).
 * The secret is created and kept by the parent (the store); this module never
 * generates, stores or logs it.
 *
 * What the ids do not hide: their frequencies. Someone holding many windows
 * can guess that the most frequent hold id is the space bar. That is inherent
 * to per-key features and is why windows stay in the local store.
 */

/** Bytes of HMAC kept: 96 bits, no collisions among the ~10^4 ids one person produces. */
export const FEATURE_ID_BYTES = 12;
export const MIN_SECRET_BYTES = 16;
/** Ids are cached so a keystroke costs a map lookup; bounded so the cache cannot grow without limit. */
const CACHE_LIMIT = 8192;

export class HmacFeatureKeyer implements FeatureKeyer {
  private readonly secret: Buffer;
  private readonly cache = new Map<string, string>();

  constructor(secret: Uint8Array) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new RangeError(`feature-keyer secret must be at least ${MIN_SECRET_BYTES} bytes, got ${secret.length}`);
    }
    this.secret = Buffer.from(secret); // own copy: the caller may wipe theirs
  }

  key(k: string): string {
    return this.id('k\0' + k);
  }

  pair(a: string, b: string): string {
    // Distinct prefixes: a hold id can never equal a digraph id, and the
    // separator keeps ('1','23') and ('12','3') apart.
    return this.id('p\0' + a + '\0' + b);
  }

  private id(input: string): string {
    const hit = this.cache.get(input);
    if (hit !== undefined) return hit;
    const out = createHmac('sha256', this.secret).update(input, 'utf8').digest().subarray(0, FEATURE_ID_BYTES).toString('base64url');
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(input, out);
    return out;
  }
}
