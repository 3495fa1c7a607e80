"""The container's promise, tried without a container: the app serves and plays with
the whole root file system read-only (a private mount namespace remounts "/"
read-only for the app alone), as with `docker run --read-only` or Kubernetes'
readOnlyRootFilesystem. Only a scratch tmpfs (its TMPDIR) can be written.
"""

import os
import shutil
import subprocess
import sys
import time

import pytest
from deploy_support import ROOT, loadgen, local, run_async

pytestmark = pytest.mark.slow

# In the new mount namespace: "/" read-only, a tmpfs at $1 for temporary files, then the app.
READ_ONLY_ROOT = 'mount -o remount,bind,ro / && mount -t tmpfs scratch "$1" && shift && exec "$@"'


def tracked_files():
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in out.stdout.decode().split("\0") if name]


@pytest.fixture
def app_copy(tmp_path):
    """The committed tree (what the image copies), and a home with the image's config."""
    files = tracked_files()
    if "static/plotly.min.js" not in files:
        pytest.skip("static/plotly.min.js is not committed: the app would copy it at start")
    app = tmp_path / "app"
    for name in files:
        (app / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, app / name)
    home = tmp_path / "home" / ".streamlit"
    home.mkdir(parents=True)
    shutil.copy2(local.SERVER_CONFIG, home / "config.toml")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return app, home.parent, scratch


def test_the_app_plays_with_a_read_only_root(app_copy):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare(1) to remount / read-only in a private namespace")
    app, home, scratch = app_copy
    port = local.free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
           "--server.address", "127.0.0.1"]
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
    with subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sh", "-euc",
                           READ_ONLY_ROOT, "sh", str(scratch), *cmd], cwd=app, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + local.START_TIMEOUT
            while not local.healthy(url):
                assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
                assert time.monotonic() < deadline, "the app did not answer"
                time.sleep(0.2)
            viewer = loadgen.Viewer()

            async def play():
                await viewer.open(url)
                await viewer.click(loadgen.PLAY)
                await viewer.wait_frames(5)
                await viewer.click(loadgen.PAUSE)
                await viewer.close()
            run_async(play)
            assert viewer.errors == []
        finally:
            proc.terminate()
            log = proc.communicate(timeout=local.STOP_TIMEOUT)[0].decode()
    assert "Read-only file system" not in log, log[-3000:]
