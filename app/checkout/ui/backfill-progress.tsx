// Home's card about the import from Checkout.com when the shop connected (app/checkout/backfill.server.ts):
// how far it got while it runs, what it brought in once done, and why it stopped, with a retry that
// posts the intent RETRY_IMPORT to the page's action (Home: retryCheckoutBackfill).
import { Banner, BlockStack, Button, ProgressBar, Text } from "@shopify/polaris";
import { IntentForm, ReplyBanner } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { BackfillProgress } from "../backfill.server";

export const RETRY_IMPORT = "retry-checkout-import";

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const found = (p: { disputesFound: number; paymentsFound: number }) =>
  `${count(p.disputesFound, "open dispute", "open disputes")}, ${count(p.paymentsFound, "payment", "payments")} found`;

function step(p: Extract<BackfillProgress, { state: "running" }>): string {
  const of = p.pages ? ` (page ${Math.min(p.page, p.pages)} of ${p.pages})` : "";
  if (p.phase === "disputes") return `Reading your open disputes${of}.`;
  if (p.waitingForOrders) return "Waiting for your recent Shopify orders to be read first.";
  return `Finding the payments of your orders of the last 30 days${of}.`;
}

export function BackfillProgressCard(props: {
  progress: BackfillProgress;
  /** Admins may retry (the guard is the action's). */
  canRetry: boolean;
  reply: Pick<FormReply, "intent" | "ok" | "message"> | undefined;
  busy: boolean;
}) {
  const { progress, canRetry, reply, busy } = props;
  const { date } = useFormat();
  // After a retry the page shows the import going on again: the answer goes on top of that.
  const retried = reply?.intent === RETRY_IMPORT && progress.state !== "failed" ? <ReplyBanner reply={reply} /> : null;
  if (progress.state === "done") {
    return (
      <TitledCard title="Import from Checkout.com">
        {retried}
        <Text as="p">
          Imported on {date(progress.finishedAt)}: {count(progress.disputesFound, "open dispute", "open disputes")} and{" "}
          {count(progress.paymentsFound, "payment", "payments")} from before the app was connected.
        </Text>
      </TitledCard>
    );
  }
  if (progress.state === "failed") {
    return (
      <Banner tone="critical" title="The import from Checkout.com stopped">
        <BlockStack gap="200">
          <p>{progress.error}</p>
          <p>So far: {found(progress)}.</p>
          {canRetry && (
            <IntentForm intent={RETRY_IMPORT} reply={reply}>
              <Button submit loading={busy}>
                Retry
              </Button>
            </IntentForm>
          )}
        </BlockStack>
      </Banner>
    );
  }
  return (
    <TitledCard title="Import from Checkout.com">
      {retried}
      <Text as="p">Importing from Checkout.com: {found(progress)}.</Text>
      <Text as="p" tone="subdued">
        {step(progress)}
      </Text>
      {progress.phase === "payments" && progress.pages && !progress.waitingForOrders && (
        <ProgressBar progress={Math.round(((progress.page - 1) / progress.pages) * 100)} size="small" />
      )}
      {progress.lastError && (
        <Text as="p" tone="caution">
          {progress.lastError} The import goes on by itself.
        </Text>
      )}
    </TitledCard>
  );
}
