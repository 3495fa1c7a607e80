"""What the sessions of one server process share: their BLAS threads, the count of
those playing, how busy the process is, and a reaper that gives a closed tab's
memory back.

Streamlit keeps a disconnected session for a while in case its tab reconnects, and
a session it then drops is never shut down, so nothing in it is freed until Python
collects its reference cycles. The reaper looks every REAP_SECONDS for sessions
whose tab has gone, releases their trainers (most of a session's memory), runs the
collector and hands the freed heap back to the system.
"""

import ctypes
import gc
import threading
import time
import weakref

from threadpoolctl import threadpool_limits

from nnviz.limits import BUDGET

REAP_SECONDS = 5.0          # how often disconnected sessions are looked for
PACE_SECONDS = 1.0          # how often the process's CPU use is read
RECOVER = 1.15              # how fast the share grows back when the process has room
MIN_SHARE = 0.1

_sessions = weakref.WeakValueDictionary()      # session id -> the session's state
_lock = threading.Lock()
_started = False


def one_blas_thread():
    """NumPy's BLAS on one thread: every session runs in its own thread of this process,
    and BLAS threads that spin for a core another session is using make both slower
    (see README, "Speed"). Called by the app, never by the library on import.

    The limit holds for the whole process; it is set from a thread of its own, since
    threadpoolctl remembers the thread that set it (a session's script thread would
    stay alive with everything its session held)."""
    global _blas
    with _lock:
        if not _blas:
            setter = threading.Thread(target=threadpool_limits, args=(1,),
                                      kwargs={"user_api": "blas"}, name="nnviz-blas")
            setter.start()
            setter.join()
            _blas = True


_blas = False


def _session_id():
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.session_id


def _runtime():
    from streamlit.runtime import Runtime
    return Runtime.instance() if Runtime.exists() else None


def register(s):
    """Count session state `s` among this process's (held weakly) and start the reaper."""
    global _started
    sid = _session_id()
    if sid is None:
        return
    with _lock:
        _sessions[sid] = s
        if not _started and _runtime() is not None:
            threading.Thread(target=_reap_forever, name="nnviz-reaper", daemon=True).start()
            _started = True


def sessions():
    """{session id: session state} of this process (those not yet collected)."""
    with _lock:
        return dict(_sessions)


class Pace:
    """How much of its full rate each playing session may use now: 1 while the process
    keeps within `cores` (BUDGET.cpu), less when the sessions together ask more. It is
    read from the process's own CPU time, every PACE_SECONDS, and every playing session
    scales its training and its frames by it, so all slow down evenly and none stops."""

    def __init__(self, cores):
        self.cores = cores
        self.share = 1.0
        self.load = 0.0
        self._at, self._cpu = time.monotonic(), time.process_time()
        self._lock = threading.Lock()

    def read(self, now=None, cpu=None):
        """The share now (reading the CPU time again when PACE_SECONDS have passed)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if now - self._at >= PACE_SECONDS:
                cpu = time.process_time() if cpu is None else cpu
                self.load = (cpu - self._cpu) / (now - self._at)
                self._at, self._cpu = now, cpu
                if self.load > self.cores:
                    self.share = max(MIN_SHARE, self.share * self.cores / self.load)
                else:
                    self.share = min(1.0, self.share * RECOVER)
            return self.share

    @property
    def busy(self):
        return self.share < 0.9


def playing_elsewhere(s):
    """How many other connected sessions of this process are playing now."""
    runtime = _runtime()
    return sum(1 for sid, other in sessions().items() if other is not s and other.playing
               and (runtime is None or runtime.is_active_session(sid)))


def playing():
    """How many connected sessions of this process are playing now."""
    runtime = _runtime()
    return sum(1 for sid, other in sessions().items() if other.playing
               and (runtime is None or runtime.is_active_session(sid)))


def reap(runtime, away=frozenset()):
    """Release the trainers of sessions whose tab has gone (seen gone twice in a row,
    so a page that is just reconnecting keeps its trainer), then collect and give the
    memory back. `away`: the ids seen gone last time. Returns the ids gone now."""
    gone, released = set(), 0
    for sid, s in sessions().items():
        if runtime.is_active_session(sid):
            continue
        gone.add(sid)
        if sid in away and s.release():
            released += 1
    if released:
        gc.collect()
        trim()
    return gone


def _reap_forever():
    away = set()
    while True:
        time.sleep(REAP_SECONDS)
        runtime = _runtime()
        if runtime is None:
            continue
        try:
            away = reap(runtime, away)
        except Exception:   # noqa: BLE001 - the reaper must outlive any one bad session
            away = set()


def trim():
    """Hand freed heap memory back to the system (glibc; elsewhere nothing to do)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


pace = Pace(BUDGET.cpu)
