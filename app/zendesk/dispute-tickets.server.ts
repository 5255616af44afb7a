// Disputes open Zendesk tickets: exactly one ticket per dispute, whatever the retries, and later dispute
// events add internal notes to it. The first sync of a dispute the shop wants a ticket for queues a
// dispute_ticket job keyed by the dispute and records a "creating" DisputeTicket row; the job looks for
// the ticket by its external_id (a run that crashed after Zendesk created it finds that one) before it
// creates one, then stores its id. A ticket an agent deleted is recorded, never silently replaced: the
// dispute page offers to create a new one. What leaves the admin is English and UTC.
import type { Dispute, DisputeTicket, ZendeskAccount } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db, isUniqueViolation } from "../db.server";
import { categoryLabel, statusBadge } from "../disputes/status";
import { adminAppUrl } from "../shopify/admin-url";
import { ConflictError, NotFoundError, RefusedError } from "../lib/errors";
import type { RawSql } from "../lib/prepared-sql.server";
import { formatMoney } from "../lib/money";
import { log } from "../log.server";
import { enqueueJob, JOB_KINDS, JobMustWait, type JobHandler } from "../queue/jobs.server";
import { disputeWantsTicket, loadDisputeTicketSettings, type DisputeTicketSettings } from "./dispute-ticket-settings.server";
import { supportClientOf, zendeskOrigin, ZendeskRateLimitedError, ZendeskReauthRequiredError } from "./support-api.server";

/** Zendesk's external_id of a dispute's ticket: stable across retries, unique per shop and dispute. */
export const disputeTicketExternalId = (shopId: string, disputeId: string) => `cko-dispute:${shopId}:${disputeId}`;

/** How long a job waits for an account that must be reconnected before it looks again. */
const REAUTH_WAIT_MS = 15 * 60_000;
/** How long a note waits for its ticket to be created, and how long it keeps waiting at most. */
const TICKET_WAIT_MS = 60_000;
const TICKET_WAIT_LIMIT_MS = 24 * 3_600_000;

const DAY_MS = 86_400_000;

/** Whole days left to answer (0 when due today or overdue), as the ticket says them. */
const daysLeft = (due: Date, now: Date) => Math.max(0, Math.floor((due.getTime() - now.getTime()) / DAY_MS));

/** Zendesk's priority by the whole days left to answer: 2 or fewer urgent, 5 or fewer high, else normal. */
export function priorityFor(evidenceRequiredBy: Date | null, now: Date): "urgent" | "high" | "normal" {
  if (!evidenceRequiredBy) return "normal";
  const days = daysLeft(evidenceRequiredBy, now);
  return days <= 2 ? "urgent" : days <= 5 ? "high" : "normal";
}

const utcDay = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const utcDayTime = (d: Date) =>
  `${d.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })}, ${d.toISOString().slice(11, 16)} UTC`;

type DisputeForTicket = Dispute & {
  shop: { domain: string };
  payment: {
    ckoPaymentId: string;
    reference: string | null;
    customerEmail: string | null;
    customerName: string | null;
    orderLink: { orderName: string | null } | null;
  } | null;
};

const disputeInclude = {
  shop: { select: { domain: true } },
  payment: { select: { ckoPaymentId: true, reference: true, customerEmail: true, customerName: true, orderLink: { select: { orderName: true } } } },
} as const;

const daysText = (days: number) => `${days} day${days === 1 ? "" : "s"}`;

function evidenceStatus(d: Dispute): string {
  if (d.responseState === "accepted") return `Accepted (not contested)${d.acceptedAt ? ` on ${utcDayTime(d.acceptedAt)}` : ""}`;
  if (d.responseState === "submitted") return `Submitted to Checkout.com${d.submittedAt ? ` on ${utcDayTime(d.submittedAt)}` : ""}`;
  if (d.evidenceBuiltAt) return "Draft built from the order, not submitted yet";
  return "Not built yet: waiting for the Shopify order";
}

