/**
 * Typed failures of the outside services (contact registers, digital mailboxes). The caller
 * decides from the class alone: retry later, or give up on this channel and choose another.
 */
export type IntegrationErrorDetails = {
  service: string; // "krr", "maskinporten", "eformidling", "kivra", "far"
  status?: number; // HTTP status, when there was an answer
  code?: string; // the service's own error code or exception name, when it gave one
};

export abstract class IntegrationError extends Error {
  abstract readonly retryable: boolean;
  readonly service: string;
  readonly status: number | undefined;
  readonly code: string | undefined;

  constructor(message: string, details: IntegrationErrorDetails, options?: { cause?: unknown }) {
    super(`${details.service}: ${message}`, options);
    this.name = new.target.name;
    this.service = details.service;
    this.status = details.status;
    this.code = details.code;
  }
}

/** Down, timed out, 5xx or 429: nothing was decided; try the same call again later. */
export class ServiceUnavailableError extends IntegrationError {
  readonly retryable = true;
}

/** The service refused the request itself (4xx, bad credentials, bad data): retrying changes nothing. */
export class RequestRejectedError extends IntegrationError {
  readonly retryable = false;
}

/**
 * The recipient cannot be reached on this channel (unknown person, no mailbox, opted out of the
 * sender): permanent for this channel; the letter must go another way (e.g. on paper).
 */
export class RecipientUnreachableError extends IntegrationError {
  readonly retryable = false;
}

export function isRetryable(error: unknown): boolean {
  return error instanceof IntegrationError && error.retryable;
}
