#!/usr/bin/env python3
"""Checks catalogs/calibration-measurements.csv against the calibration schema (issue 12).

Usage: scripts/check-calibration-csv.py [path/to/calibration-measurements.csv]

Every row must name a catalog model and GPU, a known precision, engine and load kind, whole
positive counts, and at least one measured figure; every source key must be described in
docs/calibration-sources.md. Prints one line per problem (file:line: field: message) and exits
with 2 if there is any, else prints a summary (rows per source, GPU, load kind) and exits 0.
Standard library only.
"""
import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("id,model,precision,kv_precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,"
          "ttft_ms,tpot_ms,output_tok_s,requests_s,latency_stat,source,notes,num_requests,"
          "max_num_seqs,max_num_batched_tokens,lengths,enable_chunked_prefill,warmup_requests,"
          "expert_parallel,attention_dp").split(",")
PRECISIONS = {"fp16", "bf16", "fp8", "int8", "int4", "fp4"}
KV_PRECISIONS = {"", "fp16", "bf16", "fp8"}
LOAD_KINDS = {"concurrency", "rate", "burst"}
LATENCY_STATS = {"", "mean", "median", "p99"}
LENGTHS = {"", "fixed", "varied"}
CHUNKED = {"", "true", "false"}
ENGINE = re.compile(r"^(vllm|sglang|trtllm)-[0-9A-Za-z.+-]+$")


def catalog_ids(path: Path) -> set[str]:
    """The `- id:` values of a catalog YAML file (no YAML parser needed for this shape)."""
    return set(re.findall(r"^\s*-\s*id:\s*([A-Za-z0-9._-]+)\s*$", path.read_text(), re.MULTILINE))


def source_keys(path: Path) -> set[str]:
    """Source keys described in docs/calibration-sources.md: headings `### KEY`."""
    if not path.exists():
        return set()
    return set(re.findall(r"^###\s+([A-Z0-9][A-Z0-9.-]*)\b", path.read_text(), re.MULTILINE))


def main() -> int:
    csv_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "catalogs/calibration-measurements.csv"
    models = catalog_ids(ROOT / "catalogs/models.yaml")
    gpus = catalog_ids(ROOT / "catalogs/gpus.yaml")
    sources = source_keys(ROOT / "docs/calibration-sources.md")
    problems: list[str] = []
    rows = []
    lines = csv_path.read_text().splitlines()
    data = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if not data or next(csv.reader([data[0][1]])) != HEADER:
        print(f"{csv_path}:{data[0][0] if data else 1}: header: expected exactly {','.join(HEADER)}")
        return 2
    seen: dict[str, int] = {}
    for lineno, line in data[1:]:
        fields = next(csv.reader([line]))
        def bad(field: str, message: str) -> None:
            problems.append(f"{csv_path}:{lineno}: {field}: {message}")
        if len(fields) != len(HEADER):
            bad("", f"{len(fields)} fields, expected {len(HEADER)} (quote notes that hold commas)")
            continue
        r = dict(zip(HEADER, fields))
        if not re.fullmatch(r"c\d{2}|[ms]\d{3}", r["id"]):
            bad("id", f"'{r['id']}' is not cNN, mNNN or sNNN")
        if r["id"] in seen:
            bad("id", f"duplicate of line {seen[r['id']]}")
        seen[r["id"]] = lineno
        if r["model"] not in models:
            bad("model", f"'{r['model']}' is not in catalogs/models.yaml")
        if r["gpu"] not in gpus:
            bad("gpu", f"'{r['gpu']}' is not in catalogs/gpus.yaml")
        if r["precision"] not in PRECISIONS:
            bad("precision", f"'{r['precision']}', expected one of {sorted(PRECISIONS)}")
        if r["kv_precision"] not in KV_PRECISIONS:
            bad("kv_precision", f"'{r['kv_precision']}', expected empty or one of fp16, bf16, fp8")
        if not ENGINE.match(r["engine"]):
            bad("engine", f"'{r['engine']}', expected vllm-, sglang- or trtllm- followed by a version")
        def whole(field: str, required: bool) -> int | None:
            v = r[field]
            if v == "":
                if required:
                    bad(field, "missing")
                return None
            if not re.fullmatch(r"[1-9]\d*", v):
                bad(field, f"'{v}' is not a positive whole number")
                return None
            return int(v)
        def positive(field: str) -> float | None:
            v = r[field]
            if v == "":
                return None
            try:
                x = float(v)
            except ValueError:
                bad(field, f"'{v}' is not a number")
                return None
            if not x > 0:
                bad(field, f"'{v}' must be positive")
            return x
        g = whole("gpus", True)
        tp = whole("tp", False)  # empty: the source does not state it (notes say so)
        if tp is None and r["tp"] == "" and "tp" not in r["notes"]:
            bad("tp", "empty without a note saying why")
        if g and tp and g % tp:
            bad("tp", f"{tp} does not divide gpus {g}")
        whole("isl", False)
        whole("osl", False)
        whole("num_requests", False)
        whole("max_num_seqs", False)
        whole("max_num_batched_tokens", False)
        if r["warmup_requests"] != "":
            if not r["warmup_requests"].isdigit():
                bad("warmup_requests", f"'{r['warmup_requests']}', expected a whole number of requests or empty")
            elif r["load_kind"] != "concurrency" or r["lengths"] != "fixed":
                bad("warmup_requests", "set on a row that is not a fixed-length closed loop (the only rows it changes)")
        kind = r["load_kind"]
        if kind not in LOAD_KINDS:
            bad("load_kind", f"'{kind}', expected one of {sorted(LOAD_KINDS)}")
        elif kind == "concurrency":
            whole("load_value", True)
        elif kind == "rate":
            if positive("load_value") is None:
                bad("load_value", "missing requests per second")
        elif kind == "burst" and r["load_value"] != "":
            whole("load_value", False)
        figures = [positive(f) for f in ("ttft_ms", "tpot_ms", "output_tok_s", "requests_s")]
        if all(f is None for f in figures):
            bad("", "no measured figure (ttft_ms, tpot_ms, output_tok_s or requests_s)")
        if r["lengths"] not in LENGTHS:
            bad("lengths", f"'{r['lengths']}', expected fixed, varied or empty")
        for flag in ("enable_chunked_prefill", "expert_parallel", "attention_dp"):
            if r[flag] not in CHUNKED:
                bad(flag, f"'{r[flag]}', expected true, false or empty")
        stat = r["latency_stat"]
        if stat not in LATENCY_STATS:
            bad("latency_stat", f"'{stat}', expected mean, median, p99 or empty")
        has_latency = r["ttft_ms"] != "" or r["tpot_ms"] != ""
        if has_latency and stat == "":
            bad("latency_stat", "latency given but its statistic is not")
        if not has_latency and stat != "":
            bad("latency_stat", "set but there is no latency")
        if not r["source"]:
            bad("source", "missing")
        elif r["source"] not in sources:
            bad("source", f"'{r['source']}' is not described in docs/calibration-sources.md")
        rows.append(r)
    for p in problems:
        print(p)
    if problems:
        return 2
    def summary(key: str) -> str:
        return ", ".join(f"{k} {n}" for k, n in sorted(Counter(r[key] for r in rows).items()))
    print(f"{len(rows)} rows, {len(set(r['source'] for r in rows))} sources")
    print("per source:", summary("source"))
    print("per GPU:", summary("gpu"))
    print("per load kind:", summary("load_kind"))
    print("per engine family:", ", ".join(f"{k} {n}" for k, n in sorted(Counter(r["engine"].split("-")[0] for r in rows).items())))
    print("per model:", summary("model"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
