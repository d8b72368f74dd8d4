"""Helpers for the end-to-end tests: run the real cognitod binary, talk to it with boto3, the aws
CLI and raw HTTP. Fixtures that wrap these live in conftest.py."""

import http.client
import json
import os
import re
import selectors
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
LISTEN_LINE = re.compile(r"cognitod listening on (http://127\.0\.0\.1:([0-9]+))")
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
AMZ_JSON = "application/x-amz-json-1.1"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UUID4_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SEEDS = HERE / "seeds"
DEVICES_SEED = SEEDS / "devices.json"
EMAIL_USERNAME_SEED = SEEDS / "email_username.json"
EXAMPLE_SEED = REPO_ROOT / "docker" / "seed.example.json"

# What tests/e2e/seeds/devices.json holds.
POOL_A = "us-east-1_E2eDevA1"  # AliasAttributes [email]
POOL_B = "us-east-1_E2eDevB2"  # also has a user named alice
ALICE_EMAIL = "alice@e2e.example"
ALICE_PHONE = "us-east-1_a11ce000-0000-4000-8000-000000000001"
ALICE_LAPTOP = "us-east-1_a11ce000-0000-4000-8000-000000000002"
BOB_TABLET = "us-east-1_b0b00000-0000-4000-8000-000000000001"
BOB_KIOSK = "us-east-1_b0b00000-0000-4000-8000-000000000002"  # not_remembered
PAGER_DEVICES = [f"us-east-1_0a9e0000-0000-4000-8000-00000000000{i}" for i in range(1, 6)]
RACER_PHONE = "us-east-1_5ace0000-0000-4000-8000-000000000001"
DAN_PHONE = "us-east-1_da400000-0000-4000-8000-000000000001"  # dan is disabled
OTHER_ALICE_PHONE = "us-east-1_07e40000-0000-4000-8000-000000000001"  # alice in POOL_B
UNKNOWN_DEVICE = "us-east-1_00000000-0000-4000-8000-00000000dead"
UNKNOWN_POOL = "us-east-1_NoSuchPool"

# What tests/e2e/seeds/email_username.json holds.
POOL_MAIL = "us-east-1_E2eMail3"  # UsernameAttributes [email]
FRANK_EMAIL = "frank@e2e.example"
FRANK_PHONE = "us-east-1_f4a40000-0000-4000-8000-000000000001"
FRANK_LAPTOP = "us-east-1_f4a40000-0000-4000-8000-000000000002"

# The order in which AWS prints a device's attributes (aws-behaviour.md, Devices).
DEVICE_ATTRIBUTE_ORDER = [
    "device_status",
    "device_name",
    "dev:device_arn",
    "dev:device_owner",
    "last_ip_used",
    "dev:device_remembered_status",
    "dev:device_sdk",
]

POOL_ID_PATTERN = r"[\w-]+_[0-9a-zA-Z]+"
DEVICE_KEY_PATTERN = r"[\w-]+_[0-9a-f-]+"
USERNAME_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+"


class CognitodError(AssertionError):
    """cognitod did not start or stop the way the contract says."""


