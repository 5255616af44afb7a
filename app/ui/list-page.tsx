// The parts every list screen (payments, events, risk holds, disputes) is made of: the filter card,
// the table with its empty state, and the page links (by page number or by cursor). The screens keep
// their columns and rows.
import { Form, useSearchParams } from "@remix-run/react";
import { BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Layout, Pagination, Text, type IndexTableProps } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import emptyListImage from "./empty-list.svg";

/** The filters above a list: a GET form (the filters live in the URL), its fields side by side. */
export function ListFilters({ children, submitLabel }: { children: ReactNode; submitLabel?: string }) {
  const { t } = useTranslation("ui");
  return (
    <Layout.Section>
      <Card>
        <Form method="get">
          <InlineStack gap="300" blockAlign="end" wrap>
            {children}
            <Button submit>{submitLabel ?? t("list.applyFilters")}</Button>
          </InlineStack>
        </Form>
      </Card>
    </Layout.Section>
  );
}

type ListTableProps = Omit<IndexTableProps, "itemCount"> & {
  itemCount: number;
  /** What an empty list says: a heading and a sentence on when items appear. */
  empty: { heading: string; body: ReactNode };
};

/** The list's table, or its empty state when there is nothing to show. Unselectable unless told. */
export function ListTable({ empty, selectable = false, ...table }: ListTableProps) {
  return (
    <Layout.Section>
      <Card padding="0">
        {table.itemCount === 0 ? (
          <EmptyState heading={empty.heading} image={emptyListImage}>
            <p>{empty.body}</p>
          </EmptyState>
        ) : (
          <IndexTable selectable={selectable} {...table} />
        )}
      </Card>
    </Layout.Section>
  );
}

/**
 * Previous/next links for a list paged by the `page` search parameter; the other parameters (the
 * filters) are kept. With `pages` it says "Page 2 of 5", and with `total` how many there are in all:
 * the screen's own translated text ("12 holds", a plural message of its namespace).
 * Renders nothing for a single page without a total.
 */
export function PageLinks({ page, hasNext, pages, total }: { page: number; hasNext: boolean; pages?: number; total?: string }) {
  const { t } = useTranslation("ui");
  const [params] = useSearchParams();
  const paged = page > 1 || hasNext;
  if (!paged && !total) return null;
  const url = (to: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(to));
    return `?${next}`;
  };
  return (
    <Layout.Section>
      <BlockStack gap="200" inlineAlign="center">
        {total && (
          <Text as="p" tone="subdued">
            {total}
          </Text>
        )}
        {paged && (
          <Pagination
            hasPrevious={page > 1}
            previousURL={url(page - 1)}
            hasNext={hasNext}
            nextURL={url(page + 1)}
            label={pages ? t("list.pageOf", { page, pages }) : t("list.page", { page })}
          />
        )}
      </BlockStack>
    </Layout.Section>
  );
}

/**
 * Newer/older links for a list paged by cursors (`before`, `after`: app/lib/list-params.ts); the other
 * parameters (the filters) are kept. Renders nothing when the list fits one page.
 */
export function CursorLinks({ previous, next }: { previous: string | null; next: string | null }) {
  const [params] = useSearchParams();
  if (!previous && !next) return null;
  const url = (side: "before" | "after", cursor: string | null) => {
    if (!cursor) return undefined;
    const to = new URLSearchParams(params);
    to.delete("before");
    to.delete("after");
    to.set(side, cursor);
    return `?${to}`;
  };
  return (
    <Layout.Section>
      <BlockStack inlineAlign="center">
        <Pagination hasPrevious={Boolean(previous)} previousURL={url("before", previous)} hasNext={Boolean(next)} nextURL={url("after", next)} />
      </BlockStack>
    </Layout.Section>
  );
}
