import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import ZAFClient from "zendesk_app_framework_sdk";
import { Sidebar } from "./App";
import type { ZafClient } from "./zaf";

const container = document.getElementById("root");
if (!container) throw new Error("iframe.html has no #root element");

// init() answers false outside Zendesk (no origin/app_guid in the URL).
const client = ZAFClient.init() as ZafClient | false;
if (client) {
  createRoot(container).render(
    <StrictMode>
      <Sidebar client={client} />
    </StrictMode>,
  );
} else {
  container.textContent = "Open this app from a ticket in Zendesk Support.";
}
