"""Config: validation messages, normalisation, auto output/loss, JSON and query round-trips."""

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz import datasets
from nnviz.config import QUERY_KEYS, Config, ConfigError
from nnviz.engine.activations import hidden_activations
from nnviz.engine.init import INITIALIZERS
from nnviz.engine.optimizers import OPTIMIZERS
from nnviz.limits import LR_RANGE, MAX_HIDDEN_LAYERS, MAX_SAMPLES, MAX_UNITS

ALL = tuple(datasets.REGISTRY)
CSV = "csv"                 # the uploaded table's name in links


@pytest.mark.parametrize("name", ALL)
def test_defaults_for_every_dataset_are_valid_and_complete(name):
    c = Config.defaults_for(name)
    assert c.dataset == name
    info = datasets.REGISTRY[name]
    if info.task is not None:
        # a table, drawn points or files: their rows are counted once there (None: all)
        if info.default_samples is None or info.max_samples is None:
            assert c.n_samples is None
        else:
            assert c.n_samples <= MAX_SAMPLES
        assert (c.features is not None) == info.is_plane
        assert c.task == info.task
        assert c.output_and_loss()[1] in ("bce", "cross_entropy", "mse")
    assert c.default_epochs() >= 1


def test_none_means_the_datasets_default():
    c = Config(dataset="spiral")
    info = datasets.REGISTRY["spiral"]
    assert (c.n_samples, c.noise, c.n_classes, c.features) == \
        (info.default_samples, info.default_noise, 2, ("x1", "x2"))
    d = Config(dataset="digits", hidden=(32,))
    assert d.noise is None and d.features is None and d.n_classes is None
    assert Config(dataset="spiral") == Config(dataset="spiral", n_samples=info.default_samples)


BAD = [
    ("dataset", "mnst", "allowed: flower"),
    ("dataset", 3, "allowed"),
    ("n_samples", 5, "10"),
    ("n_samples", MAX_SAMPLES + 1, "100,000"),
    ("n_samples", 2.5, "whole number"),
    ("n_samples", True, "whole number"),
    ("noise", -0.1, "out of range"),
    ("noise", float("nan"), "out of range"),
    ("noise", "0.1", "must be a number"),
    ("n_classes", 9, "2 to 8"),
    ("test_ratio", 0.0, "0.05 to 0.9"),
    ("test_ratio", 0.95, "0.05 to 0.9"),
    ("features", ("x1", "x3"), "allowed: x1, x2"),
    ("features", (), "at least one"),
    ("features", ("x1", "x1"), "repeats"),
    ("hidden", (8,) * (MAX_HIDDEN_LAYERS + 1), f"0 to {MAX_HIDDEN_LAYERS}"),
    ("hidden", (MAX_UNITS + 1,), f"1 to {MAX_UNITS}"),
    ("hidden", (0,), f"1 to {MAX_UNITS}"),
    ("hidden", "8,8", "list of layer widths"),
    ("activation", "swish", "allowed: sigmoid"),
    ("activation", "softmax", "allowed: sigmoid"),
    ("activation", ("tanh", "relu", "tanh"), "has 2"),
    ("activation", (), "one name"),
    ("output_activation", "swish", "allowed: auto"),
    ("output_activation", "relu", "does not fit a classification task"),
    ("loss", "hinge", "allowed: auto"),
    ("init", "zeros", "allowed: small"),
    ("optimizer", "rmsprop", "allowed:"),
    ("lr", 0.0, "1e-06 to 10"),
    ("lr", 100.0, "1e-06 to 10"),
    ("lr", float("inf"), "out of range"),
    ("momentum", 1.0, "0 to 0.999"),
    ("nesterov", 1, "True or False"),
    ("l1", -1e-3, "0 to 10"),
    ("l2", 11.0, "0 to 10"),
    ("batch_size", 0, "1 to"),
    ("seed", -1, "0 to"),
    ("seed", 2**40, "0 to"),
]


@pytest.mark.parametrize("field,value,allowed", BAD)
def test_bad_values_are_refused_naming_field_value_and_allowed(field, value, allowed):
    with pytest.raises(ConfigError) as e:
        Config(**{"dataset": "spiral", field: value})
    assert e.value.field == field
    msg = str(e.value)
    assert field in msg and allowed in msg
    assert repr(value)[:20] in msg or str(value) in msg


