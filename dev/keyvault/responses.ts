import type { ServerResponse } from 'node:http';
import type { StoredSecret } from './store.js';

/** A secret bundle as Key Vault's REST API returns it (api-version 7.x). */
export function secretBundle(vaultUrl: string, secret: StoredSecret): Record<string, unknown> {
  return {
    value: secret.value,
    id: `${vaultUrl}/secrets/${secret.name}/${secret.version}`,
    ...(secret.contentType !== undefined ? { contentType: secret.contentType } : {}),
    ...(secret.tags !== undefined ? { tags: secret.tags } : {}),
    attributes: {
      enabled: secret.enabled,
      created: secret.created,
      updated: secret.updated,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-ms-keyvault-service-version': '1.9.0.0',
    ...headers,
  });
  res.end(text);
}

/** Key Vault's error shape: `{ error: { code, message, innererror?: { code } } }`. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
  innerCode?: string,
): void {
  sendJson(
    res,
    status,
    { error: { code, message, ...(innerCode ? { innererror: { code: innerCode } } : {}) } },
    headers,
  );
}
