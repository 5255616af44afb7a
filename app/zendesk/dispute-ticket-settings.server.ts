// Which disputes open a Zendesk ticket, and how the ticket is addressed (ShopSettings.disputeTicket*):
// read by the dispute ticket job (dispute-tickets.server.ts), saved by an admin from Settings → Zendesk.
import type { ShopSettings } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { DISPUTE_CATEGORIES } from "../disputes/status";
import { amountsPerCurrency } from "../holds/rules-settings.server";
import { messageWords, sayFieldErrors, type FieldWords } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { fieldErrorsOf } from "../lib/form";
import { minorToDecimal } from "../lib/money";
import { formReply } from "../ui/form-reply.server";
import { DISPUTE_TICKETS_INTENT } from "./form-intents";

export type DisputeTicketRequester = "customer" | "internal";

export interface DisputeTicketSettings {
  enabled: boolean;
  /** Minimum amount per currency, minor units; a currency not listed has no minimum. */
  minAmounts: Record<string, number>;
  /** Checkout.com categories that open a ticket; empty: every category. */
  categories: string[];
  requester: DisputeTicketRequester;
  /** The internal requester, and the fallback when the customer's email is unknown. */
  requesterEmail: string | null;
  /** Zendesk group id (64-bit, as text). */
  groupId: string | null;
  tags: string[];
}

const parseJson = <T>(text: string | undefined, fallback: T): T => {
  try {
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
};

function disputeTicketSettingsOf(row: ShopSettings | null): DisputeTicketSettings {
  const minimums = parseJson<Array<{ currency: string; amount: number }>>(row?.disputeTicketMinAmounts, []);
  return {
    enabled: row?.disputeTickets ?? false,
    minAmounts: Object.fromEntries(minimums.map((m) => [m.currency, m.amount])),
    categories: parseJson<string[]>(row?.disputeTicketCategories, []),
    requester: row?.disputeTicketRequester === "internal" ? "internal" : "customer",
    requesterEmail: row?.disputeTicketRequesterEmail ?? null,
    groupId: row?.disputeTicketGroupId ?? null,
    tags: parseJson<string[]>(row?.disputeTicketTags, []),
  };
}

export async function loadDisputeTicketSettings(shopId: string): Promise<DisputeTicketSettings> {
  return disputeTicketSettingsOf(await db().shopSettings.findUnique({ where: { shopId } }));
}

/** Whether a dispute of this amount and category opens a ticket under the settings (on or off aside). */
export function disputeWantsTicket(settings: DisputeTicketSettings, dispute: { amount: number; currency: string; category: string | null }): boolean {
  const minimum = settings.minAmounts[dispute.currency];
  if (minimum !== undefined && dispute.amount < minimum) return false;
  return settings.categories.length === 0 || (dispute.category !== null && settings.categories.includes(dispute.category));
}

/** The settings as the form shows them: amounts one currency a line in major units, tags space-separated. */
export function disputeTicketForm(settings: DisputeTicketSettings) {
  return {
    ...settings,
    minAmountsText: Object.entries(settings.minAmounts)
      .map(([currency, minor]) => `${currency} ${minorToDecimal(minor, currency)}`)
      .join("\n"),
    tagsText: settings.tags.join(" "),
  };
}

const { said, fieldWords } = messageWords("zendesk.disputeTickets");

/** Zendesk tags: lowercase letters, digits and _-/:. (Zendesk turns spaces into separate tags). */
const TAG = /^[a-z0-9_\-/:.]{1,80}$/;

const formSchema = z
  .object({
    enabled: z.literal("true").optional(),
    minAmounts: amountsPerCurrency.optional().default(""),
    requester: z.enum(["customer", "internal"], { message: said("requester", "Choose who the ticket's requester is.") }),
    requesterEmail: z
      .string()
      .trim()
      .max(254)
      .optional()
      .transform((v) => v || null)
      .pipe(z.string().email(said("requesterEmail", "Enter an email address.")).nullable()),
    groupId: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || null)
      .pipe(
        z
          .string()
          .regex(/^\d{1,19}$/, said("groupId", "A Zendesk group id is a number (Admin Center → People → Groups)."))
          .nullable(),
      ),
    tags: z
      .string()
      .optional()
      .transform((v) => [
        ...new Set(
          (v ?? "")
            .toLowerCase()
            .split(/[\s,]+/)
            .filter(Boolean),
        ),
      ])
      .pipe(
        z
          .array(z.string().regex(TAG, said("tags", "Tags are single words of letters, digits and _ - / : . (up to 80 characters).")))
          .max(20, said("tagsMax", "At most 20 tags.")),
      ),
  })
  .superRefine((v, ctx) => {
    if (v.requester === "internal" && !v.requesterEmail)
      ctx.addIssue({ code: "custom", path: ["requesterEmail"], message: said("requesterEmailRequired", "Enter the internal requester's email address.") });
  });

type DisputeTicketSettingsResult = { ok: true } | { ok: false; fieldErrors: Record<string, string>; fieldWords: FieldWords };

/** Saves the settings from the form (nothing when a field is wrong); audited either way. */
async function saveDisputeTicketSettings(shopId: string, form: Record<string, string>, actor: string): Promise<DisputeTicketSettingsResult> {
  const parsed = formSchema.safeParse(form);
  const entry = { shopId, actor, source: "admin" as const, action: "zendesk.dispute_tickets.save" };
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    await audit({ ...entry, details: { form }, result: "error", error: Object.values(fieldErrors).join(" ") });
    return { ok: false, fieldErrors, fieldWords: fieldWords(parsed.error) };
  }
  const v = parsed.data;
  const categories = DISPUTE_CATEGORIES.filter((c) => form[`category.${c}`] === "true");
  const data = {
    disputeTickets: v.enabled === "true",
    disputeTicketMinAmounts: JSON.stringify(Object.entries(v.minAmounts).map(([currency, amount]) => ({ currency, amount }))),
    disputeTicketCategories: JSON.stringify(categories),
    disputeTicketRequester: v.requester,
    disputeTicketRequesterEmail: v.requesterEmail,
    disputeTicketGroupId: v.groupId,
    disputeTicketTags: JSON.stringify(v.tags),
  };
  await db().shopSettings.upsert({ where: { shopId }, update: data, create: { shopId, ...data } });
  await audit({ ...entry, details: data, result: "ok" });
  return { ok: true };
}

/** The settings card's form intent on Settings > Zendesk (app/zendesk/ui/dispute-tickets-card.tsx). */

/** Answers the card's form, after the page's admin-only guard. */
export async function answerDisputeTicketSettingsForm(staff: { shopId: string; actor: string; locale: Locale }, form: Record<string, string>) {
  const t = translator(staff.locale, "zendesk");
  const result = await saveDisputeTicketSettings(staff.shopId, form, staff.actor);
  return result.ok
    ? formReply({ intent: DISPUTE_TICKETS_INTENT, ok: true, message: t("disputeTickets.saved") })
    : formReply({
        intent: DISPUTE_TICKETS_INTENT,
        ok: false,
        message: t("disputeTickets.invalid"),
        fieldErrors: sayFieldErrors(staff.locale, result.fieldErrors, result.fieldWords),
      });
}