class Cognitod:
    """One cognitod process. start() waits for its 'listening' line; stop() signals it."""

    def __init__(self, binary, db=":memory:", seed=None, args=(), log_dir=None):
        self.binary = str(binary)
        self.db = str(db)
        self.seed = None if seed is None else str(seed)
        self.args = list(args)
        self.log_dir = log_dir
        self.proc = None
        self.url = None
        self.port = None
        self._stderr = None
        self._drain = None
        self.starts = 0

    def command(self):
        cmd = [
            self.binary,
            "--port", "0",
            "--db", self.db,
            "--region", REGION,
            "--account-id", ACCOUNT_ID,
            "--log-level", "warn",
        ]
        if self.seed is not None:
            cmd += ["--seed", self.seed]
        return cmd + self.args

    def _spawn(self, extra_args=()):
        if not os.access(self.binary, os.X_OK):
            pytest.fail(
                f"cognitod binary {self.binary} does not exist or is not executable; build it or "
                "pass --cognitod PATH (or set COGNITOD_BIN)",
                pytrace=False,
            )
        self.starts += 1
        if self.log_dir is not None:
            self._stderr = open(Path(self.log_dir) / f"cognitod-stderr-{id(self)}-{self.starts}.log", "w+b")
        else:
            self._stderr = tempfile.TemporaryFile()
        # COGNITOD_* variables configure cognitod too: keep the caller's out of the test.
        env = {k: v for k, v in os.environ.items() if not k.startswith("COGNITOD_")}
        self.proc = subprocess.Popen(
            self.command() + list(extra_args),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            start_new_session=True,
        )

    def start(self, extra_args=(), timeout=START_TIMEOUT):
        """Starts the process and waits for 'cognitod listening on http://127.0.0.1:PORT'."""
        assert not self.running(), "cognitod is already running"
        self._spawn(extra_args)
        line = self._read_first_line(timeout)
        match = LISTEN_LINE.fullmatch(line)
        if not match:
            self.kill()
            raise CognitodError(
                f"cognitod printed {line!r} instead of 'cognitod listening on http://127.0.0.1:PORT'"
                f"\nstderr:\n{self.stderr_text()}"
            )
        self.url = match.group(1)
        self.port = int(match.group(2))
        # Keep reading stdout so that a chatty server can never block on a full pipe.
        self._drain = threading.Thread(target=self._drain_stdout, args=(self.proc,), daemon=True)
        self._drain.start()
        return self

    def _read_first_line(self, timeout):
        fd = self.proc.stdout.fileno()
        buf = b""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in buf:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.kill()
                    raise CognitodError(
                        f"cognitod did not print its listening line within {timeout} s "
                        f"(stdout so far {buf!r})\ncommand: {self.command()}\nstderr:\n{self.stderr_text()}"
                    )
                if not sel.select(left):
                    continue
                chunk = os.read(fd, 4096)
                if not chunk:
                    try:
                        rc = self.proc.wait(timeout=STOP_TIMEOUT)
                    except subprocess.TimeoutExpired:
                        self.kill()
                        rc = "closed stdout but kept running"
                    raise CognitodError(
                        f"cognitod exited ({rc}) before listening\ncommand: {self.command()}"
                        f"\nstderr:\n{self.stderr_text()}"
                    )
                buf += chunk
        line = buf.partition(b"\n")[0]
        return line.decode("utf-8", "replace").rstrip("\r")

    def _drain_stdout(self, proc):
        try:
            while proc.stdout.read(4096):
                pass
        except (OSError, ValueError):
            pass

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Signals the process and waits for it; returns the exit code (negative: killed by signal)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise CognitodError(
                    f"cognitod did not exit within {timeout} s of signal {sig!s}\nstderr:\n{self.stderr_text()}"
                )
        if self._drain is not None:
            self._drain.join(timeout=2)
            self._drain = None
        if self.proc.stdout:
            self.proc.stdout.close()
        return self.proc.returncode

    def kill(self):
        """SIGKILL, as a crash would."""
        return self.stop(signal.SIGKILL)

    def restart(self, extra_args=()):
        """SIGTERM, then start again on the same database (the port changes)."""
        rc = self.stop()
        assert rc == 0, f"cognitod exited {rc} on SIGTERM\nstderr:\n{self.stderr_text()}"
        return self.start(extra_args)

    def stderr_text(self):
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def close(self):
        try:
            if self.running():
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT)
        finally:
            if self.proc is not None and self.proc.stdout:
                self.proc.stdout.close()
            if self._stderr is not None:
                self._stderr.close()


class Launcher:
    """Starts cognitod processes and guarantees that every one of them is gone at teardown."""

    def __init__(self, binary, log_dir):
        self.binary = binary
        self.log_dir = log_dir
        self.servers = []

    def make(self, db=":memory:", seed=None, args=()):
        server = Cognitod(self.binary, db=db, seed=seed, args=args, log_dir=self.log_dir)
        self.servers.append(server)
        return server

    def start(self, db=":memory:", seed=None, args=()):
        return self.make(db, seed, args).start()

    def run_to_exit(self, db=":memory:", seed=None, args=(), timeout=START_TIMEOUT):
        """Runs cognitod expecting it NOT to come up; returns (returncode, stdout, stderr)."""
        server = self.make(db, seed, args)
        server._spawn()
        try:
            out, _ = server.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            server.close()
            raise CognitodError(
                f"cognitod kept running for {timeout} s; expected it to refuse to start\n"
                f"stderr:\n{server.stderr_text()}"
            )
        return server.proc.returncode, out.decode("utf-8", "replace"), server.stderr_text()

    def close(self):
        for server in self.servers:
            server.close()
        self.servers.clear()


