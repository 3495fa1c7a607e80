"""What the deployment tests share: deploy/local as a module, the end-to-end tests'
page helpers, the benchmarks, HAProxy's binary and log, the affinity cookie.

Under CI=true a missing HAProxy is a failure; locally the tests that need it skip and
say why (as the browser tests do for Chromium).

The hosting and overload tests come in two lengths: short by default (what CI runs),
and as long as the benchmarks measure with NNVIZ_FULL_TESTS=1 (`FULL`).
"""

import asyncio
import importlib.machinery
import importlib.util
import os
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HAPROXY = "/usr/sbin/haproxy"


def load(name, path):
    """A module from a file path (deploy/local has no .py suffix; tests/e2e is no package)."""
    if name not in sys.modules:
        loader = importlib.machinery.SourceFileLoader(name, str(path))
        module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
        sys.modules[name] = module
        loader.exec_module(module)
    return sys.modules[name]


FULL = os.environ.get("NNVIZ_FULL_TESTS", "").lower() in ("1", "true", "yes")

loadgen = load("nnviz_load", ROOT / "benchmarks" / "load.py")
hosting = load("nnviz_hosting", ROOT / "benchmarks" / "hosting.py")
local = loadgen.deploy_local()
playground = load("nnviz_e2e_playground", ROOT / "tests" / "e2e" / "test_playground.py")


def haproxy_path():
    """HAProxy's binary; a failure under CI=true and a skip elsewhere when it is missing."""
    path = HAPROXY if os.path.exists(HAPROXY) else shutil.which("haproxy")
    if path:
        return path
    reason = f"HAProxy at {HAPROXY} or on the PATH (Debian's `haproxy`)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"deployment tests need {reason} (CI=true: not skipping)")
    pytest.skip(f"deployment tests need {reason}")


# One request in HAProxy's log (`option httplog` with the affinity cookie captured):
#   127.0.0.1:43252 [30/Nov/2026:05:18:55.502] web nnviz/r2 0/0/0/1/+1 200 +255
#   NNVIZ_SERVER=r2 - --VN 1/1/1/1/0 0/0 "GET /_stcore/health HTTP/1.1"
REQUEST = re.compile(r' web nnviz/(?P<server>\S+) \S+ (?P<status>\d+) \S+ (?P<sent>\S+) '
                     r'(?P<set>\S+) (?P<flags>\S+) \S+ \S+ "(?P<method>\S+) (?P<path>\S+)')


def requests(cluster):
    """The requests HAProxy has logged: dicts of server, status, sent (the cookie the
    browser sent, or "-"), set, flags, method, path."""
    return [m.groupdict() for m in REQUEST.finditer(cluster.proxy_log())]


def affinity(context):
    """The affinity cookie's value in a browser context (the server it names), or None."""
    values = [c["value"] for c in context.cookies() if c["name"] == "NNVIZ_SERVER"]
    return values[0] if values else None


def run_async(coroutine_function, *args, **kwargs):
    """`asyncio.run(coroutine_function(*args, **kwargs))` on a thread of its own: after
    the browser tests, Playwright's event loop is still running on this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function(*args, **kwargs))).result()
