"""Fixtures for the e2e layer: the real cognitod binary driven by boto3, the aws CLI and raw HTTP.

Run with Debian's interpreter: /usr/bin/python3 -m pytest tests/e2e [--cognitod PATH]
"""

import os
from pathlib import Path

import pytest

from cognitod_e2e import (
    DEVICES_SEED,
    REPO_ROOT,
    AwsCli,
    Launcher,
    make_client,
)


def pytest_addoption(parser):
    parser.addoption(
        "--cognitod",
        action="store",
        default=os.environ.get("COGNITOD_BIN") or str(REPO_ROOT / "build" / "test" / "cognitod"),
        help="cognitod binary to test (default: $COGNITOD_BIN, else build/test/cognitod)",
    )


@pytest.fixture(scope="session")
def cognitod_bin(pytestconfig):
    path = Path(pytestconfig.getoption("--cognitod"))
    if not path.is_absolute():
        path = Path.cwd() / path
    return path


@pytest.fixture
def launcher(cognitod_bin, tmp_path):
    """Starts cognitod processes for one test; all of them are killed at teardown."""
    launch = Launcher(cognitod_bin, tmp_path)
    yield launch
    launch.close()


@pytest.fixture(scope="module")
def module_launcher(cognitod_bin, tmp_path_factory):
    launch = Launcher(cognitod_bin, tmp_path_factory.mktemp("cognitod-logs"))
    yield launch
    launch.close()


@pytest.fixture(scope="module")
def shared_server(module_launcher):
    """One seeded server (tests/e2e/seeds/devices.json, in memory) shared by a module.
    Only for tests that leave the seeded state as they found it."""
    return module_launcher.start(seed=DEVICES_SEED)


@pytest.fixture(scope="module")
def shared_client(shared_server):
    return make_client(shared_server.url)


@pytest.fixture
def server(launcher):
    """A fresh seeded server (devices.json, in memory) for a test that changes state."""
    return launcher.start(seed=DEVICES_SEED)


@pytest.fixture
def client(server):
    return make_client(server.url)


@pytest.fixture
def empty_server(launcher):
    """A fresh server without a seed."""
    return launcher.start()


@pytest.fixture
def empty_client(empty_server):
    return make_client(empty_server.url)


@pytest.fixture
def client_factory():
    return make_client


@pytest.fixture
def aws_cli(tmp_path):
    """aws_cli(url) -> AwsCli running /usr/bin/aws against url."""
    home = tmp_path / "aws-home"
    home.mkdir()
    return lambda url: AwsCli(url, home)
