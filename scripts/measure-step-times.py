#!/usr/bin/env python3
"""Time the engine steps of a Llama- or Mixtral-shaped model with random weights on one GPU, in PyTorch.

What the planner's step model predicts (docs/performance-model.md, "One engine step") is the time of
one engine step: the running decodes (B sequences, each at context L, one new token each) plus, in a
mixed step, a chunk of p prompt tokens. No datasheet gives it; this script measures it on the GPU it
runs on, for the layer shapes of catalogs/models.yaml, and writes rows in the format of
catalogs/step-measurements.csv.

Each step is the model's whole forward pass as a serving engine runs it on one GPU, captured in a
CUDA graph (as vLLM and TensorRT-LLM run decode steps) and replayed:

    embedding gather → per layer: RMSNorm, QKV GEMM, KV-cache write, attention, O GEMM, residual,
    RMSNorm, gate/up GEMM, SiLU·mul, down GEMM, residual → final RMSNorm → LM head on the last
    token of each sequence → greedy sampling (argmax)

- GEMMs: torch.nn.functional.linear (cuBLAS; what vLLM uses for 16-bit weights) or, for fp8 weights,
  torch._scaled_mm with static per-tensor scales (cuBLASLt fp8, as vLLM's fp8 checkpoints run).
- Decode attention: scaled_dot_product_attention over a contiguous bf16 KV cache, the query heads of
  one KV head folded into one 'query block' (GQA decode as engines run it). Engines use paged caches
  and FlashAttention-3/FlashInfer kernels; PyTorch picks its own backend (printed).
- Prefill attention: causal scaled_dot_product_attention over the chunk's own tokens.
- Mixture of experts (mixtral-8x7b): each token is routed to `active` of the experts at random (seeded,
  fixed per step so that the step can be captured), then each expert runs on its rows: gather, GEMMs,
  weighted scatter-add — the per-expert loop of a plain PyTorch MoE, where engines run grouped GEMMs.
- Left out, each a few µs per layer in an engine: rotary embedding, and the fusing of residual adds
  into the norms. Not measured: the engine's scheduler, sampling parameters, detokenisation and HTTP
  (the host-side work an end-to-end measurement includes).

Timing: 3 warm-up replays, then `--repeats` replays each bracketed by CUDA events; the median, 10th
and 90th percentile are reported. Random weights (normal, scaled by 1/√fan-in) give the same kernel
times as trained ones; values never affect control flow here.

Usage (on a machine with an NVIDIA GPU and PyTorch ≥ 2.4):

    python3 scripts/measure-step-times.py --out step-times.csv            # the full grid, ~3 min on an H200
    python3 scripts/measure-step-times.py --smoke --out /tmp/smoke.csv    # tiny shapes, CPU or GPU, seconds

The CSV it writes has catalogs/step-measurements.csv's columns, ready for `planner calibrate --steps`:
ids s001, s002, … (continuing the file's when it appends), `gpu` the catalog id (`--gpu-id`, else guessed
from the device name for the GPUs in KNOWN_GPUS, else the device name, which the planner will reject with
a did-you-mean), `source` from `--source`.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F

SHAPES = {
    # catalogs/models.yaml (config.json of each model)
    "llama-3.1-8b": dict(layers=32, hidden=4096, heads=32, kv_heads=8, head_dim=128, inter=14336, vocab=128256),
    "llama-3.1-70b": dict(layers=80, hidden=8192, heads=64, kv_heads=8, head_dim=128, inter=28672, vocab=128256),
    # mixture of experts: every layer's MLP is `experts` experts of width `inter`, `active` per token
    "mixtral-8x7b": dict(layers=32, hidden=4096, heads=32, kv_heads=8, head_dim=128, inter=14336, vocab=32000,
                         experts=8, active=2),
    # --smoke only
    "tiny": dict(layers=2, hidden=256, heads=4, kv_heads=2, head_dim=64, inter=512, vocab=1024),
    "tiny-moe": dict(layers=2, hidden=256, heads=4, kv_heads=2, head_dim=64, inter=512, vocab=1024,
                     experts=4, active=2),
}

# Device names as torch.cuda.get_device_name reports them → catalogs/gpus.yaml ids. Only exact names: the
# PCIe and NVL parts report other names (and must be given with --gpu-id).
KNOWN_GPUS = {
    "NVIDIA H200": "h200-sxm-141gb",
    "NVIDIA H100 80GB HBM3": "h100-sxm-80gb",
    "NVIDIA A100-SXM4-80GB": "a100-sxm-80gb",
    "NVIDIA L40S": "l40s-48gb",
    "NVIDIA B200": "b200-180gb",
}

COLUMNS = [
    "id", "model", "precision", "kv_precision", "gpu", "engine", "decode_sequences", "context",
    "prefill_tokens", "attention", "step_ms", "step_ms_p10", "step_ms_p90", "repeats", "source", "notes",
]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Linear:
    """y = x Wᵀ with W [out, in]: bf16 through F.linear, or fp8 e4m3 through torch._scaled_mm."""

    def __init__(self, out_f: int, in_f: int, fp8: bool, dev, gen):
        w = torch.randn(out_f, in_f, device=dev, dtype=torch.bfloat16, generator=gen) * (in_f ** -0.5)
        self.fp8 = fp8
        if fp8:
            self.w = w.to(torch.float8_e4m3fn)
            del w
            self.one = torch.ones((), device=dev, dtype=torch.float32)
        else:
            self.w = w

    def __call__(self, x):
        if not self.fp8:
            return F.linear(x, self.w)
        m = x.shape[0]
        pad = (-m) % 16  # cuBLASLt fp8 wants row counts in multiples of 16; engines pad graph batches too
        xq = x.to(torch.float8_e4m3fn)  # static per-tensor scale 1 (activations here are O(1))
        if pad:
            xq = F.pad(xq.view(torch.uint8), (0, 0, 0, pad)).view(torch.float8_e4m3fn)
        y = torch._scaled_mm(xq, self.w.t(), scale_a=self.one, scale_b=self.one, out_dtype=torch.bfloat16)
        return y[:m] if pad else y


class Model:
    def __init__(self, shape: dict, fp8: bool, dev, seed: int = 0):
        gen = torch.Generator(device=dev)
        gen.manual_seed(seed)
        s = self.s = shape
        h, hd = s["hidden"], s["head_dim"]
        self.q_width, self.kv_width = s["heads"] * hd, s["kv_heads"] * hd
        self.embed = torch.randn(s["vocab"], h, device=dev, dtype=torch.bfloat16, generator=gen)
        self.layers = []
        self.experts = s.get("experts", 0)
        self.routes = None  # per step: for each expert, the token rows routed to it (MoE only)
        for _ in range(s["layers"]):
            layer = dict(
                norm1=torch.ones(h, device=dev, dtype=torch.bfloat16),
                qkv=Linear(self.q_width + 2 * self.kv_width, h, fp8, dev, gen),
                o=Linear(h, self.q_width, fp8, dev, gen),
                norm2=torch.ones(h, device=dev, dtype=torch.bfloat16),
            )
            if self.experts:
                layer["router"] = Linear(self.experts, h, False, dev, gen)
                layer["experts"] = [(Linear(2 * s["inter"], h, fp8, dev, gen), Linear(h, s["inter"], fp8, dev, gen))
                                    for _ in range(self.experts)]
            else:
                layer["gate_up"] = Linear(2 * s["inter"], h, fp8, dev, gen)
                layer["down"] = Linear(h, s["inter"], fp8, dev, gen)
            self.layers.append(layer)
        self.norm = torch.ones(h, device=dev, dtype=torch.bfloat16)
        # LM head in bf16 also for fp8 checkpoints (as they ship it)
        self.lm_head = Linear(s["vocab"], h, False, dev, gen)

    def route(self, tokens: int, dev, seed: int):
        """Fixed routing for a step of `tokens` tokens: each picks `active` distinct experts uniformly
        (seeded), so that the step can be captured in a CUDA graph. A token leaves an expert untouched
        with probability 1 − k/E, as the step model assumes (E · (1 − (1 − k/E)^tokens) experts read)."""
        g = torch.Generator().manual_seed(seed)
        picks = torch.stack([torch.randperm(self.experts, generator=g)[: self.s["active"]] for _ in range(tokens)])
        self.routes = [(picks == e).any(dim=1).nonzero().flatten().to(dev) for e in range(self.experts)]
        return sum(1 for r in self.routes if r.numel() > 0)

    def moe(self, ly, hN):
        """Router GEMM, then each expert on its rows (gather, gate/up GEMM, SiLU·mul, down GEMM, weighted
        scatter-add): the per-expert loop of a plain PyTorch MoE (engines fuse it into grouped GEMMs)."""
        weights = torch.softmax(ly["router"](hN).float(), dim=-1).to(hN.dtype)
        out = torch.zeros_like(hN)
        for e, rows in enumerate(self.routes):
            if rows.numel() == 0:
                continue
            gate_up, down = ly["experts"][e]
            g, u = gate_up(hN[rows]).chunk(2, dim=-1)
            out.index_add_(0, rows, down(F.silu(g) * u) * weights[rows, e : e + 1])
        return out

    def kv_bytes_per_token(self) -> int:
        return self.s["layers"] * 2 * self.kv_width * 2

    def step(self, tokens, caches, b: int, L: int, p: int, attention: bool = True):
        """One engine step: `b` decodes at context L (cache slots 0..L-1, the new token written at L-1)
        and, when p > 0, one prompt chunk of p tokens (causal over itself). `tokens` holds b + p ids."""
        s = self.s
        hd, kvh, qh = s["head_dim"], s["kv_heads"], s["heads"]
        group = qh // kvh
        x = self.embed[tokens]
        for i, ly in enumerate(self.layers):
            hN = F.rms_norm(x, (s["hidden"],), ly["norm1"], 1e-5)
            qkv = ly["qkv"](hN)
            q, k, v = qkv.split([self.q_width, self.kv_width, self.kv_width], dim=-1)
            outs = []
            if b > 0:
                qd = q[:b].view(b, kvh, group, hd)
                if attention:
                    kc, vc = caches[i]
                    kc[:, :, L - 1, :] = k[:b].view(b, kvh, hd)
                    vc[:, :, L - 1, :] = v[:b].view(b, kvh, hd)
                    od = F.scaled_dot_product_attention(qd, kc, vc)
                else:
                    od = qd
                outs.append(od.reshape(b, self.q_width))
            if p > 0:
                qp = q[b:].view(1, p, qh, hd).transpose(1, 2)
                kp = k[b:].view(1, p, kvh, hd).transpose(1, 2)
                vp = v[b:].view(1, p, kvh, hd).transpose(1, 2)
                if attention:
                    op = F.scaled_dot_product_attention(qp, kp, vp, is_causal=True, enable_gqa=True)
                else:
                    op = qp
                outs.append(op.transpose(1, 2).reshape(p, self.q_width))
            o = outs[0] if len(outs) == 1 else torch.cat(outs)
            x = x + ly["o"](o)
            hN = F.rms_norm(x, (s["hidden"],), ly["norm2"], 1e-5)
            if self.experts:
                x = x + self.moe(ly, hN)
            else:
                gu = ly["gate_up"](hN)
                g, u = gu.chunk(2, dim=-1)
                x = x + ly["down"](F.silu(g) * u)
        last = x[:b] if p == 0 else torch.cat([x[:b], x[-1:]])
        logits = self.lm_head(F.rms_norm(last, (s["hidden"],), self.norm, 1e-5))
        return logits.argmax(dim=-1)


def percentile(xs, q):
    xs = sorted(xs)
    i = (len(xs) - 1) * q
    lo, hi = math.floor(i), math.ceil(i)
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def time_step(fn, dev, repeats: int, graphs: bool, flush=None):
    """Median, p10, p90 milliseconds of `fn`, replayed from a CUDA graph on a GPU; `flush` (untimed)
    runs before each timed replay."""
    if dev.type != "cuda":
        fn()
        ts = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            ts.append((time.perf_counter() - t0) * 1e3)
        return statistics.median(ts), percentile(ts, 0.1), percentile(ts, 0.9)
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(2):
            fn()
    torch.cuda.current_stream().wait_stream(side)
    run = fn
    g = None
    if graphs:
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            fn()
        run = g.replay
    for _ in range(3):
        run()
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(repeats)]
    ends = [torch.cuda.Event(enable_timing=True) for _ in range(repeats)]
    for a, e in zip(starts, ends):
        if flush:
            flush()
        a.record()
        run()
        e.record()
    torch.cuda.synchronize()
    ts = [a.elapsed_time(e) for a, e in zip(starts, ends)]
    del g
    return statistics.median(ts), percentile(ts, 0.1), percentile(ts, 0.9)


def grid(model_id: str, fp8: bool, smoke: bool, only: str = "all"):
    """(decode sequences, context, prefill tokens, attention?) points for one model and precision;
    `only` = "prefill" keeps the prompt-only steps, with and without attention."""
    if smoke:
        return [(1, 16, 0, True), (4, 32, 0, True), (4, 0, 0, False), (0, 0, 32, True), (0, 0, 32, False),
                (2, 16, 16, True)]
    pts = []
    if model_id == "llama-3.1-8b" and not fp8:
        batches, contexts = [1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384, 512], [128, 1024, 2048, 4096, 8192]
        prefill = [128, 512, 1024, 2048, 4096, 8192]
        mixed = [(32, 1024, 512), (32, 1024, 2048), (128, 1024, 512), (128, 1024, 2048), (256, 512, 2048)]
    elif model_id == "llama-3.1-8b":
        batches, contexts = [1, 8, 32, 64, 128, 256, 512], [1024, 4096]
        prefill = [512, 2048, 8192]
        mixed = [(64, 1024, 2048)]
    elif model_id == "mixtral-8x7b":
        batches, contexts = [1, 2, 4, 8, 16, 32, 64, 128, 256], [1024]
        prefill = [512, 2048]
        mixed = [(64, 1024, 2048)]
    else:
        batches, contexts = [1, 8, 32, 64, 128, 256], [1024, 4096]
        prefill = [512, 2048, 8192]
        mixed = [(64, 1024, 2048)]
    for b in batches:
        pts.append((b, 0, 0, False))  # the step without attention: GEMMs and the rest
        for L in contexts:
            pts.append((b, L, 0, True))
    if only == "prefill":
        return [(0, 0, p, a) for p in prefill for a in (True, False)]
    for p in prefill:
        pts.append((0, 0, p, True))
    for b, L, p in mixed:
        pts.append((b, L, p, True))
    return pts


def time_gemms(model_id: str, fp8: bool, dev, repeats: int, graphs: bool, writer, gpu_name: str):
    """Each GEMM shape of one layer, and the LM head, alone: M tokens × K → N, bf16 or fp8 weights."""
    s = SHAPES[model_id]
    h, hd = s["hidden"], s["head_dim"]
    q, kv = s["heads"] * hd, s["kv_heads"] * hd
    shapes = dict(qkv=(q + 2 * kv, h), o=(h, q), gate_up=(2 * s["inter"], h), down=(h, s["inter"]),
                  lm_head=(s["vocab"], h))
    gen = torch.Generator(device=dev)
    gen.manual_seed(1)
    # A GEMM timed alone would find its weights in L2 (60 MB on an H200) from the replay before; in a
    # step every layer reads its own. Overwrite 512 MB between replays, outside the timed interval.
    scratch = torch.empty(256 * 2**20, device=dev, dtype=torch.bfloat16)
    flush = scratch.zero_
    for name, (n, k) in shapes.items():
        lin = Linear(n, k, fp8 and name != "lm_head", dev, gen)
        for m in ([1, 8, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192] if dev.type == "cuda" else [1, 16]):
            x = torch.randn(m, k, device=dev, dtype=torch.bfloat16, generator=gen)
            with torch.inference_mode():
                med, p10, p90 = time_step(lambda: lin(x), dev, repeats, graphs, flush)
            flops = 2 * m * n * k
            wbytes = n * k * (1 if lin.fp8 else 2)
            writer.writerow([model_id, "fp8" if lin.fp8 else "bf16", gpu_name, name, m, n, k, f"{med:.5f}",
                             f"{p10:.5f}", f"{p90:.5f}", f"{flops / med / 1e9:.1f}", f"{wbytes / med / 1e6:.1f}"])
            log(f"  gemm {name:8s} {'fp8' if lin.fp8 else 'bf16'} M={m:5d}: {med:.4f} ms, "
                f"{flops / med / 1e9:.0f} TFLOP/s, {wbytes / med / 1e6:.0f} GB/s of weights")
        del lin


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="CSV to write (rows are appended as they are measured)")
    ap.add_argument("--configs", default="llama-3.1-8b:bf16,llama-3.1-8b:fp8,llama-3.1-70b:fp8",
                    help="comma-separated model:weights pairs (weights bf16 or fp8); models: "
                         + ", ".join(k for k in SHAPES if not k.startswith("tiny")))
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--kv-budget-gib", type=float, default=0,
                    help="KV-cache GiB to allocate (0: what is free after the weights, less 8 GiB)")
    ap.add_argument("--no-graphs", action="store_true", help="time eager launches instead of CUDA graphs")
    ap.add_argument("--time-budget-s", type=float, default=1e9, help="stop measuring after this many seconds")
    ap.add_argument("--smoke", action="store_true", help="tiny model, tiny grid: checks the script runs")
    ap.add_argument("--only", choices=["all", "prefill"], default="all",
                    help="prefill: only the prompt-only steps, with and without attention")
    ap.add_argument("--gemm-out", help="also time each GEMM shape alone and write them to this CSV")
    ap.add_argument("--gpu-id", help="the catalog id for the `gpu` column (default: guessed from the device name)")
    ap.add_argument("--source", default="MEASURED", help="the `source` column (default: MEASURED)")
    args = ap.parse_args()
    t_start = time.time()
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    gpu_name = torch.cuda.get_device_name(0) if dev.type == "cuda" else platform.processor() or "cpu"
    env = dict(torch=torch.__version__, device=gpu_name, python=platform.python_version(),
               cuda=torch.version.cuda, graphs=dev.type == "cuda" and not args.no_graphs)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
        props = torch.cuda.get_device_properties(0)
        env.update(sms=props.multi_processor_count, memory_gib=round(props.total_memory / 2**30, 1))
    gpu_id = args.gpu_id or KNOWN_GPUS.get(gpu_name, gpu_name)
    env.update(gpu_id=gpu_id)
    log("environment:", json.dumps(env))
    new = not os.path.exists(args.out)
    row_number = 0
    if not new:  # continue the ids of the rows already there
        with open(args.out, newline="") as f:
            row_number = sum(1 for r in csv.reader(line for line in f if not line.startswith("#")) if r and r[0] != "id")
    out = open(args.out, "a", newline="")
    w = csv.writer(out, lineterminator="\n")
    if new:
        w.writerow(COLUMNS)
    graphs = dev.type == "cuda" and not args.no_graphs
    engine = f"pytorch-{torch.__version__.split('+')[0]}{' cuda-graphs' if graphs else ' eager'}"
    for spec in args.configs.split(","):
        model_id, weights = spec.split(":")
        if args.smoke:
            model_id = "tiny-moe" if "experts" in SHAPES[model_id] else "tiny"
        fp8 = weights == "fp8"
        if time.time() - t_start > args.time_budget_s:
            log(f"time budget spent; skipping {spec}")
            continue
        t0 = time.time()
        model = Model(SHAPES[model_id], fp8, dev)
        per_token = model.kv_bytes_per_token()
        if dev.type == "cuda":
            torch.cuda.synchronize()
            free, _ = torch.cuda.mem_get_info()
            budget = args.kv_budget_gib * 2**30 if args.kv_budget_gib > 0 else free - 8 * 2**30
        else:
            budget = 64 * 2**20
        max_tokens = int(budget // per_token)
        s = model.s
        flat = max_tokens * s["kv_heads"] * s["head_dim"]
        kbuf = torch.zeros(s["layers"], flat, device=dev, dtype=torch.bfloat16)
        vbuf = torch.zeros(s["layers"], flat, device=dev, dtype=torch.bfloat16)
        log(f"{spec}: weights ready in {time.time() - t0:.1f} s; KV cache {max_tokens} tokens "
            f"({2 * kbuf.numel() * 2 / 2**30:.1f} GiB, {per_token} B/token)")
        # SDPA backend for decode, once
        if dev.type == "cuda":
            try:
                from torch.profiler import profile, ProfilerActivity
                qd = torch.randn(4, s["kv_heads"], s["heads"] // s["kv_heads"], s["head_dim"], device=dev, dtype=torch.bfloat16)
                kd = torch.randn(4, s["kv_heads"], 1024, s["head_dim"], device=dev, dtype=torch.bfloat16)
                with profile(activities=[ProfilerActivity.CUDA]) as prof:
                    F.scaled_dot_product_attention(qd, kd, kd)
                    torch.cuda.synchronize()
                names = sorted({e.key for e in prof.key_averages() if "flash" in e.key.lower() or "attention" in e.key.lower() or "efficient" in e.key.lower()})
                log("decode attention kernels:", names[:4])
            except Exception as e:  # informational only
                log("could not name the attention kernel:", repr(e))
        label = model_id
        if args.gemm_out:
            new_g = not os.path.exists(args.gemm_out)
            with open(args.gemm_out, "a", newline="") as gf:
                gw = csv.writer(gf, lineterminator="\n")
                if new_g:
                    gw.writerow(["model", "precision", "gpu", "gemm", "m", "n", "k", "ms", "ms_p10", "ms_p90",
                                 "tflop_s", "weight_gb_s"])
                time_gemms(model_id, fp8, dev, args.repeats, graphs, gw, gpu_id)
        for (b, L, p, attention) in grid(model_id, fp8, args.smoke, args.only):
            if time.time() - t_start > args.time_budget_s:
                log("time budget spent; stopping")
                break
            if b * max(L, 1) > max_tokens:
                log(f"  skip b={b} L={L}: needs {b * L} cache tokens, {max_tokens} allocated")
                continue
            tokens = torch.randint(0, s["vocab"], (b + p,), device=dev)
            caches = None
            if attention and b > 0:
                n = b * s["kv_heads"] * L * s["head_dim"]
                caches = [(kbuf[i, :n].view(b, s["kv_heads"], L, s["head_dim"]),
                           vbuf[i, :n].view(b, s["kv_heads"], L, s["head_dim"])) for i in range(s["layers"])]
            touched = model.route(b + p, dev, seed=b * 100_003 + p) if model.experts else 0
            try:
                with torch.inference_mode():
                    med, p10, p90 = time_step(lambda: model.step(tokens, caches, b, L, p, attention), dev,
                                              args.repeats, graphs=graphs)
            except Exception as e:
                log(f"  b={b} L={L} p={p}: failed: {e!r}"[:400])
                if dev.type == "cuda":
                    torch.cuda.empty_cache()
                continue
            note = "" if attention else "GEMMs, norms, sampling; no attention, no KV-cache write"
            if model.experts:
                note = (note + "; " if note else "") + f"{touched} of {model.experts} experts touched per layer"
            row_number += 1
            w.writerow([f"s{row_number:03d}", label, "fp8" if fp8 else "bf16", "bf16", gpu_id, engine, b,
                        L if attention else 0, p, "yes" if attention else "no", f"{med:.4f}", f"{p10:.4f}",
                        f"{p90:.4f}", args.repeats, args.source, note])
            out.flush()
            log(f"  b={b:4d} L={L:5d} p={p:5d} attn={int(attention)}: {med:8.3f} ms (p10 {p10:.3f}, p90 {p90:.3f})")
        del model, kbuf, vbuf, caches
        if dev.type == "cuda":
            torch.cuda.empty_cache()
    out.close()
    log(f"done in {time.time() - t_start:.0f} s")


if __name__ == "__main__":
    main()
