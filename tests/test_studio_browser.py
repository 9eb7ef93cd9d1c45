"""A reviewer in the real Label Studio UI (headless Chromium from Debian, driven by Playwright)
changes one claim's label and submits; ``studio pull`` then carries exactly that correction."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from test_labelstudio import TEXT, span
from test_labelstudio_roundtrip import results, write

from annotator import studio
from annotator.labels import schema

pytest_plugins = ["studio_server"]
pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def test_relabel_in_the_browser_reaches_pull(studio_server, studio_conn, tmp_path, capsys, studio_cli):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: apt-get install -y chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    artifacts = Path(os.environ.get("ANNOTATOR_ARTIFACTS") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    assert studio_cli(["studio", "push", write(tmp_path / "s.jsonl", results()[:1]), "--project", "browser",
                *studio_server["conn_args"]]) == 0
    capsys.readouterr()
    client = studio_conn.client()
    proj = studio.find_project(client, "browser")
    (task,) = client.tasks.list(project=proj.id)
    target = "Prices could rise next year."  # predicted speculation
    hotkey = next(x["hotkey"] for x in schema()["labels"] if x["name"] == "opinion")
    url, outside = studio_server["url"], []

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1400, "height": 1000})
        try:
            page = ctx.new_page()
            page.on("request", lambda r: outside.append(r.url)
                    if r.url.split(":")[0] in ("http", "https") and not r.url.startswith(url) else None)
            page.goto(url + "/user/login/")
            page.fill("input[name=email]", studio_server["username"])
            page.fill("input[name=password]", studio_server["password"])
            page.click("button[type=submit]")
            page.wait_for_url(lambda u: "/user/login" not in u, timeout=60000)
            page.goto(f"{url}/projects/{proj.id}/data?task={task.id}")
            region = page.locator(".lsf-outliner-item", has_text=target)
            region.wait_for(timeout=90000)
            page.screenshot(path=str(artifacts / "studio_task_view.png"))
            region.click()
            page.keyboard.press(hotkey)
            page.locator(".lsf-outliner-item", has_text=target).filter(has_text="opinion") \
                .wait_for(timeout=10000)
            page.screenshot(path=str(artifacts / "studio_task_relabelled.png"))
            page.get_by_role("button", name="Submit").click()
            deadline = time.monotonic() + 30
            while not client.tasks.get(str(task.id)).annotations and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            ctx.close()
    assert outside == []  # no telemetry, fonts, CDNs or version checks from the UI

    out = tmp_path / "reviewed.jsonl"
    assert studio_cli(["studio", "pull", "--project", "browser", "-o", str(out), "--json",
                *studio_server["conn_args"]]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["reviewed"] == 1 and summary["problems"] == []
    assert summary["corrections"] == {"label": 1, "boundary": 0, "source": 0, "deleted": 0, "added": 0}
    assert summary["agreement"]["speculation"]["precision"] == 0.0
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 1
    got = [(c["start"], c["end"], c["text"], c["label"], c["source"]["type"]) for c in recs[0]["claims"]]
    want = []
    for c in results()[0].claims:
        label = "opinion" if c.text == target else c.label
        want.append((c.start, c.end, c.text, label, c.source.type))
    assert got == want
    s = span(TEXT, target)
    assert (got[1][0], got[1][1]) == (s.start, s.end)
