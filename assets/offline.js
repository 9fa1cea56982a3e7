// Field entry that never loses work (issue 17): the page script of the installable app, bundled by
// `make assets` (esbuild) with idb and browser-image-compression into static/vendor/offline.js.
//
// - registers the service worker (/sw.js) and, on My work, keeps the officer's pages and entry forms
//   for offline use;
// - an entry form is sent by this script: a photo is first made smaller on the phone (at most 1600 px,
//   about 500 KB), a file over the limit is refused before any byte is sent, the upload shows its
//   progress and the button stays disabled meanwhile; with no connection (or when it drops during the
//   upload) the entry goes to the device's queue in IndexedDB with its one-time key;
// - the queue is shown on My work and sent by itself when the connection returns (and by Send now),
//   each item once: the server makes one entry per key, so a retry only finds the entry made before.
//   What the server refuses stays in the queue with its message, to fix and send again;
// - signing out warns about what is not sent, then deletes the user's queue and every kept page.
import { openDB } from "idb";
import imageCompression from "browser-image-compression";

const DB_NAME = "tppo-offline";
const STORE = "queue";
const CACHE_PREFIX = "tppo-";
const PAGES = "tppo-pages";
const ASSETS = "tppo-assets";
const PHOTO = { maxSizeMB: 0.5, maxWidthOrHeight: 1600, useWebWorker: false, fileType: "image/jpeg", initialQuality: 0.8 };
const SENDABLE = ["image/jpeg", "image/png", "application/pdf"];

const root = document.documentElement;
const user = root.dataset.user || "";
const text = (() => {
  const node = document.getElementById("offline-text");
  return node ? JSON.parse(node.textContent) : {};
})();
const fill = (words, values) => words.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "").replace(/%%/g, "%");
const say = (key, values = {}) => fill(text[key] || key, values);
// a sentence with a count: its plural forms come from the server (pwa.plural_forms), picked by the page
// language's plural rules ("1 entry", "2 entries"; Indonesian has one form)
const plurals = new Intl.PluralRules(root.lang || undefined);
const sayCount = (key, n, values = {}) => {
  const forms = text[key] || {};
  return fill(forms[plurals.select(n)] ?? forms.other ?? key, { ...values, n });
};

const db = () =>
  openDB(DB_NAME, 1, {
    upgrade(database) {
      const store = database.createObjectStore(STORE, { keyPath: "key" });
      store.createIndex("user", "user");
    },
  });

async function myItems() {
  if (!user) return [];
  return (await db()).getAllFromIndex(STORE, "user", user);
}

