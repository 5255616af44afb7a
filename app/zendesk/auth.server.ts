// Who is calling: the HS256 token Zendesk's proxy signed with one connection's shared secret.
// The unverified payload is read for one thing only, `connection_id`, to pick the key; everything
// else is trusted after the signature, expiry and issue time check out. The connection names exactly
// one shop, and its settings (not the claims, which browser code writes) decide what is allowed.
// After a rotation the previous secret is accepted too, until its grace ends, so the installed app
// keeps working until its setting is updated; its first use is audited.
import type { ZendeskConnection, ZendeskRefundCap } from "@prisma/client";
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import { db } from "../db.server";
import { log } from "../log.server";
import { auditPreviousSecretUse, acceptsPreviousSecret, previousSecretOf, sharedSecretOf } from "./connections.server";
import { ZENDESK_JWT_ALGORITHM, ZENDESK_JWT_EXPIRY_SECONDS, zendeskJwtClaimsSchema, type ZendeskJwtClaims } from "./contract";
import { ZendeskApiError } from "./errors";

/** Clock difference tolerated between Zendesk's proxy and this server. */
const JWT_CLOCK_SKEW_SECONDS = 60;

/**
 * The agent as the audit log names them. The agent and ticket are claims the sidebar's browser code
 * wrote into the signed request: Zendesk's proxy signs them but does not check them, so they are
 * recorded as claimed, never as verified.
 */
const claimedActor = (claims: Pick<ZendeskJwtClaims, "agent_name" | "agent_email">, subdomain: string) =>
  `${claims.agent_name} <${claims.agent_email}> (as claimed in Zendesk ${subdomain})`;

export interface ZendeskCaller {
  connection: ZendeskConnection & { refundCaps: ZendeskRefundCap[] };
  shopId: string;
  claims: ZendeskJwtClaims;
  /** The agent named in the signed request, for the audit log: "Jane Agent <jane@example.com> (as claimed in Zendesk acme)". */
  actor: string;
}

const unauthorized = (message: string) => new ZendeskApiError(401, "unauthorized", message);
const connectionIdSchema = z.string().uuid();

function unverifiedConnectionId(token: string): string {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    throw unauthorized("The request's token is not a valid JWT.");
  }
  if (header.alg !== ZENDESK_JWT_ALGORITHM) throw unauthorized(`Tokens must be signed with ${ZENDESK_JWT_ALGORITHM}.`);
  const id = connectionIdSchema.safeParse(payload.connection_id);
  if (!id.success) throw unauthorized("The token does not name a Zendesk connection of this app.");
  return id.data;
}

const verifiedWith = async (token: string, secret: string, now: Date): Promise<JWTPayload> =>
  (
    await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: [ZENDESK_JWT_ALGORITHM],
      requiredClaims: ["exp", "iat"],
      maxTokenAge: ZENDESK_JWT_EXPIRY_SECONDS,
      clockTolerance: JWT_CLOCK_SKEW_SECONDS,
      currentDate: now,
    })
  ).payload;

/**
 * The payload of a token signed with the connection's secret or its previous one, and which signed it;
 * throws jose's error otherwise. Only a wrong signature tries the previous secret: an expired token
 * signed with the current one is refused as such. A previous secret whose grace has ended is kept until
 * the retention run deletes it, so the old app can be told why it is refused.
 */
async function verifiedPayload(
  token: string,
  connection: ZendeskConnection,
  now: Date,
): Promise<{ payload: JWTPayload; signedWith: "current" | "previous" | "expired previous" }> {
  try {
    return { payload: await verifiedWith(token, sharedSecretOf(connection), now), signedWith: "current" };
  } catch (error) {
    const previousSecret = error instanceof joseErrors.JWSSignatureVerificationFailed ? previousSecretOf(connection) : null;
    if (!previousSecret) throw error;
    let payload: JWTPayload;
    try {
      payload = await verifiedWith(token, previousSecret, now);
    } catch {
      throw error;
    }
    return { payload, signedWith: acceptsPreviousSecret(connection, now) ? "previous" : "expired previous" };
  }
}

/** Verifies the request's Bearer token and names the caller, or throws a 401/403 ZendeskApiError. */
export async function authenticateZendesk(request: Request, now: Date = new Date()): Promise<ZendeskCaller> {
  const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(request.headers.get("Authorization") ?? "")?.[1];
  if (!token) throw unauthorized("The request carries no signed token (Authorization: Bearer ...).");

  const connection = await db().zendeskConnection.findUnique({ where: { id: unverifiedConnectionId(token) }, include: { shop: true, refundCaps: true } });
  if (!connection) throw unauthorized("The token names a Zendesk connection this app does not know.");

  let verified: Awaited<ReturnType<typeof verifiedPayload>>;
  try {
    verified = await verifiedPayload(token, connection, now);
  } catch (error) {
    // One message for a bad signature, an expired token and a future issue time: the caller needs
    // the same fix (the shared secret or the clock), and details would only help a forger. The log
    // says which, for whoever runs the app.
    log.warn("zendesk.token_rejected", { connectionId: connection.id, reason: error instanceof Error ? error.message : String(error) });
    throw unauthorized("The token's signature or time is not valid for this Zendesk connection.");
  }
  // Checked after the signature, so a revoked connection does not even confirm that a secret was right.
  if (connection.revokedAt) throw unauthorized("This Zendesk connection was revoked in the Shopify app. Ask a store admin for a new one.");
  if (verified.signedWith === "expired previous") {
    log.warn("zendesk.token_rejected", { connectionId: connection.id, reason: "signed with the previous shared secret after its grace ended" });
    throw unauthorized(
      "This token is signed with the connection's previous shared secret, which stopped working after the secret was rotated. Enter the new shared secret in the Zendesk app's settings.",
    );
  }

  const claims = zendeskJwtClaimsSchema.safeParse(verified.payload);
  if (!claims.success) throw unauthorized("The token is missing claims this app needs (ticket, agent, connection).");
  if (claims.data.connection_id !== connection.id) throw unauthorized("The token names another connection.");
  if (claims.data.subdomain.toLowerCase() !== connection.subdomain) {
    throw unauthorized(`This connection belongs to the Zendesk account "${connection.subdomain}", not "${claims.data.subdomain}".`);
  }
  if (connection.shop.uninstalledAt) throw new ZendeskApiError(403, "forbidden", "The store has uninstalled the Checkout.com app from Shopify.");

  const actor = claimedActor(claims.data, connection.subdomain);
  if (verified.signedWith === "previous") await auditPreviousSecretUse(connection, actor, now);

  const { shop: _shop, ...row } = connection;
  return { connection: row, shopId: connection.shopId, claims: claims.data, actor };
}
