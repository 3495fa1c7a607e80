"""Serve plotly.js from the installed plotly package, never from a CDN.

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


def source():
    """The plotly.min.js shipped inside the plotly package."""
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def ensure_static_copy(app_dir):
    """Copy plotly.min.js into app_dir/static/ unless an identical-size copy is there.

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