function sizeText(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

// --- who is on this device -------------------------------------------------------------------------------

async function forgetPages() {
  for (const name of await caches.keys()) {
    if (name.startsWith(CACHE_PREFIX)) await caches.delete(name);
  }
}

async function checkPerson() {
  // another person signed in on this phone: nothing kept for the previous one is shown or sent
  const previous = localStorage.getItem("tppo-user");
  if (user && previous !== user) {
    await forgetPages();
    localStorage.setItem("tppo-user", user);
  }
}

// --- keeping the officer's pages ------------------------------------------------------------------------

async function keepPages() {
  if (!("caches" in window) || !navigator.onLine) return;
  const pages = new Set([location.pathname]);
  document.querySelectorAll("main a[href$='/entries/new/'], main a[href$='/my-indicators/']").forEach((link) => {
    pages.add(new URL(link.href).pathname);
  });
  const assets = new Set();
  document.querySelectorAll("link[rel=stylesheet][href^='/static/'], script[src^='/static/']").forEach((node) => {
    assets.add(node.getAttribute("href") || node.getAttribute("src"));
  });
  const pageCache = await caches.open(PAGES);
  await Promise.all(
    [...pages].map(async (path) => {
      const response = await fetch(path, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await pageCache.put(path, response);
    }),
  );
  const assetCache = await caches.open(ASSETS);
  await Promise.all([...assets].map((path) => assetCache.add(path).catch(() => null)));
}

// --- the entry form ---------------------------------------------------------------------------------------

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : null;
}

async function preparedFile(input, form, note) {
  const file = input.files && input.files[0];
  if (!file) return null;
  const limit = Number(form.dataset.maxBytes || 0);
  if (!SENDABLE.includes(file.type) && !/^image\//.test(file.type)) throw new Error(say("bad_type"));
  let ready = file;
  if (/^image\//.test(file.type)) {
    note(say("compressing"));
    try {
      const smaller = await imageCompression(file, PHOTO);
      const name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
      ready = new File([smaller], name, { type: "image/jpeg" });
    } catch (error) {
      throw new Error(say("bad_type")); // a HEIC photo or a broken picture: the browser cannot read it
    }
    note(say("photo_done", { before: sizeText(file.size), after: sizeText(ready.size) }));
  }
  if (limit && ready.size > limit) throw new Error(say("too_big", { size: sizeText(ready.size), limit: sizeText(limit) }));
  return ready;
}

function fieldsOf(form) {
  const fields = [];
  for (const [name, value] of new FormData(form).entries()) {
    if (!(value instanceof File)) fields.push([name, value]);
  }
  return fields;
}

function formData(fields, file, token) {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, name === "csrfmiddlewaretoken" && token ? token : value);
  if (file) data.append("evidence", file, file.name);
  return data;
}

function describe(form) {
  const period = form.querySelector("[name=period]");
  const code = (location.pathname.match(/indicators\/([^/]+)\/entries/) || [])[1] || "";
  return `${code} · ${period ? period.value : ""}`;
}

async function keepOnDevice(form, fields, file) {
  const key = fields.find(([name]) => name === "form_key")[1];
  const item = {
    key,
    user,
    url: location.pathname,
    label: describe(form),
    fields,
    file: file ? { blob: file, name: file.name, type: file.type } : null,
    saved: Date.now(),
    state: "waiting",
    message: "",
  };
  await (await db()).put(STORE, item);
  return item;
}

function upload(url, data, onProgress) {
  // XMLHttpRequest, not fetch: only it reports the upload's progress
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    request.onload = () => resolve(request);
    request.onerror = () => reject(new Error("network"));
    request.ontimeout = () => reject(new Error("network"));
    request.send(data);
  });
}

function showForm(html) {
  // the server refused the form: its page, with the messages beside the fields, replaces this one's main
  const page = new DOMParser().parseFromString(html, "text/html");
  const main = page.querySelector("main");
  if (main) document.querySelector("main").replaceWith(main);
  initForm();
}

function initForm() {
  const form = document.querySelector("form.entry-form");
  if (!form) return;
  const input = form.querySelector("input[type=file][name=evidence]");
  const button = form.querySelector("button[type=submit]");
  const progress = form.querySelector(".upload-progress");
  const bar = progress.querySelector("progress");
  const note = (message) => {
    progress.hidden = false;
    progress.querySelector(".upload-progress-text").textContent = message;
  };
  const keyInput = form.querySelector("input[name=form_key]");
  const queued = new URLSearchParams(location.search).get("queued");
  if (keyInput && !queued && !form.dataset.keyed) {
    // a kept (cached) form is opened again and again offline: each opening is a new entry, with its own key
    const key = newKey();
    if (key) keyInput.value = key;
  }
  form.dataset.keyed = "1";
  if (queued) refill(form, queued);
  let file = null;
  if (input) {
    input.addEventListener("change", async () => {
      file = null;
      button.disabled = true;
      try {
        file = await preparedFile(input, form, note);
      } catch (error) {
        input.value = "";
        note(error.message);
      } finally {
        button.disabled = false;
      }
    });
  }
  form.addEventListener("submit", async (event) => {
    if (!form.dataset.queue) return; // editing a saved entry: the plain form (it needs the server anyway)
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    const fields = fieldsOf(form);
    const stored = queued ? await (await db()).get(STORE, queued) : null;
    const attached = file || (stored && stored.file ? new File([stored.file.blob], stored.file.name, { type: stored.file.type }) : null);
    try {
      if (!navigator.onLine) throw new Error("network");
      bar.value = 0;
      note(say("uploading", { percent: 0 }));
      const response = await upload(location.pathname, formData(fields, attached), (percent) => {
        bar.value = percent;
        note(say("uploading", { percent }));
      });
      if (/\/entries\/\d+\/$/.test(new URL(response.responseURL).pathname)) {
        if (queued) await (await db()).delete(STORE, queued);
        location.assign(response.responseURL);
        return;
      }
      if (response.status >= 500) throw new Error("network"); // kept, tried again later
      showForm(response.responseText);
    } catch (error) {
      if (error.message !== "network") throw error;
      try {
        await keepOnDevice(form, fields, attached);
      } catch (storage) {
        note(say("storage_full")); // what was typed stays in the form
        button.disabled = false;
        return;
      }
      const home = document.querySelector("a[data-my-work]");
      sessionStorage.setItem("tppo-flash", say("saved_offline"));
      location.assign(home ? home.getAttribute("href") : "/");
    }
  });
}

