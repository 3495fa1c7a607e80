"""Capacity: many viewers playing at once, each a websocket client instead of a browser.

    python benchmarks/load.py [--quick] [--sessions 1,5,10,20,40] [--seconds 20]
                              [--targets process,cluster] [--replicas 2] [--json]

A viewer speaks Streamlit's own protocol (streamlit.proto BackMsg / ForwardMsg over
the /_stcore/stream websocket, subprotocol "streamlit"): it GETs the page (keeping
the load balancer's affinity cookie), opens the websocket, runs the script, finds the
Play button in the deltas and clicks it (a rerun with the button's trigger value),
then times the live fragment the way the browser does: when the server sends
`auto_rerun` (interval, fragment id) it asks for a fragment rerun every interval; a
tick that comes while a run is still going is merged into one rerun sent when it ends
(the server merges the browser's queued ticks the same way). It counts the payloads of
the live charts element (components v2, "nnviz_live_charts") and the frames in them.

For each K playing viewers, against one `streamlit run app.py` process and against
`deploy/local`'s cluster (HAProxy and --replicas processes), it reports:
- frames/s per viewer, median, minimum and maximum over the viewers; viewers whose
  websocket closed or whose page showed an exception (dropped); the status lines
  their pages show over the charts (e.g. that the server is busy);
- server CPU per frame: user+system time of the app processes (/proc) over the
  window, divided by the frames the viewers received;
- memory per viewer: growth of the app processes' resident memory from before the
  viewers connected (after one warm-up viewer per process) to the end, divided by K;
- websocket bytes per frame, everything the viewers received over the window.
The load generator shares the machine's cores with the server: its own CPU is shown.
"""

import argparse
import asyncio
import http.cookiejar
import importlib.machinery
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from nnviz.viz import wire  # noqa: E402 - the app's own decoder, from this checkout

LIVE_ELEMENT = "nnviz_live_charts"
PLAY, PAUSE = "Play", "Pause"
TOGGLE = {PLAY: PAUSE, PAUSE: PLAY}
SESSIONS = (1, 5, 10, 20, 40)
QUICK_SESSIONS = (1, 5)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def frames_in(payload):
    """Frames in one payload of the live element (bytes as sent to the browser: a
    message of nnviz.viz.wire holding the frames trained since the last one)."""
    return read_live(payload)[0]


def read_live(payload):
    """(frames, status) of one payload of the live element: the status is the line the
    page shows over the charts ("" for none)."""
    message = wire.unpack(payload)
    return len(message.get("frames", [])), message.get("status", "")


def deploy_local():
    """deploy/local (a script without .py) as a module: `cluster()`, `start_replica()`."""
    name = "nnviz_deploy_local"
    if name not in sys.modules:
        loader = importlib.machinery.SourceFileLoader(name, str(ROOT / "deploy" / "local"))
        module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
        sys.modules[name] = module
        loader.exec_module(module)
    return sys.modules[name]


# --- one viewer ---------------------------------------------------------------------

