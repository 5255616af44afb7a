// One evidence file on the dispute page: what it is, whether Checkout.com has it, and buttons to
// preview it in a modal or download it. The bytes come from the file route, fetched with the session
// token App Bridge adds to the app's own requests (a plain link would leave the embedded session).
import { Badge, Banner, Button, InlineStack, Modal, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";

export interface EvidenceFileView {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  generated: boolean;
  ckoFileId: string | null;
}

/** A file route's refusal: its HTTP status (404: the file is gone). */
class FileLoadError extends Error {
  constructor(readonly status: number) {
    super(`The file could not be loaded (${status}).`);
  }
}

async function fetchFile(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new FileLoadError(response.status);
  return response.blob();
}

export function EvidenceFileRow({ file, url, onRemove, removable }: { file: EvidenceFileView; url: string; onRemove?: () => void; removable: boolean }) {
  const { t } = useTranslation("disputes");
  const { locale } = useFormat();
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const failed = (e: unknown) =>
    setError(!(e instanceof FileLoadError) ? t("file.unreachable") : e.status === 404 ? t("file.gone") : t("file.loadFailed", { status: e.status }));
  // "17 KB", "1.5 MB" ("1,5 Mo" in French).
  const size =
    file.size < 1024 * 1024
      ? t("file.size.kb", { size: Math.max(1, Math.round(file.size / 1024)).toLocaleString(locale, { useGrouping: false }) })
      : t("file.size.mb", { size: (file.size / 1024 / 1024).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });

  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      setPreview(URL.createObjectURL(await fetchFile(url)));
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };
  const download = async () => {
    setError(null);
    try {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await fetchFile(`${url}?download=1`));
      link.download = file.filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      failed(e);
    }
  };

  return (
    <>
      <InlineStack gap="200" blockAlign="center" wrap>
        <Text as="span" fontWeight="medium">
          {file.filename}
        </Text>
        <Text as="span" tone="subdued">
          {size}
        </Text>
        <Badge>{file.generated ? t("file.generated") : t("file.attached")}</Badge>
        {file.ckoFileId ? <Badge tone="success">{t("file.uploaded")}</Badge> : <Badge>{t("file.notUploaded")}</Badge>}
        <Button variant="plain" onClick={open} loading={busy} accessibilityLabel={t("file.previewOf", { name: file.filename })}>
          {t("file.preview")}
        </Button>
        <Button variant="plain" onClick={download} accessibilityLabel={t("file.downloadOf", { name: file.filename })}>
          {t("file.download")}
        </Button>
        {removable && onRemove && (
          <Button variant="plain" tone="critical" onClick={onRemove} accessibilityLabel={t("file.removeOf", { name: file.filename })}>
            {t("file.remove")}
          </Button>
        )}
      </InlineStack>
      {error && <Banner tone="critical" title={error} />}
      <Modal open={preview !== null} onClose={() => setPreview(null)} title={file.filename} size="large">
        <Modal.Section>
          {preview &&
            (file.contentType === "application/pdf" ? (
              <iframe title={t("file.previewTitle", { name: file.filename })} src={preview} style={{ width: "100%", height: "70vh", border: 0 }} />
            ) : (
              <img alt={t("file.previewTitle", { name: file.filename })} src={preview} style={{ maxWidth: "100%" }} />
            ))}
        </Modal.Section>
      </Modal>
    </>
  );
}
