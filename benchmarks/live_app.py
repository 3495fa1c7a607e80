"""Live-view benchmark: the app in headless Chromium, playing the default run.

    python benchmarks/live_app.py [--seconds 10] [--runs 3] [--json]

Starts `streamlit run app.py` on a free local port, opens it in Chromium
(Playwright, /usr/bin/chromium), waits for the first charts, presses Play and for
`--seconds` samples the page every 100 ms. Reports, as medians over the runs:

- updates/s: frames the live element finished drawing per second (its own counter,
  `window.nnvizLive.frames`, bumped when every Plotly.react of a frame resolved);
- visible: fraction of sampled moments at which every chart had a drawn plot of
  non-zero size on screen;
- lag: time from the server sending a frame to the browser finishing drawing it;
- server CPU per update: the server process's CPU time (/proc) per frame it sent;
- first charts: seconds from opening the page to every chart drawn, in a fresh browser
  profile (nothing cached: someone opening a shared link), and again in the same profile
  (first_charts_warm_s: plotly.js and Streamlit's scripts from the browser's cache);
- server updates/s (frames sent) and the 1-minute load average, for context.
Targets: >= 8 updates/s, visible 100%, lag < 0.5 s, CPU < 20 ms, first charts < 3 s.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TARGETS = {"updates_per_s": (">=", 8.0), "visible": (">=", 1.0), "lag_s": ("<", 0.5),
           "server_cpu_ms_per_update": ("<", 20.0), "first_charts_s": ("<", 3.0)}

# Every chart of the live element has a drawn, non-empty plot inside the viewport.
VISIBLE_JS = """() => {
  const boxes = [...document.querySelectorAll('.nnviz-chart')];
  if (!boxes.length) return false;
  return boxes.every(b => {
    const svg = b.querySelector('.nnviz-main .main-svg');
    if (!svg) return false;
    const r = svg.getBoundingClientRect();
    const cs = getComputedStyle(b);
    return r.width > 10 && r.height > 10 && cs.visibility !== 'hidden' && cs.display !== 'none';
  });
}"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port):
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the app exited: " + proc.stderr.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.read().decode().strip() == "ok":
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the app did not answer /_stcore/health within 60 s")


def cpu_seconds(pid):
    """User + system CPU seconds of a process (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_charts(page, url):
    """Seconds from opening `url` to every chart drawn."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function(f"() => window.nnvizLive && ({VISIBLE_JS})()", timeout=60_000,
                           polling=20)
    return time.perf_counter() - t0


def one_run(page_factory, url, pid, seconds):
    page = page_factory()
    first = first_charts(page, url)
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => window.nnvizLive.lastSeq > 3", timeout=30_000)
    time.sleep(1.0)                        # warm up
    stats = "() => ({f: window.nnvizLive.frames, seq: window.nnvizLive.lastSeq," \
            " n: window.nnvizLive.lagMs.length})"
    s0, c0, w0 = page.evaluate(stats), cpu_seconds(pid), time.perf_counter()
    samples = []
    while time.perf_counter() - w0 < seconds:
        samples.append(page.evaluate(VISIBLE_JS))
        time.sleep(0.1)
    s1, c1, w1 = page.evaluate(stats), cpu_seconds(pid), time.perf_counter()
    lags = page.evaluate("() => window.nnvizLive.lagMs.slice()")
    new_lags = lags[-max(1, s1["n"] - s0["n"]):] if s1["n"] > s0["n"] else lags[-1:]
    page.get_by_role("button", name="Pause").click()
    sent = max(1, s1["seq"] - s0["seq"])
    result = {
        "load_average": os.getloadavg()[0],
        "updates_per_s": (s1["f"] - s0["f"]) / (w1 - w0),
        "visible": sum(samples) / max(1, len(samples)),
        "lag_s": statistics.median(new_lags) / 1000 if new_lags else float("nan"),
        "server_cpu_ms_per_update": 1000 * (c1 - c0) / sent,
        "server_updates_per_s": sent / (w1 - w0),
        "first_charts_s": first,
    }
    page.close()
    warm = page_factory()
    result["first_charts_warm_s"] = first_charts(warm, url)
    warm.close()
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--screenshot", default=str(ROOT / "artifacts" / "live_app.png"))
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        ap.error(f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}/"
    runs = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for i in range(args.runs):
                # a fresh profile per run: the first page load finds nothing cached
                context = browser.new_context(viewport={"width": 1600, "height": 1000})
                runs.append(one_run(context.new_page, url, server.pid, args.seconds))
                context.close()
                if not args.json:
                    print(f"run {i + 1}: " + ", ".join(f"{k} {v:.3g}" for k, v in runs[-1].items()))
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            page = context.new_page()
            page.goto(url)
            page.wait_for_function(f"() => window.nnvizLive && ({VISIBLE_JS})()", timeout=60_000)
            Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=args.screenshot)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    passed = {k: (medians[k] >= v if op == ">=" else medians[k] < v)
              for k, (op, v) in TARGETS.items()}
    out = {"medians": medians, "runs": runs, "targets_met": passed,
           "seconds": args.seconds, "screenshot": args.screenshot}
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in medians.items():
            if k in TARGETS:
                op, target = TARGETS[k]
                print(f"{k:28s} {v:8.3g}   target {op} {target:g}   "
                      f"{'ok' if passed[k] else 'MISSED'}")
            else:
                print(f"{k:28s} {v:8.3g}")
        print(f"screenshot: {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
