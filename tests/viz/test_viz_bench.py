import json

import pytest

from nnviz.viz import bench


def test_run_reports_time_and_bytes_per_figure(monkeypatch):
    monkeypatch.setattr(bench, "TRAIN_STEPS", 20)
    r = bench.run(repeats=1, resolution=20)
    assert set(r["figures"]) == {"boundary", "curves", "weights", "diagram"}
    for f in r["figures"].values():
        assert f["ms"] > 0 and f["bytes"] > f["wire_bytes"] > 0 and f["figure_bytes"] > 0
    assert r["frame"]["bytes"] == sum(f["bytes"] for f in r["figures"].values())
    assert r["boundary_frame_only_wire_bytes"] < r["figures"]["boundary"]["wire_bytes"]
    assert r["resolution"] == 20


def test_main_prints_json_and_rejects_bad_flags(monkeypatch, capsys):
    monkeypatch.setattr(bench, "TRAIN_STEPS", 5)
    assert bench.main(["--json", "--repeats", "1", "--resolution", "10"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["repeats"] == 1 and "frame" in out
    assert bench.main(["--repeats", "1", "--resolution", "10"]) == 0
    assert "boundary" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        bench.main(["--repeats", "0"])
    assert e.value.code == 2
