// The money service's words said in a staff member's language: amounts ({ minor, currency }) written
// as the reader's language writes them, with the currency's own decimal places, and the English
// reading like the service's English messages.
import { describe, expect, it } from "vitest";
import { say } from "../i18n/i18n";

const atMost = (minor: number, currency: string) => ({ key: "money.refusal.atMost.refund", values: { amount: { minor, currency } } });

describe("say", () => {
  it("writes a { minor, currency } value in the reader's language", () => {
    // Intl separates the amount and the symbol with a no-break space (narrow in French).
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
    expect(plain(say("de", atMost(106_540, "EUR")))).toBe("Es können höchstens 1.065,40 € erstattet werden.");
    expect(plain(say("fr", atMost(106_540, "EUR")))).toBe("Vous pouvez rembourser au plus 1 065,40 €.");
    expect(say("en", atMost(106_540, "EUR"))).toBe("At most €1,065.40 can be refunded.");
    // The currency's own minor units: none for JPY, three for KWD.
    expect(plain(say("de", atMost(1_200, "JPY")))).toBe("Es können höchstens 1.200 ¥ erstattet werden.");
    expect(plain(say("fr", atMost(1_234, "KWD")))).toBe("Vous pouvez rembourser au plus 1,234 KWD.");
  });

  it("keeps text values (Shopify's and Checkout.com's words) as they are", () => {
    const words = { key: "money.nothingDoneRetry", values: { error: "Shopify is unavailable" } };
    expect(say("en", words)).toBe("Nothing was done: Shopify is unavailable. Try again in a moment.");
    expect(say("de", words)).toBe("Es wurde nichts ausgeführt: Shopify is unavailable. Versuchen Sie es gleich noch einmal.");
  });
});
