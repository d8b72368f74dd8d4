"""`cognitod --healthcheck`, the image's HEALTHCHECK, against the real binary: it reads the same
COGNITOD_* settings as the server, so one environment serves both."""

import json
import os
import subprocess

from cognitod_e2e import REGION


def healthcheck(cognitod_bin, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COGNITOD_")}
    clean.update(env)
    return subprocess.run(
        [str(cognitod_bin), "--healthcheck", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=10,
    )


def test_a_running_server_is_healthy_through_its_port_variable(cognitod_bin, empty_server):
    done = healthcheck(cognitod_bin, COGNITOD_PORT=str(empty_server.port))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"cognitod: healthy: 127.0.0.1:{empty_server.port}/_cognitod/health: 200 ")
    assert json.loads(done.stdout.split(" 200 ", 1)[1])["status"] == "ok"


def test_the_control_token_comes_from_the_same_environment(cognitod_bin, launcher):
    server = launcher.start(args=["--control-token", "s3cret"])
    done = healthcheck(cognitod_bin, COGNITOD_PORT=str(server.port), COGNITOD_CONTROL_TOKEN="s3cret")
    assert done.returncode == 0, done.stderr
    refused = healthcheck(cognitod_bin, COGNITOD_PORT=str(server.port))
    assert refused.returncode == 1
    assert "unhealthy" in refused.stderr and ": 401 " in refused.stderr


def test_nothing_listening_is_unhealthy(cognitod_bin, launcher):
    server = launcher.start()
    port = server.port
    server.stop()
    done = healthcheck(cognitod_bin, "--port", str(port), "--region", REGION)
    assert done.returncode == 1
    assert done.stderr.startswith(f"cognitod: unhealthy: 127.0.0.1:{port}/_cognitod/health: connect: ")
