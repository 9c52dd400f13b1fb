import { createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@guise/core';

/** Session lifetimes IMDS accepts on the token PUT: one second to six hours (§1.2). */
export const MIN_TOKEN_TTL_SECONDS = 1;
export const MAX_TOKEN_TTL_SECONDS = 21_600;

const FORMAT_VERSION = 1;
const HEADER_BYTES = 16; // version (1) + expiry in epoch ms (6) + nonce (9)
const MAC_BYTES = 24;
const TOKEN_BYTES = HEADER_BYTES + MAC_BYTES; // 40 bytes → 56 base64 characters, like EC2's tokens
const NONCE_BYTES = 9;
/** Nonces are cut from a pool filled in one call: a `randomBytes` call per token cost more than its HMAC. */
const NONCE_POOL_BYTES = NONCE_BYTES * 512;
/**
 * Tokens already verified, with their expiry: an SDK sends the same token for hours, so checking
 * its HMAC once is enough. Bounded, and cleared when full — a forged token never enters it, and an
 * evicted one is simply verified again.
 */
const VERIFIED_CACHE_SIZE = 4096;

export interface MintedToken {
  readonly token: string;
  /**
   * Epoch ms until which this very token may be handed out again for the same TTL: it still lasts
   * at least that TTL until then (the answer cache replays a token PUT's answer that long).
   */
  readonly reusableUntil: number;
}

export interface TokenValidity {
  /** Whole seconds left, the second in progress not counted (at least 1): a token's TTL at first. */
  readonly remainingSeconds: number;
  /** Epoch ms at which `remainingSeconds` drops by one (or the token expires). */
  readonly until: number;
}

/**
 * IMDSv2 session tokens, stateless: a token carries its own expiry and an HMAC over it under a key
 * that lives only in this process. EC2 puts "no practical limit on the number of concurrent
 * tokens" (§1.2), so a client — or an attacker on the machine — may PUT as often as it likes; a
 * table of issued tokens would have to grow without bound or evict live tokens (the Roles
 * Anywhere helper evicts at 256, breaking the 257th client). Signed tokens cost no memory per
 * issued token (verified ones sit in a bounded cache), cannot be forged, expire on the injected
 * clock, and die with the process, which clients handle: a 401
 * makes the JS SDK fetch a new token, and botocore fetches one per credential retrieval (§3.1, §3.2).
 * Revoking a single token is not a thing IMDS offers, so nothing is lost by not storing them.
 *
 * A token expires on a whole second, the TTL after the end of the second it was asked in: it lasts
 * at least its TTL and less than a second more, so one token serves every identical PUT of that
 * second (core's AnswerCache replays it) and still lasts what each of them asked for.
 *
 * Format: base64url with padding of [version, expiry ms (uint48), 9 random bytes, HMAC-SHA256
 * truncated to 24 bytes] — 56 characters, the length of a real token (§1.2).
 */
export class ImdsTokenStore {
  private readonly noncePool = Buffer.alloc(NONCE_POOL_BYTES);
  private nonceOffset = NONCE_POOL_BYTES;
  private readonly verified = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly key: Buffer = randomBytes(32),
  ) {}

  /** A token valid for at least `ttlSeconds` from now; the caller has checked the bounds. */
  issue(ttlSeconds: number): MintedToken {
    const now = this.clock.now();
    const secondEnds = now - (now % 1000) + 1000;
    const token = Buffer.alloc(TOKEN_BYTES);
    token.writeUInt8(FORMAT_VERSION, 0);
    token.writeUIntBE(secondEnds + ttlSeconds * 1000, 1, 6);
    this.nextNonce().copy(token, 7);
    this.mac(token.subarray(0, HEADER_BYTES)).copy(token, HEADER_BYTES);
    return { token: spell(token), reusableUntil: secondEnds };
  }

  /**
   * The token's seconds left and until when that count holds, or undefined when it is malformed,
   * forged or expired: an answer echoing the count stays true until then.
   */
  validity(token: string): TokenValidity | undefined {
    const expiresAt = this.verified.get(token) ?? this.verify(token);
    if (expiresAt === undefined) return undefined;
    const remainingMs = expiresAt - this.clock.now();
    if (remainingMs <= 0) return undefined;
    // Seconds begun, less the one in progress: a fresh token shows exactly the TTL it was asked for.
    const begun = Math.ceil(remainingMs / 1000);
    return { remainingSeconds: Math.max(1, begun - 1), until: expiresAt - (begun - 1) * 1000 };
  }

  /** The expiry a genuine token carries (remembered), or undefined when it is malformed or forged. */
  private verify(token: string): number | undefined {
    if (!/^[A-Za-z0-9_-]{54}==$/.test(token)) return undefined;
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length !== TOKEN_BYTES || bytes.readUInt8(0) !== FORMAT_VERSION) return undefined;
    // The last character before `==` carries four bits the decoder drops: only the spelling
    // issued is a token, not the fifteen others of the same bytes.
    if (spell(bytes) !== token) return undefined;
    if (!timingSafeEqual(bytes.subarray(HEADER_BYTES), this.mac(bytes.subarray(0, HEADER_BYTES))))
      return undefined;
    const expiresAt = bytes.readUIntBE(1, 6);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, expiresAt);
    return expiresAt;
  }

  private nextNonce(): Buffer {
    if (this.nonceOffset + NONCE_BYTES > NONCE_POOL_BYTES) {
      randomFillSync(this.noncePool);
      this.nonceOffset = 0;
    }
    const nonce = this.noncePool.subarray(this.nonceOffset, this.nonceOffset + NONCE_BYTES);
    this.nonceOffset += NONCE_BYTES;
    return nonce;
  }

  private mac(header: Buffer): Buffer {
    return createHmac('sha256', this.key).update(header).digest().subarray(0, MAC_BYTES);
  }
}

/** Base64url with padding, the alphabet a token travels in (URL- and header-safe, EC2's length). */
function spell(token: Buffer): string {
  return token.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}