def test_dataset_specific_fields_are_checked_against_the_dataset():
    with pytest.raises(ConfigError, match="n_classes=3 does not apply to moons"):
        Config(dataset="moons", n_classes=3)
    with pytest.raises(ConfigError, match="only with|apply only to data with two inputs"):
        Config(dataset="digits", features=("x1",))
    with pytest.raises(ConfigError, match="real data"):
        Config(dataset="digits", noise=0.1)
    with pytest.raises(ConfigError, match="1,797"):
        Config(dataset="digits", n_samples=2000)
    with pytest.raises(ConfigError, match="output_activation='softmax' does not fit a "
                                          "regression task"):
        Config(dataset="arithmetic", output_activation="softmax")


def test_replace_validates_again_and_nothing_is_clamped():
    c = Config.defaults_for("moons")
    with pytest.raises(ConfigError, match="lr=20"):
        dataclasses.replace(c, lr=20)
    assert dataclasses.replace(c, lr=1).lr == 1.0


def test_activation_one_name_or_one_per_layer():
    c = Config(dataset="moons", hidden=(4, 3), activation=["relu", "tanh"])
    assert c.activation == ("relu", "tanh") and c.hidden_activations() == ["relu", "tanh"]
    same = Config(dataset="moons", hidden=(4, 3), activation=("relu", "relu"))
    assert same.activation == "relu" and same == Config(dataset="moons", hidden=(4, 3),
                                                        activation="relu")
    assert Config(dataset="moons", hidden=[4, 3]).hidden == (4, 3)
    assert Config(dataset="moons", hidden=()).hidden_activations() == []


@pytest.mark.parametrize("kwargs,pair", [
    (dict(dataset="moons"), ("sigmoid", "bce")),
    (dict(dataset="spiral", n_classes=3), ("softmax", "cross_entropy")),
    (dict(dataset="digits"), ("softmax", "cross_entropy")),
    (dict(dataset="arithmetic"), ("linear", "mse")),
    (dict(dataset="sine", output_activation="tanh"), ("tanh", "mse")),
    (dict(dataset="moons", output_activation="softmax"), ("softmax", "cross_entropy")),
    (dict(dataset="moons", loss="cross_entropy"), ("softmax", "cross_entropy")),
    (dict(dataset="moons", output_activation="sigmoid", loss="bce"), ("sigmoid", "bce")),
    (dict(dataset="moons", output_activation="tanh"), ("tanh", "mse")),     # targets ±1
    (dict(dataset="moons", loss="mse"), ("tanh", "mse")),
])
def test_auto_output_and_loss_follow_the_task(kwargs, pair):
    assert Config(**kwargs).output_and_loss() == pair


def test_output_and_loss_for_csv_takes_the_task():
    c = Config.defaults_for(CSV)
    assert c.task is None
    assert c.output_and_loss("classification", 2) == ("sigmoid", "bce")
    assert c.output_and_loss("classification", 5) == ("softmax", "cross_entropy")
    assert c.output_and_loss("regression") == ("linear", "mse")
    with pytest.raises(ConfigError, match="does not pair"):
        Config(dataset="moons", output_activation="sigmoid", loss="cross_entropy")
    with pytest.raises(ConfigError, match="pass task="):
        c.output_and_loss()
    for field, value, allowed in (("output_activation", "tanh", "softmax"),
                                  ("loss", "mse", "cross_entropy")):
        with pytest.raises(ConfigError, match="does not fit a classification task with 3 "
                                              f"classes; allowed: auto, {allowed}$"):
            Config(dataset="spiral", n_classes=3, **{field: value})


@pytest.mark.parametrize("name", ALL)
def test_json_round_trip(name):
    c = Config.defaults_for(name)
    assert Config.from_json(c.to_json()) == c
    assert json.loads(c.to_json())["dataset"] == name


def test_from_json_errors_are_clear():
    with pytest.raises(ConfigError, match="not valid JSON"):
        Config.from_json("{lr: 1")
    with pytest.raises(ConfigError, match="unknown config field 'learning_rate'"):
        Config.from_json('{"learning_rate": 0.1}')
    with pytest.raises(ConfigError, match="JSON object"):
        Config.from_json("[1, 2]")
    with pytest.raises(ConfigError, match="lr=50"):
        Config.from_json('{"dataset": "moons", "lr": 50}')


