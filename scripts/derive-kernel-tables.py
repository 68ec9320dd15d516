#!/usr/bin/env python3
"""Derives per-GPU, per-engine kernel-efficiency curves from AIConfigurator's measured kernel tables.

    scripts/derive-kernel-tables.py [--out catalogs/kernel-efficiency.csv] [--catalog catalogs/gpus.yaml]

Reads the parquet tables shipped in the PyPI package `aiconfigurator-core` (pinned in
scripts/requirements-kernel-tables.txt; Apache-2.0, https://github.com/ai-dynamo/aiconfigurator) under
aiconfigurator_core/systems/data/<system>/<family>/<engine>/<version>/ and writes one small CSV that the
Swift step model interpolates (Sources/PlannerCore/Catalog/KernelTable.swift). Every curve is the
RATIO of the measured kernel time to the datasheet roofline time computed with OUR catalog's figures
(catalogs/gpus.yaml: memory_bandwidth_gbps and dense tflops), so the Swift side multiplies its own
roofline by it; all-reduce is stored as measured seconds. docs/kernel-tables.md defines each curve.

Units in the package (read from its collectors, collector/*.py in the repository): `latency` is
milliseconds per call of one layer's kernel (CUDA events); GEMM is x[m,k] @ W[n,k]^T; generation
attention's `step` is the number of tokens already in the KV cache (the kernel attends over step + 1);
context attention's `isl` is the prompt length; all-reduce `message_size` counts bf16 elements.

The output is byte-for-byte reproducible: sorted rows, fixed float formatting, no timestamps.
Diagnostics (ratios below 0.9) go to stderr; the CSV names the package version and licence on top.
"""
import argparse
import importlib.metadata
import math
import os
import sys

import pandas as pd
import yaml
from packaging.version import Version

PACKAGE = "aiconfigurator-core"
MAKE_TARGET = "make kernel-tables"
SCRIPT = "scripts/derive-kernel-tables.py"

# AIConfigurator system directory -> catalogs/gpus.yaml id. The package names systems by SKU; the
# catalog ids add memory size. a100_sxm is the 80 GB part (its yaml: 80 GiB, 2.039 TB/s).
SYSTEMS = {
    "a100_sxm": "a100-sxm-80gb",
    "a100_pcie": "a100-pcie-80gb",
    "h100_sxm": "h100-sxm-80gb",
    "h100_pcie": "h100-pcie-80gb",
    "h200_sxm": "h200-sxm-141gb",
    "b200_sxm": "b200-180gb",
    "l40s": "l40s-48gb",
    "l4": "l4-24gb",
}
ENGINES = ["sglang", "trtllm", "vllm"]

# GEMM shapes (n = output features, k = input features) of one transformer layer.
LLAMA_8B = {"hidden": 4096, "qkv": (6144, 4096), "o": (4096, 4096), "gate_up": (28672, 4096), "down": (4096, 14336)}
LLAMA_70B = {"hidden": 8192, "qkv": (10240, 8192), "o": (8192, 8192), "gate_up": (57344, 8192), "down": (8192, 28672)}
# Tokens per step: every factor 4 from 1 to 16384, plus 512 near the roofline knee (file size: < 300 KB).
GEMM_TOKENS = [1, 4, 16, 64, 256, 512, 1024, 4096, 16384]
# table dtype -> (our name, weight bytes); NVFP4: 4-bit weights plus one FP8 scale per 16 (0.5 + 1/16 byte),
# measured only on GPUs with FP4 tensor cores (Blackwell), and derived only where the catalog gives FP4 TFLOPS.
GEMM_PRECISIONS = {"bfloat16": ("fp16", 2), "fp8": ("fp8", 1), "nvfp4": ("fp4", 0.5625)}

# Decode attention: per-GPU head layouts (query heads, kv heads), head dim 128. Llama-3.1-8B at TP 1 is
# 32/8; Llama-3.1-70B is 64/8 at TP 1 (on H100 within 1 % of 32/8 with bf16 KV, 9 % with FP8 KV, so
# 32/8 stands for it), 32/4 at TP 2, 16/2 at TP 4, 8/1 at TP 8.
DECODE_LAYOUTS = [(32, 8), (32, 4), (16, 2), (8, 1)]
DECODE_BATCH = [1, 4, 16, 64, 256]
DECODE_CONTEXT = [128, 512, 2048, 8192, 32768, 131072]
KV_DTYPES = {"bfloat16": ("fp16", 2), "fp8": ("fp8", 1)}
HEAD_DIM = 128

