import { describe, expect, it } from "vitest";
import { resolveLocale } from "./locale.server";

const none = { param: null, remembered: null, session: null, acceptLanguage: null };

describe("resolveLocale", () => {
  it("takes Shopify's locale parameter first, and English for one we do not translate", () => {
    expect(resolveLocale({ ...none, param: "fr", remembered: "de" })).toBe("fr");
    expect(resolveLocale({ ...none, param: "ja", remembered: "de" })).toBe("en");
  });

  it("then the remembered language, the session's, and the browser's by weight", () => {
    expect(resolveLocale({ ...none, remembered: "de", session: "fr" })).toBe("de");
    expect(resolveLocale({ ...none, session: "fr-CA" })).toBe("fr");
    expect(resolveLocale({ ...none, acceptLanguage: "ja;q=1, de-CH;q=0.9, fr;q=0.95" })).toBe("fr");
    expect(resolveLocale({ ...none, acceptLanguage: "*, ja" })).toBe("en");
  });

  it("is English when nothing says", () => {
    expect(resolveLocale(none)).toBe("en");
  });
});
