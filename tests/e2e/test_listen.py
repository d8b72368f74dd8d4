"""The listening socket: the one line a failed start prints, and what cognitod does when file
descriptors run short (it must neither spin nor flood its log, and must answer again later)."""

import os
import resource
import socket
import sys
import time

import pytest

from cognitod_e2e import Cognitod, raw_request

# What a couple of seconds of accept trouble may add to the log: a few lines, not a flood.
LOG_BOUND = 100 * 1024
# How long the trouble lasts before the log is measured; no figure is asserted about it.
TROUBLE_SECONDS = 2.0
LIST_POOLS = {"MaxResults": 1}


class LimitedCognitod(Cognitod):
    """A cognitod started with RLIMIT_NOFILE (soft and hard) lowered to nofile."""

    LOWER_AND_EXEC = (
        "import os, resource, sys; n = int(sys.argv[1]); "
        "resource.setrlimit(resource.RLIMIT_NOFILE, (n, n)); os.execv(sys.argv[2], sys.argv[2:])"
    )

    def __init__(self, binary, nofile, log_dir):
        super().__init__(binary, log_dir=log_dir)
        self.nofile = nofile

    def command(self):
        return [sys.executable, "-c", self.LOWER_AND_EXEC, str(self.nofile), *super().command()]


@pytest.fixture
def no_vptr_reports(monkeypatch, tmp_path):
    """UBSan's vptr check opens a pipe to probe memory, which a process out of descriptors cannot
    do: it would report objects as of the wrong type. Its reports are off for these runs."""
    suppressions = tmp_path / "ubsan.supp"
    suppressions.write_text("vptr:*\n")
    options = [o for o in os.environ.get("UBSAN_OPTIONS", "").split(":") if o]
    monkeypatch.setenv("UBSAN_OPTIONS", ":".join([*options, f"suppressions={suppressions}"]))


def hold_connections(port, count):
    held = []
    for _ in range(count):
        held.append(socket.create_connection(("127.0.0.1", port), timeout=30))
    return held


def release(held):
    for s in held:
        s.close()


def log_size(server):
    return len(server.stderr_text().encode())


def assert_one_plain_line(stderr, prefix):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(prefix), stderr
    assert "/usr/include" not in lines[0] and "[system:" not in lines[0], stderr


def test_a_taken_port_stops_cognitod_with_one_plain_line(launcher):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        rc, out, err = launcher.run_to_exit(args=["--port", str(port)])
    assert rc != 0
    assert "listening" not in out
    assert_one_plain_line(err, f"cognitod: cannot listen on 127.0.0.1:{port}: ")
    assert "in use" in err, err


def test_an_unresolvable_host_stops_cognitod_with_one_plain_line(launcher):
    rc, out, err = launcher.run_to_exit(args=["--host", "no.such.host.invalid"], timeout=60)
    assert rc != 0
    assert "listening" not in out
    assert_one_plain_line(err, "cognitod: cannot resolve no.such.host.invalid: ")


def test_more_connections_than_descriptors_wait_without_flooding_the_log(
    launcher, cognitod_bin, no_vptr_reports
):
    server = LimitedCognitod(cognitod_bin, nofile=40, log_dir=launcher.log_dir)
    launcher.servers.append(server)
    server.start()
    held = hold_connections(server.port, 50)
    try:
        time.sleep(TROUBLE_SECONDS)
        assert log_size(server) < LOG_BOUND, server.stderr_text()[:2000]
        assert server.running()
    finally:
        release(held)
    # Once the held connections are gone, a new client is answered.
    status, _, data = raw_request(server.url, "ListUserPools", LIST_POOLS)
    assert status == 200, data
    assert log_size(server) < LOG_BOUND


def test_accept_backs_off_while_no_descriptor_is_left(launcher, no_vptr_reports):
    server = launcher.start()
    limits = resource.prlimit(server.proc.pid, resource.RLIMIT_NOFILE)
    # No new descriptor at all: every accept fails with EMFILE.
    resource.prlimit(server.proc.pid, resource.RLIMIT_NOFILE, (0, limits[1]))
    held = []
    try:
        held = hold_connections(server.port, 5)
        time.sleep(TROUBLE_SECONDS)
        assert "accept failed" in server.stderr_text()
        assert log_size(server) < LOG_BOUND, server.stderr_text()[:2000]
    finally:
        resource.prlimit(server.proc.pid, resource.RLIMIT_NOFILE, limits)
        release(held)
    status, _, data = raw_request(server.url, "ListUserPools", LIST_POOLS)
    assert status == 200, data
