import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ensureDevCertificate } from '../../dev/certs.mjs';

/**
 * The exporter's environment as a Function App has it (WEBSITE_SITE_NAME with FUNCTIONS_EXTENSION_VERSION
 * also skips the Azure VM metadata probe), minus Statsbeat (sent to Microsoft) and sampling.
 */
export const EXPORTER_TEST_ENV = {
  WEBSITE_SITE_NAME: 'integrato-telemetry-test',
  FUNCTIONS_EXTENSION_VERSION: '~4',
  APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
  APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
  OTEL_TRACES_SAMPLER: 'always_on',
};

/** One Application Insights item as the exporter sends it (the fields the tests read). */
export interface Envelope {
  name: string;
  time: string;
  tags?: Record<string, string>;
  data?: { baseType?: string; baseData?: BaseData };
}

/** The baseData fields of request, dependency, metric and exception items that the tests read. */
export interface BaseData {
  id?: string;
  name?: string;
  type?: string;
  data?: string;
  url?: string;
  resultCode?: string;
  success?: boolean;
  properties?: Record<string, string>;
  metrics?: { name: string; value: number; count: number }[];
  exceptions?: { typeName?: string; message?: string }[];
  [field: string]: unknown;
}

export interface Collector {
  /** A connection string whose ingestion (and live) endpoint is this collector. */
  connectionString: string;
  envelopes: Envelope[];
  /** Every request body, decompressed, as received: what a leak check must search. */
  bodies: string[];
  /** Requests other than `POST …/track` (e.g. Live Metrics), as `METHOD path`. */
  other: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for Application Insights ingestion on loopback HTTPS (dev certificate): accepts
 * `POST {IngestionEndpoint}/v2.1/track` with a JSON array of envelopes, gzip'd or not, and answers
 * as Breeze does, every item accepted.
 */
export async function startCollector(): Promise<Collector> {
  const { cert, key } = await ensureDevCertificate();
  const envelopes: Envelope[] = [];
  const bodies: string[] = [];
  const other: string[] = [];
  const server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method !== 'POST' || !path.endsWith('/track')) {
        other.push(`${req.method} ${path}`);
        res.writeHead(404).end();
        return;
      }
      let raw = Buffer.concat(chunks);
      if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) raw = gunzipSync(raw);
      const text = raw.toString('utf8');
      bodies.push(text);
      const parsed: unknown = JSON.parse(text);
      const items = (Array.isArray(parsed) ? parsed : [parsed]) as Envelope[];
      envelopes.push(...items);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, appId: null, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}/`;
  return {
    connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${origin};LiveEndpoint=${origin}`,
    envelopes,
    bodies,
    other,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Metric items of one name: `[value, count, properties]` for each exported data point. */
export function metricPoints(envelopes: Envelope[], name: string) {
  return envelopes
    .filter((e) => e.data?.baseType === 'MetricData')
    .flatMap((e) =>
      (e.data?.baseData?.metrics ?? [])
        .filter((m) => m.name === name)
        .map((m) => ({
          value: Number(m.value),
          count: Number(m.count),
          properties: (e.data?.baseData?.properties ?? {}) as Record<string, string>,
        })),
    );
}

/** Sum of a metric's values over every export (the exporter sends deltas), optionally filtered by properties. */
export function metricSum(envelopes: Envelope[], name: string, where: Record<string, string> = {}): number {
  return metricPoints(envelopes, name)
    .filter((p) => Object.entries(where).every(([k, v]) => p.properties[k] === v))
    .reduce((sum, p) => sum + p.value, 0);
}
