"""Ray engine on a local Ray instance with 2 workers: same output as the local engine."""
import json

import pytest

ray = pytest.importorskip("ray")

from annotator.cli import main  # noqa: E402

ARTS = [{"id": f"a{i}", "text": f"The council met for the {i}th time, the clerk said. "
                                "“It was a waste of time,” a resident said. Prices could rise. 🎉",
         "publisher": "P"} for i in range(7)]


@pytest.fixture(scope="module")
def local_ray():
    # 2 model actors (1 CPU each) plus a logical CPU for the read tasks, else the pool starves them
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.mark.slow
def test_ray_matches_local_engine(tmp_path, tiny_model_dir, local_ray, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([json.dumps(a) for a in ARTS[:3]] + ["[1]", '{"id": "x"}']
                             + [json.dumps(a) for a in ARTS[3:]]) + "\n")
    local, dist = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    assert main(["score", str(src), "-o", str(local), "--model", str(tiny_model_dir)]) == 0
    assert main(["score", str(src), "-o", str(dist), "--model", str(tiny_model_dir),
                 "--engine", "ray", "--actors", "2"]) == 0
    a = [json.loads(x) for x in local.read_text().splitlines()]
    b = [json.loads(x) for x in dist.read_text().splitlines()]
    assert [d["id"] for d in b] == [d["id"] for d in ARTS]
    for x, y in zip(a, b):
        assert x["claims"] == [dict(c, scores=pytest.approx(c["scores"]), score=pytest.approx(c["score"]))
                               for c in y["claims"]] or x["claims"] == y["claims"]
        assert x["profile"] == y["profile"] and x["meta"] == y["meta"]
    err = capsys.readouterr().err
    assert "expected a JSON object" in err and "no string field 'text'" in err


@pytest.mark.slow
def test_ray_parquet_round_trip(tmp_path, tiny_model_dir, local_ray):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(ARTS), src)
    out = tmp_path / "out.parquet"
    assert main(["score", str(src), "-o", str(out), "--model", str(tiny_model_dir),
                 "--engine", "ray"]) == 0
    rows = pq.read_table(out).to_pylist()
    recs = [json.loads(r["record"]) for r in rows]
    assert [r["id"] for r in recs] == [a["id"] for a in ARTS]
    assert all(r["text"][c["start"]:c["end"]] == c["text"] for r in recs for c in r["claims"])
