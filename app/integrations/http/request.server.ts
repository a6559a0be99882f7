/**
 * One way to call an outside service: Node's fetch with a deadline, and every failure turned
 * into a typed error. 2xx and 4xx answers are returned for the caller to read (a 4xx means
 * something different to each service); no answer, a timeout, 5xx and 429 throw
 * ServiceUnavailableError, which is safe to retry.
 */
import type { z } from "zod/v4";
import { RequestRejectedError, ServiceUnavailableError } from "./errors";

export type RequestOptions = {
  service: string;
  timeoutMs?: number;
  /** undici dispatcher (e.g. an Agent with a client certificate); Node's fetch accepts it. */
  dispatcher?: unknown;
  /** Return a 500 instead of throwing (SOAP sends its faults, client ones too, as HTTP 500). */
  returnServerFault?: boolean;
};

const DEFAULT_TIMEOUT_MS = 15_000;

export async function send(
  url: string,
  init: RequestInit,
  { service, timeoutMs = DEFAULT_TIMEOUT_MS, dispatcher, returnServerFault }: RequestOptions,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(timeoutMs),
      ...(dispatcher ? { dispatcher } : {}),
    } as RequestInit);
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw new ServiceUnavailableError(
      timedOut ? `no answer within ${timeoutMs} ms` : `cannot be reached (${describe(error)})`,
      { service },
      { cause: error },
    );
  }
  if (returnServerFault && response.status === 500) return response;
  if (response.status >= 500 || response.status === 429) {
    const body = await safeText(response);
    throw new ServiceUnavailableError(`answered ${response.status}${body ? `: ${body}` : ""}`, {
      service,
      status: response.status,
    });
  }
  return response;
}

/** Reads a 2xx body and checks its shape; an answer we cannot read is the service's fault. */
export async function readJson<T>(
  response: Response,
  schema: z.ZodType<T>,
  service: string,
): Promise<T> {
  const text = await safeText(response, Infinity);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ServiceUnavailableError(`answered ${response.status} with a body that is not JSON`, {
      service,
      status: response.status,
    });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ServiceUnavailableError(
      `answered in an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      { service, status: response.status },
    );
  }
  return parsed.data;
}

/** A 4xx the caller did not recognise: the request itself was wrong, so it is not retried. */
export async function rejected(response: Response, service: string, code?: string) {
  const body = await safeText(response);
  return new RequestRejectedError(
    `refused the request (${response.status})${body ? `: ${body}` : ""}`,
    {
      service,
      status: response.status,
      code,
    },
  );
}

export async function safeText(response: Response, limit = 500): Promise<string> {
  try {
    const text = await response.text();
    return text.length > limit ? `${text.slice(0, limit)}…` : text;
  } catch {
    return "";
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

export function basicAuth(user: string, password: string): string {
  // RFC 6749 2.3.1: client id and secret are form-encoded before Basic encoding.
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(user)}:${enc(password)}`).toString("base64")}`;
}
