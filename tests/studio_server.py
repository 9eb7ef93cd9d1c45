"""A real Label Studio for the round-trip tests, loaded with ``pytest_plugins = ["studio_server"]``
so every test module shares one server per session (first boot runs migrations, about a minute).
Test modules reach it only through fixtures: importing this module directly would keep pytest
from registering it as a plugin.
"""
from __future__ import annotations

import argparse
import time

import pytest

from annotator import cli_studio, studio


@pytest.fixture(scope="session")
def studio_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio")
    t0 = time.monotonic()
    state = studio.up(folder, port=0, timeout=600)
    state = {**state, "dir": str(folder), "boot_seconds": round(time.monotonic() - t0, 1),
             "conn_args": ["--url", state["url"], "--api-key", state["api_key"]]}
    print(f"\nLabel Studio up at {state['url']} in {state['boot_seconds']}s")
    try:
        yield state
    finally:
        studio.down(folder)


@pytest.fixture(scope="session")
def studio_conn(studio_server):
    return studio.Connection(studio_server["url"], studio_server["api_key"])


@pytest.fixture(scope="session")
def studio_cli():
    """Runs ``annotator studio ...`` / ``annotator serve`` argument lists; returns the exit code."""
    return cli


def cli(argv: list[str]) -> int:
    """The studio commands as ``annotator`` will run them once cli.py registers them."""
    ap = argparse.ArgumentParser(prog="annotator")
    cli_studio.add_commands(ap.add_subparsers(dest="cmd", required=True))
    args = ap.parse_args(argv)
    return args.func(args)
