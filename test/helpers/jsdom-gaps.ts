// What jsdom lacks and the UI libraries use as they load: window.matchMedia (Polaris's media queries,
// Garden's dark mode), scrolling (Polaris), ResizeObserver (Polaris's DropZone). Import this before
// Polaris or Garden in a jsdom test file.
if (typeof window !== "undefined") {
  window.matchMedia ??= (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
  window.scrollTo = window.scroll = () => {};
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