PREFILL_LAYOUT = (32, 8)
PREFILL_TOKENS = [128, 512, 2048, 8192, 16384]
PREFILL_BATCH = [1, 4, 16, 64]

# Mixture-of-experts layers (the routed experts of one layer: routing, permutation, the grouped gated-MLP
# GEMMs), for every MoE model in catalogs/models.yaml at its own shape, balanced routing, experts sharded by
# TP (no expert parallelism). Our precision -> (table dtypes, weight bytes). Per-tensor and block-scaled FP8
# are one precision here, and where a table holds several kernels for one point (lanes, or both FP8
# scalings) the fastest stands for it: engines pick their MoE backend per GPU and checkpoint, and one lane
# can be far off the others (vLLM 0.24's per-tensor FP8 MoE on H200: 2.5 ms at 8 tokens for Mixtral's shape,
# against 0.38 ms block-scaled and 0.35 ms in TensorRT-LLM). Min-latency lanes (TensorRT-LLM's small-batch
# mode, not its default) are left out.
MOE_DTYPES = [("fp16", ("bfloat16",), 2), ("fp8", ("fp8", "fp8_block"), 1), ("fp4", ("nvfp4",), 0.5625)]
MOE_TP = [1, 2, 4, 8]
MOE_EP = [2, 4, 8]
MOE_TOKENS = GEMM_TOKENS

ALLREDUCE_SOURCES = {"trtllm": "TRTLLM", "vllm": "vLLM_custom_graph", "sglang": "SGLang_CustomAllReduce_graph"}
ALLREDUCE_ELEMENTS = [1024 * 4**i for i in range(10)]  # 2 KiB .. 512 MiB of bf16, every factor 4
ALLREDUCE_TP = [2, 4, 8]

LOW_RATIO = 0.9


def warn(msg):
    print(f"derive-kernel-tables: {msg}", file=sys.stderr)


def package_root():
    import aiconfigurator_core

    return os.path.dirname(aiconfigurator_core.__file__)


def newest_version(system_dir, family, engine, filename):
    """The newest version directory (PEP 440 order) of `family/engine` that holds `filename`."""
    base = os.path.join(system_dir, family, engine)
    if not os.path.isdir(base):
        return None
    versions = [v for v in os.listdir(base) if os.path.isfile(os.path.join(base, v, filename))]
    return max(versions, key=Version) if versions else None


def read_table(system_dir, family, engine, filename):
    version = newest_version(system_dir, family, engine, filename)
    if version is None:
        return None, None
    return version, pd.read_parquet(os.path.join(system_dir, family, engine, version, filename))


def fmt(v):
    """Four significant digits, plain or exponent form; deterministic."""
    return format(float(v), ".4g")


def load_catalog(path):
    with open(path) as f:
        gpus = yaml.safe_load(f)["gpus"]
    return {g["id"]: g for g in gpus}


def peak_flops(gpu, precision):
    t = gpu["tflops"]
    key = {"fp16": "fp16", "fp8": "fp8", "fp4": "fp4"}[precision]
    return t[key] * 1e12 if key in t else None


def bandwidth(gpu):
    return gpu["memory_bandwidth_gbps"] * 1e9


# ---------------------------------------------------------------------------------------------- GEMM


def gemm_roofline(m, n, k, weight_bytes, flops, bw):
    """max(2mnk / FLOPS, (n·k·wb + m·k·2 + m·n·2) / BW): weights at their precision, bf16 in and out."""
    return max(2.0 * m * n * k / flops, (n * k * weight_bytes + 2.0 * m * k + 2.0 * m * n) / bw)


