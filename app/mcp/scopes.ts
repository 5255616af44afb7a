// What an agent token may do (app/mcp, docs/decisions/0022). Each scope needs the staff role that may do
// the same in the admin (app/shopify/roles.ts): a token never does more than its maker may do now.
// Browser-safe: the Settings screen lists them; their names and descriptions there are translations
// (`settings:agents.scopes.<scope>`).
import type { StaffRole } from "../shopify/roles";

export const AGENT_SCOPES = ["read", "refund", "void_capture", "evidence", "risk_lists", "holds", "customers"] as const;
export type AgentScope = (typeof AGENT_SCOPES)[number];

export const isAgentScope = (value: unknown): value is AgentScope => AGENT_SCOPES.includes(value as AgentScope);

/** The role a scope needs, as the admin's guard asks it for the same action. */
export const SCOPE_ROLES: Record<AgentScope, StaffRole> = {
  read: "viewer",
  refund: "finance",
  void_capture: "finance",
  evidence: "finance",
  risk_lists: "reviewer",
  holds: "reviewer",
  customers: "reviewer",
};

/** In English, for the tools' refusals and descriptions. */
export const SCOPE_LABELS: Record<AgentScope, string> = {
  read: "read",
  refund: "refund",
  void_capture: "void and capture",
  evidence: "evidence",
  risk_lists: "risk lists",
  holds: "holds",
  customers: "customers",
};