/**
 * The ticket as Zendesk is asked to create it. `paymentFieldId` is the ticket field the installed sidebar
 * reads (set on its connection): with the payment id in it, the sidebar opens on the disputed payment.
 */
function disputeTicketFields(d: DisputeForTicket, settings: DisputeTicketSettings, now: Date, paymentFieldId: number | null) {
  const order = d.payment?.orderLink?.orderName ?? d.payment?.reference ?? d.ckoPaymentId ?? d.ckoDisputeId;
  const reason = categoryLabel(d.category).toLowerCase();
  const due = d.evidenceRequiredBy;
  const link = adminAppUrl(d.shop.domain, `/app/disputes/${d.id}`);
  const body = [
    `Checkout.com opened a dispute (chargeback) on ${order}.`,
    "",
    `Reason: ${categoryLabel(d.category)}${d.reasonCode ? ` (reason code ${d.reasonCode})` : ""}`,
    `Amount: ${formatMoney(d.amount, d.currency)}`,
    due ? `Respond by: ${utcDayTime(due)} (${due.toISOString()}), ${daysText(daysLeft(due, now))} left` : "Respond by: no deadline given",
    `Evidence: ${evidenceStatus(d)}`,
    `Status: ${statusBadge(d.status).label}`,
    `Checkout.com dispute ${d.ckoDisputeId}${d.ckoPaymentId ? `, payment ${d.ckoPaymentId}` : ""}`,
    "",
    `Open the dispute in Shopify: ${link}`,
  ].join("\n");
  const customer = d.payment?.customerEmail ? { email: d.payment.customerEmail, name: d.payment.customerName ?? undefined } : null;
  const internal = settings.requesterEmail ? { email: settings.requesterEmail } : null;
  // Without an email the requester is the connected account's own user (Zendesk's default).
  const requester = settings.requester === "customer" ? (customer ?? internal) : (internal ?? customer);
  return {
    subject: `Chargeback on ${order}: ${reason}${due ? `, respond by ${utcDay(due)}` : ""}`,
    // Internal: the requester may be the customer, who must not be emailed our dispute notes.
    comment: { body, public: false },
    ...(requester ? { requester } : {}),
    external_id: disputeTicketExternalId(d.shopId, d.id),
    ...(settings.groupId ? { group_id: Number(settings.groupId) } : {}),
    ...(paymentFieldId && d.ckoPaymentId ? { custom_fields: [{ id: paymentFieldId, value: d.ckoPaymentId }] } : {}),
    tags: settings.tags,
    priority: priorityFor(due, now),
  };
}

