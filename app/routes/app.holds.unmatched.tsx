import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { UnmatchedPaymentCard } from "../holds/ui/unmatched-payment-card";
import { linkPaymentByHand, listUnmatchedRisky } from "../holds/unmatched.server";
import { formObject, readForm } from "../lib/form";
import { roleAllows } from "../shopify/roles";
import { requireStaff } from "../shopify/staff.server";

// The review queue's Unmatched tab: risky payments whose order was never found, linked here by hand.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const now = new Date();
  return { payments: await listUnmatchedRisky(staff.shopId, now), now: now.toISOString(), canLink: roleAllows(staff.role, "reviewer") };
};

const linkSchema = z.object({
  paymentId: z.string().uuid("Unknown payment."),
  order: z.string().trim().min(1, "Name the order: #1001, its number or its id.").max(100, "That is not an order name."),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "reviewer");
  const parsed = linkSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return json({ ok: false, message: parsed.error.issues[0].message }, { status: 400 });
  const result = await linkPaymentByHand(reviewer, parsed.data.paymentId, parsed.data.order);
  return json({ ok: result.ok, message: result.message }, { status: result.ok ? 200 : "notFound" in result && result.notFound ? 404 : 422 });
};

export default function UnmatchedPayments() {
  const { payments, now, canLink } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page
      backAction={{ content: "Risk holds", url: "/app/holds" }}
      title="Unmatched risky payments"
      subtitle="Risky payments whose Shopify order was not found, so nothing could be held"
    >
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
                <Text as="p">No risky payment is waiting for its order.</Text>
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
