// Reading and saving a shop's risk rules, match window and allow/deny lists. Forms are validated
// with zod; nothing is written when a field is wrong.
import { audit } from "../audit/audit.server";
import type { RiskRules } from "@prisma/client";
import { z } from "zod";
import { db, isUniqueViolation, rawSql } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { issueSaying, messageWords, type FieldWords } from "../i18n/domain-words";
import { decimalToMinor } from "../lib/money";
import {
  LIST_KINDS,
  normalizeListValue,
  THREE_DS_OUTCOMES,
  type ListEntryValue,
  type ListKind,
  type ListName,
  type RiskRulesConfig,
  type ThreeDsOutcome,
} from "./rules";
import { fieldErrorsOf } from "../lib/form";

type FieldErrors = Record<string, string>;
/** The same errors in words (`errors.rules.*`), for the fields whose error has them (zod's own messages do not). */

/** The forms' fixed English messages and their words (`errors.rules.*`). */
const { said, fieldWords } = messageWords("rules");

export const DEFAULT_MATCH_WINDOW_MINUTES = 1440;

const threeDsOutcomesOf = (stored: string): ThreeDsOutcome[] =>
  (JSON.parse(stored) as string[]).filter((o): o is ThreeDsOutcome => (THREE_DS_OUTCOMES as readonly string[]).includes(o));

export function rulesConfigOf(row: RiskRules | null): RiskRulesConfig {
  return {
    enabled: row?.enabled ?? true,
    monitorOnly: row?.monitorOnly ?? false,
    holdOnFlagged: row?.holdOnFlagged ?? true,
    scoreThreshold: row ? row.scoreThreshold : 70,
    amountThresholds: row ? (JSON.parse(row.amountThresholds) as Record<string, number>) : {},
    holdOnCountryMismatch: row?.holdOnCountryMismatch ?? false,
    holdOnIpCountryMismatch: row?.holdOnIpCountryMismatch ?? false,
    holdOnCardCountryMismatch: row?.holdOnCardCountryMismatch ?? false,
    earlyWarningRefundUpTo: row ? (JSON.parse(row.earlyWarningRefundUpTo) as Record<string, number>) : {},
    velocity: { hours: row?.velocityHours ?? 24, maxPayments: row?.velocityMaxPayments ?? null, maxCards: row?.velocityMaxCards ?? null },
    holdOnAvsNoMatch: row?.holdOnAvsNoMatch ?? false,
    holdOnCvvNoMatch: row?.holdOnCvvNoMatch ?? false,
    holdOn3dsOutcomes: row ? threeDsOutcomesOf(row.holdOn3dsOutcomes) : [],
    holdOnPriorChargeback: row?.holdOnPriorChargeback ?? false,
    holdOnPriorRefund: row?.holdOnPriorRefund ?? false,
    cancelOnDenyListHit: row?.cancelOnDenyListHit ?? false,
    shipBy: { hours: row?.shipByHours ?? null, warningHours: row?.shipByWarningHours ?? 4 },
  };
}

/** Rules, lists and the match window for one shop. */
export async function loadRiskSettings(shopId: string) {
  const [rules, entries, settings] = await Promise.all([
    db().riskRules.findUnique({ where: { shopId } }),
    db().listEntry.findMany({ where: { shopId }, orderBy: [{ list: "asc" }, { createdAt: "desc" }] }),
    db().shopSettings.findUnique({ where: { shopId } }),
  ]);
  return {
    rules: rulesConfigOf(rules),
    entries,
    matchWindowMinutes: settings?.matchWindowMinutes ?? DEFAULT_MATCH_WINDOW_MINUTES,
  };
}

/** The shop's rules alone (the review queue reads the ship-by time). */
export async function loadRiskRules(shopId: string): Promise<RiskRulesConfig> {
  return rulesConfigOf(await db().riskRules.findUnique({ where: { shopId } }));
}

/** Only what the rules need from the lists. */
export async function listEntriesFor(shopId: string, sql: RawSql = rawSql()): Promise<ListEntryValue[]> {
  // Raw: read for every payment reviewed (lib/sql.server.ts).
  const rows = await sql.$queryRaw<
    Array<{ list: string; kind: string; value: string }>
  >`SELECT "list", "kind", "value" FROM "ListEntry" WHERE "shopId" = ${shopId}`;
  return rows.map((r) => ({ list: r.list as ListName, kind: r.kind as ListKind, value: r.value }));
}

const flag = z.enum(["true", "false"]).transform((v) => v === "true");

/** A whole number within bounds, or "" for off (null). */
const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return n;
    });

/** `decimalToMinor`'s refusals (its words' keys) as the words of a line of the amounts field (`errors.rules.line.*`). */
const LINE_REFUSALS: Record<string, string> = {
  "money.amount.plainNumber": "rules.line.plainNumber",
  "money.amount.plainWholeNumber": "rules.line.plainWholeNumber",
  "money.amount.noDecimals": "rules.line.noDecimals",
  "money.amount.decimals": "rules.line.decimals",
  "money.amount.tooLarge": "rules.line.tooLarge",
};

