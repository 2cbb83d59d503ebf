import { startStack } from '../../test/support/stack.js';
import { fmt, ms, times, type Options, type ScenarioResult } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';

const SENDER = 'b7-sender@contoso.example';
const RCPT = 'b7-rcpt@contoso.example';

/**
 * B7, send half: one send through the API (POST …/email-messages: a draft, then its send) against
 * a bare POST /me/sendMail with the same user's Graph token and scopes, interleaved, on the local
 * host with the in-process simulator. Also the Graph requests each costs (the simulator's count).
 * Every submission of the run (warm-ups, 10 pairs, 5 keyed sends) stays under the simulated mailbox's 30 a minute.
 */
export async function runB7Send(options: Options): Promise<ScenarioResult> {
  const reps = options.quick ? 8 : 10;
  const stack = await startStack({ serve: 'http', keepLogs: false });
  const api: number[] = [];
  const bare: number[] = [];
  const keyed: number[] = [];
  const floor: number[] = [];
  const apiRequests: number[] = [];
  const bareRequests: number[] = [];
  try {
    stack.user(SENDER, { email: SENDER, mailbox: { messages: 5 } });
    stack.user(RCPT, { email: RCPT, mailbox: { messages: 0 } });
    const token = await stack.callerToken(SENDER);
    const connected = await stack.connect(SENDER, 'microsoft_outlook', SENDER, { access: 'read_write' });
    if (connected.status !== 201) throw new Error(`connect answered ${connected.status}`);
    const id = connected.body.id as string;
    const graphToken = await stack.sim.graphAccessToken(SENDER, ['Mail.ReadWrite', 'Mail.Send', 'User.Read']);
    const graphRequests = () => stack.sim.stats().graph_requests;

    const viaApi = async (i: number, key?: string) => {
      const before = graphRequests();
      const t0 = performance.now();
      const res = await stack.api('POST', `integrations/${id}/email-messages`, {
        token,
        body: { to: [{ email: RCPT }], subject: `B7 api ${i}${key ? ' keyed' : ''}`, body: 'Hello' },
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });
      const took = performance.now() - t0;
      if (res.status !== 202) throw new Error(`the API answered ${res.status}`);
      (key ? keyed : api).push(took);
      if (!key) apiRequests.push(graphRequests() - before);
    };
    // What any authenticated API call costs before Graph: the caller's token, the integration's row.
    const apiFloor = async () => {
      const t0 = performance.now();
      const res = await stack.api('GET', `integrations/${id}`, { token });
      if (res.status !== 200) throw new Error(`GET integration answered ${res.status}`);
      floor.push(performance.now() - t0);
    };
    const viaSendMail = async (i: number) => {
      const before = graphRequests();
      const t0 = performance.now();
      const res = await fetch(`${stack.sim.graphBaseUrl}/v1.0/me/sendMail`, {
        method: 'POST',
        headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          message: {
            subject: `B7 bare ${i}`,
            body: { contentType: 'Text', content: 'Hello' },
            toRecipients: [{ emailAddress: { address: RCPT } }],
          },
        }),
      });
      await res.arrayBuffer();
      const took = performance.now() - t0;
      if (res.status !== 202) throw new Error(`sendMail answered ${res.status}`);
      bare.push(took);
      bareRequests.push(graphRequests() - before);
    };
    // One warm-up each (first-request costs: the lazy imports, MSAL's cache, TLS), not counted.
    await viaApi(-1);
    await viaApi(-1, 'b7-warm-up');
    await viaSendMail(-1);
    api.length = bare.length = keyed.length = apiRequests.length = bareRequests.length = 0;
    for (let i = 0; i < reps; i++) {
      await apiFloor();
      if (i % 2 === 0) {
        await viaApi(i);
        await viaSendMail(i);
      } else {
        await viaSendMail(i);
        await viaApi(i);
      }
      // Keyed sends every other round: the mailbox allows about 30 submissions a minute.
      if (i % 2 === 0) await viaApi(i, `b7-${i}`);
    }
  } finally {
    await stack.stop();
  }
  const apiMs = median(api);
  const bareMs = median(bare);
  const perSend = median(apiRequests);
  return {
    id: 'B7S',
    title: 'send mail: the API against a bare sendMail',
    params: { reps, quick: options.quick },
    figures: {
      api_ms: api,
      bare_ms: bare,
      keyed_ms: keyed,
      get_integration_ms: floor,
      api_graph_requests: apiRequests,
      bare_graph_requests: bareRequests,
    },
    rows: [
      {
        metric: `send through the API vs bare \`POST /me/sendMail\`, same user token (median of ${reps})`,
        ours: ms(apiMs),
        reference: ms(bareMs),
        ratio: times(ratio(apiMs, bareMs)),
        goal: 'reported',
      },
      {
        metric: `the same send with an Idempotency-Key (median of ${keyed.length}) vs without`,
        ours: ms(median(keyed)),
        reference: ms(apiMs),
        ratio: times(ratio(median(keyed), apiMs)),
        goal: 'reported',
      },
      {
        metric: 'the API floor: `GET /integrations/{id}` (caller token, one row) vs bare sendMail',
        ours: ms(median(floor)),
        reference: ms(bareMs),
        ratio: times(ratio(median(floor), bareMs)),
        goal: 'reported',
      },
      {
        metric: 'Graph requests per send (API vs sendMail)',
        ours: fmt(perSend, 1),
        reference: fmt(median(bareRequests), 1),
        ratio: times(ratio(perSend, median(bareRequests))),
        goal: 'reported (the draft path costs 2)',
      },
    ],
    notes: [
      'The API sends through a draft (POST /me/messages, then POST /me/messages/{id}/send): sendMail answers 202 ' +
        'with no id, so after a lost answer nothing tells whether the mail went out; the draft’s immutable id does, ' +
        'which is what lets a retry with the same Idempotency-Key never send twice. The price is one Graph request.',
    ],
  };
}