class Viewer:
    """One browser tab, as far as the server can tell.

    `await v.open(url)`, `await v.click("Play")`, then `v.frames`, `v.payloads`,
    `v.bytes` grow while the live view plays; `await v.close()`."""

    def __init__(self, name="viewer"):
        self.name = name
        self.frames = 0             # frames in the live element's payloads
        self.payloads = 0           # payloads of the live element
        self.bytes = 0              # every websocket message received
        self.status = ""            # the line over the charts, as last sent
        self.buttons = {}           # label -> widget id, as last drawn
        self.query = ""             # the page's query string (the app rewrites it)
        self.page_hash = ""
        self.runs_finished = 0
        self.interval = None        # s: the live fragment's run_every, once playing
        self.errors = []
        self._ws = None
        self._reader = None
        self._timers = {}           # fragment id -> (interval, task)
        self._running = False       # a rerun was sent and has not finished
        self._pending = None        # fragment id of a tick that came during a run

    async def open(self, url, query=""):
        """GET the page like a browser (cookies kept), open the websocket, run the script."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = url + (f"?{query}" if query else "")
        await asyncio.to_thread(lambda: opener.open(page, timeout=30).read())
        cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
        parts = urllib.parse.urlsplit(url)
        ws_url = urllib.parse.urlunsplit(("ws", parts.netloc, parts.path + "_stcore/stream",
                                          "", ""))
        headers = {"Cookie": cookies} if cookies else {}
        self._ws = await websockets.connect(ws_url, subprotocols=["streamlit"],
                                            origin=f"{parts.scheme}://{parts.netloc}",
                                            additional_headers=headers, max_size=None,
                                            open_timeout=30)
        self.query = query
        self._reader = asyncio.create_task(self._read(), name=f"{self.name}-read")
        await self._rerun()

    async def click(self, label, timeout=60.0):
        """Click the button labelled `label` once it is on the page."""
        deadline = time.monotonic() + timeout
        while label not in self.buttons or self._running:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: no {label!r} button within {timeout:.0f} s")
            self._check()
            await asyncio.sleep(0.05)
        await self._rerun(trigger=self.buttons[label])

    async def wait_frames(self, n, timeout=60.0):
        deadline = time.monotonic() + timeout
        while self.frames < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: {self.frames} frames, not {n}, "
                                   f"within {timeout:.0f} s")
            self._check()
            await asyncio.sleep(0.05)

    @property
    def connected(self):
        """True while the websocket is open and the page has shown no exception."""
        return (self._reader is not None and not self._reader.done()) and not self.errors

    async def close(self):
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()

    def _check(self):
        if self.errors:
            raise RuntimeError(f"{self.name}: {self.errors[0]}")
        if self._reader is not None and self._reader.done() and not self._reader.cancelled():
            raise RuntimeError(f"{self.name}: the websocket closed")

    async def _rerun(self, trigger=None, fragment_id=None):
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        if trigger is not None:
            widget = state.widget_states.widgets.add()
            widget.id = trigger
            widget.trigger_value = True
        if fragment_id is not None:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        self._running = True
        await self._ws.send(msg.SerializeToString())

    async def _tick(self, fragment_id, interval):
        """The browser's timer for a fragment with run_every."""
        while True:
            await asyncio.sleep(interval)
            if self._running:
                self._pending = fragment_id
            else:
                await self._rerun(fragment_id=fragment_id)

    async def _read(self):
        async for raw in self._ws:
            self.bytes += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            await self._on(msg)

    async def _on(self, msg):
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            if not msg.metadata.run.fragment_ids:   # a full run: its fragments start over
                for fid in list(self._timers):
                    self._stop_timer(fid)
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "button":
                label = element.button.label
                self.buttons[label] = element.button.id
                if label in TOGGLE:             # Play and Pause take turns in one place
                    self.buttons.pop(TOGGLE[label], None)
            elif which == "bidi_component" and element.bidi_component.component_name \
                    == LIVE_ELEMENT and element.bidi_component.bytes:
                frames, self.status = read_live(element.bidi_component.bytes)
                self.payloads += 1
                self.frames += frames
            elif which == "exception":
                self.errors.append(element.exception.message)
        elif kind == "auto_rerun":
            fid, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            self.interval = interval
            if self._timers.get(fid, (None,))[0] != interval:
                self._stop_timer(fid)
                self._timers[fid] = (interval, asyncio.create_task(self._tick(fid, interval)))
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self._stop_timer(fid)
        elif kind == "script_finished":
            self.runs_finished += 1
            self._running = False
            if self._pending is not None:
                fid, self._pending = self._pending, None
                if fid in self._timers:
                    await self._rerun(fragment_id=fid)

    def _stop_timer(self, fid):
        entry = self._timers.pop(fid, None)
        if entry is not None:
            entry[1].cancel()


# --- the server side --------------------------------------------------------------------

