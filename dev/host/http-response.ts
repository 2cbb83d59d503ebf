import type { Cookie, HttpResponseInit } from '@azure/functions';
import { HttpResponse } from './functions-lib.js';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/**
 * Normalises what an HTTP handler returned (HttpResponseInit, HttpResponse, or nothing) into an
 * HttpResponse: the library's own class applies jsonBody, default status 200 and content types
 * exactly as it does under the real worker. Throws (RangeError) for an impossible status.
 */
export function toHttpResponse(result: unknown): { response: HttpResponse; streamed: boolean } {
  if (result instanceof HttpResponse) return { response: result, streamed: true };
  const init = (result ?? {}) as HttpResponseInit;
  return { response: new HttpResponse(init), streamed: init.jsonBody === undefined && isStream(init.body) };
}

function isStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (Symbol.asyncIterator in body || 'getReader' in body);
}

/** Writes status, headers, cookies and body to the Node response. Small bodies get a Content-Length. */
export async function sendResponse(res: ServerResponse, response: HttpResponse, streamed: boolean): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const setCookies = [...response.headers.getSetCookie(), ...response.cookies.map(serializeCookie)];
  if (setCookies.length > 0) res.setHeader('Set-Cookie', setCookies);
  if (!response.body) {
    res.end();
  } else if (streamed) {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), res);
  } else {
    const bytes = Buffer.from(await response.arrayBuffer());
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  }
}

// Set-Cookie syntax (RFC 6265); the Functions host writes the same attributes from the Cookie object.
export function serializeCookie(cookie: Cookie): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a cookie value must not carry (RFC 6265)
  const unsafe = /[;\x00-\x1f\x7f]/;
  const attributes = [cookie.value, cookie.domain ?? '', cookie.path ?? ''];
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookie.name) || attributes.some((a) => unsafe.test(a))) {
    throw new TypeError('cookie name or value has characters a Set-Cookie header cannot carry');
  }
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${Math.trunc(cookie.maxAge)}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}
