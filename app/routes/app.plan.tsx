// Plan: the shop's plan and this month's usage, the plans side by side, and (admins) choosing a paid
// plan through Shopify's confirmation page or going back to Free (app/billing).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planOverview } from "../billing/billing.server";
import { cancelPlan, choosePlan } from "../billing/plan-change.server";
import { CurrentPlanCard, PlanCards } from "../billing/ui/plan-cards";
import { env } from "../env.server";
import { say, translator } from "../i18n/i18n";
import { formObject, readForm } from "../lib/form";
import { authenticate } from "../shopify.server";
import { roleAllows } from "../shopify/roles";
import { requireStaff } from "../shopify/staff.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  // Back from Shopify's confirmation page (it adds charge_id): ask Shopify now, not when the kept answer ages.
  const overview = await planOverview(staff.shopId, { refresh: new URL(request.url).searchParams.has("charge_id") });
  return { ...overview, role: staff.role, testCharges: env().BILLING_TEST };
};

const changeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("choose"), plan: z.enum(["growth", "plus"]) }),
  z.object({ intent: z.literal("cancel") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "admin");
  const parsed = changeSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return json({ ok: false, message: translator(staff.locale, "plan")("replies.invalid") }, { status: 400 });
  const { billing } = await authenticate.admin(request);
  const reply = parsed.data.intent === "choose" ? await choosePlan(staff, billing, parsed.data.plan) : await cancelPlan(staff, billing);
  // In the staff member's language; Shopify's reasons inside stay as Shopify wrote them.
  return json({ ok: reply.ok, message: reply.words ? say(staff.locale, reply.words) : reply.message }, { status: reply.status });
};

export default function PlanPage() {
  const { t } = useTranslation("plan");
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const admin = roleAllows(data.role, "admin");
  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && <Banner tone={result.ok ? "success" : "critical"} title={result.message} />}
            <CurrentPlanCard view={data} testCharges={data.testCharges} />
            <PlanCards current={data.plan} canChange={admin && data.plan !== "development"} />
            <Text as="p" tone="subdued">
              {admin ? t("page.paidPlans") : t("page.onlyAdmins")}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
