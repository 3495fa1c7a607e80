"""deploy/local: its command line, its cluster, and that it leaves nothing behind."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from deploy_support import ROOT, haproxy_path, loadgen, local, run_async

SCRIPT = ROOT / "deploy" / "local"


def run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("args, message", [
    (["up", "--replicas", "0"], "--replicas: must be at least 1, got 0"),
    (["up", "--replicas", "two"], "--replicas: expected a whole number, got 'two'"),
    (["up", "--port", "70000"], "--port: a port is 0..65535"),
    (["render", "--slots", "-1"], "--slots: must be at least 1, got -1"),
])
def test_bad_arguments_get_one_line(args, message):
    out = run(*args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_streamlit_flags_come_from_the_shared_settings_file(tmp_path):
    config = tmp_path / "streamlit.toml"
    config.write_text('[server]\nheadless = true\nfileWatcherType = "none"\n'
                      '[browser]\ngatherUsageStats = false\n')
    assert local.streamlit_flags(config) == [
        "--server.headless", "true", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false"]
    shipped = local.streamlit_flags()
    assert shipped[shipped.index("--server.fileWatcherType") + 1] == "none"
    assert shipped[shipped.index("--server.headless") + 1] == "true"


def children(pid):
    """Pids of the live processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_up_serves_until_a_signal_then_leaves_no_process(sig):
    haproxy_path()
    cmd = [sys.executable, str(SCRIPT), "up", "--replicas", "2", "--port", "0"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as proc:
        try:
            url = None
            deadline = time.monotonic() + local.START_TIMEOUT
            while url is None and time.monotonic() < deadline:
                line = proc.stdout.readline()
                assert line, f"deploy/local exited early (status {proc.poll()})"
                if line.startswith("nnviz on "):
                    url = line.split()[2]
            assert url is not None
            with urllib.request.urlopen(url + "_stcore/health", timeout=5) as r:
                assert r.read() == b"ok"
            started = children(proc.pid)
            assert len(started) == 3, started          # HAProxy and two app processes
            proc.send_signal(sig)
            assert proc.wait(timeout=2 * local.STOP_TIMEOUT + 10) == 0
            assert "stopped" in proc.stdout.read()
            assert not [pid for pid in started if alive(pid)]
            with pytest.raises(OSError):
                urllib.request.urlopen(url + "_stcore/health", timeout=2)

        finally:
            if proc.poll() is None:      # a failed check: do not wait on it forever
                proc.kill()

@pytest.mark.slow
def test_the_cluster_context_stops_everything_even_after_a_replica_died():
    with local.cluster(replicas=2, haproxy=haproxy_path()) as c:
        started = c.processes()
        stats = c.server_stats()
        assert {name: row["status"] for name, row in stats.items()} == {"r1": "UP", "r2": "UP"}
        c.kill("r2")
        deadline = time.monotonic() + 10
        while c.server_stats()["r2"]["status"] != "DOWN" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert c.server_stats()["r2"]["status"] == "DOWN"     # health checks noticed
        assert local.healthy(c.url)                          # and r1 still serves
        workdir = c.workdir
    assert all(p.poll() is not None for p in started)
    assert not workdir.exists()


@pytest.mark.slow
def test_the_load_generator_plays_viewers_and_counts_their_frames():
    """A short run of benchmarks/load.py's measurement: two viewers on one process."""
    with loadgen.one_process() as target:
        row = run_async(loadgen.measure, target, k=2, seconds=3.0, settle=1.0)
    assert row["sessions"] == 2
    assert row["fps_min"] > 1.0, row                     # both viewers get frames
    assert row["frames_per_payload"] > 2                 # each run sends a batch of frames
    assert 0 < row["cpu_ms_per_frame"] < 1000
    assert 0.5 < row["kb_per_frame"] < 20               # a frame carries its charts, small
    assert row["redraw_interval_s"] > 0


def test_frames_in_counts_the_frames_of_a_payload():
    from nnviz.viz import wire

    assert loadgen.frames_in(wire.pack({"seq": 7, "frames": [{"step": 1}, {"step": 2}]})) == 2
    assert loadgen.frames_in(wire.pack({"theme": "dark"})) == 0
