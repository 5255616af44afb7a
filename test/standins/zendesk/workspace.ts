// The agent workspace page: the ticket's conversation on the left, the app sidebar (320 px) on the right.
// Everything it loads is served by the stand-in itself.
import type { Ticket } from "./tickets";

export interface WorkspaceBootstrap {
  ticketId: number;
  appOrigin: string;
  context: Record<string, unknown>;
  /** The installed sidebar app, or null when none is installed. */
  app: {
    url: string;
    /** Non-secure settings only. */
    metadata: { appId: number; installationId: number; name: string; version: string; settings: Record<string, unknown> };
  } | null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function workspacePage(ticket: Ticket, boot: WorkspaceBootstrap): string {
  // JSON inside <script> must not be able to close the tag.
  const json = JSON.stringify(boot).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>#${ticket.id} ${escapeHtml(ticket.subject)} – Zendesk (local stand-in)</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #2f3941; background: #f8f9f9; }
  .topbar { height: 44px; display: flex; align-items: center; gap: 12px; padding: 0 16px; background: #03363d; color: #fff; font-weight: 600; }
  .topbar small { font-weight: 400; opacity: .75; }
  .layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; min-height: calc(100vh - 44px); }
  .ticket { padding: 16px 24px; min-width: 0; }
  .ticket h1 { font-size: 20px; margin: 0 0 4px; }
  .meta { color: #68737d; margin-bottom: 16px; }
  #conversation { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
  .comment { background: #fff; border: 1px solid #d8dcde; border-radius: 6px; padding: 10px 12px; }
  .comment.internal { background: #fff8ed; border-color: #ffd424; }
  .comment-head { font-size: 12px; color: #68737d; margin-bottom: 4px; }
  .comment-body { white-space: pre-wrap; overflow-wrap: anywhere; }
  .apps { width: 320px; border-left: 1px solid #d8dcde; background: #fff; }
  .apps h2 { margin: 0; padding: 10px 12px; font-size: 13px; border-bottom: 1px solid #d8dcde; background: #f8f9f9; }
  .apps h2 small { font-weight: 400; color: #68737d; }
  .no-apps { padding: 10px 12px; color: #68737d; }
  #app-frame { display: block; width: 320px; height: 200px; border: 0; }
</style>
</head>
<body>
<div class="topbar">Zendesk Support <small>local stand-in</small></div>
<div class="layout">
  <main class="ticket">
    <h1>${escapeHtml(ticket.subject)}</h1>
    <div class="meta">Ticket #${ticket.id} · ${escapeHtml(ticket.status)} · Requester: ${escapeHtml(ticket.requester.name)}${
      ticket.requester.email ? ` &lt;${escapeHtml(ticket.requester.email)}&gt;` : ""
    }</div>
    <ol id="conversation" aria-label="Conversation"></ol>
  </main>
  <aside class="apps" aria-label="Apps">${
    boot.app
      ? `
    <h2>${escapeHtml(boot.app.metadata.name)} <small>${escapeHtml(boot.app.metadata.version)}</small></h2>
    <iframe id="app-frame" title="${escapeHtml(boot.app.metadata.name)}"></iframe>`
      : `
    <p class="no-apps">No apps installed for this location.</p>`
  }
  </aside>
</div>
<script type="application/json" id="zaf-bootstrap">${json}</script>
<script src="/workspace.js"></script>
</body>
</html>`;
}
