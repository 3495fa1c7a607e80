"""Hosting: is one nnviz server safe for strangers? Measured from outside the app.

    python benchmarks/hosting.py [--quick] [--seconds 8] [--sessions 30] [--settle 60] [--json]

Starts `streamlit run app.py` and Chromium as benchmarks/live_app.py does, and reads
only what someone outside the app can see: the server process's /proc (VmRSS, VmHWM,
utime + stime) and the pixels of the pages (live_app's screencast of the boundary).
Every visitor is a browser context of its own (no cookies, nothing cached), as
strangers are.

  a. the server's memory at start, after the first page has loaded;
  b. viewer A plays the default page at 1280x800: boundary frames a second on screen,
     alone, and the server's CPU per frame;
  c. visitor B opens HEAVY (the largest run the limits allow) and presses Play:
     seconds until B's charts and its note are on screen; A's frames a second while
     B plays (target: at least half of alone) and in its worst second since B came;
     the server's peak memory (VmRSS every 0.2 s, and VmHWM; target: under 3 GB);
  d. A pauses, then B's tab closes: the server's CPU in the seconds after (target:
     idle after about a second) and its memory `--settle` seconds later (target:
     within 300 MB of a), with the time it took to settle;
  e. `--sessions` pages of the default run opened one after another, each until its
     charts are drawn, and closed: the server's memory before and `--settle` s after.

The machine's 1-minute load average is printed with the numbers: the checker, the
browser and the server share its cores.
"""

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import live_app  # noqa: E402 - the server, browser and screencast of the live benchmark

HEAVY = "?ds=xor&n=100000&hidden=512,512,512,512,512,512&bs=100000"
BOUNDARY = '.nnviz-chart[data-chart="boundary"]'
NOTE = ".nnviz-note"
STATUS = ".nnviz-status"
MB = 1e6
SAMPLE_SECONDS = 0.2        # how often the server's memory is read
CPU_STEP = 0.25             # s: the CPU after B's tab closes, in steps of this
IDLE_CORES = 0.05           # a server below this is doing nothing
SETTLED_MB = 10             # memory within this of its final value has settled

TARGETS = {"a_fps_share": (">=", 0.5), "peak_mb": ("<", 3000.0), "hwm_mb": ("<", 3000.0),
           "cores_after_1s": ("<", IDLE_CORES), "after_b_growth_mb": ("<", 300.0),
           "after_sessions_growth_mb": ("<", 100.0)}


# --- the server, from /proc ---------------------------------------------------------

