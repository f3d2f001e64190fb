// The dashboard's only script: live refresh from /dashboard/events, and the forms.
// Changes go to /dashboard/api/... (the REST API run server-side) with the page's token.
"use strict";

const TOKEN = document.querySelector('meta[name="dashboard-token"]').content;
const enc = encodeURIComponent;

class ApiError extends Error {
  constructor(body, status) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.body = body || {};
    this.status = status;
  }
}

async function call(method, url, body) {
  const init = { method, headers: { "X-Dashboard-Token": TOKEN } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
  if (!response.ok) throw new ApiError(parsed, response.status);
  return parsed;
}

const api = (method, path, body) => call(method, "/dashboard/api" + path, body);

function notify(text, kind) {
  const box = document.getElementById("notice");
  box.textContent = text;
  box.className = "notice " + (kind || "ok");
  box.hidden = false;
  clearTimeout(notify.timer);
  if (kind !== "error") notify.timer = setTimeout(() => { box.hidden = true; }, 4000);
}

function describe(error) {
  const body = error.body || {};
  let text = error.message;
  if (body.line) text = `Line ${body.line}, column ${body.column}: ${text.replace(/ \(at \d+:\d+\)$/, "")}`;
  if (body.suggestion) text += ` — ${body.suggestion}`;
  return text;
}

// ------------------------------------------------------------------ live parts

// A panel is re-rendered at most once per REFRESH_MS, the last change always included: a
// client writing 60 times a second costs the emulator (and the browser, which shares the
// machine with it) two renders a second, not 60. The event stream is throttled too.
const REFRESH_MS = 500;

// What identifies an element across a re-render: its id, or its action and subject.
function identity(element) {
  if (!element || element === document.body) return null;
  if (element.id) return "#" + CSS.escape(element.id);
  const action = element.dataset && element.dataset.action;
  if (!action) return null;
  const subject = element.dataset.id || element.dataset.thread || "";
  return `[data-action="${CSS.escape(action)}"][data-id="${CSS.escape(subject)}"],` +
    `[data-action="${CSS.escape(action)}"][data-thread="${CSS.escape(subject)}"]`;
}

async function fetchInto(section) {
  const response = await fetch(section.dataset.src, { headers: { "X-Dashboard-Token": TOKEN } });
  if (!response.ok) return;
  const target = section.querySelector(".panel-body") || section;
  const html = await response.text();
  // Most refreshes of a busy room change one panel: the others come back as they were,
  // and re-building their elements would cost the browser (and the machine) for nothing.
  if (html === section.shownHtml) return;
  section.shownHtml = html;
  // A re-render keeps what the reader had open and where the keyboard was.
  const open = Array.from(target.querySelectorAll("details[open][id]"), (d) => d.id);
  const focused = target.contains(document.activeElement) ? document.activeElement : null;
  const focusKey = identity(focused);
  target.innerHTML = html;
  for (const id of open) {
    const details = document.getElementById(id);
    if (details) details.open = true;
  }
  if (focused) {
    const again = focusKey && target.querySelector(focusKey);
    if (again) again.focus();
    else { section.tabIndex = -1; section.focus(); }
  }
}

function refresh(section) {
  if (section.refreshing) { section.stale = true; return; }
  section.refreshing = true;
  section.stale = false;
  fetchInto(section).catch(() => {}).finally(() => {
    setTimeout(() => {
      section.refreshing = false;
      if (section.stale) refresh(section);
    }, REFRESH_MS);
  });
}

// Once an action navigates away, live events must not reload the page under it (the
// navigation would be aborted).
let leaving = false;

function go(url) {
  leaving = true;
  location.href = url;
}

function reloadSoon() {
  if (leaving) return;
  clearTimeout(reloadSoon.timer);
  reloadSoon.timer = setTimeout(() => { if (!leaving) location.reload(); }, 100);
}

function onEvent(type, data) {
  if (type === "emulator.reset") { reloadSoon(); return; }
  for (const section of document.querySelectorAll("[data-refresh-on]")) {
    const all = type === "emulator.overflow";
    const types = section.dataset.refreshOn.split(" ");
    if (!all && !types.includes(type)) continue;
    if (!all && section.dataset.room !== undefined && data.roomId !== section.dataset.room) continue;
    if (section.hasAttribute("data-reload")) reloadSoon(); else refresh(section);
  }
}

function listen() {
  const state = document.getElementById("live-state");
  const source = new EventSource("/dashboard/events");
  source.onopen = () => { state.textContent = "live"; state.className = "live-state on"; };
  source.onerror = () => { state.textContent = "reconnecting…"; state.className = "live-state off"; };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    onEvent(event.type, event.data || {});
  };
  window.addEventListener("pagehide", () => source.close());
}

// ------------------------------------------------------------------ forms

function parseJson(text, what) {
  try { return JSON.parse(text); } catch (e) { throw new Error(`${what} is not valid JSON: ${e.message}`); }
}

