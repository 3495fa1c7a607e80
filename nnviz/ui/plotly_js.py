"""Serve plotly.js locally, never from a CDN: the vendored "cartesian" bundle
(`vendor/plotly-cartesian.min.js`, the same plotly.js version with only the 2-D trace
types the live charts use, a third of the size to load), else the full bundle inside
the installed plotly package.

Streamlit's static serving (`server.enableStaticServing`) serves `<app dir>/static/`
at `/app/static/` and refuses symlinks that leave that folder, so the file is copied
there once (atomically: concurrent sessions may race).
"""

import os
import shutil
import tempfile
from pathlib import Path

import plotly

URL = "app/static/plotly.min.js"


VENDORED = Path(__file__).with_name("vendor") / "plotly-cartesian.min.js"


def full_bundle():
    """The plotly.min.js shipped inside the plotly package (every trace type)."""
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def source():
    """The plotly.js file the browser gets: the vendored cartesian bundle if present."""
    return VENDORED if VENDORED.is_file() else full_bundle()


def ensure_static_copy(app_dir):
    """Copy `source()` to app_dir/static/plotly.min.js unless an identical-size copy is there.

    Returns the URL (relative to the page) the browser loads it from.
    """
    src = source()
    dest = Path(app_dir) / "static" / "plotly.min.js"
    if dest.is_file() and dest.stat().st_size == src.stat().st_size:
        return URL
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return URL
