import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ensureDevCertificate } from '../certs.mjs';
import { secretBundle, sendError, sendJson } from './responses.js';
import { SecretStore } from './store.js';

export interface KeyVaultStandInOptions {
  port?: number;
  /** When set, only this bearer token is accepted; otherwise any bearer token is. */
  accessToken?: string;
  /** The tenant named in the challenge (the SDK asks the credential for a token in it). */
  tenantId?: string;
}

/** One request the stand-in saw: `authorized` is false for challenged (401) requests. */
export interface SeenRequest {
  method: string;
  path: string;
  authorized: boolean;
}

export interface KeyVaultStandIn {
  vaultUrl: string;
  /** Adds a version of a secret (as a PUT would) and returns the version. */
  setSecret(name: string, value: string): string;
  /** Enables or disables one version (as PATCH …/secrets/{name}/{version} would). */
  setEnabled(name: string, version: string, enabled: boolean): void;
  /**
   * From now on requests are accepted but not answered (a vault that hangs), until `resume()`
   * answers them all; `close()` drops them. `hung` counts the requests held.
   */
  hang(): void;
  resume(): void;
  readonly hung: number;
  /** Requests received so far, challenged ones included. */
  readonly requests: number;
  readonly log: readonly SeenRequest[];
  close(): Promise<void>;
}

const secretName = /^[0-9a-zA-Z-]{1,127}$/;
const secretVersion = /^[0-9a-fA-F]{32}$/;
const setBody = z.object({
  value: z.string().max(25_000),
  contentType: z.string().max(255).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  attributes: z.object({ enabled: z.boolean().optional() }).loose().optional(),
});
const updateBody = z.object({ attributes: z.object({ enabled: z.boolean().optional() }).loose().optional() }).loose();

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local HTTPS stand-in for Key Vault's secrets REST API (get latest, get a version, set), with Key
 * Vault's challenge authentication, so the real @azure/keyvault-secrets SDK can be tested against it.
 */
export async function startKeyVaultStandIn(options: KeyVaultStandInOptions = {}): Promise<KeyVaultStandIn> {
  const { cert, key } = await ensureDevCertificate();
  const store = new SecretStore();
  const log: SeenRequest[] = [];
  const tenantId = options.tenantId ?? 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
  const challenge = `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"`;
  let vaultUrl = '';
  let hanging = false;
  let held: (() => void)[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', vaultUrl);
    const method = req.method ?? 'GET';
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const authorized = bearer !== undefined && (options.accessToken === undefined || bearer === options.accessToken);
    log.push({ method, path: url.pathname, authorized });
    if (hanging) await new Promise<void>((resolve) => held.push(resolve));
    // Read (bounded) every body up front, so no early answer leaves one unread on a kept-alive socket.
    const text = await readBody(req);
    if (!authorized) {
      return sendError(res, 401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', {
        'www-authenticate': challenge,
      });
    }
    if (!url.searchParams.get('api-version')) {
      return sendError(res, 400, 'BadParameter', 'The api-version query parameter is required.');
    }
    // /secrets/{name}, /secrets/{name}/ (latest) or /secrets/{name}/{version}
    const match = /^\/secrets\/([^/]+)(?:\/([^/]*))?$/.exec(url.pathname);
    const name = match?.[1] ?? '';
    const version = match?.[2] || undefined;
    if (!match || !secretName.test(name) || (version !== undefined && !secretVersion.test(version))) {
      return sendError(res, 404, 'NotFound', 'No such resource in this stand-in.');
    }
    if (method === 'GET') {
      const secret = store.get(name, version);
      if (!secret)
        return sendError(
          res,
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`,
        );
      // Key Vault names the reason in innererror (an RBAC refusal is also a 403 Forbidden).
      if (!secret.enabled)
        return sendError(
          res,
          403,
          'Forbidden',
          'Operation get is not allowed on a disabled secret.',
          undefined,
          'SecretDisabled',
        );
      return sendJson(res, 200, secretBundle(vaultUrl, secret));
    }
    if (method === 'PATCH' && version !== undefined) {
      const body = updateBody.safeParse(text === undefined ? undefined : safeJson(text));
      if (!body.success) return sendError(res, 400, 'BadParameter', 'The request body is not valid secret properties.');
      const enabled = body.data.attributes?.enabled;
      const secret = enabled === undefined ? store.get(name, version) : store.setEnabled(name, version, enabled);
      if (!secret)
        return sendError(
          res,
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name}/${version} was not found in this key vault.`,
        );
      // As Key Vault's update answers: the properties, never the value.
      const bundle = secretBundle(vaultUrl, secret);
      delete bundle.value;
      return sendJson(res, 200, bundle);
    }
    if (method === 'PUT' && version === undefined) {
      if (text === undefined) return sendError(res, 413, 'BadParameter', 'The request body is too large.');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return sendError(res, 400, 'BadParameter', 'The request body is not valid JSON.');
      }
      const body = setBody.safeParse(json);
      if (!body.success) return sendError(res, 400, 'BadParameter', 'The request body is not a valid secret.');
      const { value, contentType, tags, attributes } = body.data;
      const secret = store.set(name, { value, contentType, tags, enabled: attributes?.enabled });
      return sendJson(res, 200, secretBundle(vaultUrl, secret));
    }
    return sendError(res, 405, 'MethodNotAllowed', `${method} is not supported here.`);
  }

  const server: Server = createServer({ cert, key }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', 'The stand-in failed.');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  vaultUrl = `https://localhost:${(server.address() as AddressInfo).port}`;

  return {
    vaultUrl,
    setEnabled(name, version, enabled) {
      if (!store.setEnabled(name, version, enabled)) throw new Error(`No version ${version} of ${name}`);
    },
    hang() {
      hanging = true;
    },
    resume() {
      hanging = false;
      const release = held;
      held = [];
      for (const answer of release) answer();
    },
    get hung() {
      return held.length;
    },
    setSecret(name, value) {
      if (!secretName.test(name)) throw new Error(`Key Vault secret names match ${secretName}`);
      return store.set(name, { value }).version;
    },
    get requests() {
      return log.length;
    },
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        hanging = false;
        held = [];
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