// An update merges: keys that were removed are sent as null.
function merged(oldValue, newValue) {
  const update = Object.assign({}, newValue);
  for (const key of Object.keys(oldValue)) if (!(key in newValue)) update[key] = null;
  return update;
}

const roomPath = (form) => "/v2/rooms/" + enc(form.dataset.room);

function refreshPanels(...names) {
  for (const name of names) {
    const section = document.getElementById("panel-" + name);
    if (section) refresh(section);
  }
}

const ACTIONS = {
  async "create-room"(form) {
    const id = form.elements.id.value;
    const access = form.elements.access.value;
    const defaultAccesses = access === "room:read" ? ["room:read", "room:presence:write"] : access ? [access] : [];
    await api("POST", "/v2/rooms", { id, defaultAccesses });
    go("/dashboard/rooms/" + enc(id));
  },
  async "update-room"(form) {
    const f = form.elements;
    const body = {
      metadata: merged(JSON.parse(form.dataset.oldMetadata), parseJson(f.metadata.value, "Metadata")),
      defaultAccesses: parseJson(f.defaultAccesses.value, "Default accesses"),
      usersAccesses: merged(JSON.parse(form.dataset.oldUsers), parseJson(f.usersAccesses.value, "Users accesses")),
      groupsAccesses: merged(JSON.parse(form.dataset.oldGroups), parseJson(f.groupsAccesses.value, "Groups accesses")),
    };
    await api("POST", roomPath(form), body);
    location.reload();
  },
  async "delete-room"(form) {
    await api("DELETE", roomPath(form));
    go("/dashboard/rooms");
  },
  async "patch-storage"(form) {
    const f = form.elements;
    const op = { op: f.op.value, path: f.path.value };
    if (op.op !== "remove") op.value = parseJson(f.value.value, "Value");
    await api("PATCH", roomPath(form) + "/storage/json-patch", [op]);
    notify(`Applied: ${op.op} ${op.path}`);
    refreshPanels("storage", "schema");
  },
  async "attach-schema"(form) {
    await api("POST", roomPath(form) + "/schema", { schema: form.elements.schema.value });
    notify("Schema attached");
    refreshPanels("schema");
  },
  async "save-schema"(form) {
    const body = form.elements.body.value;
    const saved = form.dataset.schema
      ? await api("PUT", "/v2/schemas/" + enc(form.dataset.schema), { body })
      : await api("POST", "/v2/schemas", { name: form.elements.name.value, body });
    go("/dashboard/schemas?id=" + enc(saved.id));
  },
  async reset(form) {
    const empty = form.elements.empty.checked;
    await api("POST", "/_emulator/reset?empty=" + empty);
    notify("Reset done");
    reloadSoon();
  },
  async "mint-token"(form) {
    const f = form.elements;
    const body = { userId: f.userId.value };
    if (f.userInfo.value.trim()) body.userInfo = parseJson(f.userInfo.value, "User info");
    let path = "/v2/authorize-user";
    if (f.kind.value === "access") body.permissions = parseJson(f.permissions.value, "Permissions");
    else {
      path = "/v2/identify-user";
      body.groupIds = f.groupIds.value.split(",").map((g) => g.trim()).filter(Boolean);
    }
    const { token } = await api("POST", path, body);
    const target = document.querySelector('form[data-action="decode-token"]');
    target.elements.token.value = token;
    target.requestSubmit();
  },
  async "decode-token"(form) {
    const result = await call("POST", "/dashboard/decode-token", { token: form.elements.token.value });
    const verdict = document.getElementById("token-verdict");
    verdict.textContent = (result.valid ? "✓ " : "✗ ") + result.message;
    verdict.className = result.valid ? "ok" : "error";
    const claims = document.getElementById("token-claims");
    claims.hidden = !result.payload;
    claims.textContent = JSON.stringify({ header: result.header, payload: result.payload }, null, 2);
  },
  async "add-webhook"(form) {
    const f = form.elements;
    const body = { url: f.url.value.trim() };
    if (f.id.value.trim()) body.id = f.id.value.trim();
    const events = f.events.value.split(",").map((e) => e.trim()).filter(Boolean);
    if (events.length) body.subscribedEvents = events;
    const added = await api("POST", "/_emulator/webhooks", body);
    notify(`Endpoint ${added.id} added`);
    form.reset();
  },
  async "load-fixtures"(form) {
    const file = form.elements.file.files[0];
    if (!file) throw new Error("Choose a fixture file first");
    const result = await api("POST", "/_emulator/fixtures", await file.text());
    notify(`Loaded: the emulator now holds ${result.rooms} rooms and ${result.schemas} schemas`);
  },
};

document.addEventListener("submit", async (event) => {
  const form = event.target;
  const action = ACTIONS[form.dataset.action];
  if (!action) return;
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    await action(form);
  } catch (error) {
    notify(describe(error), "error");
    if (form.dataset.action === "save-schema") showDiagnostic(error.body || { message: error.message });
  } finally {
    if (button) button.disabled = false;
  }
});

