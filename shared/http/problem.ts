import type { HttpResponseInit } from '@azure/functions';
import type { ZodError } from 'zod';
import { AppError, errorCatalog, type ErrorCode, type FieldError } from '../errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  required_scopes?: string[];
  request_id: string;
}

/** Field errors from a zod failure, named by the path the caller sent (`start_date`, `body.provider`). */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    // An unknown field is named itself, so the caller sees which one to drop.
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'unknown field' }));
    return [{ field: at.length ? at.join('.') : '(root)', message: issue.message }];
  });
}

/**
 * The one place an error becomes an HTTP answer (RFC 9457). An AppError shows its own safe text;
 * anything else is `internal_error` with only the request id, so nothing internal leaks. Request
 * input becomes `validation_failed` where it is parsed (http/input.ts), so a ZodError that reaches
 * here is an internal fault (a stored row that no longer parses), not the caller's mistake.
 */
export function toProblemResponse(error: unknown, requestId: string): HttpResponseInit {
  const appError =
    error instanceof AppError
      ? error
      : isStorageOutage(error)
        ? new AppError('service_unavailable', 'Storage is unavailable right now. Try again shortly.')
        : new AppError('internal_error', `An unexpected error occurred. Quote request id ${requestId}.`);
  const body: Problem = {
    type: `https://integrato.dev/problems/${appError.code.replace(/_/g, '-')}`,
    title: errorCatalog[appError.code].title,
    status: appError.status,
    detail: appError.detail ?? appError.title,
    code: appError.code,
    ...(appError.errors?.length ? { errors: appError.errors } : {}),
    ...(appError.extras?.required_scopes ? { required_scopes: appError.extras.required_scopes } : {}),
    request_id: requestId,
  };
  return {
    status: appError.status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...appError.headers },
    jsonBody: body,
  };
}

/**
 * An Azure SDK error that never got an answer from storage, or got a 5xx: a dependency outage
 * (503), not a bug (500). Recognised by shape, so this module does not load the SDK.
 */
function isStorageOutage(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'RestError') return false;
  const status = (error as { statusCode?: number }).statusCode;
  return status === undefined || status >= 500;
}
