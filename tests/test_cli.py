"""The CLI's input forms and every bad input of the core issue, with a tiny local model."""
import io
import json
import subprocess
import sys

import pytest

from annotator.cli import main

GOOD = "The council approved the budget on Tuesday, the clerk said. Critics called it reckless."


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def lines(path):
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def check_result(d):
    assert set(d) >= {"id", "model", "claims", "profile"}
    for c in d["claims"]:
        assert d["text"][c["start"]:c["end"]] == c["text"]
        assert c["label"] in c["scores"]
        assert abs(sum(c["scores"].values()) - 1) < 1e-3
        src = c["source"]
        if src["start"] is not None:
            assert d["text"][src["start"]:src["end"]] == src["text"]


def test_txt_file_dir_and_jsonl(tmp_path, tiny_model_dir, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "b.txt").write_text(GOOD)
    (tmp_path / "in" / "a.txt").write_text("Fans cheered 🎉 all night. “We won,” the coach said.")
    jl = tmp_path / "x.jsonl"
    jl.write_text(json.dumps({"id": "j1", "text": GOOD, "publisher": "Gazette"}) + "\n")
    out = tmp_path / "out.jsonl"
    code, _, err = run(["score", str(tmp_path / "in"), str(jl), str(tmp_path / "in" / "b.txt"),
                        "-o", str(out), "--model", str(tiny_model_dir)], capsys)
    assert code == 0, err
    res = lines(out)
    assert [d["id"] for d in res] == ["a", "b", "j1", "b"]
    assert res[2]["meta"] == {"publisher": "Gazette"}
    for d in res:
        check_result(d)
    assert res[0]["model"] == {"name": "tiny-test", "version": "0"}


def test_stdin(tmp_path, tiny_model_dir, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"id": "s", "text": GOOD}) + "\n"))
    code, out, _ = run(["score", "-", "--model", str(tiny_model_dir)], capsys)
    assert code == 0
    assert json.loads(out)["id"] == "s"


@pytest.mark.parametrize("name,content,message", [
    ("empty.txt", b"", "empty article"),
    ("blank.txt", b"  \n\n ", "empty article"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("latin1.txt", "Caf\xe9 au lait est bon.".encode("latin-1"), "not UTF-8"),
    ("page.txt", b"<!DOCTYPE html><html><body><p>Hi there.</p></body></html>", "HTML"),
    ("huge.txt", ("The council met again today. " * 180000).encode(), "too long"),
])
def test_bad_file_is_reported_and_others_still_scored(tmp_path, tiny_model_dir, capsys,
                                                      name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    out = tmp_path / "out.jsonl"
    code, _, err = run(["score", str(bad), str(good), "-o", str(out), "--model",
                        str(tiny_model_dir)], capsys)
    assert code == 0
    assert [d["id"] for d in lines(out)] == ["good"]
    bad_lines = [x for x in err.splitlines() if str(bad) in x]
    assert len(bad_lines) == 1 and message in bad_lines[0]


def test_only_bad_inputs_exit_nonzero(tmp_path, tiny_model_dir, capsys):
    (tmp_path / "e.txt").write_text("")
    code, _, err = run(["score", str(tmp_path / "e.txt"), str(tmp_path / "missing.txt"),
                        "-o", str(tmp_path / "o.jsonl"), "--model", str(tiny_model_dir)], capsys)
    assert code == 1
    assert "missing.txt: no such file or directory" in err


@pytest.mark.parametrize("line,message", [
    ("[1, 2]", "expected a JSON object"),
    ('{"id": "x"}', "no string field 'text'"),
    ('{"id": "x", "text": 5}', "no string field 'text'"),
    ("{not json", "invalid JSON"),
])
def test_bad_jsonl_lines(tmp_path, tiny_model_dir, capsys, line, message):
    jl = tmp_path / "in.jsonl"
    jl.write_text(line + "\n" + json.dumps({"id": "ok", "text": GOOD}) + "\n")
    out = tmp_path / "o.jsonl"
    code, _, err = run(["score", str(jl), "-o", str(out), "--model", str(tiny_model_dir)], capsys)
    assert code == 0
    assert [d["id"] for d in lines(out)] == ["ok"]
    assert f"{jl}:1" in err and message in err


def test_missing_and_incomplete_model_dir(tmp_path, tiny_model_dir, capsys):
    (tmp_path / "a.txt").write_text(GOOD)
    code, _, err = run(["score", str(tmp_path / "a.txt"), "--model", str(tmp_path / "nope")], capsys)
    assert code == 2 and "does not exist" in err
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text((tiny_model_dir / "config.json").read_text())
    code, _, err = run(["score", str(tmp_path / "a.txt"), "--model", str(broken)], capsys)
    assert code == 2 and "incomplete" in err and "heads.pt" in err
    assert len(err.strip().splitlines()) == 1


def test_output_is_atomic_on_failure(tmp_path, tiny_model_dir, monkeypatch):
    from annotator import cli

    out = tmp_path / "o.jsonl"
    out.write_text("previous run\n")
    (tmp_path / "a.txt").write_text(GOOD)

    def boom(*a, **k):
        yield from ()
        raise RuntimeError("crash mid-run")

    monkeypatch.setattr("annotator.score.score_articles", boom)
    with pytest.raises(RuntimeError):
        cli.main(["score", str(tmp_path / "a.txt"), "-o", str(out), "--model", str(tiny_model_dir)])
    assert out.read_text() == "previous run\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".o.jsonl")] == []


def test_console_script_runs(tmp_path, tiny_model_dir):
    (tmp_path / "a.txt").write_text(GOOD)
    p = subprocess.run([sys.executable, "-m", "annotator.cli", "score", str(tmp_path / "a.txt"),
                        "--model", str(tiny_model_dir)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["id"] == "a"
