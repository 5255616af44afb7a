// The agent workspace's side of the ZAF protocol, in the browser (served by the Zendesk stand-in).
// The app iframe's SDK posts JSON strings to this window; this script answers them the way Zendesk's
// framework does, asking the stand-in's server for ticket data and for proxied requests, and relays
// server-side events (ticket changes) to the app. It never holds a secure setting.
(() => {
  const boot = JSON.parse(document.getElementById("zaf-bootstrap").textContent);
  const frame = document.getElementById("app-frame");
  const subscriptions = new Set();

  const send = (message) => frame && frame.contentWindow.postMessage(JSON.stringify(message), boot.appOrigin);
  const post = async (path, body) => {
    const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return response.json();
  };

  function emit(name, data) {
    if (subscriptions.has(name)) send({ key: `zaf.${name}`, message: data });
  }

  async function answerCall(data) {
    if (data.request === "get") return post("/zaf/get", { ticketId: boot.ticketId, paths: data.params });
    if (data.request === "set") return post("/zaf/set", { ticketId: boot.ticketId, values: data.params });
    if (data.request === "invoke") {
      const result = { errors: {} };
      for (const [name, args] of Object.entries(data.params)) {
        if (name === "resize" && args[0] && args[0].height) frame.style.height = args[0].height;
        else result.errors[name] = { name: "Error", message: `"${name}" is not available in this location` };
      }
      return { result };
    }
    return { error: { name: "Error", message: `Unknown request ${data.request}` } };
  }

  function xhrLike(answer) {
    const xhr = { status: answer.status, statusText: answer.statusText, responseText: answer.responseText };
    if ((answer.contentType || "").includes("json")) {
      try {
        xhr.responseJSON = JSON.parse(answer.responseText);
      } catch {
        // not JSON after all: the app reads responseText
      }
    }
    return xhr;
  }

  // Zendesk API calls run in the agent's own session; anything else goes through the proxy.
  async function performRequest(options) {
    const own = typeof options.url === "string" && options.url.startsWith("/api/v2/");
    let answer;
    if (own) {
      const response = await fetch(options.url, {
        method: options.type || "GET",
        headers: options.contentType ? { "Content-Type": options.contentType } : {},
        body: options.type && options.type !== "GET" ? options.data : undefined,
      });
      answer = {
        status: response.status,
        statusText: response.statusText,
        contentType: response.headers.get("content-type"),
        responseText: await response.text(),
      };
    } else {
      answer = await post("/zaf/request", { ticketId: boot.ticketId, options });
    }
    const xhr = xhrLike(answer);
    if (answer.status >= 200 && answer.status < 300) {
      return { ok: true, args: [xhr.responseJSON !== undefined ? xhr.responseJSON : answer.responseText, "success", xhr] };
    }
    return { ok: false, args: [xhr, "error", answer.statusText] };
  }

  window.addEventListener("message", async (event) => {
    if (!frame || event.source !== frame.contentWindow || event.origin !== boot.appOrigin) return;
    let data;
    try {
      data = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
    } catch {
      return;
    }
    if (data.request) {
      const reply = await answerCall(data);
      send({ id: data.id, ...reply });
      return;
    }
    const key = data.key || "";
    if (key === "iframe.handshake") {
      send({ key: "zaf.app.registered", message: { context: boot.context, metadata: boot.app.metadata } });
    } else if (key.startsWith("iframe.on:")) {
      subscriptions.add(key.slice("iframe.on:".length));
    } else if (key.startsWith("iframe.off:")) {
      if (!data.message || data.message.subscriberCount === 0) subscriptions.delete(key.slice("iframe.off:".length));
    } else if (key.startsWith("request:")) {
      const result = await performRequest(data.message || {});
      send({ key: `zaf.${key}.${result.ok ? "done" : "fail"}`, message: { responseArgs: result.args } });
    }
  });

  async function renderConversation() {
    const response = await fetch(`/api/v2/tickets/${boot.ticketId}/comments.json?include=users`);
    const { comments, users } = await response.json();
    const names = new Map(users.map((u) => [u.id, u.name]));
    const list = document.getElementById("conversation");
    list.replaceChildren(
      ...comments.map((c) => {
        const item = document.createElement("li");
        item.className = c.public ? "comment" : "comment internal";
        item.dataset.public = String(c.public);
        const head = document.createElement("div");
        head.className = "comment-head";
        head.textContent = `${names.get(c.author_id) || "Unknown"}${c.public ? "" : " · Internal note"} · ${new Date(c.created_at).toLocaleString("en-GB")}`;
        const body = document.createElement("div");
        body.className = "comment-body";
        body.textContent = c.body;
        item.append(head, body);
        return item;
      }),
    );
  }

  // Server-side changes (a note added, a field changed, a test's event): show them, tell the app.
  const events = new EventSource(`/zaf/events?ticket=${boot.ticketId}`);
  events.onmessage = (message) => {
    const { name, data } = JSON.parse(message.data);
    if (name === "ticket.updated") void renderConversation();
    emit(name, data);
  };

  window.zendeskStandIn = { subscriptions, emit };
  void renderConversation();
  // Only now load the app, so its handshake cannot arrive before the listener above exists.
  if (frame) frame.src = boot.app.url;
})();
