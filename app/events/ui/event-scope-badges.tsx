// Beside an event: the environment it came from when that is the sandbox, and why it did not act
// when it was kept aside (another environment is active, or another processing channel).
import { Badge } from "@shopify/polaris";
import { SKIPPED_LABELS } from "../inbox-view";

export function EventScopeBadges({ environment, skipped }: { environment: string; skipped: string | null }) {
  return (
    <>
      {environment === "sandbox" && <Badge tone="attention">Sandbox</Badge>}
      {skipped && <Badge tone="warning">{SKIPPED_LABELS[skipped] ?? skipped}</Badge>}
    </>
  );
}