def memory(pid):
    """{"rss": resident memory now, "hwm": its peak so far}, in MB (/proc/PID/status)."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key[2:].lower()] = int(rest.split()[0]) * 1024 / MB
    return values


class Memory:
    """The server's resident memory every SAMPLE_SECONDS, read on a thread of its own:
    `samples` = [(time.time(), MB)]."""

    def __init__(self, pid):
        self.pid = pid
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory", daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                self.samples.append((time.time(), memory(self.pid)["rss"]))
            except OSError:             # the server is gone
                return
            self._stop.wait(SAMPLE_SECONDS)

    def peak(self, since=0.0, until=float("inf")):
        return max(mb for t, mb in self.samples if since <= t <= until)

    def settled(self, since, final):
        """Seconds after `since` from which the memory stayed within SETTLED_MB of `final`."""
        after = [(t, mb) for t, mb in self.samples if t >= since]
        last_out = max((t for t, mb in after if abs(mb - final) > SETTLED_MB), default=since)
        return last_out - since

    def stop(self):
        self._stop.set()
        self._thread.join()


def cores_after(pid, since, seconds):
    """Cores the server kept busy in each CPU_STEP from `since` for `seconds`
    (utime + stime from /proc; clock ticks of 10 ms make each step coarse)."""
    marks = []
    for i in range(round(seconds / CPU_STEP) + 1):
        time.sleep(max(0.0, since + i * CPU_STEP - time.time()))
        marks.append(live_app.cpu_seconds(pid))
    return [(b - a) / CPU_STEP for a, b in zip(marks, marks[1:], strict=False)]


# --- visitors, in Chromium ----------------------------------------------------------

def visit(browser, url):
    """A stranger (a browser context of its own) opening `url`: (page, seconds until
    every chart is drawn)."""
    page = browser.new_context(viewport=live_app.VIEWPORT).new_page()
    page.set_default_timeout(60_000)
    return page, live_app.first_charts(page, url)


def heavy_visit(browser, url):
    """B opens the heavy link: (page, seconds until its charts and a note are shown,
    the note's text)."""
    t0 = time.perf_counter()
    page, _ = visit(browser, url + HEAVY)
    note = page.locator(NOTE).first
    note.wait_for()
    return page, time.perf_counter() - t0, note.inner_text()


def press(page, name):
    """Press Play or Pause and wait until the page shows the other one."""
    page.get_by_role("button", name=name, exact=True).click()
    other = "Pause" if name == "Play" else "Play"
    # .first: while the page reruns, the old button may stand beside the new one
    page.get_by_role("button", name=other, exact=True).first.wait_for()


def status(page):
    """The line over the charts (what the run or the server is doing), or ""."""
    line = page.locator(STATUS)
    return line.inner_text().strip() if line.count() and line.is_visible() else ""


def shown(screen, t0, t1):
    """Times of the boundary frames `screen` saw change between t0 and t1 (time.time())."""
    return [t for t, _ in screen.changes if t0 <= t <= t1]


def worst_second(screen, t0, t1):
    """The fewest frames shown in any whole second between t0 and t1."""
    times = shown(screen, t0, t1)
    return min(sum(1 for t in times if t0 + i <= t < t0 + i + 1)
               for i in range(max(1, int(t1 - t0))))


def frames_on_screen(page, seconds, screen=None):
    """Boundary frames a second on `page`'s screen over the next `seconds` (live_app's
    screencast: a frame counts when the chart's pixels change)."""
    own = screen is None
    screen = live_app.Screen(page, BOUNDARY) if own else screen
    page.wait_for_timeout(300)          # Playwright's waits let the screencast's events in
    t0 = time.time()
    page.wait_for_timeout(1000 * seconds)
    t1 = time.time()
    if own:
        screen.stop()
    return len(shown(screen, t0, t1)) / (t1 - t0)


def play_and_warm(page):
    """Press Play and let the live view run for a while before anything is measured."""
    press(page, "Play")
    page.wait_for_function("() => window.nnvizLive.frames > 10", timeout=60_000)
    page.wait_for_timeout(1500)


def strangers(browser, url, n):
    """`n` strangers one after another, each opening `url` until its charts are drawn
    and closing its tab. Returns the seconds each took to its charts."""
    took = []
    for _ in range(n):
        page, seconds = visit(browser, url)
        page.context.close()
        took.append(seconds)
    return took


def wait_settled(mem, since, seconds):
    """Wait until `seconds` after `since`: (the memory then, seconds it took to settle)."""
    time.sleep(max(0.0, since + seconds - time.time()))
    final = memory(mem.pid)["rss"]
    return final, mem.settled(since, final)


# --- one measurement ----------------------------------------------------------------

def measure(browser, url, pid, seconds=8.0, settle=60.0, sessions=30, log=None):
    """Steps a to e against the server `pid` at `url`; a dict of the numbers."""
    say = log or (lambda text: None)
    mem = Memory(pid)
    r = {}
    try:
        a, r["a_first_charts_s"] = visit(browser, url)
        r["start_mb"] = memory(pid)["rss"]
        say(f"a. start: {r['start_mb']:.0f} MB")

        play_and_warm(a)
        c0, t0 = live_app.cpu_seconds(pid), time.time()
        r["a_fps_alone"] = frames_on_screen(a, seconds)
        cpu = live_app.cpu_seconds(pid) - c0
        r["cpu_ms_per_frame"] = 1000 * cpu / max(1.0, r["a_fps_alone"] * (time.time() - t0))
        say(f"b. A alone: {r['a_fps_alone']:.1f} frames/s")

        screen = live_app.Screen(a, BOUNDARY)          # A's screen from B's arrival on
        b_from = time.time()
        b, r["b_charts_and_note_s"], r["b_note"] = heavy_visit(browser, url)
        press(b, "Play")
        a.wait_for_timeout(1000)
        r["a_fps_with_b"] = frames_on_screen(a, seconds, screen)
        r["a_worst_second_with_b"] = worst_second(screen, b_from, time.time())
        screen.stop()
        r["a_fps_share"] = r["a_fps_with_b"] / r["a_fps_alone"]
        r["b_status"] = status(b)
        say(f"c. B shown in {r['b_charts_and_note_s']:.1f} s; A with B: "
            f"{r['a_fps_with_b']:.1f} frames/s; B: {r['b_status']}")

        press(a, "Pause")
        b.wait_for_timeout(2000)
        r["cores_b_alone"] = cores_after(pid, time.time(), 2.0)
        r["cores_b_alone"] = sum(r["cores_b_alone"]) / len(r["cores_b_alone"])
        closed = time.time()
        b.context.close()
        cores = cores_after(pid, closed, 3.0)
        per_second = round(1 / CPU_STEP)
        r["cores_first_s"] = sum(cores[:per_second]) / per_second
        r["cores_after_1s"] = sum(cores[per_second:]) / len(cores[per_second:])
        r["peak_mb"] = mem.peak(b_from, time.time())
        r["hwm_mb"] = memory(pid)["hwm"]
        r["after_b_mb"], r["after_b_settled_s"] = wait_settled(mem, closed, settle)
        r["after_b_growth_mb"] = r["after_b_mb"] - r["start_mb"]
        say(f"d. B closed: {r['cores_first_s']:.2f} cores in the first second, "
            f"{r['cores_after_1s']:.2f} after; {r['after_b_mb']:.0f} MB {settle:g} s later")

        r["before_sessions_mb"], came = memory(pid)["rss"], time.time()
        took = strangers(browser, url, sessions)
        done = time.time()
        r["sessions"] = sessions
        r["sessions_first_charts_s"] = sorted(took)[len(took) // 2]
        r["sessions_peak_mb"] = mem.peak(came, done)
        r["after_sessions_mb"], r["after_sessions_settled_s"] = wait_settled(mem, done, settle)
        r["after_sessions_growth_mb"] = r["after_sessions_mb"] - r["before_sessions_mb"]
        say(f"e. {sessions} sessions: {r['before_sessions_mb']:.0f} -> "
            f"{r['after_sessions_mb']:.0f} MB")
        a.context.close()
    finally:
        mem.stop()
    r["settle_s"] = settle
    r["load_average"] = os.getloadavg()[0]
    return r


def targets_met(r):
    ops = {">=": lambda v, limit: v >= limit, "<": lambda v, limit: v < limit}
    return {key: ops[op](r[key], limit) for key, (op, limit) in TARGETS.items() if key in r}


# --- report ----------------------------------------------------------------------------

ROWS = [
    ("a", "server memory at start (after the first page)", "start_mb", "{:.0f} MB"),
    ("b", "A's first charts (fresh browser profile)", "a_first_charts_s", "{:.1f} s"),
    ("b", "A alone: boundary frames/s on screen", "a_fps_alone", "{:.1f}"),
    ("b", "server CPU per frame on screen", "cpu_ms_per_frame", "{:.1f} ms"),
    ("c", "B's charts and note on screen after", "b_charts_and_note_s", "{:.1f} s"),
    ("c", "A while B plays: frames/s on screen", "a_fps_with_b", "{:.1f}"),
    ("c", "A while B plays, share of alone", "a_fps_share", "{:.2f}"),
    ("c", "A's worst second from B's arrival on", "a_worst_second_with_b", "{} frames"),
    ("c", "server peak memory while B is there (0.2 s samples)", "peak_mb", "{:.0f} MB"),
    ("c", "server VmHWM", "hwm_mb", "{:.0f} MB"),
    ("d", "server CPU with B alone playing", "cores_b_alone", "{:.2f} cores"),
    ("d", "server CPU in the first second after B closes", "cores_first_s", "{:.2f} cores"),
    ("d", "server CPU 1-3 s after B closes", "cores_after_1s", "{:.2f} cores"),
    ("d", "memory settled after B closed, after", "after_b_settled_s", "{:.0f} s"),
    ("d", "server memory after B, the settle time later", "after_b_mb", "{:.0f} MB"),
    ("d", "  growth since a", "after_b_growth_mb", "{:+.0f} MB"),
    ("e", "sessions opened and closed", "sessions", "{}"),
    ("e", "their first charts, median", "sessions_first_charts_s", "{:.1f} s"),
    ("e", "server memory before them", "before_sessions_mb", "{:.0f} MB"),
    ("e", "server peak memory meanwhile", "sessions_peak_mb", "{:.0f} MB"),
    ("e", "memory settled after the last closed, after", "after_sessions_settled_s",
     "{:.0f} s"),
    ("e", "server memory the settle time after", "after_sessions_mb", "{:.0f} MB"),
    ("e", "  growth", "after_sessions_growth_mb", "{:+.0f} MB"),
]


def table(r):
    met = targets_met(r)
    lines = [f"{'':2s}{'measure':55s}{'value':>14s}   target"]
    for step, title, key, fmt in ROWS:
        target = TARGETS.get(key)
        mark = "" if target is None else \
            f"   {target[0]} {target[1]:g}  {'ok' if met[key] else 'MISSED'}"
        lines.append(f"{step:2s}{title:55s}{fmt.format(r[key]):>14s}{mark}")
    lines.append(f"B's note: {r['b_note']}")
    lines.append(f"B's status while playing: {r['b_status'] or '(none)'}")
    lines.append(f"settle time {r['settle_s']:g} s; load average (1 min) "
                 f"{r['load_average']:.2f} on {os.cpu_count()} cores")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="4 s windows, 10 sessions, 20 s to settle")
    ap.add_argument("--seconds", type=float, default=8.0, help="each frames/s window (s)")
    ap.add_argument("--sessions", type=int, default=30, help="sessions opened and closed (e)")
    ap.add_argument("--settle", type=float, default=60.0,
                    help="seconds after a close before memory is read")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if not os.path.exists(live_app.CHROMIUM):
        ap.error(f"needs Chromium at {live_app.CHROMIUM}")
    if args.seconds <= 0 or args.sessions < 1 or args.settle < 0:
        ap.error("--seconds must be above 0, --sessions at least 1, --settle 0 or more")
    if args.quick:
        args.seconds, args.sessions, args.settle = 4.0, 10, 20.0
    from playwright.sync_api import sync_playwright

    port = live_app.free_port()
    with live_app.app_server(port) as server:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=live_app.CHROMIUM,
                                        args=live_app.CHROMIUM_ARGS)
            log = None if args.json else (lambda text: print(text, file=sys.stderr, flush=True))
            r = measure(browser, f"http://127.0.0.1:{port}/", server.pid, args.seconds,
                        args.settle, args.sessions, log)
            browser.close()
    if args.json:
        print(json.dumps({**r, "targets_met": targets_met(r)}))
    else:
        print(table(r))
    return 0 if all(targets_met(r).values()) else 1


if __name__ == "__main__":
    sys.exit(main())
