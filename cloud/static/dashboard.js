// Continuo's dashboard: one page, one view per hash route, updated in place.
//
// Every view fetches from the REST API and reconciles keyed lists: an item is redrawn only
// when its data changed, and never while the user is inside it (a focused control, an open
// menu), so live updates never pull anything from under the cursor.
"use strict";

const REASON = { "X-Access-Reason": "operations dashboard" };
const EXPERIENCES = {
  respond_to_desire: "I order myself",
  curated_offering: "Show me options",
  coach_behavior: "Remind me",
  automatic_execution: "Order for me",
};
const HEALTH = { ok: "ok", attention: "needs a look", offline: "offline", never_seen: "never seen", quarantined: "quarantined", revoked: "revoked" };
const STREAMS = { ink_levels: "printer ink levels", weights: "weights from scales", accelerometer: "wearable motion", calendar: "your calendar" };
const PURPOSES = { replenishment: "to keep things in stock", coaching: "for reminders", safety_alerts: "for safety alerts", population_learning: "to improve forecasts for everyone" };
const PAGE = 50;

let me = null;
let view = null; // { refresh(), stop() } of the current route
const seenAlerts = new Set();

// ---- small helpers --------------------------------------------------------------------------

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false) e.append(k instanceof Node ? k : String(k));
  return e;
}
const $ = (sel, root = document) => root.querySelector(sel);
const staff = () => me && me.role === "operator";
function ago(iso) {
  if (!iso) return "never";
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return day(iso);
}
function day(iso) {
  return new Date(iso).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}
