"""Messages to the browser: arrays travel beside a JSON header and come back equal;
images sent as frame-to-frame changes are whole again after `undelta`."""

import numpy as np

from nnviz.viz import wire


def test_a_message_comes_back_with_its_arrays():
    rng = np.random.default_rng(0)
    header = {"seq": 3, "frames": [{"step": 7, "image": rng.integers(0, 256, (48, 48), np.uint8),
                                    "weights": [rng.normal(size=(2, 8))]}],
              "setup": {"x": np.arange(5, dtype=np.uint16), "name": "x1"}}
    back = wire.unpack(wire.pack(header))
    assert back["seq"] == 3 and back["setup"]["name"] == "x1"
    np.testing.assert_array_equal(back["frames"][0]["image"], header["frames"][0]["image"])
    np.testing.assert_allclose(back["frames"][0]["weights"][0], header["frames"][0]["weights"][0],
                               rtol=1e-7)                          # float64 travels as float32
    assert back["frames"][0]["weights"][0].dtype == np.float32
    np.testing.assert_array_equal(back["setup"]["x"], np.arange(5))


def test_frames_as_deltas_decode_to_the_frames():
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, (10, 10), np.uint8) for _ in range(4)]
    frames = [{"step": i, "charts": {"boundary": {"image": img, "segments": np.zeros((0, 4))}}}
              for i, img in enumerate(images)]
    sent = wire.deltas(frames, [("boundary", "image")])
    assert "delta" not in sent[0]["charts"]["boundary"]
    assert all(f["charts"]["boundary"]["delta"] == ["image"] for f in sent[1:])
    back = wire.undelta(wire.unpack(wire.pack({"frames": sent}))["frames"])
    for img, f in zip(images, back, strict=True):
        np.testing.assert_array_equal(f["charts"]["boundary"]["image"], img)
    # a boundary drifting across the plane: frame to frame, only the edge changes
    g1, g2 = np.meshgrid(np.linspace(-1, 1, 48), np.linspace(-1, 1, 48))
    moving = [np.round(255 / (1 + np.exp(-8 * (g1 + 0.3 * g2 - 0.02 * i)))).astype(np.uint8)
              for i in range(12)]
    plain = [{"charts": {"b": {"image": m}}} for m in moving]
    assert len(wire.pack({"frames": wire.deltas(plain, [("b", "image")])})) < \
        len(wire.pack({"frames": plain}))
