// Admin requests as Shopify sends them from the embedded app or an admin UI extension: a session
// token (minted like Shopify's by the stand-in) as a Bearer header, with the shop's offline session in
// storage so authenticate.admin needs no token exchange.
import { randomUUID } from "node:crypto";
import { db } from "../../app/db.server";
import { mintSessionToken, type MintOptions } from "../standins/shopify/session-token";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, testEnv } from "./env";

/** A session token for `shop` signed with the test app's secret unless `apiSecret` says otherwise. */
export function sessionToken(shop: string, options: Partial<Omit<MintOptions, "shop">> = {}) {
  return mintSessionToken({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, shop, ...options });
}

/**
 * The shop's offline session, as the app stores it after installation. Pass the stand-in's access
 * token when the test lets the app call the Admin API.
 */
export async function seedOfflineSession(shop: string, options: { accessToken?: string; scope?: string } = {}) {
  const id = `offline_${shop}`;
  const accessToken = options.accessToken ?? `shpat_${randomUUID().replaceAll("-", "")}`;
  const scope = options.scope ?? testEnv.SCOPES;
  const expires = new Date(Date.now() + 3600_000);
  await db().session.upsert({
    where: { id },
    update: { accessToken, scope, expires },
    create: { id, shop, state: "installed", isOnline: false, scope, accessToken, expires },
  });
}

/** A request to the app from an admin UI extension: Bearer token and the extension sandbox's origin. */
export function extensionRequest(path: string, shop: string, init: RequestInit & { token?: string } = {}) {
  const { token, headers, ...rest } = init;
  return new Request(`${TEST_APP_URL}${path}`, {
    ...rest,
    headers: {
      Authorization: `Bearer ${token ?? sessionToken(shop)}`,
      Origin: "https://extensions.shopifycdn.com",
      ...headers,
    },
  });
}

/** A staff member's request to an admin page (`form`: a POST of that form), as the user `userId`. */
export function staffRequest(shop: string, path: string, userId: number | string, form?: Record<string, string>) {
  return extensionRequest(path, shop, {
    token: sessionToken(shop, { userId }),
    ...(form ? { method: "POST", body: new URLSearchParams(form), headers: { "Content-Type": "application/x-www-form-urlencoded" } } : {}),
  });
}

/**
 * A staff member of `shop` as the app knows them after they opened it: the online session token
 * exchange stores (so authenticate.admin needs no exchange) and their staff record with the role the
 * shop gave them. `role: "owner"` makes them the store owner (an admin).
 */
export async function seedStaff(
  shop: string,
  options: { userId: number; role?: "owner" | "viewer" | "reviewer" | "finance" | "admin"; firstName?: string; lastName?: string; locale?: string },
) {
  const role = options.role ?? "owner";
  const owner = role === "owner";
  const id = `${shop}_${options.userId}`;
  const data = {
    shop,
    state: "",
    isOnline: true,
    scope: testEnv.SCOPES,
    accessToken: `shpua_${randomUUID().replaceAll("-", "")}`,
    expires: new Date(Date.now() + 86_000_000),
    userId: BigInt(options.userId),
    firstName: options.firstName ?? "Sam",
    lastName: options.lastName ?? (owner ? "Owner" : "Staff"),
    email: `staff${options.userId}@example.com`,
    accountOwner: owner,
    locale: options.locale ?? "en",
    collaborator: false,
    emailVerified: true,
  };
  await db().session.upsert({ where: { id }, update: data, create: { id, ...data } });
  const shopRow = await db().shop.upsert({
    where: { domain: shop },
    update: {},
    create: { domain: shop, settings: { create: {} }, riskRules: { create: {} } },
  });
  const member = { name: `${data.firstName} ${data.lastName}`, email: data.email, accountOwner: owner, role: owner ? null : role, lastSeenAt: new Date() };
  await db().staffMember.upsert({
    where: { shopId_userId: { shopId: shopRow.id, userId: String(options.userId) } },
    update: member,
    create: { shopId: shopRow.id, userId: String(options.userId), ...member },
  });
}
