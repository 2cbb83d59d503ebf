import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ensureDevCertificate } from '../../dev/certs.mjs';

// A real HTTPS webhook endpoint for the simulator's subscription tests: answers the handshake
// (echo, a wrong body, a wrong content type, or too late), records every POST, and answers
// notifications as each path's script says (statuses in turn, delays), or not at all when down.

export type Obj = Record<string, unknown>;

export interface Handshake {
  path: string;
  token: string;
  rawQuery: string;
  contentType: string | undefined;
  body: string;
}

export interface Received {
  path: string;
  atMs: number;
  value: Obj[];
}

export interface PathScript {
  /** Handshake answer: echo the token (default), send something else, or text/html. */
  handshake?: 'echo' | 'wrong' | 'html';
  handshakeDelayMs?: number;
  /** Statuses for successive notification POSTs (the last one repeats; default 202). */
  statuses?: number[];
  /** Delays for successive notification POSTs (the last one repeats; default 0). */
  delaysMs?: number[];
}

export class WebhookReceiver {
  readonly handshakes: Handshake[] = [];
  readonly received: Received[] = [];
  readonly scripts = new Map<string, PathScript>();
  private readonly seen = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  base = '';
  /** While down, every connection is destroyed before an answer (the app is down). */
  down = false;

  async start(): Promise<void> {
    const { cert, key } = await ensureDevCertificate();
    this.server = createServer({ cert, key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.down) {
          req.socket.destroy();
          return;
        }
        const url = new URL(req.url ?? '/', 'https://localhost');
        const script = this.scripts.get(url.pathname) ?? {};
        const body = Buffer.concat(chunks).toString('utf8');
        const token = url.searchParams.get('validationToken');
        if (token !== null) {
          this.handshakes.push({
            path: url.pathname,
            token,
            rawQuery: url.search,
            contentType: req.headers['content-type'],
            body,
          });
          const answer = (): void => {
            const kind = script.handshake ?? 'echo';
            res.writeHead(200, { 'Content-Type': kind === 'html' ? 'text/html' : 'text/plain; charset=utf-8' });
            res.end(kind === 'wrong' ? `${token}!` : token);
          };
          setTimeout(answer, script.handshakeDelayMs ?? 0);
          return;
        }
        const n = this.seen.get(url.pathname) ?? 0;
        this.seen.set(url.pathname, n + 1);
        this.received.push({
          path: url.pathname,
          atMs: Date.now(),
          value: (JSON.parse(body) as { value: Obj[] }).value,
        });
        const pick = (list: number[] | undefined, fallback: number): number =>
          list && list.length > 0 ? (list[Math.min(n, list.length - 1)] ?? fallback) : fallback;
        setTimeout(
          () => {
            if (!res.destroyed) res.writeHead(pick(script.statuses, 202)).end();
          },
          pick(script.delaysMs, 0),
        );
      });
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `https://localhost:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function waitFor<T>(probe: () => T | undefined | false, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
