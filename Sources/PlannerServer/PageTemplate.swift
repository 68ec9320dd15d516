extension Page {
    /// The document; `__PLANNER_BOOT__` is replaced by the ``Boot`` JSON.
    static let template = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>planner serve</title>
<style>
:root { --ink:#1d2430; --muted:#5b6676; --line:#d8dde5; --bg:#f6f7f9; --blue:#1f5fbf; --red:#b42318; --green:#1e7b34; --amber:#a15c00; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
header { padding:10px 18px; background:#fff; border-bottom:1px solid var(--line); display:flex; gap:16px; align-items:baseline; }
header h1 { font-size:17px; margin:0; }
header .muted { flex:1; }
main { display:grid; grid-template-columns: minmax(340px, 430px) 1fr; gap:14px; padding:14px 18px; }
section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:12px 14px; margin-bottom:14px; }
h2 { font-size:15px; margin:0 0 8px; }
h3 { font-size:13px; margin:12px 0 4px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.muted { color:var(--muted); }
form .row { display:grid; grid-template-columns: 150px 1fr; gap:2px 8px; align-items:center; margin:3px 0; }
form label { color:var(--muted); font-size:13px; }
form input, form select { width:100%; padding:3px 5px; font:inherit; border:1px solid var(--line); border-radius:4px; }
form input.bad, form select.bad { border-color:var(--red); background:#fff4f3; }
.err { grid-column:2; color:var(--red); font-size:12px; }
.err:empty { display:none; }
fieldset { border:none; border-top:1px solid var(--line); margin:8px 0 0; padding:6px 0 0; }
legend { font-weight:600; font-size:13px; padding-right:6px; }
textarea { width:100%; min-height:330px; font:12.5px/1.4 ui-monospace, Menlo, Consolas, monospace; border:1px solid var(--line); border-radius:4px; padding:6px; }
#yaml-errors { color:var(--red); font:12px ui-monospace, monospace; margin:4px 0 0; padding-left:18px; }
.status { display:inline-block; padding:1px 8px; border-radius:10px; font-weight:600; font-size:12px; color:#fff; background:var(--muted); }
.status.optimal, .status.feasible { background:var(--green); }
.status.infeasible, .status.error { background:var(--red); }
.status.time_limit { background:var(--amber); }
.cards { display:flex; flex-wrap:wrap; gap:8px; margin:8px 0; }
.card { border:1px solid var(--line); border-radius:5px; padding:6px 10px; min-width:120px; }
.card b { display:block; font-size:18px; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; padding:3px 6px; border-bottom:1px solid var(--line); vertical-align:top; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
.ok { color:var(--green); } .over { color:var(--red); font-weight:600; }
.bar { background:var(--blue); height:10px; border-radius:2px; }
ul.plain { margin:4px 0; padding-left:18px; }
.stale { opacity:.45; }
button { font:inherit; padding:4px 10px; border:1px solid var(--line); border-radius:4px; background:#fff; cursor:pointer; }
button:hover { border-color:var(--blue); }
.toolbar { display:flex; gap:8px; flex-wrap:wrap; margin:6px 0; }
#chart svg { width:100%; max-width:760px; height:auto; border:1px solid var(--line); border-radius:4px; background:#fff; }
#chart circle { cursor:pointer; }
tr.clickable { cursor:pointer; } tr.clickable:hover { background:#eef3fb; }
tr.frontier td:first-child { font-weight:600; color:var(--blue); }
</style>
</head>
<body>
<header><h1>planner serve</h1><span class="muted" id="subtitle">Edit the spec; the plan is solved again as you type.</span>
<span class="muted" id="busy"></span></header>
<main>
<div>
<section>
<h2>Spec</h2>
<form id="form" autocomplete="off" onsubmit="return false">
<div class="row"><label for="f-model">model</label><select id="f-model" data-key="model"></select><span class="err" data-err="model"></span></div>
<div class="row"><label for="f-weights">weights precision</label><select id="f-weights" data-key="precision.weights" data-choices="precision.weights" data-blank="(default fp16)"></select><span class="err" data-err="precision.weights"></span></div>
<div class="row"><label for="f-kv">KV-cache precision</label><select id="f-kv" data-key="precision.kv_cache" data-choices="precision.kv_cache" data-blank="(default fp16)"></select><span class="err" data-err="precision.kv_cache"></span></div>
<div class="row"><label for="f-engine">engine</label><select id="f-engine" data-key="engine" data-choices="engine" data-blank="(default vllm)"></select><span class="err" data-err="engine"></span></div>
<fieldset><legend>Workload</legend>
<div class="row"><label for="f-prompt">prompt tokens</label><input id="f-prompt" type="text" inputmode="numeric" data-key="workload.prompt_tokens"><span class="err" data-err="workload.prompt_tokens"></span></div>
<div class="row"><label for="f-output">output tokens</label><input id="f-output" type="text" inputmode="numeric" data-key="workload.output_tokens"><span class="err" data-err="workload.output_tokens"></span></div>
<div class="row"><label for="f-concurrency">concurrency</label><input id="f-concurrency" type="text" inputmode="numeric" data-key="workload.concurrency" data-excludes="workload.requests_per_second" placeholder="users at once"><span class="err" data-err="workload.concurrency"></span></div>
<div class="row"><label for="f-rps">requests/s</label><input id="f-rps" type="text" inputmode="decimal" data-key="workload.requests_per_second" data-excludes="workload.concurrency" placeholder="or an arrival rate"><span class="err" data-err="workload.requests_per_second"></span></div>
</fieldset>
<fieldset><legend>Latency targets</legend>
<div class="row"><label for="f-ttft">TTFT ms</label><input id="f-ttft" type="text" inputmode="decimal" data-key="slo.ttft_ms" placeholder="none"><span class="err" data-err="slo.ttft_ms"></span></div>
<div class="row"><label for="f-tpot">TPOT ms</label><input id="f-tpot" type="text" inputmode="decimal" data-key="slo.tpot_ms" placeholder="none"><span class="err" data-err="slo.tpot_ms"></span></div>
<div class="row"><label for="f-e2e">end-to-end ms</label><input id="f-e2e" type="text" inputmode="decimal" data-key="slo.e2e_ms" placeholder="none"><span class="err" data-err="slo.e2e_ms"></span></div>
<div class="row"><label for="f-pct">percentile</label><input id="f-pct" type="text" inputmode="decimal" data-key="slo.percentile" placeholder="99"><span class="err" data-err="slo.percentile"></span></div>
</fieldset>
<fieldset><legend>Budget and objective</legend>
<div class="row"><label for="f-budget">capex budget USD</label><input id="f-budget" type="text" inputmode="decimal" data-key="budget.capex_usd" placeholder="no limit"><span class="err" data-err="budget.capex_usd"></span></div>
<div class="row"><label for="f-objective">objective</label><select id="f-objective" data-key="objective" data-choices="objective" data-blank="(default min_capex)"></select><span class="err" data-err="objective"></span></div>
<div class="row"><label for="f-years">TCO years</label><input id="f-years" type="text" inputmode="decimal" data-key="tco.years" placeholder="3"><span class="err" data-err="tco.years"></span></div>
</fieldset>
<fieldset><legend>Main constraints</legend>
<div class="row"><label for="f-mix">mix GPU types</label><select id="f-mix" data-key="constraints.mix_gpu_types" data-blank="(default false)"><option>true</option><option>false</option></select><span class="err" data-err="constraints.mix_gpu_types"></span></div>
<div class="row"><label for="f-redundancy">replica redundancy</label><select id="f-redundancy" data-key="constraints.replica_redundancy" data-choices="constraints.replica_redundancy" data-blank="(default none)"></select><span class="err" data-err="constraints.replica_redundancy"></span></div>
<div class="row"><label for="f-tp">max tensor parallel</label><input id="f-tp" type="text" inputmode="numeric" data-key="constraints.max_tensor_parallel" placeholder="no limit"><span class="err" data-err="constraints.max_tensor_parallel"></span></div>
<div class="row"><label for="f-rack">rack power kW</label><input id="f-rack" type="text" inputmode="decimal" data-key="constraints.rack_power_kw" placeholder="catalog rack"><span class="err" data-err="constraints.rack_power_kw"></span></div>
<div class="row"><label for="f-headroom">growth headroom</label><input id="f-headroom" type="text" inputmode="decimal" data-key="constraints.growth_headroom" placeholder="0"><span class="err" data-err="constraints.growth_headroom"></span></div>
<div class="row"><label for="f-cooling">cooling</label><select id="f-cooling" data-key="constraints.cooling" data-choices="constraints.cooling" data-blank="(default any)"></select><span class="err" data-err="constraints.cooling"></span></div>
</fieldset>
</form>
</section>
<section>
<h2>YAML</h2>
<textarea id="yaml" spellcheck="false" wrap="off" aria-label="spec YAML"></textarea>
<ul id="yaml-errors"></ul>
<div class="toolbar">
<button id="dl-spec" type="button">Download spec (YAML)</button>
<button id="dl-bom" type="button">Download BOM (CSV)</button>
<button id="dl-report" type="button">Download report (HTML)</button>
</div>
</section>
</div>
<div>
<section id="plan-section"><h2>Plan <span id="status" class="status">…</span></h2><div id="plan"><p class="muted">Solving…</p></div></section>
<section>
<h2>Sweep</h2>
<div class="toolbar">
<label>vary <select id="sweep-key"></select></label>
<label>values <input id="sweep-values" value="16,32,64,128,256" size="22"></label>
<label>against <select id="sweep-measure"></select></label>
<button id="sweep-run" type="button">Run sweep</button>
</div>
<p class="err" id="sweep-error"></p>
<div id="chart"></div>
<div id="sweep-table"></div>
</section>
</div>
</main>
<script id="boot" type="application/json">__PLANNER_BOOT__</script>
<script>
"use strict";
const boot = JSON.parse(document.getElementById("boot").textContent);
const $ = (id) => document.getElementById(id);
const yamlBox = $("yaml");
const fields = Array.from(document.querySelectorAll("[data-key]"));
let seq = 0, inflight = null, timer = null, lastPlan = null, specName = "plan";

// ---- A scanner for the YAML that specs use: block mappings, and flow mappings ({a: 1, b: 2}) --------
// It finds where each key's value is written, so the form can change one value in place and keep
// the rest of the file (comments, order, style) as the user wrote it. The server validates the result.
function scan(text) {
  const out = {};
  const lines = text.split("\n");
  const stack = [];          // open block mappings: {indent, path}
  let offset = 0, skipUntil = -1;
  for (const line of lines) {
    const start = offset;
    offset += line.length + 1;
    if (start < skipUntil) continue;
    const m = /^( *)([A-Za-z0-9_.\-]+) *:(?=\s|$) */.exec(line);
    if (!m) continue;
    const indent = m[1].length;
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack.length ? stack[stack.length - 1].path : "";
    const path = parent ? parent + "." + m[2] : m[2];
    if (parent && out[parent] && out[parent].childIndent == null) out[parent].childIndent = indent;
    const valStart = start + m[0].length;
    const entry = { keyStart: start + indent, valStart, valEnd: valStart, lineStart: start, lineEnd: start + line.length, flow: false };
    out[path] = entry;
    if (text[valStart] === "{") {
      const close = scanFlow(text, valStart, path, out);
      entry.open = valStart; entry.close = close; entry.valEnd = close + 1;
      skipUntil = text.indexOf("\n", close) === -1 ? text.length : text.indexOf("\n", close);
    } else {
      entry.valEnd = scalarEnd(text, valStart, false);
      if (entry.valEnd === valStart) { entry.block = true; entry.childIndent = null; stack.push({ indent, path }); }
    }
  }
  return out;
}

// The end of a scalar starting at i: a quoted one ends at its closing quote; a plain one before a
// comment, the line's end or (in a flow mapping) a comma or brace.
function scalarEnd(text, i, inFlow) {
  const q = text[i];
  if (q === '"' || q === "'") {
    let j = i + 1;
    while (j < text.length && text[j] !== "\n") {
      if (q === '"' && text[j] === "\\") { j += 2; continue; }
      if (text[j] === q) { if (q === "'" && text[j + 1] === "'") { j += 2; continue; } return j + 1; }
      j++;
    }
    return j;
  }
  let j = i;
  while (j < text.length && text[j] !== "\n") {
    if (text[j] === "#" && (j === i || /\s/.test(text[j - 1]))) break;
    if (inFlow && (text[j] === "," || text[j] === "}" || text[j] === "]")) break;
    j++;
  }
  while (j > i && /\s/.test(text[j - 1])) j--;
  return j;
}

// Records the keys of the flow mapping whose "{" is at open; returns the index of its "}".
function scanFlow(text, open, path, out) {
  let i = open + 1;
  const skip = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  while (i < text.length) {
    skip();
    if (text[i] === "}") return i;
    if (text[i] === ",") { i++; continue; }
    const keyStart = i;
    while (i < text.length && !/[:,}\n]/.test(text[i])) i++;
    const key = text.slice(keyStart, i).trim().replace(/^["']|["']$/g, "");
    if (text[i] !== ":") { if (text[i] === "}") return i; i++; continue; }
    i++; skip();
    const child = path + "." + key;
    const entry = { keyStart, valStart: i, flow: true };
    if (text[i] === "{") { entry.open = i; entry.close = scanFlow(text, i, child, out); i = entry.close + 1; }
    else if (text[i] === "[") { let depth = 0; for (; i < text.length; i++) { if (text[i] === "[") depth++; if (text[i] === "]" && --depth === 0) { i++; break; } } }
    else { i = scalarEnd(text, i, true); }
    entry.valEnd = i;
    out[child] = entry;
  }
  return text.length - 1;
}

function unquote(raw) {
  if (raw.length >= 2 && raw[0] === '"' && raw[raw.length - 1] === '"') { try { return JSON.parse(raw); } catch (e) { return raw.slice(1, -1); } }
  if (raw.length >= 2 && raw[0] === "'" && raw[raw.length - 1] === "'") return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

function readValue(text, spots, key) {
  const e = spots[key];
  if (!e || e.open != null || e.block) return "";
  const v = unquote(text.slice(e.valStart, e.valEnd));
  return v === "~" || v === "null" ? "" : v;
}

// Writes value (YAML text) at key, adding the key (and its parents, as flow mappings) when absent.
function setValue(text, key, value) {
  const spots = scan(text);
  const e = spots[key];
  if (e && e.open == null && !e.block) return text.slice(0, e.valStart) + value + text.slice(e.valEnd);
  if (e) return text.slice(0, e.valStart) + value + text.slice(e.valEnd);
  const dot = key.lastIndexOf(".");
  const name = key.slice(dot + 1);
  if (dot < 0) {
    const sep = text === "" || text.endsWith("\n") ? "" : "\n";
    return text + sep + name + ": " + value + "\n";
  }
  const parentKey = key.slice(0, dot);
  const p = spots[parentKey];
  if (!p) return setValue(text, parentKey, "{" + name + ": " + value + "}");
  if (p.open != null) {
    const inner = text.slice(p.open + 1, p.close).trim();
    let end = p.close;
    while (end > p.open + 1 && /\s/.test(text[end - 1])) end--;
    return text.slice(0, end) + (inner ? ", " : "") + name + ": " + value + text.slice(end);
  }
  if (p.block && p.childIndent != null) {
    const at = p.lineEnd + 1;
    return text.slice(0, at) + " ".repeat(p.childIndent) + name + ": " + value + "\n" + text.slice(at);
  }
  return text.slice(0, p.valStart) + "{" + name + ": " + value + "}" + text.slice(p.valEnd);
}

// Removes key and its value; an emptied flow mapping stays as {}.
function removeValue(text, key) {
  const e = scan(text)[key];
  if (!e) return text;
  if (!e.flow) return text.slice(0, e.lineStart) + text.slice(Math.min(text.length, e.lineEnd + 1));
  let from = e.keyStart, to = e.valEnd;
  const after = /^\s*,\s*/.exec(text.slice(to));
  if (after) to += after[0].length;
  else { const before = /,\s*$/.exec(text.slice(0, from)); if (before) from -= before[0].length; }
  return text.slice(0, from) + text.slice(to);
}

// A form value as YAML: numbers and known words as they are, anything else quoted.
function yamlScalar(v) {
  return /^[A-Za-z0-9_.+\-]+$/.test(v) ? v : JSON.stringify(v);
}

// ---- Form <-> YAML ------------------------------------------------------------------------------
function fillChoices() {
  for (const el of fields) {
    if (el.tagName !== "SELECT") continue;
    const list = el.dataset.choices ? boot.choices[el.dataset.choices] : null;
    const keep = Array.from(el.options).map((o) => o.value);
    el.innerHTML = "";
    el.append(new Option(el.dataset.blank || "", ""));
    for (const v of list || keep) el.append(new Option(v, v));
  }
  for (const k of boot.settableKeys) $("sweep-key").append(new Option(k, k));
  $("sweep-key").value = "workload.concurrency";
  for (const m of boot.choices.measure) $("sweep-measure").append(new Option(m, m));
}

function ensureOption(el, value) {
  if (el.tagName === "SELECT" && value !== "" && !Array.from(el.options).some((o) => o.value === value)) el.append(new Option(value, value));
}

function formFromYAML() {
  const text = yamlBox.value, spots = scan(text);
  for (const el of fields) {
    if (el === document.activeElement) continue;
    const v = readValue(text, spots, el.dataset.key);
    ensureOption(el, v);
    el.value = v;
  }
}

function onFieldChange(ev) {
  const el = ev.target, key = el.dataset.key;
  let text = yamlBox.value;
  if (el.value === "") text = removeValue(text, key);
  else {
    if (el.dataset.excludes) text = removeValue(text, el.dataset.excludes);
    text = setValue(text, key, yamlScalar(el.value.trim()));
  }
  yamlBox.value = text;
  for (const other of fields) if (other.dataset.key === el.dataset.excludes) other.value = "";
  schedule(250);
}

// ---- Requests -----------------------------------------------------------------------------------
function query(extra) {
  const q = new URLSearchParams(extra || {});
  if (boot.file) q.set("file", boot.file);
  return q.toString();
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(solve, ms);
}

async function solve() {
  const my = ++seq;
  if (inflight) inflight.abort();
  inflight = new AbortController();
  $("busy").textContent = "solving…";
  $("plan-section").classList.add("stale");
  let res, body;
  try {
    res = await fetch("/api/solve?" + query(), { method: "POST", body: yamlBox.value, signal: inflight.signal, headers: { "Content-Type": "application/yaml" } });
    body = await res.text();
  } catch (e) {
    if (my === seq) { $("busy").textContent = e.name === "AbortError" ? "" : "server unreachable: " + e.message; }
    return;
  }
  if (my !== seq) return;   // a newer edit was sent meanwhile: never show an older answer
  $("busy").textContent = "";
  $("plan-section").classList.remove("stale");
  if (res.status === 400) {
    showErrors(JSON.parse(body).errors);
    $("plan-section").classList.add("stale");   // the plan shown is the last valid spec's
    return;
  }
  showErrors([]);
  if (!res.ok) { $("plan").innerHTML = "<p class='over'>" + esc(res.status + " " + body) + "</p>"; return; }
  renderPlan(JSON.parse(body));
}

function showErrors(errors) {
  for (const span of document.querySelectorAll("[data-err]")) span.textContent = "";
  for (const el of fields) el.classList.remove("bad");
  const list = $("yaml-errors");
  list.innerHTML = "";
  for (const e of errors) {
    let key = e.field, span = null;
    while (key && !(span = document.querySelector('[data-err="' + key + '"]'))) key = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : "";
    if (span) {
      span.textContent = (span.textContent ? span.textContent + "; " : "") + e.message;
      const el = document.querySelector('[data-key="' + key + '"]');
      if (el) el.classList.add("bad");
    }
    const li = document.createElement("li");
    li.textContent = e.text;
    list.append(li);
  }
  if (errors.length) { $("status").className = "status error"; $("status").textContent = "invalid spec"; }
}

// ---- The plan -----------------------------------------------------------------------------------
function esc(s) { return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }
function usd(x) { return x == null ? "–" : "$" + Math.round(x).toLocaleString("en-US"); }
// The deployments with a limit, one per GPU and TP degree (the same replicas bought in two kinds of server share it).
function limited(deployments) {
  const seen = new Set();
  return deployments.filter((d) => d.capacity_limit && !seen.has(d.gpu + "@" + d.tensor_parallel) && seen.add(d.gpu + "@" + d.tensor_parallel));
}
// What sets one replica's load (the plan JSON's deployment.capacity_limit; PlanSummary.replicaLimits says the same in the CLI).
function replicaLimit(d, p) {
  const c = d.capacity_limit, conc = !p || p.demand_unit === "concurrency";
  const load = (x) => conc ? num(x, 0) : num(x, 3);
  let s = "each " + esc(d.gpu) + " replica (TP " + d.tensor_parallel + ") carries " + load(d.capacity_per_replica) + (conc ? " concurrent requests" : " requests/s") + ": ";
  if (c.kind === "kv_cache") return s + "all its KV cache holds (" + c.sequences + " sequences), within every target";
  if (c.kind === "engine_cap") return s + "the engine's batch cap (max_num_seqs " + c.sequences + "), within every target; its KV cache would hold " + c.kv_sequences +
    ": set engine.max_num_seqs in the spec (a number, or auto: what the KV cache holds) to run more";
  if (c.kind === "saturation") return s + "its throughput (saturation), within every target";
  const name = { ttft_target: "TTFT", tpot_target: "TPOT", e2e_target: "end-to-end" }[c.kind] || esc(c.kind);
  return s + "the p" + num(p ? p.percentile : 99, 0) + " " + name + " target binds (≤ " + num(c.target_ms, 0) + " ms): " + (conc ? load(d.capacity_per_replica + 1) : "0.1 % more") +
    " would take " + num(c.next_load_ms, 1) + " ms, " + (conc ? "1 alone " : "the lightest load ") + num(c.lightest_load_ms, 1) + " ms" +
    (c.kind === "tpot_target" ? "" : " (" + num(c.request_overhead_ms, 1) + " ms of it the engine's request overhead, a calibration constant)") + "; " +
    (conc ? "without it a replica would carry " + load(c.ceiling) : "the replica saturates at " + load(c.ceiling) + " requests/s");
}
function num(x, d) { return x == null ? "–" : Number(x).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }); }

function renderPlan(plan) {
  lastPlan = plan;
  specName = plan.spec || "plan";
  $("status").className = "status " + plan.status;
  $("status").textContent = plan.status.replace("_", " ");
  const t = plan.totals, p = plan.performance;
  const deployments = Array.isArray(plan.deployment) ? plan.deployment : plan.deployment ? [plan.deployment] : [];
  let h = "";
  if (plan.bom.length) {
    h += "<div class='cards'>";
    h += "<div class='card'>GPUs<b id='gpu-count'>" + t.gpus + "</b>" + esc(deployments.map((d) => d.gpu).join(" + ")) + "</div>";
    h += "<div class='card'>servers<b>" + t.servers + "</b>" + t.racks + " rack" + (t.racks === 1 ? "" : "s") + ", " + t.rack_units + " U</div>";
    h += "<div class='card'>capex<b id='capex'>" + usd(t.capex_usd) + "</b>" + (t.tco_usd != null ? "TCO " + usd(t.tco_usd) : "") + "</div>";
    h += "<div class='card'>peak power<b>" + num(t.power_watts / 1000, 1) + " kW</b>average " + num(t.average_power_watts / 1000, 1) + " kW</div>";
    h += "</div>";
    h += "<h3>What to buy</h3><ul class='plain'>" + deployments.map((d) =>
      "<li>" + d.gpus + " × " + esc(d.gpu) + ": " + d.replicas + " replica" + (d.replicas === 1 ? "" : "s") + " at tensor parallel " + d.tensor_parallel +
      (d.expert_parallel || d.attention_dp ? " (" + [d.expert_parallel ? "experts expert-parallel" : "", d.attention_dp ? "attention data-parallel" : ""].filter((x) => x).join(", ") + ")" : "") +
      " (" + esc(d.precision) + " weights, " + esc(d.kv_cache_precision) + " KV; " + num(d.memory_used_per_gpu_gib, 1) + " of " + num(d.memory_per_gpu_gib, 1) + " GiB per GPU" +
      (d.max_num_seqs != null ? "; engine max_num_seqs " + d.max_num_seqs + (d.attention_dp ? " per GPU" : "") : "") + ")</li>").join("") + "</ul>";
    if (p) {
      const row = (name, v, target) => "<tr><td>" + name + "</td><td class='num'>" + num(v, 2) + " ms</td><td class='num'>" + (target != null ? num(target, 2) + " ms" : "–") +
        "</td><td>" + (target == null ? "" : v <= target ? "<span class='ok'>meets</span>" : "<span class='over'>over</span>") + "</td></tr>";
      h += "<h3>Predicted latency at p" + num(p.percentile, 1) + "</h3><table><tr><th></th><th class='num'>predicted</th><th class='num'>target</th><th></th></tr>" +
        row("TTFT", p.ttft_ms, p.ttft_target_ms) + row("TPOT", p.tpot_ms, p.tpot_target_ms) + "</table>";
      h += "<p class='muted'>" + num(p.output_tokens_per_s, 0) + " output tokens/s at the demand; capacity " + num(p.capacity, 1) + " against a demand of " +
        num(p.demand, 1) + " (" + esc(p.demand_unit) + "), headroom " + num(p.headroom * 100, 0) + "%.</p>";
    }
  }
  const limits = limited(deployments).map((d) => replicaLimit(d, plan.performance));
  if (limits.length || plan.binding_constraints.length) h += "<h3>What limits the plan</h3><ul class='plain' id='replica-limits'>" + limits.map((l) => "<li>" + l + "</li>").join("") +
    plan.binding_constraints.map((b) => "<li>" + esc(b) + "</li>").join("") + "</ul>";
  if (plan.warnings.length) h += "<h3>Warnings</h3><ul class='plain' id='warnings'>" + plan.warnings.map((w) => "<li>" + esc(w) + "</li>").join("") + "</ul>";
  if (plan.diagnosis.length) h += "<h3>Why there is no plan</h3><ul class='plain' id='diagnosis'>" + plan.diagnosis.map((d) => "<li>" + esc(d) + "</li>").join("") + "</ul>";
  if (plan.bom.length) {
    const cats = {};
    for (const l of plan.bom) { const c = cats[l.category] || (cats[l.category] = { usd: 0, watts: 0 }); c.usd += l.extended_price_usd; c.watts += l.unit_power_watts * l.quantity; }
    const maxUSD = Math.max(...Object.values(cats).map((c) => c.usd), 1);
    h += "<h3>Cost and power by category</h3><table><tr><th>category</th><th class='num'>USD</th><th style='width:40%'></th><th class='num'>nameplate W</th></tr>" +
      Object.entries(cats).sort((a, b) => b[1].usd - a[1].usd).map(([k, c]) => "<tr><td>" + esc(k) + "</td><td class='num'>" + usd(c.usd) +
        "</td><td><div class='bar' style='width:" + (100 * c.usd / maxUSD).toFixed(1) + "%'></div></td><td class='num'>" + num(c.watts, 0) + "</td></tr>").join("") + "</table>";
    h += "<h3>Bill of materials</h3><table id='bom'><tr><th>category</th><th>part number</th><th>name</th><th class='num'>qty</th><th class='num'>unit</th><th class='num'>extended</th></tr>" +
      plan.bom.map((l) => "<tr><td>" + esc(l.category) + "</td><td>" + esc(l.part_number || l.id) + "</td><td>" + esc(l.name) + "</td><td class='num'>" + l.quantity +
        "</td><td class='num'>" + usd(l.unit_price_usd) + "</td><td class='num'>" + usd(l.extended_price_usd) + "</td></tr>").join("") +
      "<tr><td colspan='5'><b>total</b></td><td class='num'><b>" + usd(t.capex_usd) + "</b></td></tr></table>";
  }
  $("plan").innerHTML = h || "<p class='muted'>No plan.</p>";
}

// ---- Sweep --------------------------------------------------------------------------------------
async function runSweep() {
  $("sweep-error").textContent = "";
  const key = $("sweep-key").value, values = $("sweep-values").value.replace(/\s+/g, "");
  const q = new URLSearchParams({ vary: key + "=" + values, measure: $("sweep-measure").value });
  if (boot.file) q.set("file", boot.file);
  $("sweep-run").disabled = true;
  try {
    const res = await fetch("/api/sweep?" + q.toString(), { method: "POST", body: yamlBox.value });
    const body = await res.text();
    if (!res.ok) { $("sweep-error").textContent = res.status === 400 ? JSON.parse(body).errors.map((e) => e.text).join("; ") : res.status + " " + body; return; }
    renderSweep(JSON.parse(body));
  } catch (e) { $("sweep-error").textContent = e.message; }
  finally { $("sweep-run").disabled = false; }
}

function measureOf(plan, measure) {
  const p = plan.performance;
  if (!p || !plan.bom.length) return null;
  return measure === "tpot" ? p.tpot_ms : measure === "ttft" ? p.ttft_ms : p.output_tokens_per_s;
}

function loadPoint(sweep, i) {
  const point = sweep.points[i];
  let text = yamlBox.value;
  for (const a of sweep.axes) {
    const v = point.settings[a.key];
    text = v === "none" ? removeValue(text, a.key) : setValue(text, a.key, yamlScalar(v));
  }
  yamlBox.value = text;
  formFromYAML();
  renderPlan(point.plan);
  schedule(0);
}

// Round tick values (1, 2 or 5 × 10^k apart) covering lo…hi.
function ticks(lo, hi) {
  if (hi <= lo) { hi = lo + 1; lo = Math.max(0, lo - 1); }
  const raw = (hi - lo) / 4, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.floor(lo / step) * step; v < hi + step - 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

function renderSweep(sweep) {
  const pts = sweep.points.map((pt, i) => ({ i, x: measureOf(pt.plan, sweep.measure), y: pt.plan.bom.length ? pt.plan.objective.value : null, pt }))
    .filter((d) => d.x != null && d.y != null);
  const W = 640, H = 300, L = 70, R = 16, T = 14, B = 40;
  let svg = "<svg viewBox='0 0 " + W + " " + H + "' xmlns='http://www.w3.org/2000/svg' role='img' aria-label='cost against " + esc(sweep.measure) + "'>";
  if (pts.length) {
    const xs = pts.map((d) => d.x), ys = pts.map((d) => d.y);
    const xt = ticks(Math.min(...xs), Math.max(...xs)), yt = ticks(0, Math.max(...ys));
    const x0 = xt[0], x1 = xt[xt.length - 1], y0 = 0, y1 = yt[yt.length - 1];
    const sx = (x) => L + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (W - L - R);
    const sy = (y) => H - B - (y - y0) / (y1 - y0 || 1) * (H - T - B);
    svg += "<line x1='" + L + "' y1='" + (H - B) + "' x2='" + (W - R) + "' y2='" + (H - B) + "' stroke='#999'/><line x1='" + L + "' y1='" + T + "' x2='" + L + "' y2='" + (H - B) + "' stroke='#999'/>";
    for (const y of yt) svg += "<text x='" + (L - 6) + "' y='" + (sy(y) + 4) + "' font-size='11' text-anchor='end'>" + usd(y) + "</text><line x1='" + L + "' x2='" + (W - R) + "' y1='" + sy(y) + "' y2='" + sy(y) + "' stroke='#eee'/>";
    for (const x of xt) svg += "<text x='" + sx(x) + "' y='" + (H - B + 16) + "' font-size='11' text-anchor='middle'>" + String(+x.toFixed(6)) + "</text>";
    svg += "<text x='" + ((L + W - R) / 2) + "' y='" + (H - 6) + "' font-size='12' text-anchor='middle'>" + esc(sweep.measure === "throughput" ? "output tokens/s" : "predicted " + sweep.measure.toUpperCase() + " (ms)") + "</text>";
    const front = sweep.frontier.map((i) => pts.find((d) => d.i === i)).filter(Boolean).sort((a, b) => a.x - b.x);
    if (front.length > 1) svg += "<polyline fill='none' stroke='#1f5fbf' stroke-width='1.5' points='" + front.map((d) => sx(d.x) + "," + sy(d.y)).join(" ") + "'/>";
    for (const d of pts) {
      const on = sweep.frontier.includes(d.i);
      svg += "<circle data-point='" + d.i + "' cx='" + sx(d.x) + "' cy='" + sy(d.y) + "' r='" + (on ? 6 : 4.5) + "' fill='" + (on ? "#1f5fbf" : "#9aa5b4") + "'><title>" +
        esc(Object.entries(d.pt.settings).map(([k, v]) => k + "=" + v).join(", ") + ": " + usd(d.y)) + "</title></circle>";
    }
  } else svg += "<text x='20' y='40'>No point has a plan.</text>";
  $("chart").innerHTML = svg + "</svg>";
  let t = "<table><tr>" + sweep.axes.map((a) => "<th>" + esc(a.key) + "</th>").join("") + "<th>status</th><th>GPUs</th><th class='num'>cost</th><th class='num'>" + esc(sweep.measure) + "</th><th>limit</th></tr>";
  const limitLabel = { kv_cache: "KV cache", engine_cap: "batch cap", saturation: "throughput", ttft_target: "TTFT", tpot_target: "TPOT", e2e_target: "E2E" };
  sweep.points.forEach((pt, i) => {
    const m = measureOf(pt.plan, sweep.measure);
    const gpus = Array.isArray(pt.plan.deployment) ? pt.plan.deployment : pt.plan.deployment ? [pt.plan.deployment] : [];
    t += "<tr class='clickable" + (sweep.frontier.includes(i) ? " frontier" : "") + "' data-point='" + i + "'>" + sweep.axes.map((a) => "<td>" + esc(pt.settings[a.key]) + "</td>").join("") +
      "<td>" + esc(pt.plan.status) + "</td><td>" + esc(pt.plan.bom.length ? gpus.map((d) => d.gpus + " × " + d.gpu).join(" + ") : "–") + "</td><td class='num'>" +
      (pt.plan.bom.length ? usd(pt.plan.objective.value) : "–") + "</td><td class='num'>" + num(m, sweep.measure === "throughput" ? 0 : 2) + "</td><td>" +
      esc(pt.plan.bom.length ? limited(gpus).map((d) => limitLabel[d.capacity_limit.kind] || d.capacity_limit.kind).join("+") || "–" : "–") + "</td></tr>";
  });
  $("sweep-table").innerHTML = t + "</table><p class='muted'>Frontier points in blue; click a point or a row to load its plan.</p>";
  for (const el of document.querySelectorAll("#chart [data-point], #sweep-table [data-point]")) el.addEventListener("click", () => loadPoint(sweep, Number(el.dataset.point)));
}

// ---- Downloads: the server renders them, as the CLI does ----------------------------------------
function save(name, type, text) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function download(format, suffix, type) {
  const res = await fetch("/api/solve?" + query({ format }), { method: "POST", body: yamlBox.value });
  const body = await res.text();
  if (res.status === 400) {
    showErrors(JSON.parse(body).errors);
    $("plan-section").classList.add("stale");   // the plan shown is the last valid spec's
    return;
  }
  save(specName + suffix, type, body);
}

// ---- Start --------------------------------------------------------------------------------------
async function start() {
  fillChoices();
  yamlBox.value = boot.spec;
  try {
    const catalog = await (await fetch("/api/catalog")).json();
    for (const row of catalog) if (row.kind === "models") $("f-model").append(new Option(row.id + " — " + row.name, row.id));
  } catch (e) { /* the field still shows what the YAML says */ }
  formFromYAML();
  for (const el of fields) { el.addEventListener("change", onFieldChange); if (el.tagName === "INPUT") el.addEventListener("input", onFieldChange); }
  yamlBox.addEventListener("input", () => { formFromYAML(); schedule(300); });
  $("sweep-run").addEventListener("click", runSweep);
  $("dl-spec").addEventListener("click", () => save(specName + ".yaml", "application/yaml", yamlBox.value));
  $("dl-bom").addEventListener("click", () => download("csv", "-bom.csv", "text/csv"));
  $("dl-report").addEventListener("click", () => download("html", "-report.html", "text/html"));
  solve();
}
start();
</script>
</body>
</html>
"""#
}