async function refill(form, key) {
  const item = await (await db()).get(STORE, key);
  if (!item) return;
  for (const [name, value] of item.fields) {
    if (name === "csrfmiddlewaretoken") continue;
    const field = form.elements.namedItem(name);
    if (!field) continue;
    if (field.type === "checkbox") field.checked = true;
    else field.value = value;
  }
  const input = form.querySelector("input[type=file][name=evidence]");
  if (input && item.file) {
    const transfer = new DataTransfer();
    transfer.items.add(new File([item.file.blob], item.file.name, { type: item.file.type }));
    input.files = transfer.files;
  }
  if (item.message) {
    const note = document.createElement("div");
    note.className = "alert alert-danger";
    note.textContent = `${say("refused")} ${item.message}`;
    form.prepend(note);
  }
}

// --- sending the queue --------------------------------------------------------------------------------------

function messagesOf(html) {
  const page = new DOMParser().parseFromString(html, "text/html");
  const nodes = page.querySelectorAll("main .invalid-feedback, main .alert-danger, main .alert-warning, main .errorlist");
  const texts = [...nodes].map((node) => node.textContent.trim().replace(/\s+/g, " ")).filter(Boolean);
  if (texts.length) return [...new Set(texts)].join(" ");
  const main = page.querySelector("main");
  return main ? main.textContent.trim().replace(/\s+/g, " ").slice(0, 300) : "";
}

async function sendOne(item) {
  // a fresh page of the form gives this session's CSRF token (and tells whether she is still signed in)
  const form = await fetch(item.url, { credentials: "same-origin", cache: "no-store" });
  if (form.redirected && /\/accounts\/login\//.test(new URL(form.url).pathname)) return "signed_out";
  const html = await form.text();
  if (!form.ok) return { refused: messagesOf(html) || `${form.status}` };
  const token = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrfmiddlewaretoken]");
  const file = item.file ? new File([item.file.blob], item.file.name, { type: item.file.type }) : null;
  const response = await fetch(item.url, {
    method: "POST",
    credentials: "same-origin",
    body: formData(item.fields, file, token && token.value),
  });
  if (/\/entries\/\d+\/$/.test(new URL(response.url).pathname)) return "sent";
  if (response.status >= 500) return "later";
  if (response.status === 429) return "too_many"; // past the rate of saves: nothing saved, sent again later
  return { refused: messagesOf(await response.text()) || `${response.status}` };
}

