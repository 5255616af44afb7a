import { describe, expect, it } from "vitest";
import { currencyDigits, formatMoney } from "./money";

describe("money", () => {
  it("knows each currency's decimal places", () => {
    expect([currencyDigits("USD"), currencyDigits("JPY"), currencyDigits("KWD"), currencyDigits("NOT-A-CODE")]).toEqual([2, 0, 3, 2]);
  });

  it.each([
    [6540, "USD", "USD 65.40"],
    [5, "EUR", "EUR 0.05"],
    [123456789, "USD", "USD 1,234,567.89"],
    [1000, "JPY", "JPY 1,000"],
    [1234567, "KWD", "KWD 1,234.567"],
    [-250, "GBP", "GBP -2.50"],
  ])("%i %s is %s", (minor, currency, words) => {
    expect(formatMoney(minor, currency)).toBe(words);
  });
});
