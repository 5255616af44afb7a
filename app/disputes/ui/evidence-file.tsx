// One evidence file on the dispute page: what it is, whether Checkout.com has it, and buttons to
// preview it in a modal or download it. The bytes come from the file route, fetched with the session
// token App Bridge adds to the app's own requests (a plain link would leave the embedded session).
import { Badge, Banner, Button, InlineStack, Modal, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";

export interface EvidenceFileView {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  generated: boolean;
  ckoFileId: string | null;
}

const kilobytes = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

async function fetchFile(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(response.status === 404 ? "This file no longer exists." : `The file could not be loaded (${response.status}).`);
  return response.blob();
}

export function EvidenceFileRow({ file, url, onRemove, removable }: { file: EvidenceFileView; url: string; onRemove?: () => void; removable: boolean }) {
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      setPreview(URL.createObjectURL(await fetchFile(url)));
    } catch (e) {
      setError((e as Error).message);
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
      setError((e as Error).message);
    }
  };

  return (
    <>
      <InlineStack gap="200" blockAlign="center" wrap>
        <Text as="span" fontWeight="medium">
          {file.filename}
        </Text>
        <Text as="span" tone="subdued">
          {kilobytes(file.size)}
        </Text>
        <Badge>{file.generated ? "Built from the order" : "Attached by you"}</Badge>
        {file.ckoFileId ? <Badge tone="success">Uploaded to Checkout.com</Badge> : <Badge>Not uploaded yet</Badge>}
        <Button variant="plain" onClick={open} loading={busy} accessibilityLabel={`Preview ${file.filename}`}>
          Preview
        </Button>
        <Button variant="plain" onClick={download} accessibilityLabel={`Download ${file.filename}`}>
          Download
        </Button>
        {removable && onRemove && (
          <Button variant="plain" tone="critical" onClick={onRemove} accessibilityLabel={`Remove ${file.filename}`}>
            Remove
          </Button>
        )}
      </InlineStack>
      {error && <Banner tone="critical" title={error} />}
      <Modal open={preview !== null} onClose={() => setPreview(null)} title={file.filename} size="large">
        <Modal.Section>
          {preview &&
            (file.contentType === "application/pdf" ? (
              <iframe title={`Preview of ${file.filename}`} src={preview} style={{ width: "100%", height: "70vh", border: 0 }} />
            ) : (
              <img alt={`Preview of ${file.filename}`} src={preview} style={{ maxWidth: "100%" }} />
            ))}
        </Modal.Section>
      </Modal>
    </>
  );
}
