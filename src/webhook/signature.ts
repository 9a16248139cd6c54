import { createHmac, timingSafeEqual } from 'node:crypto';

/** Gitea's X-Gitea-Signature: the hex HMAC-SHA256 of the raw request body under the hook's secret. */
export function giteaSignature(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Constant-time check of a delivery's signature header against the body. */
export function signatureMatches(secret: string, body: Buffer, header: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(header)) return false;
  return timingSafeEqual(Buffer.from(giteaSignature(secret, body), 'hex'), Buffer.from(header, 'hex'));
}
