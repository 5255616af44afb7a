// A refusal the /api/zendesk/* routes answer with: HTTP status, the contract's code, and words for the agent.
import type { ZendeskError } from "./contract";

export type ErrorCode = ZendeskError["error"]["code"];

export class ZendeskApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ZendeskApiError";
  }
}
