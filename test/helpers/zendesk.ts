// Zendesk connections and the tokens Zendesk's proxy signs for them, for tests of the /api/zendesk
// routes, the end-to-end test and the benchmark.
import type { ZendeskConnection, ZendeskRefundCap } from "@prisma/client";
import { SignJWT } from "jose";
import { encryptSecret } from "../../app/crypto.server";
import { db } from "../../app/db.server";
import { resetEnvForTests } from "../../app/env.server";
import { createZendeskConnection } from "../../app/zendesk/connections.server";
import { ZENDESK_JWT_EXPIRY_SECONDS, type ZendeskJwtClaims } from "../../app/zendesk/contract";
import { ZENDESK_TOKEN_CONTEXT } from "../../app/zendesk/support-api.server";
import { TEST_APP_URL } from "./env";

export const ZENDESK_SUBDOMAIN = "acme";
export const AGENT = { agent_id: 9001, agent_email: "jane.agent@example.com", agent_name: "Jane Agent" };

export interface ZendeskSetup {
  connection: ZendeskConnection & { refundCaps: ZendeskRefundCap[] };
  /** The shared secret, as the merchant pasted it into Zendesk. */
  secret: string;
}

/**
 * A connection made the way the settings page makes it, then given these permissions. Refund limits
 * per currency (minor units, null for none) default to no limit in EUR and USD; other currencies
 * cannot be refunded from Zendesk unless listed.
 */
export async function connectZendesk(
  shopId: string,
  permissions: Partial<Pick<ZendeskConnection, "allowRefunds" | "allowVoids" | "allowEvidence" | "revokedAt">> & {
    refundCaps?: Record<string, number | null>;
  } = {},
  subdomain = ZENDESK_SUBDOMAIN,
): Promise<ZendeskSetup> {
  const created = await createZendeskConnection(shopId, { subdomain }, "owner@example.com");
  if (!created.ok) throw new Error(created.message);
  const { refundCaps = { EUR: null, USD: null }, ...flags } = permissions;
  await db().zendeskRefundCap.createMany({
    data: Object.entries(refundCaps).map(([currency, maxAmount]) => ({ shopId, connectionId: created.connection.id, currency, maxAmount })),
  });
  const connection = await db().zendeskConnection.update({ where: { id: created.connection.id }, data: flags, include: { refundCaps: true } });
  return { connection, secret: created.secret };
}

export interface TokenOptions {
  ticketId?: number;
  /** Seconds since the epoch; default now. */
  iat?: number;
  /** Default iat + 300, like the sidebar asks. */
  exp?: number;
  /** HS256 unless a test says otherwise; "none" makes an unsigned token. */
  alg?: "HS256" | "HS384" | "HS512" | "none";
  claims?: Partial<Record<keyof ZendeskJwtClaims, unknown>>;
}

/** A token as Zendesk's proxy signs it for the sidebar of `ticketId`. */
export async function zendeskToken(setup: ZendeskSetup, options: TokenOptions = {}): Promise<string> {
  const iat = options.iat ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    connection_id: setup.connection.id,
    subdomain: setup.connection.subdomain,
    ticket_id: options.ticketId ?? 7,
    ...AGENT,
    iat,
    exp: options.exp ?? iat + ZENDESK_JWT_EXPIRY_SECONDS,
    ...options.claims,
  };
  const alg = options.alg ?? "HS256";
  if (alg === "none") {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
  }
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(setup.secret));
}

/** A request to the app as the proxy forwards it. */
export function zendeskRequest(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Request {
  return new Request(`${TEST_APP_URL}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "Content-Type": "application/json", ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
}

/**
 * The shop's Zendesk account connected to a Zendesk stand-in with OAuth, as after the merchant's consent
 * (ZENDESK_API_BASE_URL points the app at the stand-in until resetZendeskApi()).
 */
export async function connectZendeskAccount(shopId: string, standIn: { url: string; issueAccessToken(): string }) {
  process.env.ZENDESK_API_BASE_URL = standIn.url;
  resetEnvForTests();
  return db().zendeskAccount.create({
    data: {
      shopId,
      subdomain: ZENDESK_SUBDOMAIN,
      authKind: "oauth",
      accessTokenEnc: encryptSecret(standIn.issueAccessToken(), ZENDESK_TOKEN_CONTEXT.access),
      scopes: "read write",
      connectedBy: "Sam Owner <owner@example.com>",
    },
  });
}

export function resetZendeskApi() {
  delete process.env.ZENDESK_API_BASE_URL;
  resetEnvForTests();
}