async function sendQueue() {
  if (!user || !navigator.onLine) return;
  const run = async () => {
    const database = await db();
    for (const item of await myItems()) {
      if (item.state !== "waiting") continue;
      let outcome;
      try {
        outcome = await sendOne(item);
      } catch (error) {
        console.warn("tppo: sending stopped", error); // eslint-disable-line no-console
        break; // the connection dropped: the rest waits for the next time
      }
      if (outcome === "sent") await database.delete(STORE, item.key);
      else if (outcome === "signed_out") {
        sessionStorage.setItem("tppo-flash", say("sign_in_again"));
        break;
      } else if (outcome === "later" || outcome === "too_many") {
        item.message = say("server_error");
        await database.put(STORE, item);
        if (outcome === "too_many") break; // the rest waits for the next time rather than meet the same limit
      } else {
        item.state = "refused";
        item.message = outcome.refused;
        await database.put(STORE, item);
      }
    }
  };
  // two tabs open: one sends, the other waits for it
  if (navigator.locks) await navigator.locks.request("tppo-send", run);
  else await run();
  await showQueue();
}

// --- the queue on My work -----------------------------------------------------------------------------------

async function showQueue() {
  const box = document.getElementById("device-queue");
  if (!box) return;
  const items = await myItems();
  const flash = sessionStorage.getItem("tppo-flash");
  box.hidden = !items.length && !flash;
  const count = box.querySelector(".device-queue-count");
  const waiting = items.filter((item) => item.state === "waiting").length;
  const refused = items.length - waiting;
  count.textContent = [
    flash || "",
    waiting ? sayCount("waiting", waiting) : "",
    refused ? say("refused_count", { n: refused }) : "",
    items.length ? "" : say("all_sent"),
  ]
    .filter(Boolean)
    .join(" ");
  sessionStorage.removeItem("tppo-flash");
  const list = box.querySelector(".device-queue-items");
  list.replaceChildren(
    ...items.map((item) => {
      const row = document.createElement("li");
      row.className = `list-group-item device-queue-item device-queue-${item.state}`;
      row.dataset.key = item.key;
      const title = document.createElement("div");
      title.textContent = `${item.label}${item.file ? ` · ${item.file.name} (${sizeText(item.file.blob.size)})` : ""}`;
      row.append(title);
      const state = document.createElement("div");
      state.className = item.state === "refused" ? "small text-danger-emphasis" : "small text-body-secondary";
      state.textContent = item.state === "refused" ? `${say("refused")} ${item.message}` : say("waiting_item") + (item.message ? ` ${item.message}` : "");
      row.append(state);
      if (item.state === "refused") {
        const fix = document.createElement("a");
        fix.className = "btn btn-sm btn-primary mt-1";
        fix.href = `${item.url}?queued=${encodeURIComponent(item.key)}`;
        fix.textContent = say("fix");
        row.append(fix);
      }
      return row;
    }),
  );
  box.querySelector(".device-queue-send").hidden = !waiting;
}

// --- signing out ----------------------------------------------------------------------------------------------

function guardSignOut() {
  document.querySelectorAll("form[action$='/accounts/logout/']").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.cleared) return;
      event.preventDefault();
      const items = await myItems();
      const unsent = items.length;
      if (unsent && !window.confirm(sayCount("sign_out_warning", unsent))) return;
      const database = await db();
      await Promise.all(items.map((item) => database.delete(STORE, item.key)));
      await forgetPages();
      localStorage.removeItem("tppo-user");
      form.dataset.cleared = "1";
      form.submit();
    });
  });
}

// --- start ----------------------------------------------------------------------------------------------------

async function start() {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => null);
  guardSignOut();
  if (!user) return;
  await checkPerson();
  initForm();
  const send = document.querySelector(".device-queue-send");
  if (send) send.addEventListener("click", () => sendQueue());
  window.addEventListener("online", () => sendQueue());
  await showQueue();
  if (document.getElementById("device-queue")) {
    await sendQueue();
    keepPages()
      .catch(() => null)
      .then(() => {
        root.dataset.pagesKept = "1"; // for the browser tests
      });
  }
  root.dataset.offlineReady = "1"; // for the browser tests
}

start();
