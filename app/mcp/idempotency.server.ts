// The agent's own idempotency keys for the money tools (AgentRequest). A real call binds its key to
// the request (the tool and its arguments): the same key with the same request goes on, and the money
// service, keyed by the same key, answers with the first action (`repeated`); the same key with any
// other request is refused before anything is sent. Dry runs bind nothing.
import crypto from "node:crypto";
import type { AgentRequest } from "@prisma/client";
import { db, isUniqueViolation } from "../db.server";
import { ToolRefusal, type AuditSubject } from "./tool.server";
import type { AgentCaller } from "./tokens.server";

/** JSON with every object's keys sorted, so the same arguments always give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the tool's name and its arguments, leaving out dry_run and the key itself. */
function requestFingerprint(tool: string, args: Record<string, unknown>): string {
  const { dry_run: _dryRun, idempotency_key: _key, ...request } = args;
  return crypto
    .createHash("sha256")
    .update(`${tool}\n${canonicalJson(request)}`)
    .digest("hex");
}

export interface KeyUse {
  /** The tool the key was first used with. */
  tool: string;
  /** Whether the first use was this very request (a retry). */
  sameRequest: boolean;
  firstUsedAt: Date;
}

const useOf = (row: AgentRequest, fingerprint: string): KeyUse => ({
  tool: row.tool,
  sameRequest: row.fingerprint === fingerprint,
  firstUsedAt: row.createdAt,
});

/** How the token used `key` before (null: never). */
export async function earlierKeyUse(caller: Pick<AgentCaller, "tokenId">, key: string, tool: string, args: Record<string, unknown>): Promise<KeyUse | null> {
  const row = await db().agentRequest.findUnique({ where: { tokenId_key: { tokenId: caller.tokenId, key } } });
  return row ? useOf(row, requestFingerprint(tool, args)) : null;
}

/** The refusal for a key first used with another request. */
export function keyReuseRefusal(key: string, use: KeyUse, subject: AuditSubject = {}): ToolRefusal {
  return new ToolRefusal(
    `The idempotency_key "${key}" was already used with ${use.tool} for a different request, so nothing was sent. Use a new key for a new action, or repeat the first request exactly to get its result.`,
    subject,
  );
}

/**
 * Binds `key` to this request before it is sent; a concurrent or earlier use with the same request
 * goes on (the money service answers it once), with another request it is refused.
 */
export async function claimIdempotencyKey(
  caller: Pick<AgentCaller, "tokenId" | "shopId">,
  key: string,
  tool: string,
  args: Record<string, unknown>,
  subject: AuditSubject = {},
): Promise<void> {
  const fingerprint = requestFingerprint(tool, args);
  try {
    await db().agentRequest.create({ data: { shopId: caller.shopId, tokenId: caller.tokenId, key, tool, fingerprint } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const row = await db().agentRequest.findUniqueOrThrow({ where: { tokenId_key: { tokenId: caller.tokenId, key } } });
    const use = useOf(row, fingerprint);
    if (!use.sameRequest) throw keyReuseRefusal(key, use, subject);
  }
}