/** The dispute's ticket row, made "creating" unless it has one (the job may run before its queuer wrote it). */
async function ensureTicketRow(shopId: string, disputeId: string): Promise<DisputeTicket> {
  const existing = await db().disputeTicket.findUnique({ where: { disputeId } });
  if (existing) return existing;
  try {
    return await db().disputeTicket.create({ data: { shopId, disputeId, state: "creating" } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db().disputeTicket.findUniqueOrThrow({ where: { disputeId } });
  }
}

/**
 * Called by every sync of a dispute (app/disputes/sync.server.ts: webhooks and the backfill): queues
 * its ticket once, when the shop wants tickets and this open dispute passes its amount and category
 * filters. The job first, then the row: a crash between them is repaired by the next sync or the job.
 */
export async function queueDisputeTicket(dispute: Dispute): Promise<void> {
  if (dispute.closedAt) return;
  if (await db().disputeTicket.findUnique({ where: { disputeId: dispute.id }, select: { id: true } })) return;
  const settings = await loadDisputeTicketSettings(dispute.shopId);
  if (!settings.enabled || !disputeWantsTicket(settings, dispute)) return;
  await enqueueJob(dispute.shopId, JOB_KINDS.disputeTicket, dispute.id, { disputeId: dispute.id });
  await ensureTicketRow(dispute.shopId, dispute.id);
}

/** What each later dispute event adds to the ticket (dispute_received and evidence_required open it). */
const NOTE_BY_EVENT: Record<string, string> = {
  dispute_evidence_submitted: "Evidence was submitted to Checkout.com.",
  dispute_evidence_acknowledged_by_scheme: "The card scheme acknowledged the evidence.",
  dispute_accepted: "The dispute was accepted: it is not contested.",
  dispute_won: "The dispute was won.",
  dispute_lost: "The dispute was lost.",
  dispute_resolved: "The dispute was resolved.",
  dispute_canceled: "The dispute was canceled by the issuer.",
  dispute_expired: "The dispute expired: no evidence was submitted in time.",
  dispute_arbitration_sent_to_scheme: "The dispute went to arbitration.",
  dispute_arbitration_won: "The dispute was won in arbitration.",
  dispute_arbitration_lost: "The dispute was lost in arbitration.",
};

const noteEventSchema = z.object({ disputeId: z.string(), eventId: z.string(), eventType: z.string(), occurredAt: z.string() });
type NoteEvent = z.infer<typeof noteEventSchema>;

/** Queues the note of a dispute event, once per event, with the event's recording (app/disputes/dispute-events.server.ts). */
export async function queueDisputeTicketNote(tx: RawSql, shopId: string, event: NoteEvent): Promise<void> {
  if (!NOTE_BY_EVENT[event.eventType]) return;
  await enqueueJob(shopId, JOB_KINDS.disputeTicketNote, `${event.disputeId}:${event.eventId}`, event, { tx });
}

/** The text that names an event in its note: finding it on the ticket means the note was added. */
const noteMarker = (eventId: string) => `(Checkout.com event ${eventId})`;

function noteBody(d: DisputeForTicket, event: NoteEvent): string {
  return [
    NOTE_BY_EVENT[event.eventType],
    "",
    `Status: ${statusBadge(d.status).label}. Amount: ${formatMoney(d.amount, d.currency)}.`,
    `Open the dispute in Shopify: ${adminAppUrl(d.shop.domain, `/app/disputes/${d.id}`)}`,
    "",
    `${noteMarker(event.eventId)}, ${event.occurredAt}`,
  ].join("\n");
}

/** A soft-deleted ticket (node-zendesk's Status type does not name "deleted"). */
const deletedInZendesk = (ticket: { status?: unknown }) => ticket.status === "deleted";

/** The status and body Zendesk refused with, in a line for the dispute page (Zendesk's own words). */
function zendeskRefusal(error: unknown): { status: number; text: string } | null {
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status !== "number" || status < 400 || status >= 500 || status === 429) return null;
  const result = (error as { result?: unknown }).result as { description?: unknown; details?: Record<string, Array<{ description?: string }>> } | null;
  const details = Object.values(result?.details ?? {})
    .flat()
    .map((d) => d?.description)
    .filter(Boolean);
  const description = typeof result?.description === "string" ? result.description : `HTTP ${status}`;
  return { status, text: [description, ...details].join(": ") };
}

/** A 429 or a refused token: the job waits (without using its attempts) rather than failing. */
function waitOnAccountErrors(error: unknown): never {
  if (error instanceof ZendeskRateLimitedError) throw new JobMustWait(error.message, Math.max(1_000, error.retryAt.getTime() - Date.now()));
  if (error instanceof ZendeskReauthRequiredError) throw new JobMustWait(error.message, REAUTH_WAIT_MS);
  throw error;
}

/** The shop's Zendesk account for a job: null when none (skip), waits while it must be reconnected. */
async function accountForJob(shopId: string, what: string): Promise<ZendeskAccount | null> {
  const account = await db().zendeskAccount.findUnique({ where: { shopId } });
  if (!account) {
    log.info("zendesk.dispute_ticket.no_account", { shopId, what });
    return null;
  }
  if (account.status !== "connected") throw new JobMustWait("Waiting for the shop's Zendesk account to be reconnected", REAUTH_WAIT_MS);
  return account;
}

async function recordTicket(
  row: DisputeTicket,
  data: Pick<DisputeTicket, "state" | "ticketId" | "lastError">,
  entry: { action: string; details: object; error?: string },
) {
  await db().disputeTicket.update({ where: { id: row.id }, data });
  await audit({
    shopId: row.shopId,
    actor: "system",
    source: "system",
    action: entry.action,
    disputeId: row.disputeId,
    details: { ticketId: data.ticketId, ...entry.details },
    result: entry.error ? "error" : "ok",
    error: entry.error ?? null,
  });
}

/** The payment ticket field of the sidebar connection in this Zendesk account, if one is set. */
async function sidebarPaymentField(account: ZendeskAccount): Promise<number | null> {
  const connection = await db().zendeskConnection.findFirst({
    where: { shopId: account.shopId, subdomain: account.subdomain, revokedAt: null, ticketFieldId: { not: null } },
    orderBy: { installedAt: { sort: "desc", nulls: "last" } },
    select: { ticketFieldId: true },
  });
  return connection ? Number(connection.ticketFieldId) : null;
}

/** Creates the dispute's ticket unless Zendesk has it already (external_id), and stores its id. Safe to run twice. */
export async function openDisputeTicket(shopId: string, disputeId: string, now = new Date()): Promise<void> {
  const dispute = await db().dispute.findFirst({ where: { id: disputeId, shopId }, include: disputeInclude });
  if (!dispute) return;
  const row = await ensureTicketRow(shopId, disputeId);
  if (row.state !== "creating") return;
  const account = await accountForJob(shopId, "create");
  if (!account) {
    // Nothing to wait for: the row goes, so no note waits for it; the dispute page offers to create one.
    await db().disputeTicket.deleteMany({ where: { id: row.id, state: "creating" } });
    return;
  }
  const client = supportClientOf(account);
  const externalId = disputeTicketExternalId(shopId, disputeId);
  try {
    const found = (await client.tickets.listWithFilter("external_id", externalId)).find((t) => !deletedInZendesk(t));
    const fields = disputeTicketFields(dispute, await loadDisputeTicketSettings(shopId), now, await sidebarPaymentField(account));
    const ticketId = found ? found.id : (await client.tickets.create({ ticket: fields })).result.id;
    await recordTicket(
      row,
      { state: "open", ticketId: String(ticketId), lastError: null },
      { action: "dispute.zendesk_ticket.open", details: { found: Boolean(found) } },
    );
  } catch (error) {
    const refused = zendeskRefusal(error);
    if (!refused) waitOnAccountErrors(error);
    const message = `Zendesk refused the ticket (${refused.status}): ${refused.text}`;
    await recordTicket(row, { state: "failed", ticketId: null, lastError: message }, { action: "dispute.zendesk_ticket.open", details: {}, error: message });
  }
}

/** Adds the event's internal note to the dispute's ticket, once (the note names the event). */
export async function addDisputeTicketNote(shopId: string, event: NoteEvent): Promise<void> {
  const row = await db().disputeTicket.findFirst({ where: { shopId, disputeId: event.disputeId } });
  if (!row || row.state === "deleted" || row.state === "failed") return;
  if (row.state === "creating" || !row.ticketId) {
    if (Date.now() - row.updatedAt.getTime() > TICKET_WAIT_LIMIT_MS) return;
    throw new JobMustWait("Waiting for the dispute's Zendesk ticket to be created", TICKET_WAIT_MS);
  }
  const dispute = await db().dispute.findFirst({ where: { id: event.disputeId, shopId }, include: disputeInclude });
  const account = dispute && (await accountForJob(shopId, "note"));
  if (!dispute || !account) return;
  const client = supportClientOf(account);
  const ticketId = Number(row.ticketId);
  try {
    const comments = (await client.tickets.getComments(ticketId)) as Array<{ body?: unknown }>;
    if (comments.some((c) => String(c.body ?? "").includes(noteMarker(event.eventId)))) return;
    const { result } = await client.tickets.update(ticketId, { ticket: { comment: { body: noteBody(dispute, event), public: false } } });
    if (deletedInZendesk(result)) await markDeleted(row);
  } catch (error) {
    if ((error as { statusCode?: unknown })?.statusCode === 404) return markDeleted(row);
    waitOnAccountErrors(error);
  }
}

/** An agent deleted the ticket (Zendesk answers 404): recorded; a new one only when the merchant asks. */
async function markDeleted(row: DisputeTicket) {
  const error = `Zendesk ticket ${row.ticketId} was deleted in Zendesk`;
  await recordTicket(row, { state: "deleted", ticketId: row.ticketId, lastError: error }, { action: "dispute.zendesk_ticket.deleted", details: {}, error });
}

export const disputeTicketJob: JobHandler = async (job) => {
  const { disputeId } = z.object({ disputeId: z.string() }).parse(job.payload);
  await openDisputeTicket(job.shopId, disputeId);
};

export const disputeTicketNoteJob: JobHandler = async (job) => {
  await addDisputeTicketNote(job.shopId, noteEventSchema.parse(job.payload));
};

/**
 * The merchant asks for a new ticket (the first was deleted, Zendesk refused it, or none was made):
 * the row goes back to "creating" and a job creates it. Audited.
 */
export async function createDisputeTicketAgain(shopId: string, disputeId: string, actor: string, now = new Date()): Promise<void> {
  const entry = { shopId, actor, source: "admin" as const, action: "dispute.zendesk_ticket.create", disputeId };
  const refuse = async (error: Error) => {
    await audit({ ...entry, result: "error", error: error.message });
    throw error;
  };
  const dispute = await db().dispute.findFirst({ where: { id: disputeId, shopId }, select: { id: true } });
  if (!dispute) return refuse(new NotFoundError("No such dispute in this shop.", { key: "disputeNotFound" }));
  const account = await db().zendeskAccount.findUnique({ where: { shopId } });
  if (account?.status !== "connected")
    return refuse(new RefusedError("Connect Zendesk on the app's Zendesk page first.", { key: "zendesk.disputeTickets.notConnected" }));
  const existing = await db().disputeTicket.findUnique({ where: { disputeId } });
  if (existing) {
    // Conditional: two clicks, or a ticket that is open or being created meanwhile, make one ticket.
    const { count } = await db().disputeTicket.updateMany({
      where: { id: existing.id, state: { in: ["deleted", "failed"] } },
      data: { state: "creating", ticketId: null, lastError: null },
    });
    if (count === 0) return refuse(new ConflictError("This dispute already has a Zendesk ticket.", { key: "zendesk.disputeTickets.exists" }));
  } else await ensureTicketRow(shopId, disputeId);
  await enqueueJob(shopId, JOB_KINDS.disputeTicket, `${disputeId}:again:${now.toISOString()}`, { disputeId });
  await audit({ ...entry, result: "ok" });
}

/** The dispute's ticket as its page shows it (null: none), with whether the merchant may ask for one. */
export async function disputeTicketView(shopId: string, disputeId: string) {
  const [row, account] = await Promise.all([
    db().disputeTicket.findFirst({ where: { shopId, disputeId } }),
    db().zendeskAccount.findUnique({ where: { shopId }, select: { subdomain: true, status: true } }),
  ]);
  const connected = account?.status === "connected";
  if (!row) return connected ? { state: "none" as const, ticketId: null, url: null, lastError: null, canCreate: true } : null;
  const url = row.ticketId && account ? `${zendeskOrigin(account.subdomain)}/agent/tickets/${row.ticketId}` : null;
  return {
    state: row.state as "creating" | "open" | "deleted" | "failed",
    ticketId: row.ticketId,
    url: row.state === "open" ? url : null,
    lastError: row.lastError,
    canCreate: connected && (row.state === "deleted" || row.state === "failed"),
  };
}
export type DisputeTicketView = NonNullable<Awaited<ReturnType<typeof disputeTicketView>>>;