/** One currency per line, like "USD 1000.00": currency code -> minor units (also Zendesk's dispute ticket minimums). */
export const amountsPerCurrency = z.string().transform((text, ctx) => {
  const out: Record<string, number> = {};
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [i, text] of lines.entries()) {
    const match = /^([A-Za-z]{3})\s+(\S+)$/.exec(text);
    const currency = match?.[1].toUpperCase();
    const amount = match && currency ? decimalToMinor(match[2], currency) : null;
    const line = i + 1;
    if (!match || !currency || !amount) {
      ctx.addIssue(issueSaying(`Line ${line}: write a currency code and an amount, like "USD 1000.00".`, { key: "rules.line.format", values: { line } }));
      return z.NEVER;
    }
    if (!amount.ok) {
      const key = LINE_REFUSALS[amount.words.key];
      const message = `Line ${line}: ${amount.message}`;
      ctx.addIssue(key ? issueSaying(message, { key, values: { ...amount.words.values, line } }) : { code: "custom", message });
      return z.NEVER;
    }
    if (currency in out) {
      ctx.addIssue(issueSaying(`Line ${line}: ${currency} appears twice.`, { key: "rules.line.twice", values: { line, currency } }));
      return z.NEVER;
    }
    out[currency] = amount.minor;
  }
  return out;
});

const SCORE_THRESHOLD = said("scoreThreshold", "Enter a whole number from 0 to 100, or leave it empty to turn this rule off.");
const AT_MOST_1000 = said("atMost1000", "Enter a whole number from 1 to 1000, or leave it empty to turn this rule off.");

const rulesFormSchema = z.object({
  enabled: flag,
  monitorOnly: flag,
  holdOnFlagged: flag,
  scoreThreshold: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 100) {
        ctx.addIssue({ code: "custom", message: SCORE_THRESHOLD });
        return z.NEVER;
      }
      return n;
    }),
  amountThresholds: amountsPerCurrency,
  holdOnCountryMismatch: flag,
  holdOnIpCountryMismatch: flag,
  holdOnCardCountryMismatch: flag,
  // Absent from older forms (and API clients): off.
  earlyWarningRefundUpTo: amountsPerCurrency.optional().default(""),
  velocityHours: wholeNumber(1, 720, said("velocityHours", "Count over 1 to 720 hours.")).optional().default("24"),
  velocityMaxPayments: wholeNumber(1, 1000, AT_MOST_1000).optional().default(""),
  velocityMaxCards: wholeNumber(1, 1000, AT_MOST_1000).optional().default(""),
  holdOnAvsNoMatch: flag.optional().default("false"),
  holdOnCvvNoMatch: flag.optional().default("false"),
  holdOnPriorChargeback: flag.optional().default("false"),
  holdOnPriorRefund: flag.optional().default("false"),
  cancelOnDenyListHit: flag.optional().default("false"),
  shipByHours: wholeNumber(1, 720, said("shipByHours", "Enter a whole number of hours from 1 to 720, or leave it empty for no ship-by time."))
    .optional()
    .default(""),
  shipByWarningHours: wholeNumber(1, 168, said("shipByWarningHours", "Warn 1 to 168 hours before.")).optional().default("4"),
  matchWindowMinutes: z.coerce
    .number({ invalid_type_error: said("matchWindow.number", "Enter a number of minutes.") })
    .int(said("matchWindow.whole", "Enter a whole number of minutes."))
    .min(5, said("matchWindow.min", "Keep looking for at least 5 minutes."))
    .max(10080, said("matchWindow.max", "At most 7 days (10080 minutes).")),
});

