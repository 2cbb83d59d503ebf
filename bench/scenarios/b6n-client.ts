import autocannon from 'autocannon';

export interface DeliveryLoadInput {
  url: string;
  /** Graph notification bodies, each posted as application/json in turn. */
  bodies: string[];
  connections: number;
  durationS: number;
}

export interface DeliveryLoadOutput {
  requests: number;
  accepted: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requestsPerS: number;
}

/** B6n's load generator, in its own process: Graph-shaped deliveries to the notification endpoint. */
export function deliveryClient(input: DeliveryLoadInput): Promise<DeliveryLoadOutput> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: input.url,
        connections: input.connections,
        duration: input.durationS,
        timeout: 30,
        requests: input.bodies.map((body) => ({
          method: 'POST',
          path: '/api/integrations/notifications',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
        })),
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          accepted: result['2xx'],
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          maxMs: result.latency.max,
          requestsPerS: result.requests.average,
        });
      },
    );
  });
}
