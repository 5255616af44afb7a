// The conversion rates a merchant gives for Insights' figures in the shop's currency (CurrencyRate): one
// unit of a currency is `rate` of the shop's from `validFrom` on, with where the rate comes from. Listed,
// saved (one per currency and first day: saving that day again replaces it) and deleted, always the
// shop's own; the conversion itself is figures.ts's.
import type { CurrencyRate } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { messageWords, type FieldWords } from "../i18n/domain-words";
import { NotFoundError } from "../lib/errors";
import { fieldErrorsOf } from "../lib/form";
import { isDay } from "./query";

const { said, fieldWords } = messageWords("insights");

export interface CurrencyRateView {
  id: string;
  currency: string;
  rate: number;
  validFrom: string;
  source: string;
  createdAt: string;
  createdBy: string | null;
}

const view = ({ id, currency, rate, validFrom, source, createdAt, createdBy }: CurrencyRate): CurrencyRateView => ({
  id,
  currency,
  rate,
  validFrom,
  source,
  createdAt: createdAt.toISOString(),
  createdBy,
});

/** The shop's rates by currency, newest first within each. */
export async function listCurrencyRates(shopId: string): Promise<CurrencyRateView[]> {
  const rows = await db().currencyRate.findMany({ where: { shopId }, orderBy: [{ currency: "asc" }, { validFrom: "desc" }] });
  return rows.map(view);
}

const CURRENCY = said("rate.currency", "Enter a 3-letter currency code, like EUR.");
const OWN_CURRENCY = said("rate.ownCurrency", "This is the shop's own currency: it always converts at 1.");
const RATE = said("rate.rate", "Enter the rate as a number above 0, like 1.08.");
const VALID_FROM = said("rate.validFrom", "Enter the first day as YYYY-MM-DD, like 2026-12-01.");
const SOURCE = said("rate.source", "Say where the rate comes from, in 1 to 200 characters.");

const rateSchema = (shopCurrency: string | null) =>
  z.object({
    currency: z
      .string({ required_error: CURRENCY })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, CURRENCY)
      .refine((currency) => currency !== shopCurrency, OWN_CURRENCY),
    rate: z.coerce.number({ invalid_type_error: RATE, required_error: RATE }).finite(RATE).positive(RATE),
    validFrom: z.string({ required_error: VALID_FROM }).trim().refine(isDay, VALID_FROM),
    source: z.string({ required_error: SOURCE }).trim().min(1, SOURCE).max(200, SOURCE),
  });

export type RateInput = Partial<Record<"currency" | "rate" | "validFrom" | "source", unknown>>;
export type SaveRateResult = { ok: true; rate: CurrencyRateView } | { ok: false; fieldErrors: Record<string, string>; fieldWords: FieldWords };

/** Saves a rate of the shop (replacing the one of the same currency and first day), or says which fields are wrong. */
export async function saveCurrencyRate(shopId: string, input: RateInput, actor: string): Promise<SaveRateResult> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
  const parsed = rateSchema(shop.currency).safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), fieldWords: fieldWords(parsed.error) };
  const { currency, rate, validFrom, source } = parsed.data;
  const row = await db().currencyRate.upsert({
    where: { shopId_currency_validFrom: { shopId, currency, validFrom } },
    update: { rate, source, createdBy: actor, createdAt: new Date() },
    create: { shopId, currency, rate, validFrom, source, createdBy: actor },
  });
  await audit({ shopId, actor, source: "admin", action: "insights.rate.save", details: { currency, rate, validFrom, source }, result: "ok" });
  return { ok: true, rate: view(row) };
}

/** Deletes a rate of the shop; another shop's id (or one already gone) is not found. */
export async function deleteCurrencyRate(shopId: string, id: string, actor: string): Promise<void> {
  const row = await db().currencyRate.findFirst({ where: { id, shopId } });
  if (!row) throw new NotFoundError("This rate does not exist in this shop.", { key: "insights.rateNotFound" });
  await db().currencyRate.deleteMany({ where: { id, shopId } });
  const { currency, rate, validFrom, source } = row;
  await audit({ shopId, actor, source: "admin", action: "insights.rate.delete", details: { currency, rate, validFrom, source }, result: "ok" });
}