function inWords(iso) {
  const s = (Date.parse(iso) - Date.now()) / 1000;
  if (s <= 60) return "now";
  if (s < 5400) return `in ${Math.round(s / 60)} minutes`;
  if (s < 172800) return `in ${Math.round(s / 3600)} hours`;
  return `on ${new Date(iso).toLocaleDateString([], { weekday: "long", day: "numeric", month: "long" })}`;
}
function money(cents) { return (cents / 100).toLocaleString([], { style: "currency", currency: "USD" }); }
function toast(text, action) {
  const box = el("div", {}, el("span", {}, text), action ? el("button", { type: "button", onclick: () => { box.remove(); action.run(); } }, action.label) : null);
  $("#toast").append(box);
  setTimeout(() => box.remove(), action ? 20000 : 6000);
}
function announce(text) { $("#announce").textContent = text; }
function confirmDialog(title, text, yes) {
  const dialog = $("#confirm");
  $("#confirm-title").textContent = title;
  $("#confirm-text").textContent = text;
  $("#confirm-yes").textContent = yes;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise(resolve => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

// ---- the API ----------------------------------------------------------------------------------

async function get(path) {
  const r = await fetch(path, { headers: REASON });
  if (r.status === 401) { location.reload(); throw new Error("logged out"); }
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  const total = r.headers.get("X-Total-Count");
  const body = await r.json();
  if (total !== null) body.total = Number(total);
  return body;
}
async function getAll(path) {  // every page of a paged list (the alert wall is never cut short)
  const sep = path.includes("?") ? "&" : "?";
  const first = await get(`${path}${sep}limit=1000`);
  const all = [...first];
  while (first.total !== undefined && all.length < first.total) {
    const page = await get(`${path}${sep}limit=1000&offset=${all.length}`);
    if (!page.length) break;
    all.push(...page);
  }
  return all;
}
function changedFrom(control) {  // the user changed something here: redraw it with the answer
  const item = control.closest("[data-key]");
  if (item) item._dirty = true;
}
async function send(method, path, body, headers = {}) {
  if (document.activeElement) changedFrom(document.activeElement); // redraw where the user acted
  const r = await fetch(path, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf ?? "", ...REASON, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = r.headers.get("Content-Type")?.includes("json") ? await r.json() : null;
  if (!r.ok) { toast(answer?.detail ?? `failed (${r.status})`); refreshSoon(); return null; }
  refreshSoon();
  return answer;
}
const mine = what => `/api/v1/customers/${encodeURIComponent(me.customer_id)}/${what}`;

// ---- keyed lists: change what changed, in place ------------------------------------------------

function busy(node) {
  const a = document.activeElement;
  return (a && a !== document.body && node.contains(a)) || node.querySelector("[data-open]") !== null;
}
function keyed(container, items, keyOf, render, empty = "Nothing here yet.") {
  const old = new Map();
  for (const n of [...container.children]) if (n.dataset.key !== undefined) old.set(n.dataset.key, n); else n.remove();
  const seen = new Map();
  const nodes = items.map(item => {
    const base = String(keyOf(item));
    const n = (seen.get(base) ?? 0) + 1; // two items with one key stay two nodes
    seen.set(base, n);
    const key = n > 1 ? `${base}#${n}` : base;
    const sig = JSON.stringify(item);
    let node = old.get(key);
    old.delete(key);
    // unchanged, or the user is in it; where the user just acted it is redrawn with the answer
    if (node && !node._dirty && (node._sig === sig || busy(node))) return node;
    const fresh = render(item);
    fresh.dataset.key = key;
    fresh._sig = sig;
    if (node) {
      const focused = node.contains(document.activeElement) ? document.activeElement.id : "";
      node.replaceWith(fresh);
      if (focused) document.getElementById(focused)?.focus();
    } else if (container._drawn) fresh.classList.add("new");
    return fresh;
  });
  for (const n of old.values()) if (!busy(n)) { n.querySelectorAll(".chart").forEach(dropChart); n.remove(); }
  nodes.forEach((n, i) => { if (container.children[i] !== n) container.insertBefore(n, container.children[i] ?? null); });
  if (!items.length && !container.children.length && empty) {
    const blank = container.tagName === "TBODY" ? el("tr", {}, el("td", { colspan: 9, class: "empty" }, empty)) : el("p", { class: "empty" }, empty);
    container.append(blank);
  }
  container._drawn = true;
}
function table(id, heads, label) {
  return el("div", { class: "scroll" }, el("table", { id, "aria-label": label }, el("thead", {}, el("tr", {}, heads.map(h => el("th", { scope: "col" }, h)))), el("tbody")));
}

// ---- charts (uPlot, served by the backend from npm; never a CDN) --------------------------------

function chart(box, series, opts) {
  // series: { at: [seconds], level: [v] } history; opts: { runout, early, act, orders: [seconds], unit }
  if (typeof uPlot === "undefined") { box.replaceChildren(el("p", { class: "note" }, "Charts are not installed (run make).")); return; }
  const now = Date.now() / 1000;
  const xs = [...series.at];
  const level = [...series.level];
  const expected = xs.map(() => null), early = xs.map(() => null);
  const last = series.at.length ? series.level[series.level.length - 1] : null;
  if (last !== null && opts.runout) {
    const start = series.at[series.at.length - 1];
    expected[expected.length - 1] = last;
    if (opts.early && opts.early < opts.runout) early[early.length - 1] = last;
    const points = [[opts.runout, 0, null], ...(opts.early && opts.early < opts.runout ? [[opts.early, null, 0]] : [])].sort((a, b) => a[0] - b[0]);
    for (const [t, e, x] of points) {
      if (t <= start) continue;
      xs.push(t); level.push(null);
      expected.push(e === null ? last * (1 - (t - start) / (opts.runout - start)) : e);
      early.push(x === null ? null : x);
    }
    if (opts.early && opts.early < opts.runout) {
      // the band: from the expected line down to the early (service-level) line
      const i = xs.indexOf(opts.runout);
      if (i >= 0) early[i] = 0;
    }
  }
  const marks = [...(opts.orders ?? []).map(t => [t, "#6b21a8", "order"]), ...(opts.act ? [[opts.act, "#b45309", "order point"]] : []), [now, "#555", "now"]];
  const markers = {
    hooks: {
      draw: [u => {
        const ctx = u.ctx;
        ctx.save();
        for (const [t, color] of marks) {
          const x = u.valToPos(t, "x", true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.strokeStyle = color; ctx.setLineDash([4, 3]); ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        }
        ctx.restore();
      }],
    },
  };
  const width = Math.max(260, box.clientWidth || box.parentElement?.clientWidth || 320);
  const drawn = el("div"); // drawn aside, then swapped in: a redraw never blanks the chart
  const plot = new uPlot({
    width, height: 170,
    plugins: [markers],
    legend: { live: false },
    scales: { x: { time: true }, y: { range: (u, lo, hi) => [0, Math.max(hi ?? 0, opts.top ?? 0) * 1.05 || 1] } },
    axes: [{ stroke: "#444" }, { stroke: "#444", values: (u, v) => v.map(x => x + (opts.unit ?? "")) }],
    series: [
      {},
      { label: "level", stroke: "#1d4ed8", width: 2, points: { show: series.at.length < 60 } },
      { label: "forecast", stroke: "#1d4ed8", dash: [6, 4], spanGaps: true, points: { show: false } },
      { label: "could run out by", stroke: "#b91c1c", dash: [2, 3], spanGaps: true, points: { show: false } },
    ],
    bands: opts.early ? [{ series: [2, 3], fill: "rgba(185,28,28,0.10)" }] : [],
  }, [xs, level, expected, early], drawn);
  box._plot?.destroy();
  box.replaceChildren(...drawn.childNodes);
  box.dataset.points = String(series.at.length);
  box.dataset.ready = "1";
  box.setAttribute("role", "img");
  box.setAttribute("aria-label", opts.label ?? "level history and forecast");
  box._plot = plot;
  if (opts.act) box.append(el("p", { class: "note" }, `Dashed lines: order point (${day(new Date(opts.act * 1000).toISOString())}), orders, now.`));
}
const chartBoxes = new Map(); // one chart element per need or supply, kept across redraws
function dropChart(box) {
  box._plot?.destroy();
  box._plot = null;
  for (const [k, b] of chartBoxes) if (b === box) chartBoxes.delete(k);
}
function chartBox(key) {
  if (!chartBoxes.has(key)) chartBoxes.set(key, el("div", { class: "chart" }));
  return chartBoxes.get(key);
}
async function needChart(box, n, orders) {
  const seconds = iso => Date.parse(iso) / 1000;
  let at = [], level = [];
  try {
    if (n.kind === "cartridge" && n.supply_index !== null) {
      const rows = await get(`/api/v1/devices/${encodeURIComponent(n.device_id)}/supplies/${encodeURIComponent(n.sensor)}/${n.supply_index}/levels?limit=500`);
      for (const r of rows) if (r.level !== null) { at.push(seconds(r.at)); level.push(r.level); }
    } else if (n.sensor) {
      const rows = await get(`/api/v1/devices/${encodeURIComponent(n.device_id)}/sensors/${encodeURIComponent(n.sensor)}/readings?limit=500`);
      for (const r of rows) if (r.grams !== null) { at.push(seconds(r.at)); level.push(r.grams); }
    }
  } catch (e) { console.warn(e); }
  if (!at.length && n.level !== null && n.level_at) { at = [seconds(n.level_at)]; level = [n.level]; }
  if (!at.length) { box.replaceChildren(el("p", { class: "note" }, "No readings to draw yet.")); box.dataset.points = "0"; box.dataset.ready = "1"; return; }
  chart(box, { at, level }, {
    unit: n.kind === "cartridge" ? "%" : " g",
    runout: n.runout_at ? seconds(n.runout_at) : null,
    early: n.runout_early_at ? seconds(n.runout_early_at) : null,
    act: n.act_at ? seconds(n.act_at) : null,
    orders: orders.filter(o => o.need_id === n.id).map(o => seconds(o.created_at)),
    top: n.kind === "cartridge" ? 100 : 0,
    label: `${n.label}: level history, forecast and order point`,
  });
}

// ---- pieces used by several views ---------------------------------------------------------------

function healthBadge(d) { return el("span", { class: `badge h-${d.health}` }, HEALTH[d.health] ?? d.health); }
function statusBadge(s) { return el("span", { class: `badge s-${s}` }, s); }

function trace(a) {
  const ns = "http://www.w3.org/2000/svg", w = 240, h = 60;
  const mags = a.samples.map(s => Math.hypot(s[0], s[1], s[2]));
  if (!mags.length) return el("span", { class: "note" }, "no motion trace");
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`); svg.setAttribute("width", w); svg.setAttribute("height", h);
  svg.setAttribute("class", "trace"); svg.setAttribute("role", "img");
  const top = Math.max(2, ...mags);
  svg.setAttribute("aria-label", `acceleration around the event, peak ${top.toFixed(1)} g`);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", mags.map((m, i) => `${(i / Math.max(1, mags.length - 1) * w).toFixed(1)},${(h - m / top * (h - 4) - 2).toFixed(1)}`).join(" "));
  line.setAttribute("fill", "none"); line.setAttribute("stroke", "#b91c1c");
  svg.append(line);
  return svg;
}
let audio = null;
function unlockSound() {
  try { audio = audio || new AudioContext(); audio.resume(); } catch (e) { console.warn("no sound", e); }
}
["pointerdown", "keydown"].forEach(kind => document.addEventListener(kind, unlockSound, { once: true }));
function beep() {
  try {
    audio = audio || new AudioContext();
    audio.resume();
    const osc = audio.createOscillator(), gain = audio.createGain();
    osc.frequency.value = 880; gain.gain.value = 0.2; osc.connect(gain); gain.connect(audio.destination);
    osc.start(); osc.stop(audio.currentTime + 0.6);
  } catch (e) { console.warn("no sound", e); }
}
const WHO = { alarm_centre: "alarm centre", caregiver: "caregiver", customer: "household", other: "contact" };
const GETS = [["emergency", "Emergencies (falls)"], ["warning", "Warnings (battery, not worn, hub silent)"], ["reminder", "Reminders"]];
function receiverRow(r, current, base) {  // who is told of what; a change sends the whole ladder back
  const save = change => send("PUT", `${base}/escalation`, current().map(s => ({ after_s: s.after_s, channel: s.channel, target: s.target, who: s.who, gets: s.gets, ...(s.position === r.position ? change() : {}) })));
  const who = el("select", { "aria-label": `Who ${r.channel} ${r.target} is` }, Object.entries(WHO).map(([v, label]) => el("option", { value: v, selected: v === r.who }, label)));
  who.addEventListener("change", () => save(() => ({ who: who.value, gets: undefined })));
  const boxes = GETS.map(([kind, label]) => {
    const allowed = kind !== "reminder" || r.who === "customer" || r.who === "caregiver";
    const box = el("input", { type: "checkbox", class: "gets", "data-gets": kind, checked: r.gets.includes(kind), disabled: !allowed, "aria-label": `${label} to the ${WHO[r.who] ?? r.who} by ${r.channel}` });
    box.addEventListener("change", () => save(() => ({ gets: box.checked ? [...new Set([...r.gets, kind])] : r.gets.filter(g => g !== kind) })));
    return el("td", {}, box);
  });
  const gone = r.disabled_at ? el("span", { class: "flag" }, " (the receiver said it is gone; an operator can retry)") : null;
  return el("tr", { "data-receiver": r.position }, el("td", {}, who), el("td", {}, `${r.channel} ${r.target}`, gone), el("td", {}, r.after_s ? `after ${inMinutes(r.after_s)}` : "at once"), boxes);
}
function inMinutes(s) { return s < 120 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`; }
function toldLine(n) {
  const words = { delivered: "told", pending: n.attempts ? "not reached yet, trying again" : "being told", sending: "being told", failed: "could not be reached", gone: "could not be reached (receiver disabled)", cancelled: "not told (no longer needed)" }[n.state] ?? n.state;
  const what = { false_alarm: " (false alarm)", cleared: " (all clear)", raised_again: " (raised again)" }[n.purpose] ?? "";
  const why = staff() && !n.ok && n.detail && n.state !== "cancelled" ? ` — ${n.detail}` : "";
  const retry = staff() && (n.state === "failed" || n.state === "gone") ? el("button", { type: "button", class: "retry", onclick: () => retryDelivery(n) }, "Retry") : null;
  return el("li", { class: n.ok ? "" : "flag" }, `${WHO[n.who] ?? n.who} by ${n.channel} ${n.target}${what}: ${words}${why}`, retry ? " " : "", retry);
}
async function retryDelivery(n) {
  const done = await send("POST", `/api/v1/deliveries/${encodeURIComponent(n.id)}/retry`, {});
  if (done) toast(`Trying ${n.channel} ${n.target} again`);
}
function alertCard(a) {
  const who = a.resolved_by ? `resolved by ${a.resolved_by}` : a.acknowledged_by ? `acknowledged by ${a.acknowledged_by} ${ago(a.acknowledged_at)}` : "nobody has answered yet";
  const told = a.notifications.map(toldLine);
  const what = `${a.severity === "critical" ? "Critical " : ""}${a.kind.replaceAll("_", " ")}`;
  const buttons = [];
  if (a.state === "active") buttons.push(el("button", { type: "button", class: "ack primary", onclick: () => act(a, "acknowledge") }, "Acknowledge"));
  if (a.state !== "resolved") buttons.push(el("button", { type: "button", class: "resolve", onclick: () => act(a, "resolve") }, "Resolve"));
  const again = a.raised_again ? ` · raised again ${a.raised_again === 1 ? "once" : `${a.raised_again} times`}: acknowledged, not resolved` : "";
  return el("article", { class: `card alert ${a.state}`, "data-alert": a.id, "aria-label": `${what} alert, ${a.state}` },
    el("h3", {}, el("span", {}, what, staff() ? el("span", { class: "note" }, ` · ${a.device_id} (${a.site}) / ${a.sensor}`) : null), el("span", { class: `badge st-${a.state}` }, a.state)),
    el("p", {}, a.detail, a.occurrences > 1 ? ` (${a.occurrences} times)` : "", el("br"), el("span", { class: "note" }, `raised ${ago(a.raised_at)}${again}`)),
    trace(a),
    el("p", { class: "who" }, who),
    told.length ? el("ul", { class: "note escalation" }, told) : el("p", { class: "note escalation" }, "no one told yet"),
    a.next_escalation_at ? el("p", { class: "note" }, `next: ${inWords(a.next_escalation_at)}`) : null,
    buttons.length ? el("div", { class: "actions" }, buttons) : null);
}
async function act(a, action) {
  const done = await send("POST", `/api/v1/alerts/${a.id}/${action}`, {});
  if (done) toast(`${action === "acknowledge" ? "Acknowledged" : "Resolved"} as ${me.username}`);
}
function noteAlerts(alerts, unanswered) {
  const active = alerts.filter(a => a.state === "active");
  const shown = unanswered ?? active.length;
  let fresh = null;
  for (const a of active) if (!seenAlerts.has(a.id)) fresh = a;
  alerts.forEach(a => seenAlerts.add(a.id));
  document.title = shown ? `(${shown}) ALERT - Continuo` : "Continuo";
  const count = $("#nav a[data-route='alerts'] .count");
  if (count) { count.textContent = shown ? String(shown) : ""; count.hidden = !shown; }
  if (fresh) { beep(); announce(`New alert: ${fresh.kind.replaceAll("_", " ")}. ${fresh.detail}`); }
}
function orderRow(o) {
  const open = o.status === "held" && o.cancel_until && Date.parse(o.cancel_until) > Date.now();
  const undo = open ? el("button", { type: "button", class: "undo", onclick: () => undoOrder(o) }, `Undo (until ${new Date(o.cancel_until).toLocaleTimeString()})`) : null;
  return el("tr", { "data-order": o.id },
    el("td", {}, day(o.created_at)),
    el("td", {}, `${o.quantity} x ${o.product}`, staff() ? el("span", { class: "note" }, ` ${o.sku} · ${o.device_id}`) : null),
    el("td", {}, statusBadge(o.status)),
    el("td", { class: "note reason" }, o.reason.summary || o.reason.rule),
    el("td", {}, undo));
}
async function undoOrder(o) {
  const done = await send("POST", `/api/v1/orders/${o.id}/cancel`, { by: me.username });
  if (done) toast(`Order for ${o.product} undone.`);
}

// ---- views ----------------------------------------------------------------------------------------

const views = {
  async overview(root) {
    const tiles = el("div", { class: "tiles", id: "tiles" });
    const attention = el("tbody");
    root.append(el("section", {}, el("h2", {}, "Now"), tiles),
      el("section", {}, el("h2", {}, "Needs an operator"),
        el("div", { class: "scroll" }, el("table", { id: "flags", "aria-label": "Needs an operator" }, el("thead", {}, el("tr", {}, ["Since", "Device", "What"].map(h => el("th", { scope: "col" }, h)))), attention))));
    return async () => {
      const [alerts, unanswered, gaveUp, gone, flags, held, ...counts] = await Promise.all([
        get("/api/v1/alerts?state=open&limit=100"), get("/api/v1/alerts?state=active&limit=1"),
        get("/api/v1/deliveries?state=failed&limit=50"), get("/api/v1/deliveries?state=gone&limit=50"),
        get("/api/v1/flags"), get("/api/v1/orders?status=held&limit=500"),
        ...["offline", "never_seen", "attention", "quarantined"].map(h => get(`/api/v1/devices?health=${h}&limit=20`)),
      ]);
      noteAlerts(alerts, unanswered.total);
      const [offline, never, look, quarantined] = counts;
      const tile = (n, label, href, cls) => el("a", { class: `tile ${n ? cls : ""}`, href, "data-tile": label }, el("b", {}, String(n)), label);
      tiles.replaceChildren(
        tile(unanswered.total, "alerts unanswered", "#/alerts", "bad"),
        tile(gaveUp.total + gone.total, "notices not delivered", "#/alerts", "bad"),
        tile(offline.total, "devices offline", "#/fleet?health=offline", "bad"),
        tile(look.total, "devices need a look", "#/fleet?health=attention", "warn"),
        tile(never.total, "never seen", "#/fleet?health=never_seen", "warn"),
        tile(quarantined.total, "quarantined", "#/fleet?health=quarantined", "warn"),
        tile(held.length, "orders in their undo window", "#/orders?status=held", ""));
      const rows = [
        ...[...gaveUp, ...gone].map(n => ({ key: `delivery-${n.id}`, at: n.created_at, customer: n.customer_id, what: `${WHO[n.who] ?? n.who} not told by ${n.channel} ${n.target}: ${n.detail}`, delivery: n })),
        ...flags.map(f => ({ key: `flag-${f.id}`, at: f.created_at, device: f.device_id, what: f.detail })),
        ...[...offline, ...look].map(d => ({ key: `dev-${d.id}`, at: d.last_seen, device: d.id, what: d.health === "offline" ? "offline" : d.problems.join("; ") })),
      ];
      const where = r => r.device ? el("a", { href: `#/device/${encodeURIComponent(r.device)}` }, r.device) : el("a", { href: `#/customer/${encodeURIComponent(r.customer)}` }, r.customer);
      keyed(attention, rows, r => r.key, r => el("tr", {}, el("td", {}, ago(r.at)), el("td", {}, where(r)), el("td", { class: "flag" }, r.what, r.delivery ? " " : "", r.delivery ? el("button", { type: "button", class: "retry", onclick: () => retryDelivery(r.delivery) }, "Retry") : null)), "Nothing needs an operator.");
    };
  },

  async alerts(root) {
    const list = el("div", { id: "alert-list", class: "grid" });
    root.append(el("section", {}, el("h2", {}, "Alerts"), el("p", { class: "note" }, `You act as ${me.username}; new alerts sound and are read out.`)), list);
    return async () => {
      const base = me.role === "operator" ? "/api/v1/alerts" : mine("alerts");
      const [open, recent] = await Promise.all([getAll(`${base}?state=open`), get(`${base}?limit=30`)]);
      const ids = new Set(open.map(a => a.id));
      const alerts = [...open, ...recent.filter(a => !ids.has(a.id))];
      noteAlerts(alerts);
      keyed(list, alerts, a => a.id, alertCard, "No alerts.");
    };
  },

  async fleet(root, params) {
    const state = { q: params.get("q") ?? "", health: params.get("health") ?? "", sort: params.get("sort") ?? "id", offset: Number(params.get("offset") ?? 0) };
    const q = el("input", { id: "fleet-q", type: "search", value: state.q, placeholder: "device, site or customer" });
    const sort = el("select", { id: "fleet-sort" }, Object.entries({ id: "device", site: "site", "-last_seen": "last seen, newest", last_seen: "last seen, oldest" }).map(([v, l]) => el("option", { value: v, selected: v === state.sort }, l)));
    const chips = el("div", { class: "chips", role: "group", "aria-label": "Show devices by health" });
    const body = el("tbody");
    const range = el("span", { id: "fleet-range", role: "status" });
    const prev = el("button", { type: "button", id: "fleet-prev" }, "Previous");
    const next = el("button", { type: "button", id: "fleet-next" }, "Next");
    root.append(el("section", {}, el("h2", {}, me.role === "installer" ? "Your sites' devices" : "Fleet"),
      el("div", { class: "toolbar" }, el("label", {}, "Search", q), el("label", {}, "Sort by", sort)), chips,
      el("div", { class: "scroll" }, el("table", { id: "fleet", "aria-label": "Devices" }, el("thead", {}, el("tr", {}, ["Device", "Site", "Health", "Last seen", "What needs a look"].map(h => el("th", { scope: "col" }, h)))), body)),
      el("div", { class: "pager" }, prev, range, next)));
    const go = () => { state.offset = Math.max(0, state.offset); history.replaceState(null, "", `#/fleet?${new URLSearchParams({ q: state.q, health: state.health, sort: state.sort, offset: state.offset })}`); refresh(); };
    let typing = null;
    q.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => { state.q = q.value.trim(); state.offset = 0; go(); }, 250); });
    sort.addEventListener("change", () => { state.sort = sort.value; state.offset = 0; go(); });
    prev.addEventListener("click", () => { state.offset -= PAGE; go(); });
    next.addEventListener("click", () => { state.offset += PAGE; go(); });
    let asked = 0;
    const refresh = async () => {
      const ask = ++asked;
      const base = new URLSearchParams({ q: state.q, sort: state.sort });
      const words = ["", "attention", "offline", "never_seen", "quarantined", "ok", "revoked"];
      const [page, ...counts] = await Promise.all([
        get(`/api/v1/devices?${base}&limit=${PAGE}&offset=${state.offset}` + (state.health ? `&health=${state.health}` : "")),
        ...words.map(h => get(`/api/v1/devices?${base}&limit=1` + (h ? `&health=${h}` : ""))),
      ]);
      if (ask !== asked) return; // a newer search or page was asked for meanwhile
      keyed(chips, words.map((h, i) => ({ h, n: counts[i].total, on: h === state.health })), c => c.h, c =>
        el("button", { type: "button", "aria-pressed": c.on ? "true" : "false", "data-health": c.h || "all", onclick: e => { changedFrom(e.currentTarget); state.health = c.h; state.offset = 0; go(); } }, `${c.h ? HEALTH[c.h] : "all"} (${c.n})`));
      keyed(body, page, d => d.id, d => el("tr", { "data-device": d.id },
        el("td", {}, el("a", { href: `#/device/${encodeURIComponent(d.id)}` }, d.id)),
        el("td", {}, staff() ? el("a", { href: `#/customer/${encodeURIComponent(d.customer)}` }, d.site) : d.site),
        el("td", {}, healthBadge(d)),
        el("td", {}, ago(d.last_seen)),
        el("td", { class: "note" }, d.problems.join("; ") || (d.health === "ok" ? "" : HEALTH[d.health]))), "No devices match.");
      const total = page.total;
      range.textContent = total ? `${state.offset + 1}–${Math.min(total, state.offset + page.length)} of ${total.toLocaleString()}` : "none";
      prev.disabled = state.offset <= 0;
      next.disabled = state.offset + PAGE >= total;
    };
    return refresh;
  },

  async device(root, params, id) {
    const facts = el("dl", { class: "facts" });
    const problems = el("ul", { class: "problems" });
    const actions = el("div", { class: "actions" });
    const printers = table("printers", ["Printer", "State", "Make and model", "Updated"], "Printers");
    const supplies = el("div", { class: "grid", id: "supplies" });
    const sensors = table("sensors", ["Sensor", "Kind", "State", "Reading", "When"], "Scales and wearables");
    const events = table("events", ["When", "Sensor", "Event", "Detail"], "Recent events");
    const title = el("h2", {}, `Device ${id}`);
    root.append(el("section", {}, title, facts, problems, actions), el("section", {}, el("h2", {}, "Printers"), printers),
      el("section", {}, el("h2", {}, "Supplies"), supplies), el("section", {}, el("h2", {}, "Scales and wearables"), sensors),
      el("section", {}, el("h2", {}, "Recent events"), events));
    return async () => {
      const d = await get(`/api/v1/devices/${encodeURIComponent(id)}`);
      title.replaceChildren(`Device ${d.id} `, healthBadge(d));
      const fact = (k, v) => [el("dt", {}, k), el("dd", {}, v)];
      facts.replaceChildren(...fact("Site", staff() ? el("a", { href: `#/customer/${encodeURIComponent(d.customer)}` }, `${d.site} (customer ${d.customer})`) : d.site),
        ...fact("Last seen", ago(d.last_seen)), ...fact("Link", d.online ? "online" : "offline"), ...fact("Firmware", d.firmware ?? "unknown"),
        ...fact("Messages", `last sequence ${d.last_seq}, ${d.open_gaps} gap(s), ${d.outbox_dropped} dropped by the agent, ${d.shed} shed by ingest`),
        ...(d.quarantined_at ? fact("Quarantined", `${ago(d.quarantined_at)}: ${d.quarantine_reason}`) : []));
      keyed(problems, d.problems.map(p => ({ p })), x => x.p, x => el("li", {}, x.p), "");
      const quarantined = Boolean(d.quarantined_at);
      if (staff() && (!busy(actions) || actions._quarantined !== quarantined)) {
        actions._quarantined = quarantined;
        actions.replaceChildren(d.quarantined_at
          ? el("button", { type: "button", id: "release", onclick: () => send("DELETE", `/api/v1/devices/${encodeURIComponent(id)}/quarantine`) }, "Release from quarantine")
          : el("button", { type: "button", class: "danger", id: "quarantine", onclick: async () => { if (await confirmDialog(`Quarantine ${id}?`, "Ingest and the broker will take nothing from this device until it is released.", "Quarantine")) await send("POST", `/api/v1/devices/${encodeURIComponent(id)}/quarantine`, { reason: `by ${me.username} from the dashboard` }); } }, "Quarantine"));
      }
      keyed($("tbody", printers), d.printers, p => p.sensor, p => el("tr", {}, el("td", {}, p.sensor), el("td", {}, p.state), el("td", {}, `${p.make ?? "?"} ${p.model ?? ""}`), el("td", {}, ago(p.updated_at))), "No printers.");
      const q = encodeURIComponent(id);
      const [sup, sens, evs] = staff() // supplies, readings and events are the operators'
        ? await Promise.all([get(`/api/v1/supplies?device_id=${q}`), get(`/api/v1/sensors?device_id=${q}`), get(`/api/v1/events?device_id=${q}&limit=20`)])
        : [[], [], []];
      keyed(supplies, sup, s => `${s.sensor}/${s.index}`, s => {
        const box = chartBox(`supply/${s.device_id}/${s.sensor}/${s.index}`);
        const card = el("article", { class: "card", "data-supply": `${s.device_id}/${s.sensor}/${s.index}` },
          el("h3", {}, s.supply, el("span", {}, s.level === null ? s.level_state : `${s.level} %`)),
          el("div", { class: `meter ${s.level !== null && s.level <= 10 ? "out" : s.level !== null && s.level <= 25 ? "low" : ""}` }, el("span", { style: `width:${s.level ?? 0}%` })),
          el("p", { class: "note" }, s.runout_at ? `runs out ${inWords(s.runout_at)}` : s.note || "no forecast yet"), box);
        const seconds = iso => Date.parse(iso) / 1000;
        get(`/api/v1/devices/${encodeURIComponent(s.device_id)}/supplies/${encodeURIComponent(s.sensor)}/${s.index}/levels?limit=500`).then(rows => {
          const known = rows.filter(r => r.level !== null);
          if (!known.length) { box.replaceChildren(el("p", { class: "note" }, "No levels to draw yet.")); box.dataset.points = "0"; box.dataset.ready = "1"; return; }
          chart(box, { at: known.map(r => seconds(r.at)), level: known.map(r => r.level) }, { unit: "%", top: 100, runout: s.runout_at ? seconds(s.runout_at) : null, label: `${s.supply}: level history` });
        }).catch(console.warn);
        return card;
      }, "No supplies reported.");
      keyed($("tbody", sensors), sens.filter(s => s.device_id === id), s => s.sensor, s => el("tr", { "data-sensor": `${s.device_id}/${s.sensor}` },
        el("td", {}, s.sensor), el("td", {}, s.kind), el("td", {}, s.state),
        el("td", {}, s.kind === "scale" ? (s.grams === null ? s.detail : `${s.grams.toFixed(1)} g`) : `battery ${s.data.battery_pct ?? "?"} % · ${s.data.frames ?? 0} frames`),
        el("td", {}, ago(s.at))), "No scales or wearables.");
      keyed($("tbody", events), evs, e => e.id, e => el("tr", {}, el("td", {}, ago(e.at)), el("td", {}, e.sensor), el("td", {}, e.name), el("td", { class: "note" }, e.detail)), "No events yet.");
    };
  },

  async customers(root) {
    const body = el("tbody");
    root.append(el("section", {}, el("h2", {}, "Customers"), el("div", { class: "scroll" }, el("table", { id: "customers", "aria-label": "Customers" }, el("thead", {}, el("tr", {}, ["Customer", "Needs", "Runs out first", "Experiences"].map(h => el("th", { scope: "col" }, h)))), body))));
    return async () => {
      const needs = await get("/api/v1/needs");
      const by = new Map();
      for (const n of needs) { if (!by.has(n.customer_id)) by.set(n.customer_id, []); by.get(n.customer_id).push(n); }
      const rows = [...by.entries()].map(([id, ns]) => ({ id, n: ns.length, first: ns.map(n => n.runout_at).filter(Boolean).sort()[0] ?? null, ex: [...new Set(ns.map(n => EXPERIENCES[n.experience]))].join(", ") }));
      keyed(body, rows, r => r.id, r => el("tr", { "data-customer": r.id }, el("td", {}, el("a", { href: `#/customer/${encodeURIComponent(r.id)}` }, r.id)), el("td", {}, String(r.n)), el("td", {}, r.first ? inWords(r.first) : "—"), el("td", {}, r.ex)), "No customers with needs yet.");
    };
  },

  async customer(root, params, id) {
    const base = `/api/v1/customers/${encodeURIComponent(id)}`;
    const needs = el("div", { id: "needs", class: "grid" });
    const orders = table("orders", ["Placed", "What", "Status", "Why", ""], "Orders");
    const alerts = el("div", { id: "alert-list", class: "grid" });
    const reminders = table("reminders", ["When", "About", "Message", "Followed"], "Reminders");
    const timeline = table("timeline", ["When", "What", "Detail"], "Timeline");
    const consents = el("table", { id: "consents", "aria-label": "What you share, and what for" }, el("thead"), el("tbody"));
    const receivers = table("receivers", ["Who", "How", "When", "Falls", "Warnings", "Reminders"], "Who is told");
    let ladderNow = [];  // the receivers as last read: a change sends them all back
    const data = el("div", { class: "actions" },
      el("button", { type: "button", id: "export", onclick: () => exportData(base, id) }, "Download my data"),
      el("button", { type: "button", class: "danger", id: "erase", onclick: () => eraseData(base, id) }, "Erase my data"));
    const mineView = me.role === "customer";
    root.append(el("section", {}, el("h2", {}, mineView ? "Your home" : `Customer ${id}`), el("p", { class: "note" }, "Each thing Continuo keeps in stock for you: how much is left, when it runs out, and what Continuo will do.")),
      needs, el("section", {}, el("h2", {}, "Orders"), orders), el("section", {}, el("h2", {}, "Alerts"), alerts),
      el("section", {}, el("h2", {}, "Reminders"), reminders),
      el("section", {}, el("h2", {}, "Who is told"), el("p", { class: "note" }, "Emergencies go to each in turn until someone acknowledges; warnings go to those who take them at once; reminders only to you (or your caregiver), never to an alarm centre."), receivers),
      el("section", {}, el("h2", {}, "What you share"), el("div", { class: "scroll" }, consents), el("h3", {}, "Your data"), data),
      el("section", {}, el("h2", {}, "Timeline"), timeline));
    return async () => {
      const [ns, os, as, rs, tl, cs, ladder] = await Promise.all([get(`${base}/needs`), get(`${base}/orders`), get(`${base}/alerts?limit=20`), get(`${base}/reminders`), get(`${base}/timeline`).catch(() => []), get(`${base}/consents`).catch(() => []), get(`${base}/escalation`).catch(() => [])]);
      ladderNow = ladder;
      keyed($("tbody", receivers), ladder, r => `${r.position}`, r => receiverRow(r, () => ladderNow, base), "Nobody is told yet: ask your provider to add who should hear of a fall.");
      keyed(needs, ns, n => n.id, n => needCard(n, os));
      keyed($("tbody", orders), os.slice(0, 30), o => o.id, orderRow, "No orders yet.");
      noteAlerts(as);
      keyed(alerts, as, a => a.id, alertCard, "No alerts.");
      keyed($("tbody", reminders), rs.slice(0, 20), r => r.id, r => el("tr", {}, el("td", {}, ago(r.at)), el("td", {}, r.topic), el("td", { class: "note" }, r.message), el("td", {}, r.followed_at ? "yes" : "not yet")), "No reminders yet.");
      keyed($("tbody", timeline), tl.slice(-40).reverse(), t => `${t.at}/${t.kind}/${t.subject}/${t.detail}`, t => el("tr", {}, el("td", {}, ago(t.at)), el("td", {}, `${t.kind}: ${t.subject}`), el("td", { class: "note" }, t.detail)), "Nothing yet.");
      const streams = [...new Set(cs.map(c => c.stream))], purposes = [...new Set(cs.map(c => c.purpose))];
      const head = el("tr", {}, el("th", { scope: "col" }, "Data"), purposes.map(p => el("th", { scope: "col" }, PURPOSES[p] ?? p)));
      keyed($("thead", consents), purposes.length ? [{ purposes }] : [], () => "head", () => head, "");
      keyed($("tbody", consents), streams.map(st => ({ st, row: cs.filter(c => c.stream === st) })), r => r.st, r =>
        el("tr", {}, el("th", { scope: "row" }, STREAMS[r.st] ?? r.st), purposes.map(p => {
          const c = r.row.find(x => x.purpose === p);
          if (!c) return el("td");
          const box = el("input", { type: "checkbox", class: "consent", id: `consent-${c.stream}-${c.purpose}`, checked: c.granted, "aria-label": `Use ${STREAMS[c.stream] ?? c.stream} ${PURPOSES[c.purpose] ?? c.purpose}` });
          box.addEventListener("change", () => send("PUT", `${base}/consents`, [{ stream: c.stream, purpose: c.purpose, granted: box.checked }]));
          return el("td", {}, box);
        })), "No consents recorded.");
    };
  },

  async orders(root, params) {
    const status = el("select", { id: "orders-status" }, ["", "held", "pending", "placed", "shipped", "delivered", "installed", "cancelled"].map(s => el("option", { value: s, selected: s === (params.get("status") ?? "") }, s || "any")));
    const t = table("orders", ["Placed", "What", "Status", "Why", ""], "Orders");
    root.append(el("section", {}, el("h2", {}, "Orders"), el("div", { class: "toolbar" }, el("label", {}, "Status", status)), t));
    status.addEventListener("change", () => refresh());
    const refresh = async () => {
      const os = await get(`/api/v1/orders?limit=200${status.value ? `&status=${status.value}` : ""}`);
      keyed($("tbody", t), os, o => o.id, orderRow, "No orders.");
    };
    return refresh;
  },

  async audit(root) {
    const t = table("audit", ["When", "Who", "Action", "Customer", "Detail", "Why"], "Audit log");
    root.append(el("section", {}, el("h2", {}, "Audit log"), el("p", { class: "note" }, "Every look at and change to a customer's data, newest first."), t));
    return async () => {
      const rows = await get("/api/v1/audit?limit=200");
      keyed($("tbody", t), rows, r => `${r.at}/${r.actor}/${r.action}/${r.detail}`, r => el("tr", {}, el("td", {}, ago(r.at)), el("td", {}, `${r.actor} (${r.role})`), el("td", {}, r.action), el("td", {}, r.customer_id), el("td", { class: "note" }, r.detail), el("td", { class: "note" }, r.why)), "Nothing audited yet.");
    };
  },
};

function plan(n) {
  const when = n.act_at ? inWords(n.act_at) : null;
  switch (n.experience) {
    case "automatic_execution":
      if (!n.authorized) return "Continuo would order for you, but you have not authorized it yet.";
      return when ? `Continuo orders ${n.product} ${when}; you can undo it for a while after.` : "Continuo orders when it sees you will run out.";
    case "coach_behavior": return when ? `Continuo reminds you ${when}.` : "Continuo reminds you when it is time.";
    case "curated_offering": return when ? `Continuo shows you options ${when}.` : "Continuo shows you options when it is time.";
    default: return when ? `Order ${when} so you do not run out.` : "You order when you want.";
  }
}
function stockWords(n) {
  if (n.level === null) return "No reading yet.";
  const unit = n.kind === "cartridge" ? " %" : " g";
  let words = `${Math.round(n.level)}${unit} left`;
  if (n.runout_at) {
    words += `, runs out ${inWords(n.runout_at)}`;
    const early = n.runout_early_at ? inWords(n.runout_early_at) : null;
    if (early && early !== inWords(n.runout_at)) words += ` (perhaps as early as ${early.replace(/^on /, "")})`;
  } else if (n.rate_per_day === null || n.rate_per_day === 0) words += "; Continuo is still learning how fast you use it";
  return words + ".";
}
function needCard(n, orders) {
  const pick = el("select", { class: "experience", id: `ex-${n.id}`, "aria-label": `What Continuo does for ${n.label}` }, Object.entries(EXPERIENCES).map(([v, l]) => el("option", { value: v, selected: v === n.experience }, l)));
  pick.addEventListener("change", () => { send("PATCH", `/api/v1/needs/${n.id}`, { experience: pick.value }); });
  const auth = el("input", { type: "checkbox", class: "authorized", id: `auth-${n.id}`, checked: n.authorized });
  auth.addEventListener("change", () => { send("PATCH", `/api/v1/needs/${n.id}`, { authorized: auth.checked }); });
  const menuBox = el("div", { class: "menu-slot" });
  const menu = el("button", { type: "button", class: "menu", "aria-expanded": "false" }, "Show options");
  menu.addEventListener("click", () => toggleMenu(n, menu, menuBox));
  const order = el("button", { type: "button", class: "order-now primary" }, "Order now…");
  order.addEventListener("click", async () => {
    if (!await confirmDialog(`Order ${n.product}?`, `${n.quantity} x ${n.product}, delivered as fast as possible. You can undo it for a few minutes.`, "Order")) return;
    placeOrder(n, {});
  });
  const level = n.level === null ? null : n.kind === "cartridge" ? n.level : null;
  const box = chartBox(`need/${n.id}`);
  const card = el("article", { class: "card need", "data-need": n.id },
    el("h3", {}, el("span", {}, n.label), staff() ? el("span", { class: "note" }, `${n.sku} · ${n.device_id}`) : null),
    level !== null ? el("div", { class: `meter ${level <= 10 ? "out" : level <= 25 ? "low" : ""}`, role: "meter", "aria-valuenow": level, "aria-valuemin": 0, "aria-valuemax": 100, "aria-label": `${n.label} level` }, el("span", { style: `width:${level}%` })) : null,
    el("p", { class: "stock" }, stockWords(n)),
    el("p", { class: "plan" }, plan(n)),
    el("div", { class: "controls" }, el("label", {}, "Continuo should ", pick),
      n.experience === "automatic_execution" ? el("label", {}, auth, " I authorize automatic orders") : null),
    el("div", { class: "controls" }, order, menu),
    menuBox, box,
    n.last_decision ? el("p", { class: "note why" }, `Latest: ${n.last_decision.reason.summary || n.last_decision.note} (${ago(n.last_decision.at)})`) : null);
  requestAnimationFrame(() => needChart(box, n, orders));
  return card;
}
async function toggleMenu(n, button, slot) {
  if (slot.dataset.open !== undefined) { slot.replaceChildren(); delete slot.dataset.open; button.setAttribute("aria-expanded", "false"); return; }
  slot.dataset.open = "1";
  button.setAttribute("aria-expanded", "true");
  let options;
  try { options = await get(`/api/v1/needs/${n.id}/offer`); } catch (e) {
    delete slot.dataset.open; button.setAttribute("aria-expanded", "false");
    toast(`Could not load the options: ${e.message}`); return;
  }
  slot.replaceChildren(el("div", { class: "menu", role: "group", "aria-label": `Options for ${n.label}` },
    options.map(o => el("div", {}, el("button", { type: "button", class: "pick", "data-sku": o.sku, onclick: async () => {
      if (!await confirmDialog(`Order ${o.name}?`, `${o.quantity} x ${o.name} for ${money(o.price_cents)}. ${o.why}`, "Order")) return;
      placeOrder(n, { sku: o.sku });
      slot.replaceChildren(); delete slot.dataset.open; button.setAttribute("aria-expanded", "false");
    } }, `${o.name} · ${money(o.price_cents)}`), el("span", { class: "note" }, ` ${o.why}`)))));
}
async function placeOrder(n, body) {
  const o = await send("POST", `/api/v1/needs/${n.id}/orders`, body, { "Idempotency-Key": crypto.randomUUID() });
  if (!o) return;
  const undoable = o.status === "held" && o.cancel_until;
  toast(`Ordered ${o.quantity} x ${o.product}.`, undoable ? { label: "Undo", run: () => undoOrder(o) } : null);
}
async function exportData(base, id) {
  const data = await get(`${base}/export`);
  const link = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" })), download: `continuo-${id}.json` });
  document.body.append(link); link.click(); link.remove();
}
async function eraseData(base, id) {
  if (!await confirmDialog("Erase everything?", `Every reading, order and alert of ${id} is deleted for good. This cannot be undone.`, "Erase")) return;
  if (await send("DELETE", base)) toast("Erased.");
}

// ---- routing, live updates, sign-in ---------------------------------------------------------------

const NAV = {
  operator: [["overview", "Overview"], ["alerts", "Alerts"], ["fleet", "Fleet"], ["customers", "Customers"], ["orders", "Orders"], ["audit", "Audit"]],
  installer: [["fleet", "Devices"]],
  customer: [["home", "Home"], ["alerts", "Alerts"]],
  caregiver: [["alerts", "Alerts"]],
};
function route() {
  const [path, query] = (location.hash.replace(/^#\/?/, "") || NAV[me.role][0][0]).split("?");
  const [name, arg] = path.split("/").map(decodeURIComponent);
  return { name, arg, params: new URLSearchParams(query ?? "") };
}
async function show() {
  const { name, arg, params } = route();
  const allowed = NAV[me.role].map(([n]) => n);
  let v = name, target = arg;
  if (name === "home") { v = "customer"; target = me.customer_id; }
  const detail = (name === "device" && (staff() || me.role === "installer")) || (name === "customer" && staff());
  if (!allowed.includes(name) && !detail) { location.hash = `#/${allowed[0]}`; return; }
  document.querySelectorAll("#nav a").forEach(a => { if (a.dataset.route === name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current"); });
  const root = $("#view");
  for (const box of chartBoxes.values()) dropChart(box); // the old view's charts go with it
  root.replaceChildren();
  const refresh = await views[v](root, params, target);
  view = { name, refresh };
  await refresh().catch(e => { console.error(e); toast(`Could not load: ${e.message}`); });
}
let pending = null, running = false, again = false, lastRun = 0;
const MIN_GAP_MS = 2000; // a busy fleet changes many times a second: redraw at most this often
function refreshSoon() {
  if (running) { again = true; return; }
  if (pending) return;
  const wait = Math.max(200, lastRun + MIN_GAP_MS - Date.now());
  pending = setTimeout(async () => {
    pending = null; running = true; lastRun = Date.now();
    const current = view;
    await current?.refresh().then(() => { document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes ?? 0) + 1); }).catch(console.error);
    running = false;
    if (again) { again = false; refreshSoon(); }
  }, wait);
}
async function signIn() {
  const r = await fetch("/api/v1/me");
  if (r.ok) return r.json();
  const form = $("#login");
  form.hidden = false;
  $("#login-user").focus();
  return new Promise(resolve => {
    form.onsubmit = async e => {
      e.preventDefault();
      const answer = await fetch("/api/v1/login", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: $("#login-user").value, password: $("#login-password").value }) });
      const body = await answer.json();
      if (!answer.ok) { $("#login-error").textContent = body.detail; return; }
      form.hidden = true;
      resolve(body.me);
    };
  });
}
async function start() {
  me = await signIn();
  $("#brand").textContent = { operator: "Continuo operations", installer: "Continuo: your sites", customer: "Continuo: your home", caregiver: "Continuo: alerts" }[me.role] ?? "Continuo";
  $("#who-name").textContent = me.username;
  $("#who").hidden = false;
  $("#logout").onclick = async () => { await fetch("/api/v1/logout", { method: "POST", headers: { "X-CSRF-Token": me.csrf ?? "" } }); location.hash = ""; location.reload(); };
  $("#nav").replaceChildren(...NAV[me.role].map(([n, label]) => el("a", { href: `#/${n}`, "data-route": n }, label, n === "alerts" ? el("span", { class: "count", hidden: true }) : null)));
  $("#nav").hidden = false;
  $("#view").hidden = false;
  window.addEventListener("hashchange", show);
  await show();
  const live = $("#live");
  if (me.role !== "operator") { // the live stream is the operators'; everyone else polls
    live.textContent = "updating"; live.className = "on";
    setInterval(() => { if (!document.hidden) refreshSoon(); }, 5000); // not in a hidden tab
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshSoon(); });
    return;
  }
  const source = new EventSource("/api/v1/stream");
  source.addEventListener("hello", () => { live.textContent = "live"; live.className = "on"; });
  source.addEventListener("change", refreshSoon);
  source.onerror = () => { live.textContent = "reconnecting…"; live.className = ""; };
  setInterval(refreshSoon, 15000); // last-seen times age without any change
}
document.querySelector(".skip").addEventListener("click", e => { e.preventDefault(); $("#view").focus(); });
start();
