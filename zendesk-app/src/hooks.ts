// React glue around the ZAF client: events, auto-resize, and the timeline that refreshes itself.
import { useCallback, useEffect, useRef, useState } from "react";
import type { OrderView, PaymentTimeline } from "#app/zendesk/contract";
import type { SidebarApi } from "./api";
import { SidebarError } from "./api";
import { useSpeech } from "./words";
import type { ZafClient } from "./zaf";

/** Subscribes to ZAF events for the component's lifetime. */
export function useZafEvents(client: ZafClient, events: string[], handler: () => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  const key = events.join("|");
  useEffect(() => {
    const names = key.split("|").filter(Boolean);
    const listener = () => latest.current();
    names.forEach((name) => client.on(name, listener));
    return () => names.forEach((name) => client.off(name, listener));
  }, [client, key]);
}

/** Keeps the sidebar iframe as tall as its content (ZAF's resize action). */
export function useAutoResize(client: ZafClient, element: HTMLElement | null): void {
  useEffect(() => {
    if (!element || typeof ResizeObserver === "undefined") return;
    let last = 0;
    const observer = new ResizeObserver(() => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        void client.invoke("resize", { width: "100%", height: `${height}px` });
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [client, element]);
}

const POLL_FIRST_MS = 10_000;
const POLL_MAX_MS = 120_000;

/** Polls often right after a change, then backs off while nothing happens. */
function nextPollDelay(previousMs: number, changed: boolean): number {
  return changed ? POLL_FIRST_MS : Math.min(previousMs * 2, POLL_MAX_MS);
}

export interface TimelineState {
  timeline: PaymentTimeline | null;
  error: string | null;
  loadedAt: Date | null;
  refresh: () => Promise<void>;
}

/** The payment's timeline, refreshed by polling with backoff and whenever `refresh` is called. */
export function usePaymentTimeline(api: SidebarApi, paymentId: string): TimelineState {
  const couldNotLoad = useSpeech().w.payment.couldNotLoad;
  const [timeline, setTimeline] = useState<PaymentTimeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const refreshNow = useRef<() => Promise<void>>(async () => undefined);

  useEffect(() => {
    // Everything below belongs to this payment; answers arriving after a switch are dropped.
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = POLL_FIRST_MS;
    let snapshot = "";
    setTimeline(null);
    setError(null);

    const load = async () => {
      clearTimeout(timer);
      let changed = false;
      try {
        const next = await api.timeline(paymentId);
        if (!active) return;
        const json = JSON.stringify(next);
        changed = json !== snapshot;
        snapshot = json;
        if (changed) setTimeline(next);
        setError(null);
        setLoadedAt(new Date());
      } catch (e) {
        if (!active) return;
        setError(e instanceof SidebarError ? e.message : couldNotLoad);
      }
      delay = nextPollDelay(delay, changed);
      clearTimeout(timer); // a refresh and a poll may both have been running
      timer = setTimeout(() => void load(), delay);
    };
    refreshNow.current = async () => {
      delay = POLL_FIRST_MS;
      await load();
    };
    void load();
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [api, paymentId, couldNotLoad]);

  const refresh = useCallback(() => refreshNow.current(), []);
  return { timeline, error, loadedAt, refresh };
}

/** The payment's Shopify order, read once per payment and again on `reload` (after an action, on Refresh). */
export function useOrder(api: SidebarApi, paymentId: string) {
  const [view, setView] = useState<OrderView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const couldNotLoad = useSpeech().w.order.couldNotLoad;
  useEffect(() => {
    let active = true;
    api.order(paymentId).then(
      (next) => {
        if (!active) return;
        setView(next);
        setError(null);
      },
      (e: unknown) => {
        if (active) setError(e instanceof SidebarError ? e.message : couldNotLoad);
      },
    );
    return () => {
      active = false;
    };
  }, [api, paymentId, version, couldNotLoad]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { view, error, reload };
}
