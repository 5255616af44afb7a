// Tokens for the hostile corpus: the genuine ones (for requests that are refused for another reason)
// and every kind of forged, expired or tampered one.
import crypto from "node:crypto";
import { TEST_API_SECRET } from "../helpers/env";
import { sessionToken } from "../helpers/session-token";
import { zendeskToken, type ZendeskSetup } from "../helpers/zendesk";
import type { HostileWorld } from "./world";

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decodePart = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;

/** `token` with its payload changed and its original signature kept. */
function tampered(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split(".");
  return `${header}.${b64url({ ...decodePart(payload), ...change })}.${signature}`;
}

/** `token`'s claims under a header saying alg "none", with no signature. */
function unsigned(token: string): string {
  const [, payload] = token.split(".");
  return `${b64url({ alg: "none", typ: "JWT" })}.${payload}.`;
}

/** `token`'s claims re-signed with HMAC-SHA512 under the right secret: the algorithm is not the agreed one. */
function resignedHs512(token: string, secret: string): string {
  const [, payload] = token.split(".");
  const input = `${b64url({ alg: "HS512", typ: "JWT" })}.${payload}`;
  return `${input}.${crypto.createHmac("sha512", secret).update(input).digest("base64url")}`;
}

interface SessionTokens {
  a: string;
  b: string;
  expired: string;
  notYetValid: string;
  wrongSecret: string;
  otherApp: string;
  algNone: string;
  hs512: string;
  /** Shop A's signed token with shop B's iss/dest: the signature no longer matches. */
  tamperedShop: string;
}

interface ZendeskTokens {
  a: string;
  /** A's token for another ticket than the one a body names. */
  aTicket8: string;
  expired: string;
  issuedInFuture: string;
  issuedLongAgo: string;
  noExpiry: string;
  algNone: string;
  hs384: string;
  hs512: string;
  wrongSecret: string;
  /** Claims naming shop A's connection, signed with shop B's secret. */
  otherShopsSecret: string;
  tamperedTicket: string;
  connectionNotUuid: string;
  unknownConnection: string;
  revoked: string;
  wrongSubdomain: string;
  uninstalledShop: string;
  missingAgentEmail: string;
  ticketIdString: string;
}

export interface Credentials {
  session: SessionTokens;
  zendesk: ZendeskTokens;
}

export async function mintCredentials(world: HostileWorld): Promise<Credentials> {
  const now = Math.floor(Date.now() / 1000);
  const a = sessionToken(world.a.domain);
  const session: SessionTokens = {
    a,
    b: sessionToken(world.b.domain),
    expired: sessionToken(world.a.domain, { claims: { iat: now - 900, nbf: now - 900, exp: now - 840 } }),
    notYetValid: sessionToken(world.a.domain, { claims: { iat: now + 900, nbf: now + 900, exp: now + 960 } }),
    wrongSecret: sessionToken(world.a.domain, { apiSecret: "not-the-app-secret-0000000000000" }),
    otherApp: sessionToken(world.a.domain, { claims: { aud: "another-app-api-key" } }),
    algNone: unsigned(a),
    hs512: resignedHs512(a, TEST_API_SECRET),
    tamperedShop: tampered(a, { iss: `https://${world.b.domain}/admin`, dest: `https://${world.b.domain}` }),
  };

  const za = world.a.zendesk;
  const token = (setup: ZendeskSetup, options: Parameters<typeof zendeskToken>[1] = {}) => zendeskToken(setup, options);
  const genuine = await token(za);
  const zendesk: ZendeskTokens = {
    a: genuine,
    aTicket8: await token(za, { ticketId: 8 }),
    expired: await token(za, { iat: now - 900, exp: now - 600 }),
    issuedInFuture: await token(za, { iat: now + 900, exp: now + 1200 }),
    issuedLongAgo: await token(za, { iat: now - 3600, exp: now + 300 }),
    noExpiry: await token(za, { claims: { exp: undefined } }),
    algNone: await token(za, { alg: "none" }),
    hs384: await token(za, { alg: "HS384" }),
    hs512: await token(za, { alg: "HS512" }),
    wrongSecret: await token({ ...za, secret: crypto.randomBytes(32).toString("base64url") }),
    otherShopsSecret: await token({ ...za, secret: world.b.zendesk.secret }),
    tamperedTicket: tampered(genuine, { ticket_id: 8 }),
    connectionNotUuid: await token(za, { claims: { connection_id: "1 OR 1=1" } }),
    unknownConnection: await token(za, { claims: { connection_id: crypto.randomUUID() } }),
    revoked: await token(world.a.revokedZendesk),
    wrongSubdomain: await token(za, { claims: { subdomain: "evil" } }),
    uninstalledShop: await token(world.uninstalled.zendesk),
    missingAgentEmail: await token(za, { claims: { agent_email: undefined } }),
    ticketIdString: await token(za, { claims: { ticket_id: "7" } }),
  };
  return { session, zendesk };
}
