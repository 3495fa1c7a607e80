"""Live-view benchmark: the app in headless Chromium, playing, measured from outside.

    python benchmarks/live_app.py [--seconds 8] [--runs 3] [--speeds 1,5,500] [--json]

Starts `streamlit run app.py` on a free local port and opens it in Chromium
(Playwright, /usr/bin/chromium) at 1280x800. For each run and each speed (steps per
frame) it presses Play and, for `--seconds`, records:

- what reaches the screen: the DevTools screencast (Page.startScreencast, every
  painted frame) cropped to the decision-boundary chart and hashed; a frame counts
  when its crop differs from the one before. Frames per second, and the gaps between
  them (median and 90th percentile, ms);
- the page's own counter of frames shown (window.nnvizLive), for comparison;
- bytes on the websocket per frame shown (CDP Network.webSocketFrameReceived);
- server CPU per frame shown: the server's utime + stime (/proc) over the window;
- Pause: the time from the click until the boundary stops changing on screen;
- first charts: seconds from opening the page to every chart drawn, in a fresh
  browser profile (nothing cached), and again in the same profile.
Medians over the runs; the 1-minute load average is reported with them.
Targets (default preset): >= 30 frames/s on screen, 90% of gaps < 50 ms, <= 3 ms of
server CPU and <= 10 kB on the websocket per frame, Pause still within 0.3 s, first
charts within 2 s.
"""

import argparse
import base64
import contextlib
import hashlib
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
TARGETS = {"screen_fps": (">=", 30.0), "gap_p90_ms": ("<", 50.0),
           "server_cpu_ms_per_frame": ("<=", 3.0), "ws_kb_per_frame": ("<=", 10.0),
           "pause_still_s": ("<=", 0.3), "first_charts_s": ("<=", 2.0)}

