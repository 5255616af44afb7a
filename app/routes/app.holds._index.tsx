import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { formatDateTime } from "../lib/dates";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, IndexTable, InlineStack, Layout, Page, Select, Text, TextField, useIndexResourceState } from "@shopify/polaris";
import { useState } from "react";
import { ListFilters, ListTable, PageLinks } from "../ui/list-page";
import { z } from "zod";
import { listHolds, queueFiltersFrom, RULE_LABELS, SORTS, STATUS_FILTERS } from "../holds/queue.server";
import { releaseHolds } from "../holds/review-actions.server";
import { requireStaff } from "../shopify/staff.server";
import { HOLD_STATUS_BADGES } from "../holds/status-badges";
import { readForm } from "../lib/form";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const reviewer = await requireStaff(request);
  const filters = queueFiltersFrom(new URL(request.url));
  const page = await listHolds(reviewer.shopId, filters);
  return {
    ...page,
    filters,
    ruleLabels: RULE_LABELS,
    statusOptions: Object.entries(STATUS_FILTERS).map(([value, f]) => ({ value, label: f.label })),
    sortOptions: Object.entries(SORTS).map(([value, s]) => ({ value, label: s.label })),
  };
};

const bulkSchema = z.object({
  intent: z.literal("release"),
  holdIds: z.array(z.string().uuid("Unknown hold.")).min(1, "Select at least one hold.").max(250, "Release at most 250 holds at a time."),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "reviewer");
  const form = await readForm(request);
  const parsed = bulkSchema.safeParse({ intent: form.get("intent"), holdIds: form.getAll("holdId") });
  if (!parsed.success) return json({ ok: false as const, message: parsed.error.issues[0].message }, { status: 400 });
  const results = await releaseHolds(reviewer, parsed.data.holdIds);
  const failed = results.filter((r) => !r.ok);
  const released = results.length - failed.length;
  const message = failed.length
    ? `Released ${released} of ${results.length}. Not released: ${failed.map((f) => f.message).join(" ")}`
    : `Released ${released} hold${released === 1 ? "" : "s"}.`;
  return json({ ok: failed.length === 0, message }, { status: failed.length && !released ? 422 : 200 });
};

export default function HoldsQueue() {
  const { holds, total, pages, filters, ruleLabels, statusOptions, sortOptions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [status, setStatus] = useState<string>(filters.status);
  const [confidence, setConfidence] = useState<string>(filters.confidence);
  const [sort, setSort] = useState<string>(filters.sort);
  const [q, setQ] = useState(filters.q);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(holds);
  const releasing = navigation.state !== "idle" && navigation.formData?.get("intent") === "release";

  const releaseSelected = () => {
    const form = new FormData();
    form.set("intent", "release");
    for (const id of selectedResources) form.append("holdId", id);
    submit(form, { method: "post" });
    clearSelection();
  };

  return (
    <Page title="Risk holds" subtitle="Orders held for review because of the payment's risk">
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        <ListFilters>
          <Select label="Status" name="status" options={statusOptions} value={status} onChange={setStatus} />
          <Select
            label="Order match"
            name="confidence"
            options={[
              { label: "Any", value: "any" },
              { label: "Weak (needs a look)", value: "weak" },
              { label: "Strong", value: "strong" },
            ]}
            value={confidence}
            onChange={setConfidence}
          />
          <Select label="Sort by" name="sort" options={sortOptions} value={sort} onChange={setSort} />
          <TextField label="Search" name="q" value={q} onChange={setQ} autoComplete="off" placeholder="Order, email, name or pay_ id" />
        </ListFilters>
        <ListTable
          empty={{ heading: "No holds here", body: "Orders the risk rules hold appear here. Change the filters to see released or cancelled ones." }}
          selectable
          resourceName={{ singular: "hold", plural: "holds" }}
          itemCount={holds.length}
          selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
          onSelectionChange={handleSelectionChange}
          loading={releasing}
          promotedBulkActions={[{ content: "Release selected holds", onAction: releaseSelected }]}
          headings={[
            { title: "Order" },
            { title: "Customer" },
            { title: "Amount", alignment: "end" },
            { title: "Rules" },
            { title: "Risk score", alignment: "end" },
            { title: "Match" },
            { title: "Status" },
            { title: "Decided" },
          ]}
        >
          {holds.map((h, position) => (
            <IndexTable.Row
              id={h.id}
              key={h.id}
              position={position}
              selected={selectedResources.includes(h.id)}
              accessibilityLabel={`Select hold on order ${h.orderName}`}
            >
              <IndexTable.Cell>
                <Link to={`/app/holds/${h.id}`} data-primary-link>
                  <Text as="span" fontWeight="semibold">
                    {h.orderName}
                  </Text>
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>{h.customer}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {h.amount}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  {h.rules.map((rule) => (
                    <Badge key={rule}>{ruleLabels[rule]}</Badge>
                  ))}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {h.riskScore ?? "–"}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{h.weakMatch ? <Badge tone="warning">Weak match</Badge> : <Badge>Strong</Badge>}</IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={HOLD_STATUS_BADGES[h.status]?.tone}>{HOLD_STATUS_BADGES[h.status]?.label ?? h.status}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>{formatDateTime(h.decidedAt)}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>
        <PageLinks page={filters.page} hasNext={filters.page < pages} pages={pages} total={{ count: total, noun: "hold" }} />
      </Layout>
    </Page>
  );
}
