"""The benchmark runs and reports (no timing assertions: the machine is shared)."""

import json

import numpy as np
import pytest

from nnviz import bench


def test_run_w1_returns_a_row_with_positive_times():
    rows = bench.run(repeats=1, workloads=["W1"], quick=True)
    assert len(rows) == 1
    row = rows[0]
    assert (row["workload"], row["shape"], row["dtype"], row["steps"]) == ("W1", "2-8-8-1", "float64", 1)
    assert row["median_ms"] > 0 and row["steps_per_s"] > 0 and row["ms_per_step"] > 0
    table = bench.format_table(rows)
    assert "W1" in table and "ms/step" in table


def test_main_prints_json_for_float32(capsys):
    assert bench.main(["--json", "--quick", "--repeats", "1", "--workloads", "w5",
                       "--dtype", "float32"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["workload"] == "W5" and rows[0]["dtype"] == "float32"
    assert rows[0]["unit"] == "forward" and rows[0]["median_ms"] > 0


def test_workloads_match_the_issue():
    w = bench.WORKLOADS
    assert w["W2"].steps == 16 and w["W3"].steps == 29 and w["W4"].steps == 79
    X, y = bench.make_data(w["W3"])
    assert X.shape == (1797, 64) and set(np.unique(y)) <= set(range(10))
    assert bench.make_data(w["W5"])[0].shape == (40000, 2)


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown workload"):
        bench.run(repeats=1, workloads=["W9"])
    with pytest.raises(SystemExit) as exc:
        bench.main(["--workloads", "W9"])
    assert exc.value.code == 2
