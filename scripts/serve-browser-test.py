#!/usr/bin/env python3
"""Browser test of `planner serve` (docs/serve.md), in headless Chromium driven by Selenium.

Starts the built planner on a free loopback port with examples/chat-8b.yaml, then in the page:
changes the concurrency in the form and waits for the plan's GPU count to change (and the YAML to
follow); enters an invalid concurrency and waits for the inline error under the field; runs a sweep
and clicks a point; sets `engine: {name: vllm, max_num_seqs: auto}` in the YAML and waits for the plan to
name the cap to set. Screenshots go to .build/serve/. Finally stops the server with SIGINT, and a
second one with SIGTERM, and checks both exit 0 (a clean shutdown).

Usage: scripts/serve-browser-test.py [path/to/planner]   (run from the repository root)
"""
import os
import signal
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PLANNER = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/planner"
OUT = os.path.join(".build", "serve")
WAIT_S = 90  # generous: a debug build on a busy 2-core machine


def start_server():
    proc = subprocess.Popen([PLANNER, "serve", "examples/chat-8b.yaml", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("planner serve: http://"):
        proc.kill()
        sys.exit(f"FAIL: unexpected first line from planner serve: {line!r} {proc.stderr.read()}")
    return proc, line.split()[2]


def stop(proc, sig, name):
    proc.send_signal(sig)
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit(f"FAIL: planner serve did not stop within 30 s of {name}")
    if code != 0:
        sys.exit(f"FAIL: planner serve exited {code} after {name}: {proc.stderr.read()}")
    print(f"ok: {name} stops the server cleanly (exit 0)")


def main():
    os.makedirs(OUT, exist_ok=True)
    proc, url = start_server()
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1900"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        # The page replaces the plan's elements each time it re-solves: an element read while that happens
        # is stale, which only means "not yet" for a wait.
        wait = WebDriverWait(driver, WAIT_S, ignored_exceptions=(StaleElementReferenceException,))
        driver.get(url)
        # The page's YAML editing on block and flow mappings (its own functions, in the browser).
        cases = [
            ("setValue", "workload:\n  prompt_tokens: 512  # note\n  concurrency: 64\n", "workload.concurrency", "128",
             "workload:\n  prompt_tokens: 512  # note\n  concurrency: 128\n"),
            ("setValue", "slo:\n  tpot_ms: 50\n", "slo.ttft_ms", "300", "slo:\n  ttft_ms: 300\n  tpot_ms: 50\n"),
            ("setValue", "name: x\n", "constraints.storage.min_iops", "5", "name: x\nconstraints: {storage: {min_iops: 5}}\n"),
            ("removeValue", "workload: {prompt_tokens: 512, concurrency: 64, output_tokens: 256}\n", "workload.concurrency", None,
             "workload: {prompt_tokens: 512, output_tokens: 256}\n"),
            ("setValue", "workload: {prompt_tokens: 512}\n", "workload.requests_per_second", "3",
             "workload: {prompt_tokens: 512, requests_per_second: 3}\n"),
            ("removeValue", "slo:\n  ttft_ms: 300\n  tpot_ms: 50\n", "slo.ttft_ms", None, "slo:\n  tpot_ms: 50\n"),
        ]
        for fn, text, key, value, want in cases:
            got = driver.execute_script(f"return {fn}(arguments[0], arguments[1], arguments[2]);", text, key, value)
            assert got == want, f"{fn}({text!r}, {key}, {value}) = {got!r}, expected {want!r}"
        print(f"ok: the page's YAML edits keep comments and style ({len(cases)} cases)")
        gpus = lambda d: d.find_element(By.ID, "gpu-count").text if d.find_elements(By.ID, "gpu-count") else None
        before = wait.until(gpus)
        print(f"ok: the page shows a plan with {before} GPUs at concurrency 64")
        limit = driver.find_element(By.CSS_SELECTOR, "#replica-limits li").text
        assert limit.startswith("each ") and " replica (TP " in limit and " carries " in limit, limit
        print(f"ok: the page says what limits each replica: {limit}")

        field = driver.find_element(By.ID, "f-concurrency")
        field.clear()
        field.send_keys("1024")
        after = wait.until(lambda d: (g := gpus(d)) and g != before and g)
        yaml = driver.find_element(By.ID, "yaml").get_property("value")
        assert "concurrency: 1024" in yaml, yaml
        print(f"ok: concurrency 1024 in the form: the plan now has {after} GPUs, and the YAML says concurrency: 1024")
        driver.save_screenshot(os.path.join(OUT, "page.png"))

        field.clear()
        field.send_keys("-5")
        error = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-err="workload.concurrency"]').text)
        assert "bad" in field.get_attribute("class"), field.get_attribute("class")
        print(f"ok: concurrency -5 shows the inline error: {error}")
        driver.save_screenshot(os.path.join(OUT, "invalid.png"))

        field.clear()
        field.send_keys("64")
        wait.until(lambda d: not d.find_element(By.CSS_SELECTOR, '[data-err="workload.concurrency"]').text and gpus(d) == before)
        values = driver.find_element(By.ID, "sweep-values")
        values.clear()
        values.send_keys("16,64,256,1024")
        driver.find_element(By.ID, "sweep-run").click()
        points = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#chart circle"))
        rows = driver.find_elements(By.CSS_SELECTOR, "#sweep-table tr[data-point]")
        assert len(rows) == 4, len(rows)
        limits = [r.find_elements(By.TAG_NAME, "td")[-1].text for r in rows]
        assert all(l in ("KV cache", "batch cap", "throughput", "TTFT", "TPOT", "E2E") for l in limits), limits
        rows[3].click()
        wait.until(lambda d: "concurrency: 1024" in d.find_element(By.ID, "yaml").get_property("value") and gpus(d) == after
                   and not d.find_element(By.ID, "busy").text)
        print(f"ok: a sweep over concurrency 16,64,256,1024 draws {len(points)} points (limits {', '.join(limits)}); clicking the last row loads its plan ({after} GPUs)")
        driver.save_screenshot(os.path.join(OUT, "sweep.png"))

        # The engine's batch cap left to the planner: the plan names the value to set.
        box = driver.find_element(By.ID, "yaml")
        text = box.get_property("value")
        assert "engine: vllm\n" in text, text
        driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                              box, text.replace("engine: vllm\n", "engine: {name: vllm, max_num_seqs: auto}\n"))
        bought = wait.until(lambda d: next((li.text for li in d.find_elements(By.CSS_SELECTOR, "ul.plain li")
                                            if "engine max_num_seqs" in li.text), None))
        print(f"ok: max_num_seqs: auto in the YAML: the plan names the cap to set: {bought}")
    finally:
        driver.quit()
        stop(proc, signal.SIGINT, "SIGINT")
    proc2, _ = start_server()
    stop(proc2, signal.SIGTERM, "SIGTERM")
    print(f"Screenshots: {OUT}/page.png, {OUT}/invalid.png, {OUT}/sweep.png")


if __name__ == "__main__":
    main()
