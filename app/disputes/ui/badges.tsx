// Status and deadline badges shared by the disputes list, the dispute page and the home screen.
import { Badge } from "@shopify/polaris";
import { countdown, statusBadge } from "../status";

export function DisputeStatusBadge({ status, responseState }: { status: string; responseState: string }) {
  if (responseState === "submitting") return <Badge tone="attention">Submitting</Badge>;
  if (responseState === "accepting") return <Badge tone="attention">Accepting</Badge>;
  const badge = statusBadge(status);
  return <Badge tone={badge.tone}>{badge.label}</Badge>;
}

/** "3 days left" (critical within 48 hours), or "Overdue". `now` comes from the server, so both agree. */
export function DeadlineBadge({ deadline, now }: { deadline: string | null; now: string }) {
  if (!deadline) return null;
  const left = countdown(deadline, new Date(now));
  return <Badge tone={left.overdue || left.urgent ? "critical" : "warning"}>{left.text}</Badge>;
}
