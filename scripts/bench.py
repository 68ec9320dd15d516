#!/usr/bin/env python3
"""Benchmarks for docs/benchmarks.md (run by `make bench`, after `swift build -c release`).

Measures, on this machine: every example end to end (median wall time and peak RSS of N runs),
planner's total time against glpsol on the exported LP, synthetic x10/x100 catalogs (time, RSS,
model size), a 1,000-point `planner sweep`, and the brute-force enumerator against the MILP.
Writes a Markdown report to .build/bench/results.md (and prints it). Not a test: nothing fails.
Environment: BENCH_RUNS (default 15), BENCH_SCALE_TIMEOUT (seconds per scaling run, default 120),
BENCH_SKIP (comma list of: examples, glpsol, scaling, sweep, brute).
"""
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PLANNER = os.path.join(ROOT, ".build/release/planner")
OUT = os.path.join(ROOT, ".build/bench")
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
SCALE_TIMEOUT = float(os.environ.get("BENCH_SCALE_TIMEOUT", "120"))
SKIP = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))


def timed_rss(argv, timeout=None, cwd=ROOT):
    """Like timed, with peak RSS from os.wait4."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            p.kill()
            pid, status, usage = os.wait4(p.pid, 0)
            return time.perf_counter() - start, usage.ru_maxrss / 1024, "timeout"
        time.sleep(0.002)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    p.returncode = code
    return seconds, usage.ru_maxrss / 1024, code


def model_size(lp):
    """(rows, columns, non-zeros, integer columns) as glpsol reads the CPLEX LP file."""
    r = subprocess.run(["glpsol", "--lp", lp, "--check"], capture_output=True, text=True)
    m = re.search(r"(\d+) rows, (\d+) columns, (\d+) non-zeros", r.stdout)
    i = re.search(r"(\d+) integer variables?, (\d+) of which", r.stdout) or re.search(r"(\d+) integer variable", r.stdout)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), int(i.group(1)) if i else None) if m else None


def ms(s):
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def main():
    os.makedirs(OUT, exist_ok=True)
    examples = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".yaml"))
    nproc = os.cpu_count()
    report = [f"Machine: {nproc} cores (`nproc`), release build, {time.strftime('%Y-%m-%d')}. "
              f"Medians of {RUNS} runs unless noted.", ""]
    medians = {}

    if "examples" not in SKIP:
        report += ["## planner solve, end to end", "",
                   "| example | exit | median | min | max | peak RSS | ≤ 100 ms |", "|---|---|---|---|---|---|---|"]
        for ex in examples:
            argv = [PLANNER, "solve", f"examples/{ex}", "--format", "json"]
            timed_rss(argv)  # warm the page cache
            samples, rss, code = [], 0, None
            for _ in range(RUNS):
                s, r, code = timed_rss(argv)
                samples.append(s)
                rss = max(rss, r)
            med = statistics.median(samples)
            medians[ex] = med
            report.append(f"| {ex} | {code} | {ms(med)} | {ms(min(samples))} | {ms(max(samples))} | {rss:.0f} MiB | "
                          f"{'yes' if med <= 0.1 else '**no**'} |")
        report.append("")

    if "glpsol" not in SKIP:
        report += ["## Solver-layer overhead: planner vs glpsol on the exported model", "",
                   "`planner solve --export-lp` writes the model the planner solves; `glpsol --lp FILE` (MIP presolve "
                   "on, like the planner) solves it alone. Ratio = planner's total time / glpsol's.", "",
                   "| example | rows | columns | non-zeros | planner | glpsol | ratio |", "|---|---|---|---|---|---|---|"]
        for ex in examples:
            lp = os.path.join(OUT, ex.replace(".yaml", ".lp"))
            subprocess.run([PLANNER, "solve", f"examples/{ex}", "--format", "json", "--export-lp", lp],
                           cwd=ROOT, capture_output=True)
            if not os.path.exists(lp):
                report.append(f"| {ex} | - | - | - | - | - | (no model: {ex} is rejected before solving) |")
                continue
            size = model_size(lp)
            g = statistics.median(timed_rss(["glpsol", "--lp", lp, "--intopt", "--tmlim", "60"])[0] for _ in range(max(3, RUNS // 3)))
            p = medians.get(ex) or statistics.median(timed_rss([PLANNER, "solve", f"examples/{ex}", "--format", "json"])[0] for _ in range(5))
            report.append(f"| {ex} | {size[0]} | {size[1]} | {size[2]} | {ms(p)} | {ms(g)} | {p / g:.1f}× |")
        report.append("")

    if "scaling" not in SKIP:
        report += ["## Catalog scaling (synthetic ×10 / ×100 GPU and server entries)", "",
                   "`scripts/synthetic-catalog.py K DIR` writes K−1 deterministic variants of every GPU and server "
                   f"(perturbed price, bandwidth, TFLOPS, base power); `planner solve examples/chat-8b.yaml --catalog DIR`. "
                   f"One run each, killed after {SCALE_TIMEOUT:.0f} s.", "",
                   "| catalog | GPUs | servers | exit | wall | peak RSS | rows | columns | non-zeros |", "|---|---|---|---|---|---|---|---|---|"]
        for k in (1, 10, 100):
            args = []
            if k > 1:
                d = os.path.join(OUT, f"synthetic-x{k}")
                subprocess.run([sys.executable, os.path.join(ROOT, "scripts/synthetic-catalog.py"), str(k), d], check=True, capture_output=True)
                args = ["--catalog", d]
            lp = os.path.join(OUT, f"scale-x{k}.lp")
            if os.path.exists(lp):
                os.remove(lp)
            s, r, code = timed_rss([PLANNER, "solve", "examples/chat-8b.yaml", "--format", "json"] + args, timeout=SCALE_TIMEOUT)
            # The size of the whole program (every GPU type), exported in a separate, untimed run.
            timed_rss([PLANNER, "solve", "examples/chat-8b.yaml", "--format", "json", "--export-lp", lp] + args, timeout=SCALE_TIMEOUT)
            size = model_size(lp) if os.path.exists(lp) else None
            cols = size or ("-", "-", "-")
            report.append(f"| ×{k} | {15 * k} | {10 * k} | {code} | {ms(s) if code != 'timeout' else '> ' + ms(s)} | {r:.0f} MiB | "
                          f"{cols[0]} | {cols[1]} | {cols[2]} |")
        report.append("")

    if "sweep" not in SKIP:
        tpot = ",".join(str(x) for x in range(10, 210, 5))        # 40 values
        conc = ",".join(str(x) for x in range(8, 208, 8))         # 25 values
        argv = [PLANNER, "sweep", "examples/chat-8b.yaml", "--vary", f"slo.tpot_ms={tpot}", "--vary", f"workload.concurrency={conc}",
                "--format", "csv"]
        s, r, code = timed_rss(argv, timeout=600)
        report += ["## 1,000-point sweep", "",
                   "`planner sweep examples/chat-8b.yaml --vary slo.tpot_ms=10,15,…,205 --vary workload.concurrency=8,16,…,200` "
                   "(40 × 25 = 1,000 points, solved on all cores).", "",
                   f"| points | exit | wall | peak RSS | per point | ≤ 20 s |", "|---|---|---|---|---|---|",
                   f"| 1000 | {code} | {ms(s)} | {r:.0f} MiB | {ms(s / 1000)} | {'yes' if s <= 20 else '**no**'} |", ""]

    if "brute" not in SKIP:
        r = subprocess.run(["swift", "test", "--filter", "BruteForceTests/testMILPMatchesExhaustiveEnumeration"],
                           cwd=ROOT, capture_output=True, text=True)
        line = next((l for l in r.stdout.splitlines() if l.startswith("brute force:")), None)
        report += ["## Brute force vs MILP", "",
                   "`swift test --filter BruteForceTests/testMILPMatchesExhaustiveEnumeration` (debug build; both "
                   "solve the same generated small problems; GLPK itself is optimised C in both builds).", ""]
        if line:
            m = re.search(r"enumeration ([\d.]+) s, MILP ([\d.]+) s", line)
            report.append(f"    {line}")
            if m:
                report += ["", f"Enumeration / MILP time: {float(m.group(1)) / max(float(m.group(2)), 1e-9):.2f}×"]
        else:
            report.append("(the test printed no timing line)")
        report.append("")

    text = "\n".join(report)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
