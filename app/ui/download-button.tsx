// A button that downloads a file the app serves. Fetched, not linked: inside the Shopify admin, App
// Bridge adds the session token to the app's own fetches, while a plain link would carry none.
import { BlockStack, Button, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";

export function DownloadButton(props: {
  url: string;
  filename: string;
  label: string;
  accessibilityLabel?: string;
  disabled?: boolean;
  /** What a refused download says, by status (default: the status). */
  failure?: (status: number) => string;
}) {
  const { t } = useTranslation("ui");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(props.url);
      if (!response.ok) throw new Error(props.failure?.(response.status) ?? t("download.failed", { status: response.status }));
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = props.filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <BlockStack gap="100">
      <Button onClick={download} loading={busy} disabled={props.disabled} accessibilityLabel={props.accessibilityLabel}>
        {props.label}
      </Button>
      {error && (
        <Text as="span" tone="critical">
          {error}
        </Text>
      )}
    </BlockStack>
  );
}
