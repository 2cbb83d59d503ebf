import { Socket } from 'node:net';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;

/**
 * Watches every outgoing TCP connection of this process (http, https, fetch and tls all connect
 * through net.Socket) and refuses any to a host other than loopback, recording it, before a DNS
 * lookup or a packet. The telemetry SDK probes the Azure VM metadata service and sends Statsbeat to
 * Microsoft unless told not to, and polls its control plane (OneSettings) whatever it is told:
 * the tests see each attempt here and nothing leaves the machine.
 */
export function guardLoopback(): { refused: string[]; restore(): void } {
  const refused: string[] = [];
  const original = Socket.prototype.connect;
  const patched = function (this: Socket, ...args: unknown[]) {
    const first = args[0];
    // Node passes its internal calls a normalized [options, callback] array.
    const options = (Array.isArray(first) ? first[0] : first) as
      { host?: string; path?: string } | number | string | undefined;
    let host: string | undefined;
    if (typeof options === 'number') host = typeof args[1] === 'string' ? args[1] : undefined;
    else if (options && typeof options === 'object' && !options.path) host = options.host;
    if (host !== undefined && !LOOPBACK.test(host)) {
      refused.push(host);
      process.nextTick(() => this.destroy(new Error(`test guard: connection to ${host} refused (loopback only)`)));
      return this;
    }
    return (original as (...a: unknown[]) => Socket).apply(this, args);
  };
  Socket.prototype.connect = patched as typeof Socket.prototype.connect;
  return {
    refused,
    restore: () => {
      Socket.prototype.connect = original;
    },
  };
}