@st.composite
def configs(draw):
    name = draw(st.sampled_from(ALL))
    info = datasets.REGISTRY.get(name)
    kw = dict(dataset=name)
    if info is not None:
        k_opt = next((o for o in info.options if o.name == "n_classes"), None)
        k = draw(st.integers(int(k_opt.low), int(k_opt.high))) if k_opt else None
        kw["n_classes"] = k
        low = max(10, 2 * (k or info.n_classes or 1))
        kw["n_samples"] = draw(st.integers(low, min(info.max_samples or MAX_SAMPLES,
                                                    MAX_SAMPLES)))
        if info.noise_range is not None:
            kw["noise"] = draw(st.floats(*info.noise_range))
        if info.is_plane:
            kw["features"] = tuple(draw(st.lists(st.sampled_from(list(datasets.FEATURES)),
                                                 min_size=1, max_size=7, unique=True)))
    hidden = tuple(draw(st.lists(st.integers(1, MAX_UNITS), max_size=MAX_HIDDEN_LAYERS)))
    kw["hidden"] = hidden
    if hidden and draw(st.booleans()):
        kw["activation"] = tuple(draw(st.lists(st.sampled_from(hidden_activations()),
                                               min_size=len(hidden), max_size=len(hidden))))
    else:
        kw["activation"] = draw(st.sampled_from(hidden_activations()))
    kw.update(
        test_ratio=draw(st.floats(0.05, 0.9)),
        init=draw(st.sampled_from(list(INITIALIZERS))),
        optimizer=draw(st.sampled_from(list(OPTIMIZERS))),
        lr=draw(st.floats(*LR_RANGE)),
        momentum=draw(st.floats(0, 0.999)),
        nesterov=draw(st.booleans()),
        standardize=draw(st.booleans()),
        l1=draw(st.floats(0, 10)), l2=draw(st.floats(0, 10)),
        batch_size=draw(st.integers(1, MAX_SAMPLES)),
        seed=draw(st.integers(0, 2**32 - 1)),
    )
    return Config(**kw)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(configs())
def test_query_round_trip(c):
    q = c.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in q.items())
    assert set(q) <= set(QUERY_KEYS.values())
    back, warnings = Config.from_query(q)
    assert warnings == []
    assert back == c
    assert Config.from_json(c.to_json()) == c


KEYS = st.sampled_from([*QUERY_KEYS.values(), "zz", "", "lr ", "DS"])
VALUES = st.one_of(st.text(max_size=12), st.sampled_from(
    ["none", "0", "-1", "1e999", "nan", "8,8", "8,,8", "tanh,relu", "x1,x9", "spiral", "csv",
     "moons", "digits", "1", "0.5", "99999999999999999999", "x1*x2", "sgd", "auto"]))


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.dictionaries(KEYS, st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=10))
def test_garbage_queries_never_raise(q):
    c, warnings = Config.from_query(q)
    assert isinstance(c, Config)
    assert all(isinstance(w, str) for w in warnings)
    assert Config.from_query(c.to_query()) == (c, [])


def test_bad_keys_fall_back_one_by_one():
    base = Config.defaults_for("spiral")
    c, warnings = Config.from_query({"ds": "spiral", "lr": "abc", "hidden": "5,5",
                                     "bs": "0", "zz": "1", "act": "tanh,relu,relu"})
    assert c == dataclasses.replace(base, hidden=(5, 5))
    assert len(warnings) == 4
    text = " ".join(warnings)
    for fragment in ("lr='abc'", "'zz'", "bs=", "act="):
        assert fragment in text


def test_unknown_dataset_in_query_uses_the_default_dataset():
    c, warnings = Config.from_query({"ds": "mnst", "lr": "0.1"})
    assert c.dataset == Config().dataset and c.lr == 0.1
    assert "mnst" in warnings[0]
    assert Config.from_query({}) == (Config.defaults_for(Config().dataset), [])
    c, warnings = Config.from_query(None)
    assert isinstance(c, Config) and warnings


def test_the_server_limits_live_in_limits_and_the_layers_below_allow_them():
    """nnviz.limits is the one place the limits are set and Config checks them; the
    engine and the data loader accept everything Config allows (else a valid link could
    fail deeper down)."""
    from nnviz.data import registry, table
    from nnviz.engine import mlp
    assert MAX_HIDDEN_LAYERS == 6 and MAX_UNITS == 512 and MAX_SAMPLES == 100_000
    assert registry.MAX_SAMPLES >= MAX_SAMPLES and table.MAX_ROWS >= MAX_SAMPLES
    assert not hasattr(mlp, "MAX_HIDDEN_LAYERS")              # no second copy in the engine
    widest = Config(dataset="moons", hidden=(MAX_UNITS,) * MAX_HIDDEN_LAYERS)
    assert widest.hidden == (512,) * 6
    net = mlp.MLP([2, *widest.hidden, 1], activations=[*widest.hidden_activations(), "sigmoid"])
    assert net.n_layers == MAX_HIDDEN_LAYERS + 1
    with pytest.raises(ConfigError, match="hidden"):
        Config(dataset="moons", hidden=(MAX_UNITS,) * (MAX_HIDDEN_LAYERS + 1))
