#!/usr/bin/env python3
"""Writes a deterministic catalog overlay that multiplies the shipped GPU and server entries.

    scripts/synthetic-catalog.py FACTOR OUTDIR [CATALOG_DIR]

For FACTOR k, every GPU and server gets k-1 variants (ids `<id>-v<j>`), so the merged catalog
(shipped + overlay) has k times the GPU and server entries. Variants perturb price (+-5 %), memory
bandwidth and TFLOPS (+-1.5 %) and server base power by fixed formulas of j (no randomness), and a
server variant also takes the GPU variants with the same j, so each variant is a usable chassis.
Use the directory with `planner solve SPEC --catalog OUTDIR`.
"""
import os
import sys

import yaml


def perturb(value, j, salt, spread):
    # A fixed pseudo-random factor in [1 - spread, 1 + spread] from (j, salt).
    h = (j * 2654435761 + salt * 40503) % 1000
    return value * (1 + spread * (h / 500.0 - 1))


def main():
    factor = int(sys.argv[1])
    out = sys.argv[2]
    root = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "..", "catalogs")
    with open(os.path.join(root, "gpus.yaml")) as f:
        gpus = yaml.safe_load(f)["gpus"]
    with open(os.path.join(root, "servers.yaml")) as f:
        servers = yaml.safe_load(f)["servers"]
    new_gpus, new_servers = [], []
    for j in range(1, factor):
        for g in gpus:
            v = dict(g)
            v["id"] = f"{g['id']}-v{j}"
            v["name"] = f"{g['name']} (synthetic variant {j})"
            v["price_usd"] = round(perturb(g["price_usd"], j, 1, 0.05), 2)
            v["memory_bandwidth_gbps"] = round(perturb(g["memory_bandwidth_gbps"], j, 2, 0.015), 1)
            v["tflops"] = {k: round(perturb(x, j, 3, 0.015), 1) for k, x in g["tflops"].items()}
            new_gpus.append(v)
        for s in servers:
            v = dict(s)
            v["id"] = f"{s['id']}-v{j}"
            v["name"] = f"{s['name']} (synthetic variant {j})"
            v["price_usd"] = round(perturb(s["price_usd"], j, 4, 0.05), 2)
            v["power_watts"] = round(perturb(s["power_watts"], j, 5, 0.015), 1)
            if s.get("compatible_gpus"):
                v["compatible_gpus"] = list(s["compatible_gpus"]) + [f"{x}-v{j}" for x in s["compatible_gpus"]]
            new_servers.append(v)
    os.makedirs(out, exist_ok=True)
    header = f"# Synthetic x{factor} catalog overlay written by scripts/synthetic-catalog.py (deterministic).\n"
    with open(os.path.join(out, "gpus.yaml"), "w") as f:
        f.write(header + yaml.safe_dump({"gpus": new_gpus}, sort_keys=False, width=200))
    with open(os.path.join(out, "servers.yaml"), "w") as f:
        f.write(header + yaml.safe_dump({"servers": new_servers}, sort_keys=False, width=200))
    print(f"{out}: {len(gpus) * factor} GPUs, {len(servers) * factor} servers in the merged catalog")


if __name__ == "__main__":
    main()
