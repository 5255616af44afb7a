// The shop's Zendesk Support account through Zendesk's REST API, with node-zendesk (the maintained
// Node.js client), as the merchant connected it (ZendeskAccount: OAuth or an API token). Only this
// module opens the sealed tokens; features ask for a client here and never see a token.
import type { ZendeskAccount } from "@prisma/client";
import { createClient, type ZendeskClient } from "node-zendesk";
import { decryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { env } from "../env.server";

/** Sealing contexts of the account's tokens (app/crypto.server.ts binds a sealed value to its use). */
export const ZENDESK_TOKEN_CONTEXT = { access: "zendesk-account:access-token", refresh: "zendesk-account:refresh-token" } as const;

/** The account's origin: https://<subdomain>.zendesk.com, or the local stand-in's (ZENDESK_API_BASE_URL). */
export const zendeskOrigin = (subdomain: string): string => env().ZENDESK_API_BASE_URL?.replace(/\/+$/, "") ?? `https://${subdomain}.zendesk.com`;

/** The shop's connected Zendesk account, or null (none, or Zendesk refused its token: reconnect). */
export function connectedZendeskAccount(shopId: string): Promise<ZendeskAccount | null> {
  return db().zendeskAccount.findFirst({ where: { shopId, status: "connected" } });
}

/** A Support API client acting as the account: a Bearer token (OAuth) or the agent's email and API token. */
export function supportClientOf(account: ZendeskAccount): ZendeskClient {
  const token = decryptSecret(account.accessTokenEnc, ZENDESK_TOKEN_CONTEXT.access);
  return createClient({
    endpointUri: `${zendeskOrigin(account.subdomain)}/api/v2`,
    token,
    ...(account.authKind === "oauth" ? { oauth: true } : { username: account.email ?? "" }),
    // Errors carry Zendesk's status and body (statusCode, result) for the caller to explain.
    throwOriginalException: true,
  });
}

/** The shop's Support API client, or null when the shop has no connected Zendesk account. */
export async function supportClientFor(shopId: string): Promise<ZendeskClient | null> {
  const account = await connectedZendeskAccount(shopId);
  return account ? supportClientOf(account) : null;
}
