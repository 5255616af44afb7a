// How the tools say money and dates: machine fields an agent can compute with, and the text a person
// would read in the shop's admin (English, the shop's currency formatting and time zone).
import { z } from "zod";
import { formatDateTime } from "../lib/dates";
import { formatMoneyIn, minorToDecimal } from "../lib/money";

export const moneySchema = z.object({
  minor: z.number().int().describe("Amount in the currency's minor units (cents for EUR, yen for JPY)."),
  currency: z.string().describe("ISO 4217 code."),
  decimal: z.string().describe('The amount as a decimal string, e.g. "12.50".'),
  formatted: z.string().describe('As the shop shows it, e.g. "€12.50".'),
});
export type MoneyField = z.infer<typeof moneySchema>;

export const money = (minor: number, currency: string): MoneyField => ({
  minor,
  currency,
  decimal: minorToDecimal(minor, currency),
  formatted: formatMoneyIn("en", minor, currency),
});

export const timeSchema = z.object({
  iso: z.string().describe("ISO 8601, UTC."),
  formatted: z.string().describe("In the shop's time zone."),
});
export type TimeField = z.infer<typeof timeSchema>;

export const time = (at: Date, timeZone: string | null): TimeField => ({ iso: at.toISOString(), formatted: formatDateTime(at, timeZone) });
