import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the app asked of one table, as seen on the wire. */
export interface TableTraffic {
  /** Entities inserted, replaced, merged or deleted: a batch counts as its number of operations. */
  entityWrites: number;
  /** HTTP requests that write (a batch is one). */
  writeRequests: number;
  /** Point reads and queries (each page of a query is one request). */
  reads: number;
}

export interface CountingProxy {
  /** Port on 127.0.0.1 to use as the Table endpoint instead of Azurite's. */
  port: number;
  counts(): Record<string, TableTraffic>;
  reset(): void;
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);
// An operation inside a batch's changeset: `PUT http://host/account/Table(PartitionKey=…) HTTP/1.1`.
const BATCH_OPERATION = /^(POST|PUT|PATCH|MERGE|DELETE) (\S+) HTTP\/1\.1\r?$/gm;

/** `/devstoreaccount1/CalendarEvents(PartitionKey='a',RowKey='b')?…` → `CalendarEvents`. */
export function tableOf(path: string): string {
  const [, , resource = ''] = new URL(path, 'http://x').pathname.split('/');
  return decodeURIComponent(resource.replace(/\(.*$/, ''));
}

/**
 * A pass-through HTTP proxy in front of Azurite's Table endpoint that counts writes per table
 * from the requests themselves, so the figures do not depend on the app's own bookkeeping.
 * Shared-key signatures cover the path, not the host, so requests pass unchanged.
 */
export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  let traffic: Record<string, TableTraffic> = {};
  const entry = (table: string) => (traffic[table] ??= { entityWrites: 0, writeRequests: 0, reads: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });

  const count = (method: string, url: string, body: Buffer) => {
    const table = tableOf(url);
    if (table === 'Tables') return; // creating tables is set-up, not sync traffic
    if (table === '$batch') {
      const perTable = new Set<string>();
      for (const [, , opUrl] of body.toString('utf8').matchAll(BATCH_OPERATION)) {
        const t = tableOf(opUrl!);
        entry(t).entityWrites++;
        perTable.add(t);
      }
      perTable.forEach((t) => entry(t).writeRequests++);
    } else if (WRITE_METHODS.has(method)) {
      entry(table).entityWrites++;
      entry(table).writeRequests++;
    } else {
      entry(table).reads++;
    }
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      count(req.method ?? 'GET', req.url ?? '/', body);
      forward(req, res, body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    counts: () => structuredClone(traffic),
    reset: () => void (traffic = {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
