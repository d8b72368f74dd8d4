"""The listening socket: the one line a failed start prints."""

import socket


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