// Buttons outside forms (type="button"): one action each, on what their data-* name.
const BUTTONS = {
  async "detach-schema"(button) {
    await api("DELETE", "/v2/rooms/" + enc(button.dataset.room) + "/schema");
    notify("Schema detached");
    refreshPanels("schema");
  },
  async "toggle-resolved"(button) {
    const resolve = button.dataset.resolved !== "true";
    const path = `/v2/rooms/${enc(button.dataset.room)}/threads/${enc(button.dataset.thread)}`;
    // The REST call names who did it: the dashboard, not one of the app's users.
    await api("POST", path + (resolve ? "/mark-as-resolved" : "/mark-as-unresolved"),
      { userId: "emulator-dashboard" });
    notify(resolve ? "Thread resolved" : "Thread reopened");
  },
  async "inbox-read"(button) {
    await api("POST", `/v2/inbox-notifications/${enc(button.dataset.id)}/read`);
    notify("Marked as read");
  },
  async "inbox-delete"(button) {
    await api("DELETE", `/v2/users/${enc(button.dataset.user)}/inbox-notifications/${enc(button.dataset.id)}`);
    notify("Notification deleted");
  },
  async "inbox-delete-all"(button) {
    await api("DELETE", `/v2/users/${enc(button.dataset.user)}/inbox-notifications`);
    notify("Inbox deleted");
  },
  async "remove-webhook"(button) {
    await api("DELETE", "/_emulator/webhooks/" + enc(button.dataset.id));
    notify(`Endpoint ${button.dataset.id} removed`);
  },
  async "replay-delivery"(button) {
    await api("POST", `/_emulator/webhooks/deliveries/${enc(button.dataset.id)}/replay`);
    notify(`Delivery ${button.dataset.id} sent again`);
  },
};

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button || !Object.hasOwn(BUTTONS, button.dataset.action)) return;
  // Busy, not disabled: a disabled button drops the keyboard focus.
  if (button.getAttribute("aria-busy") === "true") return;
  button.setAttribute("aria-busy", "true");
  try {
    await BUTTONS[button.dataset.action](button);
  } catch (error) { notify(describe(error), "error"); }
  finally { button.removeAttribute("aria-busy"); }
});

// ------------------------------------------------------------------ storage tree

function pickRow(item) {
  const form = document.querySelector('form[data-action="patch-storage"]');
  if (!form) return;
  form.elements.path.value = item.dataset.pointer;
  form.elements.op.value = "replace";
  form.elements.value.value = item.dataset.value !== undefined ? item.dataset.value : "";
  form.elements.value.focus();
}

document.addEventListener("click", (event) => {
  const item = event.target.closest("#storage-tree [data-pointer]");
  if (item) pickRow(item);
});
document.addEventListener("keydown", (event) => {
  const item = event.target.closest && event.target.closest("#storage-tree [data-pointer]");
  if (item && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); pickRow(item); }
});

// ------------------------------------------------------------------ schema editor

function gutter(textarea, errorLine) {
  const lines = textarea.value.split("\n").length;
  const pre = document.getElementById("schema-gutter");
  pre.replaceChildren(...Array.from({ length: lines }, (_, i) => {
    const span = document.createElement("span");
    span.textContent = String(i + 1) + "\n";
    if (i + 1 === errorLine) span.className = "error-line";
    return span;
  }));
}

function showDiagnostic(result) {
  const box = document.getElementById("schema-diagnostic");
  const textarea = document.getElementById("schema-body");
  if (!box || !textarea) return;
  if (result.valid) {
    box.textContent = "✓ The checker accepts this schema.";
    box.className = "diagnostic ok";
    gutter(textarea, 0);
  } else {
    const where = result.line ? `Line ${result.line}, column ${result.column}: ` : "";
    // The checker's message ends with its own "(at L:C)": said once is enough.
    box.textContent = where + String(result.message).replace(/ \(at \d+:\d+\)$/, "");
    box.className = "diagnostic error";
    gutter(textarea, result.line || 0);
  }
}

async function checkSchema(textarea) {
  try {
    showDiagnostic(await call("POST", "/dashboard/check-schema", { body: textarea.value }));
  } catch (error) { showDiagnostic({ valid: false, message: describe(error) }); }
}

function setUpSchemaEditor() {
  const textarea = document.getElementById("schema-body");
  if (!textarea) return;
  const pre = document.getElementById("schema-gutter");
  let timer = null;
  textarea.addEventListener("input", () => {
    gutter(textarea, 0);
    clearTimeout(timer);
    timer = setTimeout(() => checkSchema(textarea), 250);
  });
  textarea.addEventListener("scroll", () => { pre.scrollTop = textarea.scrollTop; });
  checkSchema(textarea);
}

listen();
setUpSchemaEditor();