def gemm_shapes(model, tp):
    """(n, k) of qkv, o, gate_up, down split over `tp` GPUs (column-parallel n, row-parallel k)."""
    qn, qk = model["qkv"]
    on, ok = model["o"]
    gn, gk = model["gate_up"]
    dn, dk = model["down"]
    return [(qn // tp, qk), (on, ok // tp), (gn // tp, gk), (dn, dk // tp)]


def bracket(values, v):
    lo = max([x for x in values if x <= v], default=None)
    hi = min([x for x in values if x >= v], default=None)
    return lo, hi


def lerp_log(x0, x1, y0, y1, x):
    if x0 == x1:
        return y0
    t = (math.log(x) - math.log(x0)) / (math.log(x1) - math.log(x0))
    return y0 + t * (y1 - y0)


def gemm_ratio_at(times, m, n, k, weight_bytes, flops, bw, ns, ks):
    """Measured/roofline ratio at (m, n, k); an unmeasured (n, k) takes the ratio interpolated
    bilinearly in (log n, log k) from the four measured shapes around it at the same m."""
    n0, n1 = bracket(ns, n)
    k0, k1 = bracket(ks, k)
    if None in (n0, n1, k0, k1):
        return None, False
    corners = {}
    for nn in {n0, n1}:
        for kk in {k0, k1}:
            t = times.get((m, nn, kk))
            if t is None:
                return None, False
            corners[(nn, kk)] = t / gemm_roofline(m, nn, kk, weight_bytes, flops, bw)
    r0 = lerp_log(k0, k1, corners[(n0, k0)], corners[(n0, k1)], k)
    r1 = lerp_log(k0, k1, corners[(n1, k0)], corners[(n1, k1)], k)
    return lerp_log(n0, n1, r0, r1, n), (n0 == n1 and k0 == k1)


def derive_gemm(gpu_id, gpu, engine, version, df, rows, sources):
    bw = bandwidth(gpu)
    for dtype, (precision, wb) in GEMM_PRECISIONS.items():
        flops = peak_flops(gpu, precision)
        d = df[df.gemm_dtype == dtype]
        if flops is None or d.empty:
            continue
        for lane in sorted(set(d.kernel_source)):
            sources.add((gpu_id, engine, f"gemm_{precision}", lane))
        times = {(int(m), int(n), int(k)): float(t) * 1e-3 for m, n, k, t in zip(d.m, d.n, d.k, d.latency)}
        ns = sorted({int(x) for x in d.n})
        ks = sorted({int(x) for x in d.k})
        measured_m = {int(x) for x in d.m}
        for model, tps in ((LLAMA_8B, [1]), (LLAMA_70B, [1, 2, 4, 8])):
            for tp in tps:
                shapes = gemm_shapes(model, tp)
                for m in GEMM_TOKENS:
                    if m not in measured_m:
                        continue
                    total_t = total_roof = 0.0
                    ok = True
                    for n, k in shapes:
                        r, _ = gemm_ratio_at(times, m, n, k, wb, flops, bw, ns, ks)
                        if r is None:
                            ok = False
                            break
                        roof = gemm_roofline(m, n, k, wb, flops, bw)
                        total_t += r * roof
                        total_roof += roof
                    if not ok:
                        continue
                    rows.append((gpu_id, engine, version, "gemm", precision, f"hidden{model['hidden']}", tp, m, 0,
                                 total_t / total_roof))


# --------------------------------------------------------------------------------------- attention


def lane_order(df, default_lane):
    """The package's lane choice: its framework-default lane first, then lanes by row count."""
    counts = df.groupby("kernel_source").size().to_dict()
    ranked = sorted(counts, key=lambda lane: (-counts[lane], lane))
    if default_lane in counts:
        ranked.remove(default_lane)
        ranked.insert(0, default_lane)
    return ranked


def default_lanes(root, engine, version, sm):
    with open(os.path.join(root, "systems", "attention_lane_defaults.yaml")) as f:
        doc = yaml.safe_load(f) or {}
    return ((doc.get(engine) or {}).get(version) or {}).get(sm)


def pick_lane(d, lanes):
    for lane in lanes:
        s = d[d.kernel_source == lane]
        if not s.empty:
            return lane, s
    return None, d.iloc[0:0]


def full_attention(df):
    """Rows without a sliding window (tables that predate the column have none)."""
    d = df[df.head_dim == HEAD_DIM]
    return d[d.window_size == 0] if "window_size" in d.columns else d


def derive_decode(gpu_id, gpu, engine, version, df, lanes, rows, sources):
    bw = bandwidth(gpu)
    base = full_attention(df)
    base = base[base.beam_width == 1]
    for (q, kv) in DECODE_LAYOUTS:
        for dtype, (precision, kvb) in KV_DTYPES.items():
            d = base[(base.num_heads == q) & (base.num_key_value_heads == kv) & (base.kv_cache_dtype == dtype)]
            lane, d = pick_lane(d, lanes)
            if lane is None:
                continue
            sources.add((gpu_id, engine, "decode_attention", lane))
            lat = {(int(b), int(s) + 1): float(t) * 1e-3 for b, s, t in zip(d.batch_size, d.step, d.latency)}
            for b in DECODE_BATCH:
                for ctx in DECODE_CONTEXT:
                    t = lat.get((b, ctx))
                    if t is None:
                        continue
                    roof = b * ctx * 2 * kv * HEAD_DIM * kvb / bw
                    rows.append((gpu_id, engine, version, "decode_attention", precision, f"q{q}kv{kv}", 1, b, ctx,
                                 t / roof))


def derive_prefill(gpu_id, gpu, engine, version, df, lanes, rows, sources):
    flops = peak_flops(gpu, "fp16")
    q, kv = PREFILL_LAYOUT
    d = full_attention(df)
    d = d[(d.num_heads == q) & (d.num_key_value_heads == kv) & (d.attn_dtype == "bfloat16")
          & (d.kv_cache_dtype == "bfloat16")]
    lane, d = pick_lane(d, lanes)
    if lane is None:
        return
    sources.add((gpu_id, engine, "prefill_attention", lane))
    lat = {(int(s), int(b)): float(t) * 1e-3 for s, b, t in zip(d.isl, d.batch_size, d.latency)}
    for s in PREFILL_TOKENS:
        for b in PREFILL_BATCH:
            t = lat.get((s, b))
            if t is None:
                continue
            roof = b * 2.0 * q * HEAD_DIM * s * s / flops  # 2·2·heads·head_dim·s²/2 per sequence (causal)
            rows.append((gpu_id, engine, version, "prefill_attention", "fp16", f"q{q}kv{kv}", 1, s, b, t / roof))


# ---------------------------------------------------------------------------------------------- MoE


def load_moe_shapes(path):
    """(experts, active experts, hidden, expert intermediate) of every MoE model in models.yaml."""
    with open(path) as f:
        models = yaml.safe_load(f)["models"]
    shapes = set()
    for m in models:
        moe = m.get("moe")
        if moe:
            shapes.add((moe["experts"], moe["active_experts"], m["hidden_size"], moe["expert_intermediate_size"]))
    return sorted(shapes)


def moe_roofline(tokens, experts, k, hidden, inter, tp, weight_bytes, flops, bw):
    """max(FLOPs / FLOPS, touched experts' weight bytes / BW) for one layer's routed experts on one GPU:
    2·T·k·3·h·I/tp FLOPs; E·(1 − (1 − k/E)^T) experts touched, 3·h·I/tp weights each (the step model's own
    terms, so that ratio × its roofline is the measured time)."""
    per_expert = 3.0 * hidden * inter / tp
    touched = experts * (1 - (1 - k / experts) ** tokens)
    return max(2.0 * tokens * k * per_expert / flops, touched * per_expert * weight_bytes / bw)


# Routing of the rows taken: balanced where every GPU holds a shard of every expert (each GPU's work is
# the same however tokens route), AIConfigurator's own default for expert parallelism (its sdk/config.py
# `workload_distribution: "power_law"`, alpha 1.01 in its models) where each GPU holds whole experts and
# the busiest GPU sets the layer's time.
MOE_TP_DISTRIBUTION = "balanced"
MOE_EP_DISTRIBUTION = "power_law_1.01"


def moe_rows(df, shapes):
    """The rows of `df` usable for `shapes`, no min-latency lanes: experts sharded by TP (no expert
    parallelism) with balanced routing, or experts whole over EP GPUs (no TP inside the experts) with
    power-law routing."""
    sharded = (df.moe_ep_size == 1) & (df.distribution == MOE_TP_DISTRIBUTION)
    whole = (df.moe_tp_size == 1) & (df.moe_ep_size > 1) & (df.distribution == MOE_EP_DISTRIBUTION)
    d = df[(sharded | whole) & (~df.kernel_source.str.contains("min_latency"))]
    keys = set(shapes)
    return d[[(e, k, h, i) in keys for e, k, h, i in zip(d.num_experts, d.topk, d.hidden_size, d.inter_size)]]


def read_moe_table(system_dir, engine, shapes):
    """The newest version of `moe/engine` whose moe_perf.parquet has rows for the catalog's MoE shapes."""
    base = os.path.join(system_dir, "moe", engine)
    if not os.path.isdir(base):
        return None, None
    for v in sorted(os.listdir(base), key=Version, reverse=True):
        path = os.path.join(base, v, "moe_perf.parquet")
        if os.path.isfile(path):
            d = moe_rows(pd.read_parquet(path), shapes)
            if not d.empty:
                return v, d
    return None, None


def derive_moe(gpu_id, gpu, engine, version, df, shapes, rows, sources):
    bw = bandwidth(gpu)
    for experts, k, hidden, inter in shapes:
        s = df[(df.num_experts == experts) & (df.topk == k) & (df.hidden_size == hidden) & (df.inter_size == inter)]
        for precision, dtypes, wb in MOE_DTYPES:
            flops = peak_flops(gpu, precision)
            d = s[s.moe_dtype.isin(dtypes)]
            if flops is None or d.empty:
                continue
            for lane in sorted(set(d.kernel_source)):
                sources.add((gpu_id, engine, f"moe_{precision}", lane))
            # (kernel, degree, tokens) -> fastest seconds: "moe" at moe_tp_size = degree (experts sharded,
            # no EP), "moe_ep" at moe_ep_size = degree > 1 (experts whole, E/degree per GPU, moe_tp_size 1).
            lat = {}
            for tp, ep, t, ms in zip(d.moe_tp_size, d.moe_ep_size, d.num_tokens, d.latency):
                if int(ep) == 1:
                    key = ("moe", int(tp), int(t))
                elif int(tp) == 1:
                    key = ("moe_ep", int(ep), int(t))
                else:
                    continue
                lat[key] = min(lat.get(key, float("inf")), float(ms) * 1e-3)
            for kernel, degrees in (("moe", MOE_TP), ("moe_ep", MOE_EP)):
                for n in degrees:
                    for t in MOE_TOKENS:
                        v = lat.get((kernel, n, t))
                        if v is None:
                            continue
                        # The same roofline at either layout: n GPUs share the layer's experts' FLOPs and the
                        # touched experts' bytes (E/n whole experts or 1/n of every expert).
                        roof = moe_roofline(t, experts, k, hidden, inter, n, wb, flops, bw)
                        rows.append((gpu_id, engine, version, kernel, precision, f"e{experts}k{k}h{hidden}i{inter}", n, t, 0,
                                     v / roof))


# -------------------------------------------------------------------------------------- all-reduce


def derive_allreduce(gpu_id, engine, version, df, rows, sources):
    src = ALLREDUCE_SOURCES[engine]
    d = df[(df.kernel_source == src) & (df.allreduce_dtype == "bfloat16")]
    if d.empty:
        return
    sources.add((gpu_id, engine, "allreduce", src))
    lat = {(int(n), int(e)): float(t) * 1e-3 for n, e, t in zip(d.num_gpus, d.message_size, d.latency)}
    for tp in ALLREDUCE_TP:
        for e in ALLREDUCE_ELEMENTS:
            t = lat.get((tp, e))
            if t is not None:
                rows.append((gpu_id, engine, version, "allreduce", "fp16", "bf16", tp, 2 * e, 0, t))


# ---------------------------------------------------------------------------------------------- main


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.relpath(os.path.join(here, "..", "catalogs", "kernel-efficiency.csv")))
    parser.add_argument("--catalog", default=os.path.relpath(os.path.join(here, "..", "catalogs", "gpus.yaml")))
    args = parser.parse_args()

    version = importlib.metadata.version(PACKAGE)
    licence = importlib.metadata.metadata(PACKAGE).get("License-Expression") or "unknown"
    root = package_root()
    data = os.path.join(root, "systems", "data")
    catalog = load_catalog(args.catalog)
    moe_shapes = load_moe_shapes(os.path.join(os.path.dirname(args.catalog), "models.yaml"))

    rows, sources, without = [], set(), []
    for system, gpu_id in sorted(SYSTEMS.items(), key=lambda kv: kv[1]):
        gpu = catalog[gpu_id]
        sdir = os.path.join(data, system)
        with open(os.path.join(root, "systems", f"{system}.yaml")) as f:
            sm = (yaml.safe_load(f).get("gpu") or {}).get("sm_version")
        found = False
        for engine in ENGINES:
            v, df = read_table(sdir, "gemm", engine, "gemm_perf.parquet")
            if df is not None:
                found = True
                derive_gemm(gpu_id, gpu, engine, v, df, rows, sources)
            v, df = read_table(sdir, "attention", engine, "generation_attention_perf.parquet")
            if df is not None:
                found = True
                derive_decode(gpu_id, gpu, engine, v, df, lane_order(df, default_lanes(root, engine, v, sm)), rows, sources)
            v, df = read_table(sdir, "attention", engine, "context_attention_perf.parquet")
            if df is not None:
                found = True
                derive_prefill(gpu_id, gpu, engine, v, df, lane_order(df, default_lanes(root, engine, v, sm)), rows, sources)
            v, df = read_moe_table(sdir, engine, moe_shapes)
            if df is not None:
                found = True
                derive_moe(gpu_id, gpu, engine, v, df, moe_shapes, rows, sources)
            v, df = read_table(sdir, "comm", engine, "custom_allreduce_perf.parquet")
            if df is not None:
                found = True
                derive_allreduce(gpu_id, engine, v, df, rows, sources)
        if not found:
            without.append(f"{system} ({gpu_id})")

    rows.sort(key=lambda r: r[:9])
    low = {}
    for r in rows:
        if r[3] != "allreduce" and r[9] < LOW_RATIO:
            low.setdefault(r[:6], []).append(r[9])
    for key, ratios in sorted(low.items()):
        warn(f"{len(ratios)} ratios < {LOW_RATIO} (lowest {min(ratios):.3f}): {','.join(str(x) for x in key)}")

    lines = [
        f"# Kernel-efficiency curves derived from {PACKAGE} {version} (AIConfigurator's measured kernel tables),",
        f"# licence {licence}, https://github.com/ai-dynamo/aiconfigurator, by {SCRIPT} ({MAKE_TARGET}).",
        f"# source: {PACKAGE} {version} ({licence})",
        "# Do not edit by hand; docs/kernel-tables.md defines every column and ratio.",
        "# value: measured time / roofline time from catalogs/gpus.yaml (gemm, decode_attention, prefill_attention, moe);",
        "#        measured seconds per call (allreduce). x, y: gemm tokens,0; decode batch,context;",
        "#        prefill tokens per sequence,batch; moe tokens,0; allreduce message bytes,0.",
        "# Package systems without measured tables: " + (", ".join(without) if without else "none") + ".",
    ]
    by_pair = {}
    for gpu_id, engine, kernel, lane in sorted(sources):
        by_pair.setdefault((gpu_id, engine), []).append(f"{kernel}={lane}")
    for (gpu_id, engine), items in sorted(by_pair.items()):
        lines.append(f"# kernel sources {gpu_id} {engine}: " + "; ".join(items))
    lines.append("gpu,engine,engine_version,kernel,precision,shape,tp,x,y,value")
    for r in rows:
        lines.append(",".join([r[0], r[1], r[2], r[3], r[4], r[5], str(r[6]), str(r[7]), str(r[8]), fmt(r[9])]))
    text = "\n".join(lines) + "\n"
    with open(args.out, "w", newline="\n") as f:
        f.write(text)
    print(f"derive-kernel-tables: wrote {len(rows)} rows, {len(text.encode())} bytes to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
