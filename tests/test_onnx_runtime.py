"""ONNX Runtime inference: same predictions as torch, cached export, opt-in int8."""
from __future__ import annotations

import pytest

from annotator.classify import load_classifier
from annotator.onnx_runtime import cache_dir
from conftest import build_tiny_model

PAIRS = [("official", "The ministry said the border would reopen on Monday."),
         ("author", "It was a disgrace."),
         ("person", "“We will win,” she said, and the crowd — about 2,000 people — cheered loudly "
                    "for several minutes while the band played."),
         ("anonymous", "Witnesses said the fire started at noon.")]


@pytest.fixture(scope="module")
def source_model_dir(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("m") / "tiny-src", with_source=True, seed=1)


def test_onnx_matches_torch(source_model_dir):
    ref = load_classifier(source_model_dir, runtime="torch").predict(PAIRS)
    got = load_classifier(source_model_dir, runtime="onnx").predict(PAIRS)
    for (p_ref, q_ref), (p, q) in zip(ref, got):
        assert p.keys() == p_ref.keys() and q.keys() == q_ref.keys()
        assert all(abs(p[k] - p_ref[k]) < 1e-4 for k in p)
        assert all(abs(q[k] - q_ref[k]) < 1e-4 for k in q)


def test_label_only_model_and_cache_reuse(tiny_model_dir):
    first = load_classifier(tiny_model_dir, runtime="onnx")
    path = first.forward.path
    mtime = path.stat().st_mtime_ns
    again = load_classifier(tiny_model_dir, runtime="onnx")
    assert again.forward.path == path and path.stat().st_mtime_ns == mtime  # not re-exported
    assert path.parent == cache_dir()
    out = again.predict(PAIRS)
    assert all(q is None and abs(sum(p.values()) - 1) < 1e-5 for p, q in out)


def test_new_weights_new_export(tiny_model_dir, tmp_path):
    other = build_tiny_model(tmp_path / "tiny", seed=2)  # same directory name, other weights
    a = load_classifier(tiny_model_dir, runtime="onnx").forward.path
    b = load_classifier(other, runtime="onnx").forward.path
    assert a != b


def test_int8_is_marked_and_close(source_model_dir):
    clf = load_classifier(source_model_dir, runtime="onnx", quantize=True)
    assert clf.version.endswith("+int8") and clf.forward.path.name.endswith("-int8.onnx")
    ref = load_classifier(source_model_dir, runtime="torch").predict(PAIRS)
    for (p_ref, _), (p, q) in zip(ref, clf.predict(PAIRS)):
        assert abs(sum(p.values()) - 1) < 1e-5 and abs(sum(q.values()) - 1) < 1e-5
        assert all(abs(p[k] - p_ref[k]) < 0.05 for k in p)


def test_unknown_runtime(tiny_model_dir):
    with pytest.raises(ValueError, match="unknown runtime"):
        load_classifier(tiny_model_dir, runtime="tensorrt")
