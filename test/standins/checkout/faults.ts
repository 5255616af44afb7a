// Switchable failures, so tests can see what the app does when Checkout.com rate-limits or breaks.
// A rule fails a fraction of matching requests (`rate`) or the next `count` of them. By default the
// request fails before anything happens; `when: "after"` lets the request act and then loses the
// answer (the money moved, the caller saw a 502): the case idempotency keys exist for.
// 401 stands for a key revoked while the app works (the answer of a wrong key, without changing keys).
export type FaultStatus = 401 | 429 | 500 | 502 | 503 | 504;

export interface FaultRule {
  status: FaultStatus;
  /** Share of matching requests that fail, 0..1. Default 1. */
  rate?: number;
  /** Fail only the next N matching requests. */
  count?: number;
  /** Only requests whose path matches. */
  paths?: RegExp;
  /** Only these methods (upper case). */
  methods?: string[];
  when?: "before" | "after";
}

export function createFaults(random: () => number = Math.random) {
  let rules: Array<FaultRule & { left?: number }> = [];
  let injected = 0;

  return {
    /** Replaces the current rules. */
    set(rule: FaultRule | FaultRule[]) {
      rules = (Array.isArray(rule) ? rule : [rule]).map((r) => ({ ...r, left: r.count }));
    },
    clear() {
      rules = [];
    },
    /** How many requests were failed on purpose so far. */
    get injected() {
      return injected;
    },
    /** The status to answer instead, or null to go on normally. */
    pick(method: string, path: string, when: "before" | "after"): FaultStatus | null {
      for (const rule of rules) {
        if ((rule.when ?? "before") !== when) continue;
        if (rule.methods && !rule.methods.includes(method)) continue;
        if (rule.paths && !new RegExp(rule.paths.source, rule.paths.flags.replace("g", "")).test(path)) continue;
        if (rule.left === 0) continue;
        if (random() >= (rule.rate ?? 1)) continue;
        if (rule.left !== undefined) rule.left--;
        injected++;
        return rule.status;
      }
      return null;
    },
  };
}
