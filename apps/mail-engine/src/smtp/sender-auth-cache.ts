import { TtlMap } from '@darwin/core';
import type { SenderAuthInput, SenderAuthResult } from './sender-auth.js';

/** Past this, the From fields are not worth a cache key (mail with such a header is verified every time). */
const MAX_KEY_BYTES = 4096;

/**
 * Results of sender verification for unsigned mail, reused for a while. Without a DKIM signature
 * or an ARC set, what mailauth concludes depends only on the client (IP, HELO, MAIL FROM), the
 * header's From fields (DMARC alignment) and DNS, which the resolver caches for as long as this
 * cache keeps a result. A sender's next message then costs a map lookup instead of a verification
 * (a quarter of the engine's CPU per message in the SMTP benchmark). Temporary errors are not kept.
 */
export class SenderAuthCache {
  private readonly results: TtlMap<string, SenderAuthResult>;

  constructor(
    /** Not longer than the DNS cache's TTL, so a result never outlives the answers it came from. */
    private readonly ttlMs = 60_000,
    maxEntries = 10_000,
    now: () => number = Date.now,
  ) {
    this.results = new TtlMap(maxEntries, now);
  }

  get(key: string): SenderAuthResult | undefined {
    return this.results.get(key);
  }

  set(key: string, result: SenderAuthResult): void {
    this.results.set(key, result, this.ttlMs);
  }

  get size(): number {
    return this.results.size;
  }
}

/**
 * The cache key of an unsigned message's verification: the client and the exact bytes of every
 * From field (not a parsed or shortened form: two headers that differ anywhere in From must never
 * share a DMARC result). `header` is the complete header block without DKIM-Signature and ARC
 * fields (the caller checks); undefined when the From fields are too long to be a key.
 */
export function senderAuthKey(input: SenderAuthInput, header: Buffer): string | undefined {
  const text = header.toString('latin1');
  const from: string[] = [];
  let size = 0;
  let inFrom = false;
  for (const line of text.split('\n')) {
    if (line === '' || line === '\r') break;
    if (line[0] === ' ' || line[0] === '\t') {
      if (inFrom) from.push(line);
      else continue;
    } else {
      inFrom = /^from[ \t]*:/i.test(line);
      if (inFrom) from.push('\0' + line);
      else continue;
    }
    size += line.length;
    if (size > MAX_KEY_BYTES) return undefined;
  }
  return JSON.stringify([input.ip, input.helo, input.sender, from.join('\n')]);
}
