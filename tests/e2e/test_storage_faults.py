"""Storage that cannot be written: a database file or directory that refuses writes stops startup
with status 2 and one line; a database file deleted, renamed or replaced while cognitod runs makes
it refuse writes (InternalErrorException, 500), log it once and report itself unhealthy."""

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from cognitod_e2e import (
    REGION,
    START_TIMEOUT,
    make_client,
    raw_request,
)

NOBODY = 65534
DETECTION_TIMEOUT = 10.0  # the checkpointer looks once a second


# --- running as a user the file refuses ---------------------------------------------------------


def unprivileged_prefix():
    """The command prefix that runs cognitod as a user to whom file modes apply: none for a normal
    user; root ignores them, so root runs it as nobody through setpriv."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: no user to whom a read-only file is read-only")
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    if subprocess.run(prefix + ["true"], capture_output=True).returncode != 0:
        pytest.skip("running as root without the right to become nobody (CAP_SETUID)")
    return prefix


def owned_by_runner(path):
    """Hands path to the user cognitod runs as (nobody when the tests run as root)."""
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)


@pytest.fixture
def shared_dir():
    """A directory outside pytest's private (0700) tree, which nobody can reach."""
    path = Path(tempfile.mkdtemp(prefix="cognitod-storage-"))
    os.chmod(path, 0o755)
    yield path
    for root, dirs, _ in os.walk(path):
        for d in dirs:
            os.chmod(Path(root) / d, 0o755)
    os.chmod(path, 0o755)
    shutil.rmtree(path)


def make_database(launcher, db):
    """A real database, as cognitod leaves it after a clean stop: one pool in it."""
    server = launcher.start(db=db)
    make_client(server.url).create_user_pool(PoolName="kept")
    assert server.stop() == 0
    for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        assert not leftover.exists(), f"{leftover} left after a clean stop"


def run_unprivileged(cognitod_bin, db):
    """Runs cognitod on db as a user the file's modes apply to, expecting it to refuse to start;
    returns (returncode, stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COGNITOD_")}
    try:
        done = subprocess.run(
            unprivileged_prefix()
            + [str(cognitod_bin), "--port", "0", "--db", str(db), "--region", REGION],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(
            f"cognitod started on a database it cannot write and kept running\nstdout: {e.stdout!r}"
            f"\nstderr: {e.stderr!r}",
            pytrace=False,
        )
    return done.returncode, done.stdout, done.stderr


def test_a_read_only_database_file_stops_startup_with_status_2(cognitod_bin, launcher, shared_dir):
    db = shared_dir / "state.db"
    make_database(launcher, db)
    owned_by_runner(shared_dir)  # the directory is writable: only the file refuses
    os.chmod(db, 0o444)

    rc, out, err = run_unprivileged(cognitod_bin, db)
    assert "listening" not in out
    assert rc == 2, f"exit status {rc}\nstderr:\n{err}"
    assert err == f"cognitod: database {db} cannot be written: the file is read-only\n", err


def test_a_directory_that_refuses_the_write_ahead_log_stops_startup_with_status_2(
    cognitod_bin, launcher, shared_dir
):
    data = shared_dir / "data"
    data.mkdir()
    db = data / "state.db"
    make_database(launcher, db)
    owned_by_runner(db)  # the file is writable: only its directory refuses
    os.chmod(data, 0o555)

    rc, out, err = run_unprivileged(cognitod_bin, db)
    assert "listening" not in out
    assert rc == 2, f"exit status {rc}\nstderr:\n{err}"
    assert err == (
        f"cognitod: database {db} cannot be written: its directory {data} does not let "
        "cognitod create files (SQLite keeps its write-ahead log beside the database)\n"
    ), err


# --- a database file that goes away while cognitod runs -----------------------------------------


def health(server):
    status, _, body = raw_request(server.url, method="GET", path="/_cognitod/health")
    return status, json.loads(body)


def wait_unhealthy(server):
    deadline = time.monotonic() + DETECTION_TIMEOUT
    while True:
        status, body = health(server)
        if status != 200 or time.monotonic() > deadline:
            return status, body
        time.sleep(0.1)


def delete(db):
    os.remove(db)


def rename(db):
    os.rename(db, f"{db}.moved")


def replace(db):
    other = Path(f"{db}.other")
    other.write_bytes(b"")
    os.replace(other, db)


@pytest.mark.parametrize("lose", [delete, rename, replace], ids=["deleted", "renamed", "replaced"])
def test_a_database_file_lost_while_running_refuses_writes_and_is_unhealthy(
    cognitod_bin, launcher, tmp_path, lose
):
    db = tmp_path / "state.db"
    server = launcher.start(db=db)
    client = make_client(server.url)
    kept = client.create_user_pool(PoolName="before")["UserPool"]["Id"]
    assert health(server)[0] == 200

    lose(db)
    status, body = wait_unhealthy(server)
    assert status == 503, body
    reason = (
        f"The database file {db} was deleted, renamed or replaced while cognitod ran; writes are "
        "refused, as they would be lost. Restart cognitod."
    )
    assert (body["status"], body["reason"]) == ("unhealthy", reason), body

    # Every write is refused with the reason; reads still answer from the state as it was.
    status, headers, raw = raw_request(
        server.url, "CreateUserPool", {"PoolName": "after"}
    )
    assert status == 500, raw
    assert headers["x-amzn-errortype"].startswith("InternalErrorException")
    assert json.loads(raw)["message"] == reason
    assert client.describe_user_pool(UserPoolId=kept)["UserPool"]["Name"] == "before"

    env = {k: v for k, v in os.environ.items() if not k.startswith("COGNITOD_")}
    check = subprocess.run(
        [str(cognitod_bin), "--healthcheck", "--port", str(server.port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert check.returncode == 1, check.stdout + check.stderr
    assert check.stderr.startswith(
        f"cognitod: unhealthy: 127.0.0.1:{server.port}/_cognitod/health: 503 "
    ), check.stderr

    # Said once in the log, however many writes are refused after.
    raw_request(server.url, "CreateUserPool", {"PoolName": "again"})
    assert server.stop() == 0
    log = server.stderr_text()
    assert log.count(reason) == 1, log
