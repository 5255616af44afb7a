// The Settings screen's agent-token forms as both sides name them: the card (agent-tokens-card.tsx)
// posts these, app/mcp/token-form.server.ts reads them. Browser-safe.
import type { AgentScope } from "../scopes";

export const AGENT_TOKEN_INTENTS = { create: "agent-token-create", revoke: "agent-token-revoke" } as const;

/** When a new token stops working: in so many days, never, or at the end of a day the admin picks (`expiresOn`). */
export const EXPIRY_CHOICES = ["30", "90", "365", "never", "date"] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

/** Each scope is its own checkbox, posted as "true" when checked (the forms read one value per name). */
export const scopeField = (scope: AgentScope) => `scope.${scope}`;
