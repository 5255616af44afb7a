// The admin layout's loader: the language each staff member is answered in. Shopify names it on
// embedded loads only, so it is remembered for the requests in between; the online session's language
// and the browser's stand in before any load named one; a language we do not translate is English.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createConnectedShop } from "../../test/helpers/factories";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { loader } from "./app";

const ALEX = 74_000_301;
const BEA = 74_000_302;
let shop: { id: string; domain: string };

const localeOf = async (userId: number, query = "", headers: Record<string, string> = {}) => {
  const request = extensionRequest(`/app${query}`, shop.domain, { token: sessionToken(shop.domain, { userId }), headers });
  const response = await callAction(loader, request);
  expect(response.status).toBe(200);
  return ((await response.json()) as { locale: string }).locale;
};

beforeAll(async () => {
  shop = (await createConnectedShop()).shop;
  await seedOfflineSession(shop.domain);
  await seedStaff(shop.domain, { userId: ALEX, role: "owner", locale: "en" });
  await seedStaff(shop.domain, { userId: BEA, role: "reviewer", locale: "fr-CA" });
});

describe("the admin's language", () => {
  it("follows Shopify's locale parameter, and keeps it for requests that do not carry one", async () => {
    expect(await localeOf(ALEX, "?locale=de")).toBe("de");
    expect(await localeOf(ALEX)).toBe("de");
    const member = await db().staffMember.findUniqueOrThrow({ where: { shopId_userId: { shopId: shop.id, userId: String(ALEX) } } });
    expect(member.locale).toBe("de");
  });

  it("is English for a language we do not translate, and that replaces the remembered one", async () => {
    expect(await localeOf(ALEX, "?locale=ja")).toBe("en");
    expect(await localeOf(ALEX)).toBe("en");
  });

  it("is per staff member: another's stays their session's language", async () => {
    expect(await localeOf(ALEX, "?locale=de")).toBe("de");
    expect(await localeOf(BEA)).toBe("fr");
  });
});
