// What the sidebar knows before it asks the backend anything: the app's settings and the open ticket.
import type { Words } from "./words";
import en from "./words/en";
import type { ZafClient, ZafGetResult } from "./zaf";

export interface SidebarSettings {
  backendUrl: string;
  connectionId: string;
  paymentFieldId: number | null;
}

export interface TicketContext {
  ticketId: number;
  requesterName: string | null;
  requesterEmail: string | null;
  /** The raw value of the payment field, if the field is configured and filled in. */
  paymentFieldValue: string | null;
  agent: { id: number; name: string; email: string; locale: string };
  subdomain: string;
}

/** Something the Zendesk admin or agent must fix; `reason` names its words (the message is English). */
export class SetupError extends Error {
  constructor(readonly reason: Exclude<keyof Words["setup"], "couldNotStart">) {
    super(en.setup[reason]);
    this.name = "SetupError";
  }
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Reads the installation's settings; a missing or wrong one is a SetupError for the admin to fix. */
export async function readSettings(client: ZafClient): Promise<SidebarSettings> {
  const { settings } = await client.metadata();
  const backendUrl = String(settings.backend_url ?? "")
    .trim()
    .replace(/\/+$/, "");
  const connectionId = String(settings.connection_id ?? "").trim();
  let url: URL;
  try {
    url = new URL(backendUrl);
  } catch {
    throw new SetupError("noBackendUrl");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new SetupError("notHttps");
  }
  if (!connectionId) {
    throw new SetupError("noConnectionId");
  }
  const fieldId = Number(settings.payment_field_id);
  return { backendUrl, connectionId, paymentFieldId: Number.isInteger(fieldId) && fieldId > 0 ? fieldId : null };
}

const fieldPath = (id: number) => `ticket.customField:custom_field_${id}`;

function text(result: ZafGetResult, path: string): string | null {
  const value = result[path];
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === "" ? null : s;
}

export async function readTicket(client: ZafClient, settings: SidebarSettings): Promise<TicketContext> {
  const paths = [
    "ticket.id",
    "ticket.requester.name",
    "ticket.requester.email",
    "currentUser.id",
    "currentUser.name",
    "currentUser.email",
    "currentUser.locale",
    "currentAccount.subdomain",
    ...(settings.paymentFieldId ? [fieldPath(settings.paymentFieldId)] : []),
  ];
  const result = await client.get(paths);
  const ticketId = Number(result["ticket.id"]);
  if (!Number.isInteger(ticketId) || ticketId <= 0) throw new SetupError("unsavedTicket");
  return {
    ticketId,
    requesterName: text(result, "ticket.requester.name"),
    requesterEmail: text(result, "ticket.requester.email"),
    paymentFieldValue: settings.paymentFieldId ? text(result, fieldPath(settings.paymentFieldId)) : null,
    agent: {
      id: Number(result["currentUser.id"]),
      name: text(result, "currentUser.name") ?? "Agent",
      email: text(result, "currentUser.email") ?? "",
      locale: text(result, "currentUser.locale") ?? "en-US",
    },
    subdomain: text(result, "currentAccount.subdomain") ?? "",
  };
}

/** Events after which the ticket's identifiers may have changed. */
export function ticketChangeEvents(settings: SidebarSettings): string[] {
  return ["ticket.requester.email.changed", ...(settings.paymentFieldId ? [`ticket.custom_field_${settings.paymentFieldId}.changed`] : [])];
}

export type PaymentIdentifier = { paymentId: string } | { orderName: string };

/** A Checkout.com payment id (pay_...) or else a Shopify order name ("1001" means "#1001"). */
export function identifierFromField(value: string | null): PaymentIdentifier | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^pay_[a-z0-9]+$/i.test(v)) return { paymentId: v.toLowerCase() };
  if (/^\d+$/.test(v)) return { orderName: `#${v}` };
  return { orderName: v };
}
