// Previous/next links for a list paged by the `page` search parameter; the other parameters (filters)
// are kept. Renders nothing when there is only one page.
import { useSearchParams } from "@remix-run/react";
import { InlineStack, Layout, Pagination } from "@shopify/polaris";

export function PageLinks({ page, hasNext }: { page: number; hasNext: boolean }) {
  const [params] = useSearchParams();
  if (page <= 1 && !hasNext) return null;
  const url = (to: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(to));
    return `?${next}`;
  };
  return (
    <Layout.Section>
      <InlineStack align="center">
        <Pagination hasPrevious={page > 1} previousURL={url(page - 1)} hasNext={hasNext} nextURL={url(page + 1)} label={`Page ${page}`} />
      </InlineStack>
    </Layout.Section>
  );
}
