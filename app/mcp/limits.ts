// An agent token's money limits (AgentToken.limits): per currency, at most so much per action and per
// rolling 24 hours, in minor units. Browser-safe: the Settings screen shows them.
import { z } from "zod";

export const agentLimitsSchema = z.record(
  z.string().regex(/^[A-Z]{3}$/),
  z.object({ perAction: z.number().int().positive().nullable(), perDay: z.number().int().positive().nullable() }),
);
export type AgentLimits = z.infer<typeof agentLimitsSchema>;

/** The stored JSON, read leniently: a row that does not parse limits everything (nothing may move). */
export function parseAgentLimits(json: string): AgentLimits | null {
  try {
    const parsed = agentLimitsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
