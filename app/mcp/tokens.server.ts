// Agent tokens (docs/decisions/0022): made in Settings by an admin, shown once, kept as their SHA-256.
// An MCP request carries one as a Bearer token; authenticateAgent turns it into the caller every tool
// is scoped to: one shop, the token's scopes and limits, and the maker whose role bounds it.
import crypto from "node:crypto";
import type { AgentToken } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { randomToken } from "../crypto.server";
import { db } from "../db.server";
import { RefusedError } from "../lib/errors";
import { agentLimitsSchema, parseAgentLimits, type AgentLimits } from "./limits";
import { AGENT_SCOPES, isAgentScope, type AgentScope } from "./scopes";

/** What every agent token starts with, so a leaked one is recognisable (and secret scanners can find it). */
const AGENT_TOKEN_PREFIX = "ckmcp_";
/** lastUsedAt is written at most this often: a busy agent does not write on every call. */
const LAST_USED_EVERY_MS = 60_000;

export const agentTokenInputSchema = z.object({
  name: z.string().trim().min(1, "Name the token (the audit log names its actions by it).").max(80),
  scopes: z.array(z.enum(AGENT_SCOPES)).min(1, "Choose at least one scope."),
  limits: agentLimitsSchema,
  expiresAt: z.date().nullable(),
});
export type AgentTokenInput = z.infer<typeof agentTokenInputSchema>;

export const hashAgentToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

const scopesOf = (row: Pick<AgentToken, "scopes">): AgentScope[] => {
  try {
    const parsed: unknown = JSON.parse(row.scopes);
    return Array.isArray(parsed) ? parsed.filter(isAgentScope) : [];
  } catch {
    return [];
  }
};

/** Makes a token; the answer is the only time its secret exists outside the agent's hands. */
export async function createAgentToken(
  shopId: string,
  input: AgentTokenInput,
  by: { actor: string; userId: string | null },
): Promise<{ token: string; row: AgentToken }> {
  const taken = await db().agentToken.findFirst({ where: { shopId, name: input.name, revokedAt: null }, select: { id: true } });
  if (taken)
    throw new RefusedError(`A token named "${input.name}" already exists; revoke it or choose another name.`, {
      key: "settings:agents.errors.nameTaken",
      values: { name: input.name },
    });
  const token = `${AGENT_TOKEN_PREFIX}${randomToken(32)}`;
  const row = await db().agentToken.create({
    data: {
      shopId,
      name: input.name,
      tokenHash: hashAgentToken(token),
      prefix: token.slice(0, AGENT_TOKEN_PREFIX.length + 6),
      scopes: JSON.stringify(input.scopes),
      limits: JSON.stringify(input.limits),
      expiresAt: input.expiresAt,
      createdBy: by.actor,
      createdByUserId: by.userId,
    },
  });
  await audit({
    shopId,
    actor: by.actor,
    source: "admin",
    action: "agent_token.create",
    details: { tokenId: row.id, name: row.name, scopes: input.scopes, limits: input.limits, expiresAt: input.expiresAt },
    result: "ok",
  });
  return { token, row };
}

export interface AgentTokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: AgentScope[];
  limits: AgentLimits;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  state: "active" | "expired" | "revoked";
}

/** The shop's tokens for the Settings screen, newest first (never their secrets: only the hash is kept). */
export async function listAgentTokens(shopId: string, now = new Date()): Promise<AgentTokenView[]> {
  const rows = await db().agentToken.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: scopesOf(row),
    limits: parseAgentLimits(row.limits) ?? {},
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    state: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
  }));
}

/** Revokes one of the shop's tokens at once (another shop's id revokes nothing). */
export async function revokeAgentToken(shopId: string, tokenId: string, actor: string): Promise<boolean> {
  const { count } = await db().agentToken.updateMany({ where: { id: tokenId, shopId, revokedAt: null }, data: { revokedAt: new Date(), revokedBy: actor } });
  if (count) await audit({ shopId, actor, source: "admin", action: "agent_token.revoke", details: { tokenId }, result: "ok" });
  return count > 0;
}

/** Who is calling the MCP server: one shop, through one token. */
export interface AgentCaller {
  tokenId: string;
  /** The token's name: the audit log's actor. */
  name: string;
  shopId: string;
  shopDomain: string;
  /** The shop's currency and IANA time zone, for answers in its terms. */
  shopCurrency: string | null;
  timeZone: string | null;
  scopes: ReadonlySet<AgentScope>;
  /** null: the stored limits are unreadable, so no money may move. */
  limits: AgentLimits | null;
  /** The staff member whose current role bounds the token; null: made by the system (the demo shop). */
  createdByUserId: string | null;
}

/**
 * Why a request is not authenticated: answered 401 with a WWW-Authenticate challenge (RFC 6750);
 * `error` is absent when no token was sent at all.
 */
export class AgentAuthError extends Error {
  constructor(
    message: string,
    readonly error: "invalid_request" | "invalid_token" | null,
  ) {
    super(message);
    this.name = "AgentAuthError";
  }
}

/** The challenge a 401 carries. */
export function agentChallenge(error: AgentAuthError): string {
  const quoted = (text: string) => text.replace(/["\\]/g, "");
  return error.error ? `Bearer realm="mcp", error="${error.error}", error_description="${quoted(error.message)}"` : `Bearer realm="mcp"`;
}

/** The caller behind an MCP request's Bearer token, or AgentAuthError. */
export async function authenticateAgent(request: Request, now = new Date()): Promise<AgentCaller> {
  const header = request.headers.get("authorization");
  if (!header) throw new AgentAuthError("Send an agent token as Authorization: Bearer <token> (made in the app's Settings).", null);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AgentAuthError("The Authorization header must be Bearer <token>.", "invalid_request");
  const row = await db().agentToken.findUnique({ where: { tokenHash: hashAgentToken(match[1]!) }, include: { shop: true } });
  if (!row || row.shop.uninstalledAt) throw new AgentAuthError("This token is not valid.", "invalid_token");
  if (row.revokedAt) throw new AgentAuthError("This token was revoked.", "invalid_token");
  if (row.expiresAt && row.expiresAt <= now) throw new AgentAuthError("This token has expired.", "invalid_token");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db().agentToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    tokenId: row.id,
    name: row.name,
    shopId: row.shopId,
    shopDomain: row.shop.domain,
    shopCurrency: row.shop.currency,
    timeZone: row.shop.ianaTimezone,
    scopes: new Set(scopesOf(row)),
    limits: parseAgentLimits(row.limits),
    createdByUserId: row.createdByUserId,
  };
}
