// The review queue: undecided holds first, filtered and sorted (also by order age against the ship-by
// time), selected for bulk release, cancel or assignment; each bulk action reports what it left alone.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, Layout, Page, Select, TextField } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { holdLimitReached, holdUsage } from "../billing/billing.server";
import { HoldLimitBanner } from "../billing/ui/hold-limit-banner";
import { countDueToShip, listHolds, queueFiltersFrom, SORT_KEYS, STATUS_FILTER_KEYS } from "../holds/queue.server";
import { assignHolds, cancelHeldOrders, releaseHolds, type BulkResult } from "../holds/review-actions.server";
import { loadRiskRules } from "../holds/rules-settings.server";
import { HoldQueueTable } from "../holds/ui/hold-queue-table";
import { UnmatchedBanner } from "../holds/ui/unmatched-banner";
import { countUnmatchedRisky } from "../holds/unmatched.server";
import { say, translator } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { readForm } from "../lib/form";
import { assertRole, requireStaff } from "../shopify/staff.server";
import { ListFilters, PageLinks } from "../ui/list-page";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const reviewer = await requireStaff(request);
  const filters = queueFiltersFrom(new URL(request.url));
  const { shipBy } = await loadRiskRules(reviewer.shopId);
  const [page, unmatched, dueToShip, usage] = await Promise.all([
    listHolds(reviewer.shopId, filters, { userId: reviewer.userId, shipBy }),
    countUnmatchedRisky(reviewer.shopId),
    countDueToShip(reviewer.shopId, shipBy),
    holdUsage(reviewer.shopId),
  ]);
  return {
    ...page,
    unmatched,
    holdLimit: holdLimitReached(usage) ? { planName: usage.plan.name, used: usage.used, limit: usage.limit } : null,
    dueToShip,
    shipBy,
    filters,
    role: reviewer.role,
    statusFilters: STATUS_FILTER_KEYS,
    sorts: SORT_KEYS,
  };
};

const MAX_BULK = 250;

/** The bulk form, its messages in the staff member's language. */
function bulkSchema(t: TFunction<"holds">) {
  const holdIds = z
    .array(z.string().uuid(t("queue.bulk.unknownHold")))
    .min(1, t("queue.bulk.selectOne"))
    .max(MAX_BULK, t("queue.bulk.tooMany", { max: MAX_BULK }));
  return z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("release"), holdIds }),
    z.object({ intent: z.literal("cancel"), holdIds }),
    z.object({ intent: z.literal("assign"), holdIds, assignee: z.enum(["me", "nobody"], { message: t("queue.bulk.chooseAssignee") }) }),
  ]);
}

/** One sentence per outcome: what was done, what was left alone (decided meanwhile) and what failed. */
function bulkMessage(intent: "release" | "cancel" | "assign", result: BulkResult, t: TFunction<"holds">, locale: Locale): string {
  const done = result.done.length;
  const total = done + result.skipped.length + result.failed.length;
  // The reasons left alone and the failures are the review actions' own, said in the staff member's
  // language where they have words (a refusal from Shopify stays as Shopify wrote it).
  return [
    done
      ? t(`queue.bulk.${intent}Orders`, { done, total, orders: result.done.map((r) => r.orderName).join(", ") })
      : t(`queue.bulk.${intent}`, { done, total }),
    ...result.skipped.map((s) => t("queue.bulk.skipped", { why: s.whyWords ? say(locale, s.whyWords) : s.why })),
    ...result.failed.map((f) =>
      t("queue.bulk.failed", {
        order: f.orderWords ? say(locale, f.orderWords) : f.orderName,
        message: f.words ? say(locale, f.words) : f.message,
      }),
    ),
  ].join(" ");
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "reviewer");
  const t = translator(reviewer.locale, "holds");
  const form = await readForm(request);
  // Canceling moves money (refunds and voids): Finance.
  if (form.get("intent") === "cancel") assertRole(reviewer, "finance");
  const parsed = bulkSchema(t).safeParse({ intent: form.get("intent"), holdIds: form.getAll("holdId"), assignee: form.get("assignee") ?? undefined });
  if (!parsed.success) return json({ ok: false as const, message: parsed.error.issues[0].message }, { status: 400 });
  const input = parsed.data;
  let result: BulkResult;
  switch (input.intent) {
    case "release":
      result = await releaseHolds(reviewer, input.holdIds);
      break;
    case "cancel":
      result = await cancelHeldOrders(reviewer, input.holdIds);
      break;
    case "assign":
      if (input.assignee === "me" && !reviewer.userId) return json({ ok: false as const, message: t("queue.bulk.whoAreYou") }, { status: 422 });
      result = await assignHolds(reviewer, input.holdIds, input.assignee === "me" ? reviewer.userId : null);
      break;
  }
  const ok = result.failed.length === 0 && result.skipped.length === 0;
  return json({ ok, message: bulkMessage(input.intent, result, t, reviewer.locale) }, { status: result.done.length === 0 && result.failed.length ? 422 : 200 });
};

