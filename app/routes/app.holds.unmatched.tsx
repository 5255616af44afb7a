import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { UnmatchedPaymentCard } from "../holds/ui/unmatched-payment-card";
import { linkPaymentByHand, listUnmatchedRisky } from "../holds/unmatched.server";
import { translator } from "../i18n/i18n";
import { formObject, readForm } from "../lib/form";
import { roleAllows } from "../shopify/roles";
import { requireStaff } from "../shopify/staff.server";

// The review queue's Unmatched tab: risky payments whose order was never found, linked here by hand.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const now = new Date();
  return { payments: await listUnmatchedRisky(staff.shopId, now), now: now.toISOString(), canLink: roleAllows(staff.role, "reviewer") };
};

const linkSchema = (t: TFunction<"holds">) =>
  z.object({
    paymentId: z.string().uuid(t("unmatched.unknownPayment")),
    order: z.string().trim().min(1, t("unmatched.nameOrder")).max(100, t("unmatched.notOrderName")),
  });

export const action = async ({ request }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "reviewer");
  const t = translator(reviewer.locale, "holds");
  const parsed = linkSchema(t).safeParse(formObject(await readForm(request)));
  if (!parsed.success) return json({ ok: false, message: parsed.error.issues[0].message }, { status: 400 });
  const result = await linkPaymentByHand(reviewer, parsed.data.paymentId, parsed.data.order);
  // The link's outcome in the staff member's words (the audit log keeps it in English).
  const message = t(`unmatched.link.${result.notice.key}`, result.notice.values ?? {});
  return json({ ok: result.ok, message }, { status: result.ok ? 200 : "notFound" in result && result.notFound ? 404 : 422 });
};

export default function UnmatchedPayments() {
  const { t } = useTranslation("holds");
  const { payments, now, canLink } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page backAction={{ content: t("queue.title"), url: "/app/holds" }} title={t("unmatched.title")} subtitle={t("unmatched.subtitle")}>
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            {payments.length === 0 ? (
              <Card>
                <Text as="p">{t("unmatched.empty")}</Text>
              </Card>
            ) : (
              payments.map((p) => <UnmatchedPaymentCard key={p.id} payment={p} now={now} canLink={canLink} />)
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
