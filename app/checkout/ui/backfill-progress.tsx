// Home's card about the import from Checkout.com when the shop connected (app/checkout/backfill.server.ts):
// how far it got while it runs, what it brought in once done, and why it stopped, with a retry that
// posts the intent RETRY_IMPORT to the page's action (Home: retryCheckoutBackfill).
import { Banner, BlockStack, Button, ProgressBar, Text } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { IntentForm, ReplyBanner } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { BackfillProgress } from "../backfill.server";

export const RETRY_IMPORT = "retry-checkout-import";

type Found = { disputesFound: number; paymentsFound: number };

/** "3 open disputes" and "41 payments", each in its plural, for the sentences around them. */
const counts = (p: Found, t: TFunction<"checkout">) => ({
  disputes: t("import.count.openDisputes", { count: p.disputesFound }),
  payments: t("import.count.payments", { count: p.paymentsFound }),
});

function step(p: Extract<BackfillProgress, { state: "running" }>, t: TFunction<"checkout">): string {
  if (p.phase !== "disputes" && p.waitingForOrders) return t("import.step.waitingForOrders");
  const phase = p.phase === "disputes" ? "disputes" : "payments";
  return p.pages ? t(`import.step.${phase}Paged`, { page: Math.min(p.page, p.pages), pages: p.pages }) : t(`import.step.${phase}`);
}

export function BackfillProgressCard(props: {
  progress: BackfillProgress;
  /** Admins may retry (the guard is the action's). */
  canRetry: boolean;
  reply: Pick<FormReply, "intent" | "ok" | "message"> | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("checkout");
  const { progress, canRetry, reply, busy } = props;
  const { date } = useFormat();
  // After a retry the page shows the import going on again: the answer goes on top of that.
  const retried = reply?.intent === RETRY_IMPORT && progress.state !== "failed" ? <ReplyBanner reply={reply} /> : null;
  if (progress.state === "done") {
    return (
      <TitledCard title={t("import.title")}>
        {retried}
        <Text as="p">{t("import.done", { date: date(progress.finishedAt), ...counts(progress, t) })}</Text>
      </TitledCard>
    );
  }
  if (progress.state === "failed") {
    return (
      <Banner tone="critical" title={t("import.failed")}>
        <BlockStack gap="200">
          <p>{progress.error}</p>
          <p>{t("import.soFar", counts(progress, t))}</p>
          {canRetry && (
            <IntentForm intent={RETRY_IMPORT} reply={reply}>
              <Button submit loading={busy}>
                {t("import.retry")}
              </Button>
            </IntentForm>
          )}
        </BlockStack>
      </Banner>
    );
  }
  return (
    <TitledCard title={t("import.title")}>
      {retried}
      <Text as="p">{t("import.running", counts(progress, t))}</Text>
      <Text as="p" tone="subdued">
        {step(progress, t)}
      </Text>
      {progress.phase === "payments" && progress.pages && !progress.waitingForOrders && (
        <ProgressBar progress={Math.round(((progress.page - 1) / progress.pages) * 100)} size="small" />
      )}
      {progress.lastError && (
        <Text as="p" tone="caution">
          {t("import.retrying", { error: progress.lastError })}
        </Text>
      )}
    </TitledCard>
  );
}
