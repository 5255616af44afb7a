import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { say } from "../i18n/i18n";
import { currencyDigits, decimalToMinor, formatMoney, formatTotals, minorToDecimal } from "./money";

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

  it.each([
    ["65.40", "USD", 6540],
    ["0.29", "EUR", 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ["12,34", "EUR", 1234], // typed with a decimal comma
    ["1000", "USD", 100000],
    ["1200", "JPY", 1200],
    ["1.000", "JPY", 1], // trailing zeros are not decimals the currency lacks
    ["1.234", "KWD", 1234],
    [" 7.5 ", "GBP", 750],
  ])("reads %s %s as %i minor units", (text, currency, minor) => {
    expect(decimalToMinor(text, currency)).toEqual({ ok: true, minor });
  });

  it.each([
    ["25.001", "EUR", "EUR has 2 decimal places.", "EUR hat 2 Nachkommastellen."],
    ["12.5", "JPY", "JPY has no decimal places.", "JPY hat keine Nachkommastellen."],
    ["-5", "USD", "Enter the amount as a plain number, like 12.50.", "Geben Sie den Betrag als einfache Zahl ein, z. B. 12,50."],
    ["1,000.00", "KWD", "Enter the amount as a plain number, like 12.500.", "Geben Sie den Betrag als einfache Zahl ein, z. B. 12,500."],
    ["", "JPY", "Enter the amount as a plain number, like 1200.", "Geben Sie den Betrag als einfache Zahl ein, z. B. 1200."],
    ["99999999999999999", "USD", "That amount is too large.", "Dieser Betrag ist zu hoch."],
  ])("refuses %j %s: %s, and says it in German", (text, currency, message, german) => {
    const refused = decimalToMinor(text, currency);
    expect(refused).toEqual({ ok: false, message, words: expect.objectContaining({ key: expect.any(String) }) });
    if (refused.ok) return;
    // The English translation reads exactly like the message.
    expect(say("en", refused.words)).toBe(message);
    expect(say("de", refused.words)).toBe(german);
  });

  it("writes amounts that read back to the same minor units", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom("USD", "JPY", "KWD", "EUR"), (minor, currency) => {
        expect(decimalToMinor(minorToDecimal(minor, currency), currency)).toEqual({ ok: true, minor });
      }),
    );
    expect([minorToDecimal(5, "EUR"), minorToDecimal(-250, "GBP"), minorToDecimal(1200, "JPY")]).toEqual(["0.05", "-2.50", "1200"]);
  });
});

describe("formatTotals", () => {
  it("sums per currency, never across currencies, in a stable order", () => {
    expect(
      formatTotals([
        { minor: 12000, currency: "USD" },
        { minor: 4500, currency: "EUR" },
        { minor: 99, currency: "USD" },
        { minor: 1000, currency: "JPY" },
      ]),
    ).toBe("EUR 45.00 + JPY 1,000 + USD 120.99");
    expect(formatTotals([])).toBe("");
  });
});
