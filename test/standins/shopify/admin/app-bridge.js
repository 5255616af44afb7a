// Stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js, served by the local admin
// (local-admin.ts). Like the real App Bridge it gives the embedded app the `shopify` global
// (config, environment, idToken, toast, loading, modal, saveBar, user), opens "_top" windows through
// the admin page (admin.shopify.com addresses in the local admin), patches fetch to send
// `Authorization: Bearer <session token>` to the app's own origin (retrying once when the app answers
// 401 with X-Shopify-Retry-Invalid-Session-Request, going top-level on
// X-Shopify-API-Request-Failure-Reauthorize-Url), completes the session-token bounce page
// (?shopify-reload=), and defines the ui-nav-menu, ui-title-bar, ui-modal and ui-save-bar elements.
// Session tokens, navigation, title bar, toasts and the save bar go through postMessage to the
// admin page around the iframe, as with the real admin.
(function () {
  "use strict";
  if (window.shopify) return;
  var script = document.currentScript;
  var adminOrigin = new URL(script.src).origin;
  var params = new URLSearchParams(location.search);
  var saved = JSON.parse(sessionStorage.getItem("shopify-standin-config") || "{}");
  var apiKey = script.getAttribute("data-api-key") || (document.querySelector('meta[name="shopify-api-key"]') || {}).content || saved.apiKey;
  var config = {
    apiKey: apiKey,
    shop: params.get("shop") || saved.shop,
    host: params.get("host") || saved.host,
    locale: params.get("locale") || saved.locale || "en",
    disabledFeatures: [],
    appOrigins: [],
  };
  sessionStorage.setItem("shopify-standin-config", JSON.stringify(config));
  var embedded = window.top !== window;

  // Not framed: like the real App Bridge, go to the app inside the admin.
  if (!embedded && config.shop) {
    var storeHandle = config.shop.replace(/\.myshopify\.com$/, "");
    location.assign(adminOrigin + "/store/" + storeHandle + "/apps/" + apiKey + location.pathname + stripAdminParams(location.search));
    return;
  }

  // ---- messages to and from the admin page ----------------------------------------------------
  var pending = {};
  var nextId = 1;
  function send(type, payload) {
    window.parent.postMessage({ source: "shopify-standin-app", type: type, payload: payload }, adminOrigin);
  }
  function ask(type, payload) {
    var id = nextId++;
    return new Promise(function (resolve, reject) {
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage({ source: "shopify-standin-app", type: type, id: id, payload: payload }, adminOrigin);
      setTimeout(function () {
        if (pending[id]) {
          delete pending[id];
          reject(new Error("The admin page did not answer " + type));
        }
      }, 10000);
    });
  }
  var handlers = {};
  window.addEventListener("message", function (event) {
    if (event.origin !== adminOrigin || !event.data || event.data.source !== "shopify-standin-admin") return;
    var data = event.data;
    if (data.id && pending[data.id]) {
      var p = pending[data.id];
      delete pending[data.id];
      if (data.error) p.reject(new Error(data.error));
      else p.resolve(data.payload);
      return;
    }
    if (handlers[data.type]) handlers[data.type](data.payload);
  });

  // ---- top-level navigation -------------------------------------------------------------------
  // window.open(url, "_top") (the fetch patch below, the library's exit-iframe page) asks the admin
  // page to go there, as the real App Bridge does; pages of Shopify's admin (a charge's confirmation
  // URL, the app's own admin URL) open in the local admin.
  var originalOpen = window.open.bind(window);
  window.open = function (url, target, features) {
    if (target !== "_top" || url == null) return originalOpen(url, target, features);
    var parsed = new URL(String(url), location.href);
    var next = parsed.origin === "https://admin.shopify.com" ? adminOrigin + parsed.pathname + parsed.search + parsed.hash : parsed.toString();
    send("open-top", { url: next });
    return null;
  };

  // ---- session tokens and the fetch patch -----------------------------------------------------
  var cachedToken = null;
  function expiry(token) {
    try {
      return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).exp;
    } catch (e) {
      return 0;
    }
  }
  function idToken(fresh) {
    if (!fresh && cachedToken && expiry(cachedToken) - 10 > Date.now() / 1000) return Promise.resolve(cachedToken);
    return ask("id-token", { shop: config.shop }).then(function (token) {
      cachedToken = token;
      return token;
    });
  }

  var originalFetch = window.fetch.bind(window);
  function authorized(request, fresh) {
    return idToken(fresh).then(function (token) {
      var headers = new Headers(request.headers);
      headers.set("Authorization", "Bearer " + token);
      return originalFetch(new Request(request, { headers: headers }));
    });
  }
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    var origin = new URL(request.url, location.href).origin;
    var ours = origin === location.origin || config.appOrigins.indexOf(origin) >= 0;
    if (!ours || request.headers.has("Authorization") || config.disabledFeatures.indexOf("fetch") >= 0) return originalFetch(request);
    var retry = request.clone();
    return authorized(request, false)
      .then(function (response) {
        if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") return authorized(retry, true);
        return response;
      })
      .then(function (response) {
        // The app asks for a top-level redirect (OAuth, new scopes) with this header.
        var reauthorize = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
        if (reauthorize) window.open(reauthorize, "_top");
        return response;
      });
  };

  // The bounce page (/auth/session-token?shopify-reload=<url>): come back with a fresh token.
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken(true).then(function (token) {
      var target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  // ---- location sync --------------------------------------------------------------------------
  function stripAdminParams(search) {
    var p = new URLSearchParams(search);
    ["embedded", "shop", "host", "id_token", "hmac", "locale", "timestamp", "session", "shopify-reload"].forEach(function (k) {
      p.delete(k);
    });
    var text = p.toString();
    return text ? "?" + text : "";
  }
  function reportLocation() {
    if (!reload) send("location", { path: location.pathname + stripAdminParams(location.search) });
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name].bind(history);
    history[name] = function () {
      var result = original.apply(null, arguments);
      reportLocation();
      return result;
    };
  });
  window.addEventListener("popstate", reportLocation);
  reportLocation();

  // ---- custom elements ------------------------------------------------------------------------
  var style = document.createElement("style");
  style.textContent =
    "ui-nav-menu, ui-title-bar, ui-save-bar, ui-modal { display: none !important; }" +
    ".shopify-standin-modal { position: fixed; inset: 0; background: rgba(0,0,0,.5); display: flex; align-items: center; justify-content: center; z-index: 2147483000; }" +
    ".shopify-standin-modal[hidden] { display: none; }" +
    ".shopify-standin-modal > section { background: #fff; border-radius: 12px; min-width: 360px; max-width: 620px; max-height: 90vh; overflow: auto; box-shadow: 0 20px 40px rgba(0,0,0,.3); font: 14px/1.4 -apple-system, BlinkMacSystemFont, 'Segoe UI', sans-serif; }" +
    ".shopify-standin-modal .content { padding: 16px; }" +
    ".shopify-standin-modal header { padding: 12px 16px; font-weight: 650; background: #f3f3f3; border-bottom: 1px solid #e3e3e3; }" +
    ".shopify-standin-modal footer { display: flex; gap: 8px; justify-content: flex-end; padding: 12px 16px; border-top: 1px solid #e3e3e3; }" +
    ".shopify-standin-modal footer button { padding: 6px 12px; border-radius: 8px; border: 1px solid #c9c9c9; background: #fff; cursor: pointer; }" +
    ".shopify-standin-modal footer button.primary { background: #303030; color: #fff; border-color: #303030; }" +
    ".shopify-standin-modal footer button.critical { background: #c70a24; color: #fff; border-color: #c70a24; }";
  document.head.appendChild(style);

  /** The buttons an element holds, described for a proxy that clicks the real one. */
  function buttonsOf(element) {
    return Array.prototype.slice.call(element.querySelectorAll("button")).map(function (button) {
      return {
        label: button.textContent.trim(),
        variant: button.getAttribute("variant") || (button.getAttribute("tone") === "critical" ? "critical" : ""),
        disabled: button.disabled || button.hasAttribute("loading"),
        target: button,
      };
    });
  }
  function describe(buttons) {
    return buttons.map(function (b) {
      return { label: b.label, variant: b.variant, disabled: b.disabled };
    });
  }
  function watch(element, callback) {
    var observer = new MutationObserver(callback);
    observer.observe(element, { childList: true, subtree: true, attributes: true, characterData: true });
    return observer;
  }

  var navMenu = null;
  customElements.define(
    "ui-nav-menu",
    class extends HTMLElement {
      connectedCallback() {
        navMenu = this;
        var self = this;
        var report = function () {
          send("nav-menu", {
            items: Array.prototype.map.call(self.querySelectorAll("a"), function (a) {
              return { label: a.textContent.trim(), href: a.getAttribute("href"), home: a.getAttribute("rel") === "home" };
            }),
          });
        };
        this.observer = watch(this, report);
        report();
      }
      disconnectedCallback() {
        if (this.observer) this.observer.disconnect();
      }
    },
  );
  handlers.navigate = function (payload) {
    var link =
      navMenu &&
      Array.prototype.find.call(navMenu.querySelectorAll("a"), function (a) {
        return a.getAttribute("href") === payload.href;
      });
    if (link) link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    else location.assign(payload.href);
  };

  var titleBarButtons = [];
  customElements.define(
    "ui-title-bar",
    class extends HTMLElement {
      static get observedAttributes() {
        return ["title"];
      }
      connectedCallback() {
        this.inModal = Boolean(this.closest("ui-modal"));
        if (this.inModal) return;
        var self = this;
        this.report = function () {
          titleBarButtons = buttonsOf(self);
          send("title-bar", { title: self.getAttribute("title") || "", buttons: describe(titleBarButtons) });
        };
        this.observer = watch(this, this.report);
        this.report();
      }
      attributeChangedCallback() {
        if (this.report) this.report();
      }
      disconnectedCallback() {
        if (this.observer) this.observer.disconnect();
        if (!this.inModal) send("title-bar", null);
      }
    },
  );
  handlers["title-bar-click"] = function (payload) {
    var button = titleBarButtons[payload.index];
    if (button) button.target.click();
  };

  var saveBars = {};
  customElements.define(
    "ui-save-bar",
    class extends HTMLElement {
      connectedCallback() {
        this.showing = false;
        if (this.id) saveBars[this.id] = this;
      }
      disconnectedCallback() {
        this.hide();
      }
      report() {
        this.buttons = buttonsOf(this);
        send("save-bar", this.showing ? { id: this.id, buttons: describe(this.buttons) } : null);
      }
      show() {
        if (this.showing) return;
        this.showing = true;
        this.observer = watch(this, this.report.bind(this));
        this.report();
        this.dispatchEvent(new CustomEvent("show"));
      }
      hide() {
        if (!this.showing) return;
        this.showing = false;
        if (this.observer) this.observer.disconnect();
        this.report();
        this.dispatchEvent(new CustomEvent("hide"));
      }
      toggle() {
        if (this.showing) this.hide();
        else this.show();
      }
    },
  );
  handlers["save-bar-click"] = function (payload) {
    var bar = saveBars[payload.id];
    var button = bar && bar.buttons && bar.buttons[payload.index];
    if (button) button.target.click();
  };

  customElements.define(
    "ui-modal",
    class extends HTMLElement {
      constructor() {
        super();
        this.overlay = document.createElement("div");
        this.overlay.className = "shopify-standin-modal";
        this.overlay.hidden = true;
        this.overlay.setAttribute("role", "dialog");
        this.overlay.innerHTML = "<section><header></header><div class='content'></div><footer></footer></section>";
        this.content = this.overlay.querySelector(".content");
      }
      connectedCallback() {
        document.body.appendChild(this.overlay);
      }
      disconnectedCallback() {
        this.overlay.remove();
      }
      get open() {
        return !this.overlay.hidden;
      }
      render() {
        var titleBar = this.querySelector("ui-title-bar");
        this.overlay.querySelector("header").textContent = titleBar ? titleBar.getAttribute("title") || "" : "";
        var footer = this.overlay.querySelector("footer");
        footer.innerHTML = "";
        (titleBar ? buttonsOf(titleBar) : []).forEach(function (b) {
          var proxy = document.createElement("button");
          proxy.textContent = b.label;
          proxy.className = b.variant;
          proxy.disabled = b.disabled;
          proxy.addEventListener("click", function () {
            b.target.click();
          });
          footer.appendChild(proxy);
        });
      }
      show() {
        if (this.open) return Promise.resolve();
        this.overlay.hidden = false;
        this.render();
        this.observer = watch(this, this.render.bind(this));
        this.dispatchEvent(new CustomEvent("show"));
        return Promise.resolve();
      }
      hide() {
        if (!this.open) return Promise.resolve();
        this.overlay.hidden = true;
        if (this.observer) this.observer.disconnect();
        this.dispatchEvent(new CustomEvent("hide"));
        return Promise.resolve();
      }
      toggle() {
        return this.open ? this.hide() : this.show();
      }
    },
  );

  function byId(id) {
    var element = document.getElementById(id);
    if (!element) throw new Error("No element with id " + id);
    return element;
  }

  // ---- the global ----------------------------------------------------------------------------
  var toastId = 0;
  window.shopify = {
    config: config,
    origin: adminOrigin,
    ready: Promise.resolve(),
    environment: { embedded: embedded, mobile: false, pos: false },
    idToken: function () {
      return idToken(false);
    },
    user: function () {
      return Promise.resolve({ accountAccess: "Account owner" });
    },
    loading: function (isLoading) {
      send("loading", { on: isLoading !== false });
    },
    toast: {
      show: function (message, options) {
        var id = "toast-" + ++toastId;
        options = options || {};
        send("toast", { id: id, message: message, isError: Boolean(options.isError), duration: options.duration || 5000 });
        return id;
      },
      hide: function (id) {
        send("toast-hide", { id: id });
      },
    },
    modal: {
      show: function (id) {
        return byId(id).show();
      },
      hide: function (id) {
        return byId(id).hide();
      },
      toggle: function (id) {
        return byId(id).toggle();
      },
    },
    saveBar: {
      show: function (id) {
        return Promise.resolve(byId(id).show());
      },
      hide: function (id) {
        return Promise.resolve(byId(id).hide());
      },
      toggle: function (id) {
        return Promise.resolve(byId(id).toggle());
      },
      leaveConfirmation: function () {
        return Promise.resolve();
      },
    },
    resourcePicker: function () {
      return Promise.reject(new Error("resourcePicker is not available in the local admin"));
    },
  };
})();
