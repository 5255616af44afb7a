// The Zendesk page's form intents that its cards share with the server (browser-safe: the page tells
// its replies apart with them).
const ACCOUNT_INTENTS = ["account.oauth", "account.apiToken", "account.disconnect"] as const;
export type AccountIntent = (typeof ACCOUNT_INTENTS)[number];

export const isAccountIntent = (intent: unknown): intent is AccountIntent => ACCOUNT_INTENTS.includes(intent as AccountIntent);

/** The dispute tickets card's save. */
export const DISPUTE_TICKETS_INTENT = "disputeTickets.save";
