import autocannon from 'autocannon';

export interface LoadInput {
  url: string;
  token: string;
  paths: string[];
  connections: number;
  durationS: number;
  /** Client timeout per request. */
  timeoutS: number;
  /** Answers slower than this are counted (autocannon's default timeout is 10 s). */
  slowMs: number;
}

export interface LoadOutput {
  requests: number;
  ok: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  slower: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  requestsPerS: number;
}

/** The load generator, in its own process: every connection cycles through the query paths. */
export function loadClient(input: LoadInput): Promise<LoadOutput> {
  let slower = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: input.url,
        connections: input.connections,
        duration: input.durationS,
        timeout: input.timeoutS,
        headers: { authorization: `Bearer ${input.token}` },
        requests: input.paths.map((path) => ({ method: 'GET', path })),
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          ok: result['2xx'],
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          resets: result.resets,
          slower,
          p50Ms: result.latency.p50,
          p90Ms: result.latency.p90,
          p99Ms: result.latency.p99,
          maxMs: result.latency.max,
          requestsPerS: result.requests.average,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      if (responseTimeMs > input.slowMs) slower++;
    });
  });
}
