"""The web server under load, and a what-if slider's round trip in a real browser.

Run from the project root::

    python bench/bench_web.py [--clients 50] [--seconds 30] [--runs 1000] [--write bench/results/web.md]

1. Load: ``accord serve`` in its own process on a free loopback port; ``--clients`` threads, each
   with its own keep-alive connection, POST ``/api/forecast`` (the Muscat scenario, the page's
   default model ``compromise``, ``--runs`` draws, a different seed each time) back to back for
   ``--seconds``. Counts requests, errors (any status but 200, any connection failure), latency
   percentiles and requests per second. Traffic goes to 127.0.0.1 only, bounded in time.
2. Slider: headless Chromium (Debian's, through Playwright) opens the forecast page and moves a
   what-if slider ``--moves`` times; each round trip is timed in the page from the moment the request
   leaves to the moment its charts are drawn (the 250 ms the page waits for the slider to settle is
   not counted), and from the slider's input event to the drawn chart (counted).

The machine's load average is written down before and after: on a shared machine the numbers say
what this machine did at that moment, not what the server can do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUSCAT = "us-iran-muscat-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, tmp: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "XDG_DATA_HOME": str(tmp)}
    env.pop("ACCORD_DB", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))
    return xs[k]


def load_test(port: int, clients: int, seconds: float, runs: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    start_gate = threading.Barrier(clients)

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        seed = k * 100_000
        start_gate.wait()
        while time.monotonic() < stop:
            seed += 1
            body = json.dumps({"scenario": MUSCAT, "models": "compromise", "runs": runs,
                               "seed": seed})  # fmt: skip
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/forecast", body, {"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                dt_ = time.perf_counter() - t0
                ok = r.status == 200 and json.loads(data)["draws"] == runs
                with lock:
                    (latencies.append(dt_) if ok else errors.append(f"status {r.status}"))
            except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "runs_per_request": runs,
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "requests_per_second": round(len(latencies) / wall, 2),
        "latency_s": {
            "p50": round(percentile(latencies, 0.5), 3),
            "p95": round(percentile(latencies, 0.95), 3),
            "p99": round(percentile(latencies, 0.99), 3),
            "max": round(max(latencies), 3) if latencies else None,
        },
    }


def slider_test(port: int, moves: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.test_report_browser import _chromium

    path = _chromium()
    if path is None:
        return {"skipped": "no Chromium"}
    request_ms, input_ms = [], []
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu",
                                                           "--disable-background-networking"])  # fmt: skip
        page = b.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/scenarios/{MUSCAT}/forecast?runs=1000&seed=1")
        page.wait_for_selector("html[data-ready='1']")
        slider = "actors.us.outside_option.value"
        for k in range(moves):
            value = 5 + (k * 37) % 90
            took = page.evaluate(
                """([name, value]) => new Promise(done => {
                    const panel = document.getElementById('whatif');
                    const el = document.querySelector(`input[name='${name}']`);
                    const t0 = performance.now();
                    panel.addEventListener('whatif:rendered', e => done({
                        request: e.detail.ms, input: performance.now() - t0}), {once: true});
                    el.value = value; el.dispatchEvent(new Event('input', {bubbles: true}));
                })""",
                [slider, value],
            )
            request_ms.append(took["request"])
            input_ms.append(took["input"])
        b.close()
    return {
        "moves": moves,
        "request_to_chart_ms": {"p50": round(statistics.median(request_ms)),
                                "p95": round(percentile(request_ms, 0.95)),
                                "max": round(max(request_ms))},
        "input_to_chart_ms": {"p50": round(statistics.median(input_ms)),
                              "p95": round(percentile(input_ms, 0.95)),
                              "max": round(max(input_ms))},
        "draws": 1000,
        "model": "compromise",
    }  # fmt: skip


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--moves", type=int, default=12)
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    import tempfile

    before = machine()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc = start_server(port, Path(tmp))
        try:
            # warm up: first imports, first forecast
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            c.request("POST", "/api/forecast", json.dumps({"runs": args.runs, "seed": 1}),
                      {"Content-Type": "application/json"})  # fmt: skip
            c.getresponse().read()
            c.close()
            load = load_test(port, args.clients, args.seconds, args.runs)
            mid = machine()["loadavg"]
            slider = slider_test(port, args.moves)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    out = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": before,
        "loadavg_after_load": mid,
        "loadavg_after": machine()["loadavg"],
        "load": load,
        "slider": slider,
    }
    print(json.dumps(out, indent=2))
    if args.write:
        args.write.with_suffix(".json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
