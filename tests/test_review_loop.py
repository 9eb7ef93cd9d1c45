"""The review loop end to end against a real Label Studio (issue: retraining loop):
score -> push -> reviewer applies the gold labels through the API -> pull -> retrain -> guard."""
from __future__ import annotations

import pytest

from annotator import labelstudio as lsx
from annotator import studio
from annotator.classify import load_classifier
from annotator.eval import evaluate_gold, evaluate_oracle_segments
from annotator.gold import gold_split
from annotator.records import Article, ArticleResult
from annotator.registry import decide, key_metrics, set_current
from annotator.retrain import retrain
from annotator.score import score_articles
from annotator.train import train
from annotator.train_data import TrainConfig

pytest_plugins = ["studio_server"]
pytestmark = pytest.mark.slow

BASE_DOCS, REVIEWED_DOCS = 30, 12


def small_config() -> TrainConfig:
    return TrainConfig(name="loop", epochs=2, gold_repeat=1, corrections_repeat=2, batch_size=64,
                       weak_size=200, gold_train_docs=BASE_DOCS,
                       aux_sizes={"subj_checkthat": 200, "subj_mpqa": 50, "uncertain_wiki": 100,
                                  "uncertain_sfu": 50, "attributed_polnear": 100})


def label_accuracy(clf, docs) -> float:
    r = evaluate_oracle_segments(clf, docs)
    return r["accuracy"]


def test_corrections_from_label_studio_make_the_model_better(studio_conn, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    base = train(small_config(), models / "loop-v1", log=None)
    set_current(base, models)
    base_clf = load_classifier(base)

    reviewed = gold_split("train")[BASE_DOCS:BASE_DOCS + REVIEWED_DOCS]
    scored = list(score_articles((Article(d.id, d.text) for d in reviewed), base_clf))
    studio.push(studio_conn, "loop", scored)

    # the reviewer replaces each prediction with the gold annotation, through the API
    client = studio_conn.client()
    proj = studio.find_project(client, "loop")
    tasks = {t.data["article_id"]: t for t in client.tasks.list(project=proj.id)}
    for d in reviewed:
        gold = ArticleResult(d.id, d.claims, {}, {"name": "reviewer", "version": "1"}, d.text)
        result = lsx.to_prediction(gold, [])[0]["result"]
        client.annotations.create(id=tasks[d.id].id, result=result)
    out = tmp_path / "pulled.jsonl"
    summary, _ = studio.pull(studio_conn, "loop", str(out))
    assert summary["reviewed"] == REVIEWED_DOCS

    new = retrain([str(out)], small_config(), models, promote=False)
    new_clf = load_classifier(new["path"])
    assert new["version"] == "loop-v2"

    # accuracy on the corrected articles goes up
    before, after = label_accuracy(base_clf, reviewed), label_accuracy(new_clf, reviewed)
    print(f"corrected articles: label accuracy {before:.3f} -> {after:.3f}")
    assert after > before

    # and the held-out gold split does not get worse (the promotion guard's tolerance)
    test = gold_split("test")
    m_old = key_metrics({"gold": evaluate_gold(base_clf, test)})
    m_new = key_metrics({"gold": evaluate_gold(new_clf, test)})
    print(f"gold test label macro-F1 {m_old['label_macro_f1']:.4f} -> {m_new['label_macro_f1']:.4f}")
    assert m_new["label_macro_f1"] >= m_old["label_macro_f1"] - 0.01
    assert decide(m_new, m_old, label_margin=1.0).promote
