import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { refusal, RetryBudget, retryAfterSeconds } from '../../shared/writes/mail/graph-call.js';
import {
  base64Bytes,
  checkAttachmentTotal,
  sendMessageSchema,
  updateMessageSchema,
} from '../../shared/writes/mail/requests.js';
import { uploadUrlAllowed } from '../../shared/writes/mail/send-message.js';

const answer = (status: number, body: unknown = undefined, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body,
});

describe('mail write parts', () => {
  it('counts decoded base64 bytes without decoding, for every padding', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1000, 3_000_001])
      expect(base64Bytes(Buffer.alloc(n, 7).toString('base64'))).toBe(n);
  });

  it('refuses more than 25,000,000 bytes of attachments in all with 413, and takes exactly 25,000,000', () => {
    const file = (n: number) => ({
      name: 'f',
      content_type: 'a/b',
      content_base64: Buffer.alloc(n).toString('base64'),
    });
    const body = (sizes: number[]) =>
      sendMessageSchema.parse({ to: [{ email: 'a@b.example' }], attachments: sizes.map(file) });
    expect(() => checkAttachmentTotal(body([12_500_000, 12_500_000]))).not.toThrow();
    expect(() => checkAttachmentTotal(body([12_500_000, 12_500_001]))).toThrow(
      expect.objectContaining({ code: 'payload_too_large' }),
    );
  });

  it('parses send and change bodies strictly: 500 recipients in all, known fields only, one change at least', () => {
    const to = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `r${i}@x.example` }));
    expect(sendMessageSchema.safeParse({ to: to(250), cc: to(150), bcc: to(100) }).success).toBe(true);
    expect(sendMessageSchema.safeParse({ to: to(250), cc: to(150), bcc: to(101) }).success).toBe(false);
    expect(sendMessageSchema.safeParse({ to: to(1), from: 'x@y.example' }).success).toBe(false);
    expect(
      sendMessageSchema.safeParse({
        to: to(1),
        attachments: [{ name: 'a', content_type: 'a/b', content_base64: 'abc' }],
      }).success,
    ).toBe(false);
    expect(updateMessageSchema.safeParse({}).success).toBe(false);
    expect(updateMessageSchema.safeParse({ folder: "inbox' or 1=1" }).success).toBe(false);
    expect(updateMessageSchema.parse({ folder: 'AQMkADAwATM0MDAAMS1=' })).toEqual({ folder: 'AQMkADAwATM0MDAAMS1=' });
  });

  it('maps Graph refusals to stable codes, naming only Graph’s error code', () => {
    const cases: Array<[number, string]> = [
      [400, 'validation_failed'],
      [401, 'reauth_required'],
      [403, 'insufficient_scope'],
      [404, 'not_found'],
      [412, 'precondition_failed'],
      [413, 'payload_too_large'],
      [429, 'throttled'],
      [502, 'service_unavailable'],
    ];
    for (const [status, code] of cases) {
      const error = refusal(answer(status, { error: { code: 'ErrorX', message: 'secret text <b>' } }), 'the draft');
      expect(error).toBeInstanceOf(AppError);
      expect(error.code, String(status)).toBe(code);
      expect(error.message).not.toContain('secret text');
    }
    expect(refusal(answer(400, { error: { code: 'bad code with spaces' } }), 'x').message).not.toContain('spaces');
    expect(refusal(answer(403), 'x').extras?.required_scopes).toEqual(['Mail.ReadWrite', 'Mail.Send']);
    expect(refusal(answer(403), 'x', ['Mail.ReadWrite']).extras?.required_scopes).toEqual(['Mail.ReadWrite']);
    expect(refusal(answer(429, undefined, { 'retry-after': '7.2' }), 'x').headers).toEqual({ 'Retry-After': '8' });
  });

  it('reads Retry-After as seconds or an HTTP date, and waits only within the budget', async () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after': '3' }))).toBe(3);
    expect(
      retryAfterSeconds(new Headers({ 'retry-after': new Date(Date.now() + 5000).toUTCString() })),
    ).toBeGreaterThan(3);
    const budget = new RetryBudget(100);
    expect(await budget.wait(0)).toBe(true);
    expect(await budget.wait(1)).toBe(false);
  });

  it('puts file bytes only on Outlook’s upload hosts or Graph’s own origin, over https', () => {
    const graph = 'https://graph.microsoft.com';
    expect(uploadUrlAllowed("https://outlook.office.com/api/v2.0/Users('a')/x?authtoken=t", graph)).toBe(true);
    expect(uploadUrlAllowed('https://graph.microsoft.com/x', graph)).toBe(true);
    expect(uploadUrlAllowed('https://localhost:7443/api/v2.0/x', 'https://localhost:7443')).toBe(true);
    for (const bad of [
      'http://outlook.office.com/x',
      'https://evil.example/x',
      'https://outlook.office.com@evil.example/x',
      'https://user:pw@outlook.office.com/x',
      'https://graph.microsoft.com:8443/x',
      'not a url',
    ])
      expect(uploadUrlAllowed(bad, graph), bad).toBe(false);
  });
});
