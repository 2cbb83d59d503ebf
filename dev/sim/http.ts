import type { IncomingMessage } from 'node:http';

/** A request as the simulator's handlers see it: body already read, URL absolute. */
export interface SimRequest {
  method: string;
  url: URL;
  /** `https://localhost:PORT` or `https://127.0.0.1:PORT`: the origin the client used (sim/origin.ts). */
  origin: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** What a handler learns about a request that the stats need (who, which route, which grant). */
export interface RequestFacts {
  /** `METHOD /path/template`, e.g. `POST /{tenant}/oauth2/v2.0/token`. */
  template: string;
  /** The simulated user's email, once known. */
  user?: string;
  grantType?: string;
  /** Graph: the request asked for immutable ids (`Prefer: IdType="ImmutableId"`). */
  immutableIds?: boolean;
  /** Runs once the answer has been written (e.g. the request stops counting as in flight). */
  onFinish?: () => void;
}

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`request body of ${size} bytes is too large`);
  }
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep draining past the limit so the client gets our 413 rather than a reset socket.
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new BodyTooLargeError(size);
  return Buffer.concat(chunks);
}

export function headerRecord(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, page: string): SimResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: page };
}

export function redirect(location: string): SimResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Parses a JSON body; an empty body is `undefined`. */
export function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
