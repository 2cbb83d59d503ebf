import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { fieldErrors } from './problem.js';

export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Parses a JSON body with a size cap, a content-type check and a zod schema; every failure is a 4xx. */
export async function readJsonBody<S extends z.ZodType>(
  request: HttpRequest,
  schema: S,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<z.infer<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json.');
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('payload_too_large', `The body may be at most ${maxBytes} bytes.`);
  const bytes = await readCapped(request, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new AppError('invalid_json', 'The body is not valid UTF-8 JSON.');
  }
  return parseWith(schema, json);
}

/**
 * Reads the body chunk by chunk and stops at the first byte past `maxBytes`: a chunked upload (no
 * Content-Length) is not buffered whole before it is refused.
 */
async function readCapped(request: HttpRequest, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = Buffer.from(value as Uint8Array);
      size += chunk.length;
      if (size > maxBytes) throw new AppError('payload_too_large', `The body may be at most ${maxBytes} bytes.`);
      chunks.push(chunk);
    }
  } finally {
    // Cancelling tells the source to stop producing; a finished stream ignores it.
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, size);
}

/** Parses query parameters; a parameter given twice is refused rather than silently picking one. */
export function readQuery<S extends z.ZodType>(request: HttpRequest, schema: S): z.infer<S> {
  // No prototype: parameters named `__proto__` or `toString` are plain keys, not inherited ones.
  const raw: Record<string, string> = Object.create(null) as Record<string, string>;
  const repeated: string[] = [];
  for (const [key, value] of request.query.entries()) {
    if (Object.hasOwn(raw, key)) repeated.push(key);
    raw[key] = value;
  }
  if (repeated.length) {
    throw new AppError(
      'validation_failed',
      'A query parameter was given more than once.',
      [...new Set(repeated)].map((field) => ({ field, message: 'given more than once' })),
    );
  }
  return parseWith(schema, raw);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new AppError('validation_failed', 'One or more fields are not valid.', fieldErrors(result.error));
  return result.data;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  jsonBody: body,
  headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
});
