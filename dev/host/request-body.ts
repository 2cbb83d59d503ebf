import type { IncomingMessage } from 'node:http';

/** Azure's front end refuses large bodies before any code runs; the local host draws its line at 4 MiB. */
export const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' };

/**
 * Reads the whole request body, or stops as soon as it is known to exceed `limit` (by its
 * Content-Length, or by counting when it is chunked) without buffering the rest.
 */
export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => (cleanup(), resolve({ ok: true, body: Buffer.concat(chunks, size) }));
    const onError = (error: Error): void => (cleanup(), reject(error));
    const cleanup = (): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
