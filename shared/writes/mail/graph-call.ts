import { z } from 'zod';
import { AppError } from '../../errors.js';
import { REQUIRED_SCOPES } from '../../integrations/scope-guard.js';
import type { GraphAnswer, GraphWriter } from './graph-writer.js';

// Graph's answers to mail writes as the API's stable codes, and the short in-request wait for
// throttling: a user's write is never queued; past the budget the SPA gets 429 `throttled`.

/** How long one API request may spend waiting out Graph's Retry-After in all. */
export const WRITE_RETRY_BUDGET_MS = 8_000;

/** One API request's allowance for waiting on Retry-After. */
export class RetryBudget {
  private readonly deadline: number;
  constructor(ms = WRITE_RETRY_BUDGET_MS) {
    this.deadline = Date.now() + ms;
  }
  /** Waits `seconds` when they fit in what is left; false when they do not. */
  async wait(seconds: number): Promise<boolean> {
    const ms = Math.max(0, seconds * 1000);
    if (Date.now() + ms > this.deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return true;
  }
}

const graphErrorSchema = z.object({ error: z.object({ code: z.string().max(200) }).loose() }).loose();

/** Graph's error code of an answer, when it has one of a sane shape (nothing else of it is ever shown). */
export function graphCode(answer: GraphAnswer): string | undefined {
  const parsed = graphErrorSchema.safeParse(answer.body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  return code && /^[A-Za-z0-9_.-]+$/.test(code) ? code : undefined;
}

export function retryAfterSeconds(headers: Headers): number {
  const header = headers.get('retry-after');
  if (!header) return 1;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, (at - Date.now()) / 1000) : 1;
}

/** The API's answer to a Graph refusal: a stable code, Graph's error code at most in `detail`. */
export function refusal(
  answer: GraphAnswer,
  what: string,
  scopes: readonly string[] = REQUIRED_SCOPES.mailSend[0],
): AppError {
  const code = graphCode(answer);
  const from = code ? ` (Microsoft: ${code})` : '';
  switch (true) {
    case answer.status === 400 || answer.status === 422:
      return new AppError('validation_failed', `Microsoft refused ${what}${from}.`);
    case answer.status === 401:
      return new AppError('reauth_required', 'Microsoft no longer accepts this connection; connect the account again.');
    case answer.status === 403:
      return new AppError(
        'insufficient_scope',
        `Microsoft refused ${what} for lack of permission${from}: connect the account again with access "read_write".`,
        undefined,
        undefined,
        { required_scopes: [...scopes] },
      );
    case answer.status === 404 || answer.status === 410:
      return new AppError('not_found', `The item is gone at Microsoft${from}.`);
    case answer.status === 409 || answer.status === 412:
      return new AppError('precondition_failed', `The item changed at Microsoft${from}.`);
    case answer.status === 413:
      return new AppError('payload_too_large', `Microsoft refused ${what} as too large${from}.`);
    case answer.status === 429:
      return throttled(retryAfterSeconds(answer.headers));
    default:
      return new AppError(
        'service_unavailable',
        `Microsoft Graph could not complete ${what} (status ${answer.status}).`,
      );
  }
}

export const throttled = (seconds: number): AppError =>
  new AppError(
    'throttled',
    'Microsoft is throttling this mailbox; nothing more was done. Retry after Retry-After seconds.',
    undefined,
    { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) },
  );

export interface CallOptions {
  /** What the request does, for error texts ("the draft", "the move"). */
  what: string;
  /** Also retry 503 (requests that may safely run twice: reads, PATCH of isRead). 429 is always retried. */
  idempotent?: boolean;
  /** What a 403 from Graph names in `required_scopes` (default: a send's). */
  scopes?: readonly string[];
}

/**
 * One Graph request that must succeed: throttling (429; 503 for idempotent requests) is waited
 * out while the budget allows, then 429 `throttled` with Retry-After; any other refusal becomes
 * its stable code. A request that got no answer throws NoAnswerError for the caller to judge.
 */
export async function mustSucceed(
  graph: GraphWriter,
  budget: RetryBudget,
  options: CallOptions,
  ...request: Parameters<GraphWriter>
): Promise<GraphAnswer> {
  for (;;) {
    const answer = await graph(...request);
    if (answer.status >= 200 && answer.status < 300) return answer;
    const retryable = answer.status === 429 || (options.idempotent === true && answer.status === 503);
    if (!retryable) throw refusal(answer, options.what, options.scopes);
    const seconds = retryAfterSeconds(answer.headers);
    if (!(await budget.wait(seconds))) throw throttled(seconds);
  }
}