/** A list posted as one comma-separated field (the form's hidden input behind a choice list). */
const formValues = (form: Record<string, unknown>, name: string): string[] =>
  String(form[name] ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

export type RulesFormResult = { ok: true } | { ok: false; fieldErrors: FieldErrors; fieldWords: FieldWords };

/** Where a change to the lists came from: a staff member in the admin, or an agent (app/mcp). */
type ListSource = "admin" | "agent";

/** A change to the rules or lists, in the audit trail (refused ones too, with why). */
function auditChange(shopId: string, actor: string, action: string, details: Record<string, unknown>, error?: string, source: ListSource = "admin") {
  return audit({ shopId, actor, source, action, details, result: error ? "error" : "ok", error });
}

const refusal = (fieldErrors: FieldErrors) => Object.values(fieldErrors).join(" ");

export async function saveRiskRules(shopId: string, form: Record<string, unknown>, actor: string): Promise<RulesFormResult> {
  const parsed = rulesFormSchema.safeParse(form);
  const details = { form: { ...form, intent: undefined } };
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    await auditChange(shopId, actor, "rules.save", details, refusal(fieldErrors));
    return { ok: false, fieldErrors, fieldWords: fieldWords(parsed.error) };
  }
  const { matchWindowMinutes, amountThresholds, earlyWarningRefundUpTo, velocityHours, shipByWarningHours, ...rules } = parsed.data;
  const outcomes = formValues(form, "holdOn3dsOutcomes");
  const unknown = outcomes.find((o) => !(THREE_DS_OUTCOMES as readonly string[]).includes(o));
  if (unknown !== undefined) {
    const fieldErrors = { holdOn3dsOutcomes: `Unknown 3-D Secure outcome "${unknown}".` };
    await auditChange(shopId, actor, "rules.save", details, refusal(fieldErrors));
    return { ok: false, fieldErrors, fieldWords: { holdOn3dsOutcomes: { key: "rules.unknownOutcome", values: { outcome: unknown } } } };
  }
  const data = {
    ...rules,
    velocityHours: velocityHours ?? 24,
    shipByWarningHours: shipByWarningHours ?? 4,
    amountThresholds: JSON.stringify(amountThresholds),
    earlyWarningRefundUpTo: JSON.stringify(earlyWarningRefundUpTo),
    holdOn3dsOutcomes: JSON.stringify([...new Set(outcomes)]),
    reviewedAt: new Date(),
  };
  await db().$transaction([
    db().riskRules.upsert({ where: { shopId }, update: data, create: { shopId, ...data } }),
    db().shopSettings.upsert({ where: { shopId }, update: { matchWindowMinutes }, create: { shopId, matchWindowMinutes } }),
  ]);
  await auditChange(shopId, actor, "rules.save", details);
  return { ok: true };
}

/** How each kind of list value must look. */
const LIST_VALUE_SCHEMAS: Record<ListKind, z.ZodType<string>> = {
  email: z.string().trim().email(said("list.email", "Enter an email address.")),
  card_fingerprint: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{16,128}$/, said("list.cardFingerprint", "A card fingerprint is 16 to 128 letters and digits.")),
  bin: z
    .string()
    .trim()
    .regex(/^\d{6}(\d{2})?$/, said("list.bin", "A BIN is the first 6 or 8 digits of the card number.")),
  customer: z
    .string()
    .trim()
    .regex(/^cus_[a-z0-9]{10,40}$/, said("list.customer", "A Checkout.com customer id looks like cus_ followed by letters and digits.")),
};

const listEntryFormSchema = z
  .object({
    list: z.enum(["allow", "deny"], { message: said("list.list", "Choose the allow list or the deny list.") }),
    kind: z.enum(LIST_KINDS as [ListKind, ...ListKind[]], { message: said("list.kind", "Choose what to list.") }),
    value: z.string(),
    note: z.string().trim().max(500, said("list.note", "Keep the note under 500 characters.")).optional(),
  })
  .superRefine((entry, ctx) => {
    const result = LIST_VALUE_SCHEMAS[entry.kind].safeParse(entry.value);
    if (!result.success) ctx.addIssue({ code: "custom", path: ["value"], message: result.error.issues[0].message });
  });

export type ListEntryResult = { ok: true; created: boolean } | { ok: false; fieldErrors: FieldErrors; fieldWords: FieldWords };

/**
 * Adds an entry once: listing the same value again changes nothing. Audited as "list.add" unless the
 * caller's own audit entry records it (`audited: false`, a reviewer's deny from a hold).
 */
export async function addListEntry(
  shopId: string,
  form: Record<string, unknown>,
  createdBy: string,
  options: { audited?: boolean; source?: ListSource } = {},
): Promise<ListEntryResult> {
  const result = await insertListEntry(shopId, form, createdBy);
  if (options.audited ?? true)
    await auditChange(
      shopId,
      createdBy,
      "list.add",
      { list: form.list, kind: form.kind, value: form.value },
      result.ok ? undefined : refusal(result.fieldErrors),
      options.source,
    );
  return result;
}

async function insertListEntry(shopId: string, form: Record<string, unknown>, createdBy: string): Promise<ListEntryResult> {
  const parsed = listEntryFormSchema.safeParse(form);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), fieldWords: fieldWords(parsed.error) };
  const { list, kind, note } = parsed.data;
  const value = normalizeListValue(kind, parsed.data.value);
  const key = { shopId_list_kind_value: { shopId, list, kind, value } };
  if (await db().listEntry.findUnique({ where: key })) return { ok: true, created: false };
  try {
    await db().listEntry.create({ data: { shopId, list, kind, value, note: note || null, createdBy } });
    return { ok: true, created: true };
  } catch (error) {
    // A concurrent add of the same value won.
    if (isUniqueViolation(error)) return { ok: true, created: false };
    throw error;
  }
}

/** Removes one of this shop's entries; another shop's id removes nothing. */
export async function removeListEntry(shopId: string, id: string, actor: string, source: ListSource = "admin") {
  const { count } = await db().listEntry.deleteMany({ where: { id, shopId } });
  await auditChange(shopId, actor, "list.remove", { id }, count > 0 ? undefined : "No such entry in this shop.", source);
  return count > 0;
}
