// Status and deadline badges shared by the disputes list, the dispute page and the home screen.
import { Badge } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { statusBadge } from "../status";
import { useDisputeWords } from "./labels";

export function DisputeStatusBadge({ status, responseState }: { status: string; responseState: string }) {
  const { t } = useTranslation("disputes");
  const words = useDisputeWords();
  if (responseState === "submitting") return <Badge tone="attention">{t("response.submitting")}</Badge>;
  if (responseState === "accepting") return <Badge tone="attention">{t("response.accepting")}</Badge>;
  return <Badge tone={statusBadge(status).tone}>{words.status(status)}</Badge>;
}

/** "3 days left" (critical within 48 hours), or "Overdue". `now` comes from the server, so both agree. */
export function DeadlineBadge({ deadline, now }: { deadline: string | null; now: string }) {
  const words = useDisputeWords();
  if (!deadline) return null;
  const left = words.timeLeft(deadline, new Date(now));
  return <Badge tone={left.overdue || left.urgent ? "critical" : "warning"}>{left.text}</Badge>;
}
