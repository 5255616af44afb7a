// The demo's control page: a button (and an endpoint for `npm run demo:events`) that sends a
// realistic stream of Checkout.com events into the running demo.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { CheckoutStandIn } from "../standins/checkout/server";
import { paymentFor, type DemoOrder } from "./seed";

const MIX = ["captured", "captured", "approved", "approved_flagged", "soft_decline", "hard_decline", "risk_decline", "refunded"] as const;

/** Plays `count` scenarios over the demo orders: mostly good payments, some flagged, some declined. */
export async function sendEventStream(checkout: CheckoutStandIn, orders: DemoOrder[], count: number) {
  const played: Array<{ scenario: string; paymentId: string }> = [];
  for (let i = 0; i < count; i++) {
    const scenario = MIX[i % MIX.length];
    const order = orders[i % orders.length];
    const { payment } = await checkout.scenarios.play(scenario, {
      account: "demo",
      payment: paymentFor(order, { reference: `stream-${Date.now()}-${i}`, ...(scenario === "approved_flagged" ? { riskScore: 88 } : {}) }),
    });
    played.push({ scenario, paymentId: payment.fixture.id });
  }
  return played;
}

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo controls</title>
<style>body{font:15px system-ui,sans-serif;margin:40px;max-width:640px;color:#303030}button{font:inherit;padding:8px 16px;border-radius:8px;border:1px solid #8a8a8a;background:#303030;color:#fff;cursor:pointer}button:disabled{opacity:.5}pre{background:#f3f3f3;padding:12px;border-radius:8px;white-space:pre-wrap}</style></head>
<body><h1>Checkout.com Companion demo</h1>
<p>Sends signed Checkout.com webhooks (approvals, risk flags, declines, captures, refunds) to the app, as Checkout.com would.</p>
<label>Events to send <input id="count" type="number" min="1" max="200" value="16"></label>
<button id="send" type="button">Send a stream of events</button><pre id="out" aria-live="polite"></pre>
<script>
document.getElementById('send').onclick = async (e) => {
  e.target.disabled = true; const out = document.getElementById('out'); out.textContent = 'Sending...';
  try { const r = await fetch('/stream', {method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify({count: Number(document.getElementById('count').value)})});
    const j = await r.json(); out.textContent = r.ok ? 'Sent ' + j.played.length + ' payments:\\n' + j.played.map(p => p.scenario + '  ' + p.paymentId).join('\\n') : j.error; }
  catch (err) { out.textContent = String(err); } finally { e.target.disabled = false; }
};
</script></body></html>`;

export async function startDemoControls(checkout: CheckoutStandIn, orders: DemoOrder[]) {
  const server = http.createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(PAGE);
      return;
    }
    if (req.method === "POST" && req.url === "/stream") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const count = Number((JSON.parse(body || "{}") as { count?: unknown }).count ?? 16);
      if (!Number.isInteger(count) || count < 1 || count > 200) {
        res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "count must be a whole number from 1 to 200" }));
        return;
      }
      const played = await sendEventStream(checkout, orders, count);
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ played }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