export default function HoldsQueue() {
  const { t } = useTranslation("holds");
  const data = useLoaderData<typeof loader>();
  const { filters, unmatched, dueToShip, shipBy, holdLimit } = data;
  const result = useActionData<typeof action>();
  const [status, setStatus] = useState<string>(filters.status);
  const [confidence, setConfidence] = useState<string>(filters.confidence);
  const [assignee, setAssignee] = useState<string>(filters.assignee);
  const [sort, setSort] = useState<string>(filters.sort);
  const [q, setQ] = useState(filters.q);
  const due = dueToShip.dueSoon + dueToShip.overdue;
  const overdue = dueToShip.overdue ? t("queue.due.overdue", { count: dueToShip.overdue }) : "";
  const dueSoon = dueToShip.dueSoon ? t("queue.due.dueSoon", { count: dueToShip.dueSoon, hours: shipBy.warningHours }) : "";

  return (
    <Page
      title={t("queue.title")}
      subtitle={t("queue.subtitle")}
      secondaryActions={[{ content: t("queue.unmatchedAction", { count: unmatched }), url: "/app/holds/unmatched" }]}
    >
      <Layout>
        {holdLimit && (
          <Layout.Section>
            <HoldLimitBanner usage={holdLimit} />
          </Layout.Section>
        )}
        {unmatched > 0 && (
          <Layout.Section>
            <UnmatchedBanner count={unmatched} />
          </Layout.Section>
        )}
        {due > 0 && (
          <Layout.Section>
            <Banner
              tone={dueToShip.overdue ? "critical" : "warning"}
              title={overdue && dueSoon ? t("queue.due.both", { overdue, dueSoon }) : overdue || dueSoon}
              action={{ content: t("queue.due.action"), url: "/app/holds?status=open&sort=order_age" }}
            >
              <p>{t("queue.due.body", { hours: shipBy.hours ?? "" })}</p>
            </Banner>
          </Layout.Section>
        )}
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "warning"} title={result.message} />
          </Layout.Section>
        )}
        <ListFilters>
          <Select
            label={t("queue.filters.status")}
            name="status"
            options={data.statusFilters.map((value) => ({ value, label: t(`queue.statusFilter.${value}`) }))}
            value={status}
            onChange={setStatus}
          />
          <Select
            label={t("queue.filters.match")}
            name="confidence"
            options={[
              { label: t("queue.filters.matchAny"), value: "any" },
              { label: t("queue.filters.matchWeak"), value: "weak" },
              { label: t("queue.filters.matchStrong"), value: "strong" },
            ]}
            value={confidence}
            onChange={setConfidence}
          />
          <Select
            label={t("queue.filters.assignee")}
            name="assignee"
            options={[
              { label: t("queue.filters.assigneeAny"), value: "any" },
              { label: t("queue.filters.assigneeMe"), value: "me" },
              { label: t("queue.filters.assigneeNobody"), value: "unassigned" },
            ]}
            value={assignee}
            onChange={setAssignee}
          />
          <Select
            label={t("queue.filters.sort")}
            name="sort"
            options={data.sorts.map((value) => ({ value, label: t(`queue.sort.${value}`) }))}
            value={sort}
            onChange={setSort}
          />
          <TextField
            label={t("queue.filters.search")}
            name="q"
            value={q}
            onChange={setQ}
            autoComplete="off"
            placeholder={t("queue.filters.searchPlaceholder")}
          />
        </ListFilters>
        <HoldQueueTable holds={data.holds} role={data.role} />
        <PageLinks page={filters.page} hasNext={filters.page < data.pages} pages={data.pages} total={t("queue.total", { count: data.total })} />
      </Layout>
    </Page>
  );
}