CHARTS_DRAWN = """() => {
  const boxes = [...document.querySelectorAll('.nnviz-chart')];
  return boxes.length >= 3 && boxes.every(b => b.dataset.step !== undefined &&
    b.getBoundingClientRect().width > 100 && b.getBoundingClientRect().height > 100);
}"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(port):
    """`streamlit run app.py` on `port`, its output in a temporary file (a pipe nobody
    reads would fill and stall the server); stopped and its file closed on leaving."""
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_healthy(proc, port, log)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_healthy(proc, port, log):
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError("the app exited: " + log.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.2)
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
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling=20)
    return time.perf_counter() - t0


class Screen:
    """The DevTools screencast of a page, each frame cropped to one element and hashed:
    changes = [(seconds, digest)] of the frames whose crop differs from the last.

    A frame is acknowledged at once and kept as it came; the cropping and hashing wait
    until `changes` is read, so the screencast is never held up by this process."""

    def __init__(self, page, selector):
        from PIL import Image

        self.image = Image
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.box = page.locator(selector).bounding_box()
        self._changes, self._pending, self.painted, self.ws_bytes = [], [], 0, 0
        self.recording = False
        self.cdp.on("Page.screencastFrame", self._frame)
        self.cdp.on("Network.webSocketFrameReceived", self._ws)
        self.cdp.send("Network.enable")
        # Half size: a change of the chart still shows, and encoding every frame costs
        # the browser a quarter as much (it shares the cores with the page it films).
        self.cdp.send("Page.startScreencast", {
            "format": "jpeg", "quality": 60, "everyNthFrame": 1,
            "maxWidth": VIEWPORT["width"] // 2, "maxHeight": VIEWPORT["height"] // 2})

    def _ws(self, event):
        if self.recording:
            data = event["response"]["payloadData"]
            opcode = event["response"].get("opcode", 1)
            self.ws_bytes += len(data) * 3 // 4 if opcode == 2 else len(data.encode())

    def _frame(self, event):
        self.cdp.send("Page.screencastFrameAck", {"sessionId": event["sessionId"]})
        self._pending.append((event["metadata"], event["data"]))
        self.painted += 1

    def _digest(self, meta, data):
        img = self.image.open(io.BytesIO(base64.b64decode(data)))
        scale = img.width / meta["deviceWidth"]
        b = self.box
        top = meta.get("offsetTop", 0)
        crop = img.crop((int(b["x"] * scale), int((b["y"] + top) * scale),
                         int((b["x"] + b["width"]) * scale),
                         int((b["y"] + top + b["height"]) * scale)))
        return hashlib.sha1(crop.tobytes()).digest()

    @property
    def changes(self):
        pending, self._pending = self._pending, []
        for meta, data in pending:
            digest = self._digest(meta, data)
            if not self._changes or self._changes[-1][1] != digest:
                self._changes.append((meta["timestamp"], digest))
        return self._changes

    def stop(self):
        self.cdp.send("Page.stopScreencast")


def playing(page, pid, seconds, speed):
    """Frames on screen, their pacing, bytes and server CPU while playing at `speed`
    steps per frame, then how long the picture takes to still after Pause."""
    set_speed(page, speed)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => window.nnvizLive.frames > 10", timeout=60_000)
    page.wait_for_timeout(1500)                          # warm up
    screen = Screen(page, '.nnviz-chart[data-chart="boundary"]')
    page.wait_for_timeout(300)      # (waits through Playwright, so its events are handled)
    screen.recording = True
    shown0, c0, t0 = page.evaluate("window.nnvizLive.frames"), cpu_seconds(pid), time.time()
    n0, p0 = len(screen.changes), screen.painted
    page.wait_for_timeout(1000 * seconds)
    screen.recording = False
    shown1, c1, t1 = page.evaluate("window.nnvizLive.frames"), cpu_seconds(pid), time.time()
    changes, painted = screen.changes[n0:], screen.painted - p0
    page.get_by_role("button", name="Pause").click()
    clicked = time.time()
    page.wait_for_timeout(1500)
    after = [t for t, _ in screen.changes if t >= clicked - 0.05]
    screen.stop()
    page.get_by_role("button", name="Play", exact=True).wait_for()
    gaps = sorted(1000 * (b[0] - a[0]) for a, b in zip(changes, changes[1:], strict=False))
    frames = max(1, len(changes))
    return {
        "screen_fps": len(changes) / (t1 - t0),
        "gap_median_ms": statistics.median(gaps) if gaps else float("nan"),
        "gap_p90_ms": gaps[int(0.9 * len(gaps))] if gaps else float("nan"),
        "page_fps": (shown1 - shown0) / (t1 - t0),
        "painted_fps": painted / (t1 - t0),
        "server_cpu_ms_per_frame": 1000 * (c1 - c0) / frames,
        "ws_kb_per_frame": screen.ws_bytes / 1024 / frames,
        "pause_still_s": max(0.0, (max(after) if after else clicked) - clicked),
    }


def set_speed(page, speed):
    """Move the speed slider (steps per frame) to `speed` with the keyboard."""
    from nnviz.ui.live import SPEEDS
    slider = page.get_by_role("slider").last
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(SPEEDS.index(speed)):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(800)


def one_run(browser, url, pid, seconds, speeds):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    result = {"first_charts_s": first_charts(page, url)}
    for speed in speeds:
        for k, v in playing(page, pid, seconds, speed).items():
            result[f"{k}@{speed}"] = v
    page.close()
    warm = context.new_page()
    result["first_charts_warm_s"] = first_charts(warm, url)
    context.close()
    result["load_average"] = os.getloadavg()[0]
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--speeds", default="1,5,500", help="steps per frame, comma-separated")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        ap.error(f"needs Chromium at {CHROMIUM}")
    sys.path.insert(0, str(ROOT))
    speeds = [int(s) for s in args.speeds.split(",")]
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    runs = []
    with app_server(port) as server:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for i in range(args.runs):
                runs.append(one_run(browser, url, server.pid, args.seconds, speeds))
                if not args.json:
                    print(f"run {i + 1}: " + ", ".join(f"{k} {v:.3g}"
                                                     for k, v in runs[-1].items()))
            browser.close()
    medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    checks = {}
    for key, value in medians.items():
        target = TARGETS.get(key.split("@")[0])
        if target is not None:
            op, limit = target
            checks[key] = {">=": value >= limit, "<": value < limit, "<=": value <= limit}[op]
    if args.json:
        print(json.dumps({"medians": medians, "runs": runs, "targets_met": checks}))
    else:
        for key, value in medians.items():
            target = TARGETS.get(key.split("@")[0])
            mark = "" if key not in checks else \
                f"   target {target[0]} {target[1]:g}   {'ok' if checks[key] else 'MISSED'}"
            print(f"{key:32s} {value:9.3g}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