def make_client(url):
    return boto3.client(
        "cognito-idp",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(
            parameter_validation=False,
            retries={"max_attempts": 1},
            connect_timeout=5,
            read_timeout=30,
        ),
    )


def expect_error(client, code, message, operation, **params):
    """Calls client.<operation>(**params) and asserts the modelled exception, message and HTTP 400.
    message is a string (exact match) or a compiled regex (fullmatch). Returns the error response."""
    exception_class = getattr(client.exceptions, code)
    with pytest.raises(exception_class) as info:
        getattr(client, operation)(**params)
    response = info.value.response
    assert response["Error"]["Code"] == code
    if isinstance(message, re.Pattern):
        assert message.fullmatch(response["Error"]["Message"]), response["Error"]["Message"]
    elif message is not None:
        assert response["Error"]["Message"] == message
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return response


def validation_message(*violations):
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(violations)


def pattern_violation(member, value, pattern):
    shown = "Value" if value is None else f"Value '{value}'"
    return f"{shown} at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"


def null_violation(member):
    return f"Value null at '{member}' failed to satisfy constraint: Member must not be null"


def attrs(attribute_list):
    """[{Name, Value}, ...] -> {Name: Value}, asserting that no name repeats."""
    names = [a["Name"] for a in attribute_list]
    assert len(names) == len(set(names)), f"attribute names repeat: {names}"
    return {a["Name"]: a["Value"] for a in attribute_list}


def device_keys(client, pool, username, **params):
    return [d["DeviceKey"] for d in client.admin_list_devices(UserPoolId=pool, Username=username, **params)["Devices"]]


def all_device_pages(client, pool, username, limit):
    """Follows PaginationToken to the end; returns the list of pages (lists of keys)."""
    pages = []
    token = None
    while True:
        params = {"UserPoolId": pool, "Username": username, "Limit": limit}
        if token:
            params["PaginationToken"] = token
        response = client.admin_list_devices(**params)
        pages.append([d["DeviceKey"] for d in response["Devices"]])
        token = response.get("PaginationToken")
        if not token:
            return pages
        assert len(pages) <= 20, "AdminListDevices keeps returning a PaginationToken"


class AwsCli:
    """Runs Debian's aws CLI v2 against one cognitod endpoint."""

    EXECUTABLE = "/usr/bin/aws"

    def __init__(self, url, home):
        self.url = url
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_PAGER": "",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_MAX_ATTEMPTS": "1",
        }

    def run(self, *args, timeout=60):
        cmd = [
            self.EXECUTABLE, "cognito-idp", *args,
            "--endpoint-url", self.url, "--region", REGION, "--output", "json",
        ]
        return subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=timeout)

    def json(self, *args):
        result = self.run(*args)
        assert result.returncode == 0, f"aws {' '.join(args)} exited {result.returncode}: {result.stderr}"
        return json.loads(result.stdout) if result.stdout.strip() else {}


def raw_request(url, target=None, body=b"{}", method="POST", path="/", headers=None, connection=None):
    """One HTTP request with http.client; returns (status, headers as lower-case dict, body bytes).
    Pass connection to reuse a keep-alive connection."""
    host_port = url.split("://", 1)[1]
    conn = connection or http.client.HTTPConnection(host_port, timeout=30)
    # The control endpoints take JSON; the AWS endpoint, AWS JSON 1.1.
    all_headers = {"Content-Type": "application/json" if path.startswith("/_cognitod/") else AMZ_JSON}
    if target is not None:
        all_headers["X-Amz-Target"] = target if "." in target else TARGET_PREFIX + target
    all_headers.update(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    try:
        conn.request(method, path, body=body if method != "GET" else None, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        if connection is None:
            conn.close()