def cpu_seconds(pids):
    """User + system CPU seconds of processes (Linux /proc)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def rss_bytes(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/statm") as f:
            total += int(f.read().split()[1]) * PAGE_SIZE
    return total


@dataclass
class Target:
    """Where the viewers connect, the app processes to measure, their own URLs (for the
    warm-up), and any proxy process (measured apart)."""

    name: str
    url: str
    app_pids: list
    direct_urls: list
    proxy_pids: list = field(default_factory=list)


@contextmanager
def one_process(env=None):
    """One `streamlit run app.py`, as deploy/local starts each replica."""
    local = deploy_local()
    with tempfile.TemporaryDirectory(prefix="nnviz-load-") as workdir:
        replica = local.start_replica("r1", local.free_port(), workdir, env=env)
        try:
            deadline = time.monotonic() + local.START_TIMEOUT
            while not local.healthy(replica.url):
                if replica.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the app did not start: "
                                       + replica.log.read_text(errors="replace")[-2000:])
                time.sleep(0.2)
            yield Target("process", replica.url, [replica.process.pid], [replica.url])
        finally:
            local.stop_process(replica.process)


@contextmanager
def local_cluster(replicas, env=None):
    with deploy_local().cluster(replicas=replicas, env=env) as c:
        yield Target(f"cluster of {replicas}", c.url, [r.process.pid for r in c.replicas],
                     [r.url for r in c.replicas], [c.haproxy.pid])


# --- one measurement ---------------------------------------------------------------------

async def warm_up(urls):
    """One viewer per process plays a few frames, so the imports, the first trainer and
    the caches are in the baseline, not in the per-viewer memory."""
    for url in urls:
        v = Viewer("warm-up")
        await v.open(url)
        await v.click(PLAY)
        await v.wait_frames(3)
        await v.click(PAUSE)
        await v.close()


async def play(url, k, name="viewer"):
    viewers = [Viewer(f"{name}{i + 1}") for i in range(k)]
    for v in viewers:              # one after another, as a lecture hall arrives
        await v.open(url)
    await asyncio.gather(*(v.click(PLAY) for v in viewers))
    await asyncio.gather(*(v.wait_frames(2, timeout=120) for v in viewers))
    return viewers


def snapshot(target, viewers):
    return {"t": time.monotonic(), "frames": [v.frames for v in viewers],
            "payloads": sum(v.payloads for v in viewers),
            "bytes": sum(v.bytes for v in viewers),
            "cpu": cpu_seconds(target.app_pids), "proxy_cpu": cpu_seconds(target.proxy_pids),
            "client_cpu": time.process_time()}


async def measure(target, k, seconds, settle=2.0):
    """K viewers play on `target`; the numbers over `seconds` after `settle`."""
    await warm_up(target.direct_urls)
    rss0 = rss_bytes(target.app_pids)
    viewers = await play(target.url, k)
    try:
        await asyncio.sleep(settle)
        a = snapshot(target, viewers)
        await asyncio.sleep(seconds)
        b = snapshot(target, viewers)
        rss1 = rss_bytes(target.app_pids)
        dropped = sum(not v.connected for v in viewers)
        statuses = sorted({v.status for v in viewers})
    finally:
        await asyncio.gather(*(v.close() for v in viewers))
    wall = b["t"] - a["t"]
    per_viewer = [(f1 - f0) / wall for f0, f1 in zip(a["frames"], b["frames"], strict=True)]
    frames = sum(b["frames"]) - sum(a["frames"])
    payloads = b["payloads"] - a["payloads"]
    return {
        "target": target.name, "sessions": k, "seconds": wall,
        "fps_median": statistics.median(per_viewer), "fps_min": min(per_viewer),
        "fps_max": max(per_viewer), "dropped": dropped, "statuses": statuses,
        "frames_per_s": frames / wall,
        "frames_per_payload": frames / payloads if payloads else float("nan"),
        "cpu_ms_per_frame": 1000 * (b["cpu"] - a["cpu"]) / frames if frames else float("nan"),
        "server_cores": (b["cpu"] - a["cpu"]) / wall,
        "proxy_cores": (b["proxy_cpu"] - a["proxy_cpu"]) / wall,
        "client_cores": (b["client_cpu"] - a["client_cpu"]) / wall,
        "mib_per_session": (rss1 - rss0) / k / 2**20,
        "kb_per_frame": (b["bytes"] - a["bytes"]) / frames / 1000 if frames else float("nan"),
        "redraw_interval_s": viewers[0].interval,
        "load_average": os.getloadavg()[0],
    }


def run(targets, sessions, seconds, replicas=2, env=None):
    """Yield a row per (target, K); a fresh server each time, so memory starts alike."""
    makers = {"process": lambda: one_process(env),
              "cluster": lambda: local_cluster(replicas, env)}
    for name in targets:
        for k in sessions:
            with makers[name]() as target:
                yield asyncio.run(measure(target, k, seconds))


# --- report ----------------------------------------------------------------------------

COLUMNS = [("target", "target", "{}"), ("sessions", "K", "{}"),
           ("fps_median", "frames/s median", "{:.1f}"), ("fps_min", "frames/s min", "{:.1f}"),
           ("cpu_ms_per_frame", "server CPU ms/frame", "{:.1f}"),
           ("server_cores", "server cores busy", "{:.2f}"),
           ("mib_per_session", "MiB/session", "{:.1f}"),
           ("kb_per_frame", "kB/frame", "{:.0f}"),
           ("client_cores", "load generator cores", "{:.2f}")]


def table(rows):
    head = "| " + " | ".join(title for _, title, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(fmt.format(r[key]) for key, _, fmt in COLUMNS) + " |"
            for r in rows]
    return "\n".join([head, rule, *body])


def viewers_per_core(rows):
    """(viewers one core serves at the full frame rate, that rate), from the
    one-viewer row against one process: the frames a lone viewer gets are the rate."""
    one = [r for r in rows if r["sessions"] == 1 and r["target"] == "process"]
    if not one:
        return None, None
    full = one[0]["fps_median"]
    return 1000 / (one[0]["cpu_ms_per_frame"] * full), full


def session_counts(text):
    try:
        counts = tuple(int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 1,5,10, got {text!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"each count must be at least 1, got {text!r}")
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help=f"K = {','.join(map(str, QUICK_SESSIONS))}, 5 s windows")
    ap.add_argument("--sessions", type=session_counts, default=SESSIONS,
                    help="playing viewers per run, e.g. 1,5,10 (default %(default)s)")
    ap.add_argument("--seconds", type=float, default=15.0, help="measuring window (s)")
    ap.add_argument("--targets", default="process,cluster",
                    help="process, cluster or both (default %(default)s)")
    ap.add_argument("--replicas", type=int, default=2, help="replicas of the cluster (default 2)")
    ap.add_argument("--json", action="store_true", help="print one JSON object per row")
    args = ap.parse_args(argv)
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = set(targets) - {"process", "cluster"}
    if unknown or not targets:
        ap.error(f"--targets: process and/or cluster, got {args.targets!r}")
    if args.replicas < 1 or args.seconds <= 0:
        ap.error("--replicas must be at least 1 and --seconds above 0")
    sessions, seconds = (QUICK_SESSIONS, 5.0) if args.quick else (args.sessions, args.seconds)
    rows = []
    for row in run(targets, sessions, seconds, args.replicas):
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"{row['target']}, K={row['sessions']}: {row['fps_median']:.1f} frames/s "
                  f"(min {row['fps_min']:.1f}), {row['cpu_ms_per_frame']:.1f} ms CPU/frame, "
                  f"{row['mib_per_session']:.1f} MiB/session", file=sys.stderr, flush=True)
    if not args.json:
        print(table(rows))
        per_core, full = viewers_per_core(rows)
        if per_core is not None:
            print(f"\none core serves about {per_core:.1f} viewers at the full "
                  f"{full:.0f} frames/s (load average {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
