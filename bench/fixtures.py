"""The fixture benchmark (`bench/run --fixtures`, issue 16): what an integration suite pays around
each test when every test gets its own pool.

One fixture is the eight calls below, in order, each answer checked. Workers are processes, each
with its own connection or boto3 client and its own pools, started and ready before the clock
starts, so that neither the interpreter's start nor the GIL of one process hides what a server
can do. bench/run starts the servers and calls run(); a worker is this file run as a script:

    python3 bench/fixtures.py worker '{"port": 8080, "client": "raw", "fixtures": 20, ...}'

Standard library only, except that the boto3 client imports boto3 in the worker that uses it: the
workers of that client run under an interpreter that has it (--boto3-python).
"""

import base64
import http.client
import json
import math
import os
import select
import subprocess
import sys
import time
from pathlib import Path

CALLS = ["CreateUserPool", "CreateUserPoolClient", "AdminCreateUser", "AdminSetUserPassword",
         "AdminInitiateAuth", "AdminGetUser", "GetUser", "DeleteUserPool"]
PASSWORD = "Fixture-Passw0rd!"
TARGET = "AWSCognitoIdentityProviderService."
# moto reads the region from the credential scope; none of the servers checks the signature.
AUTHORIZATION = ("AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/cognito-idp/aws4_request, "
                 "SignedHeaders=host, Signature=0")
BATCH_SECONDS = 900  # the most one batch of workers may take before it is stopped as hung
READY_SECONDS = 120  # the most a worker may take to import its client and make it


class WrongAnswer(Exception):
    """A call failed or answered something a fixture cannot go on with."""


# ---------------------------------------------------------------------------------------------
# The worker: runs in its own process, under the interpreter its client needs.

class RawClient:
    """AWS JSON 1.1 over one keep-alive connection (http.client reconnects when a server
    closes it, as moto_server does after each answer)."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.version = f"http.client, Python {sys.version.split()[0]}"

    def call(self, op, body):
        try:
            self.connection.request("POST", "/", body=json.dumps(body), headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": TARGET + op,
                "Authorization": AUTHORIZATION,
            })
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as e:
            self.connection.close()
            raise WrongAnswer(f"{op}: {type(e).__name__}: {e}") from None
        if response.status != 200:
            raise WrongAnswer(f"{op} answered {response.status}: {data[:300]!r}")
        try:
            return json.loads(data) if data else {}
        except ValueError:
            raise WrongAnswer(f"{op} answered 200 with a body that is not JSON: {data[:300]!r}") \
                from None


class Boto3Client:
    """boto3's cognito-idp client, as a test suite makes it; no retries, so that an error shows
    as one and no timing hides a retry."""

    def __init__(self, port):
        import boto3
        from botocore import xform_name
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        self.errors = (BotoCoreError, ClientError)
        self.client = boto3.session.Session().client(
            "cognito-idp", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
            config=Config(retries={"total_max_attempts": 1}, connect_timeout=60, read_timeout=60))
        self.methods = {op: getattr(self.client, xform_name(op)) for op in CALLS}
        self.version = f"boto3 {boto3.__version__}, Python {sys.version.split()[0]}"

    def call(self, op, body):
        try:
            out = self.methods[op](**body)
        except self.errors as e:
            raise WrongAnswer(f"{op}: {type(e).__name__}: {e}") from None
        out.pop("ResponseMetadata", None)
        return out


def claims(token, what):
    """The payload of a JWT, unverified: enough to see whose token it is."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (AttributeError, IndexError, ValueError):
        raise WrongAnswer(f"AdminInitiateAuth: the {what} is not a JWT: {str(token)[:80]!r}") \
            from None


def expect(condition, message):
    if not condition:
        raise WrongAnswer(message)


def fixture(client, name):
    """One test's fixture, every answer checked; returns each call's seconds."""
    seconds = {}

    def timed(op, body):
        started = time.perf_counter()
        out = client.call(op, body)
        seconds[op] = time.perf_counter() - started
        return out

    out = timed("CreateUserPool", {"PoolName": name})
    pool = out.get("UserPool", {}).get("Id")
    # REGION_ID as AWS writes it; cognito-local's region is "local".
    expect(isinstance(pool, str) and "_" in pool, f"CreateUserPool: no pool id in {out}"[:500])
    out = timed("CreateUserPoolClient", {
        "UserPoolId": pool, "ClientName": "tests",
        "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})
    client_id = out.get("UserPoolClient", {}).get("ClientId")
    expect(isinstance(client_id, str) and client_id, f"CreateUserPoolClient: no client id in {out}")
    username, email = f"{name}-user", f"{name}@example.com"
    out = timed("AdminCreateUser", {
        "UserPoolId": pool, "Username": username, "MessageAction": "SUPPRESS",
        "UserAttributes": [{"Name": "email", "Value": email}]})
    expect(out.get("User", {}).get("Username") == username, f"AdminCreateUser: answered {out}")
    timed("AdminSetUserPassword", {
        "UserPoolId": pool, "Username": username, "Password": PASSWORD, "Permanent": True})
    out = timed("AdminInitiateAuth", {
        "UserPoolId": pool, "ClientId": client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}})
    tokens = out.get("AuthenticationResult", {})
    expect(all(tokens.get(t) for t in ("AccessToken", "IdToken", "RefreshToken")),
           f"AdminInitiateAuth: no access, ID and refresh token in {out}")
    access = claims(tokens["AccessToken"], "access token")
    # Another pool's or client's token would pass every other check here.
    expect(str(access.get("iss", "")).endswith("/" + pool) and access.get("client_id") == client_id,
           f"AdminInitiateAuth: the access token is for {access.get('iss')} and client "
           f"{access.get('client_id')}, not {pool} and {client_id}")
    out = timed("AdminGetUser", {"UserPoolId": pool, "Username": username})
    attributes = {a.get("Name"): a.get("Value") for a in out.get("UserAttributes", [])}
    expect(out.get("Username") == username and attributes.get("email") == email and
           out.get("UserStatus") == "CONFIRMED",
           f"AdminGetUser: expected {username}, {email}, CONFIRMED; answered {out}")
    out = timed("GetUser", {"AccessToken": tokens["AccessToken"]})
    expect(out.get("Username") == username, f"GetUser: expected {username}; answered {out}")
    timed("DeleteUserPool", {"UserPoolId": pool})
    return seconds


def worker(spec):
    """Makes its client, says it is ready, waits for the go line, runs its fixtures and prints
    one JSON line: each fixture's start, end and calls, or the first wrong answer."""
    try:
        client = (Boto3Client if spec["client"] == "boto3" else RawClient)(spec["port"])
    except ImportError as e:
        print(json.dumps({"error": f"cannot use {spec['client']}: {e}"}), flush=True)
        return 1
    try:
        # One fixture off the clock: botocore loads each operation's model on its first call,
        # which a suite pays once, not per test.
        fixture(client, f"{spec['prefix']}-w{spec['worker']}-warm")
    except WrongAnswer as e:
        print(json.dumps({"error": f"warm-up fixture of worker {spec['worker']}: {e}"}), flush=True)
        return 1
    print(json.dumps({"ready": client.version}), flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1
    results = []
    cpu_started = time.process_time()
    try:
        for i in range(spec["fixtures"]):
            name = f"{spec['prefix']}-w{spec['worker']}-f{i}"
            start = time.monotonic()
            calls = fixture(client, name)
            results.append({"start": start, "end": time.monotonic(), "calls": calls})
    except WrongAnswer as e:
        print(json.dumps({"error": f"fixture {len(results) + 1} of worker {spec['worker']}: {e}"}),
              flush=True)
        return 1
    print(json.dumps({"fixtures": results, "cpu": time.process_time() - cpu_started}), flush=True)
    return 0


# ---------------------------------------------------------------------------------------------
# The driver: runs in bench/run's process.

KEY_THREAD = "signing-keys"  # cognitod's key generator: idle-priority work, off the request path


def group_cpu_seconds(pid):
    """User and system CPU seconds of the threads of every process in the process group pid
    leads (a server and, for cognito-local, the node process its launcher starts), but for
    cognitod's key generator; None where /proc does not say."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, found = 0, False
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # After the name: state, ppid, pgrp, ...; utime and stime are the 12th and 13th.
                if int(f.read().rsplit(")", 1)[1].split()[2]) != pid:
                    continue
            for task in os.listdir(f"/proc/{entry}/task"):
                with open(f"/proc/{entry}/task/{task}/stat") as f:
                    stat = f.read()
                name, fields = stat.split("(", 1)[1].rsplit(")", 1)
                if name == KEY_THREAD:
                    continue
                fields = fields.split()
                total += int(fields[11]) + int(fields[12])
                found = True
        except OSError:
            continue
    return total / ticks if found else None


QUIET_CORES = 0.05    # a server below this share of a core is idle
QUIET_WINDOW = 0.5    # seconds each look at the servers' CPU spans
QUIET_PATIENCE = 30   # the most seconds to wait for them


def await_quiet(systems, log):
    """Waits until every server is idle: a peer still at work after its own batch (cognito-local
    writes its data file after it has answered; a garbage collector runs late) would take CPU
    from the next system's batch, and on 2 cores that moved a 1-worker median by half."""
    started = time.monotonic()
    while True:
        before = {s.name: group_cpu_seconds(s.process.pid) for s in systems}
        time.sleep(QUIET_WINDOW)
        busy = []
        for s in systems:
            after = group_cpu_seconds(s.process.pid)
            if None not in (before[s.name], after) and \
                    after - before[s.name] > QUIET_CORES * QUIET_WINDOW:
                busy.append(s.name)
        waited = time.monotonic() - started
        if not busy:
            if waited > 2 * QUIET_WINDOW + 1:
                log(f"servers idle after {waited:.1f} s")
            return
        if waited > QUIET_PATIENCE:
            log(f"still busy after {QUIET_PATIENCE} s, running anyway: {', '.join(busy)}")
            return


def find_boto3_python(requested):
    """The interpreter for the boto3 workers, and its boto3's version: --boto3-python when given,
    else `python3` on PATH (what a suite's user runs), else this interpreter; None when none of
    them imports boto3."""
    candidates = [requested] if requested else ["python3", sys.executable]
    for python in candidates:
        try:
            result = subprocess.run(
                [python, "-c", "import sys, boto3; print(sys.executable, boto3.__version__)"],
                capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if result.returncode == 0:
            executable, version = result.stdout.split()
            return executable, version
    return None


def quantile(values, q):
    """Nearest rank: the smallest value with at least q of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def run_batch(system, client, python, workers, fixtures, prefix):
    """workers processes, fixtures each, against one system; the clock starts when all of them
    have their client made. Returns the fixtures and the span from the first start to the last
    end."""
    spec = {"port": system.port, "client": client, "fixtures": fixtures, "prefix": prefix}
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=os.devnull,
               AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true")
    processes = []
    try:
        for w in range(workers):
            processes.append(subprocess.Popen(
                [python, str(Path(__file__).resolve()), "worker", json.dumps(dict(spec, worker=w))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=env))
        version = None
        deadline = time.monotonic() + READY_SECONDS
        for p in processes:
            waiting = max(0, deadline - time.monotonic())
            if not select.select([p.stdout], [], [], waiting)[0]:
                raise WrongAnswer(f"{system.name}, {client}: a worker was not ready within "
                                  f"{READY_SECONDS} s")
            line = p.stdout.readline()
            try:
                ready = json.loads(line)
            except ValueError:
                ready = {"error": f"worker exited with {p.wait()}: {line}{p.stderr.read()[-2000:]}"}
            if "ready" not in ready:
                raise WrongAnswer(f"{system.name}, {client}: {ready.get('error')}")
            version = ready["ready"]
        server_cpu = group_cpu_seconds(system.process.pid)
        for p in processes:
            p.stdin.write("go\n")
            p.stdin.flush()
        deadline = time.monotonic() + BATCH_SECONDS
        done, client_cpu = [], 0.0
        for p in processes:
            try:
                out, err = p.communicate(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise WrongAnswer(f"{system.name}, {client}: {workers} workers did not finish "
                                  f"{fixtures} fixtures each within {BATCH_SECONDS} s") from None
            try:
                result = json.loads(out.strip().splitlines()[-1])
            except (ValueError, IndexError):
                result = {"error": f"worker exited with {p.returncode}: {out[-500:]}{err[-2000:]}"}
            if "fixtures" not in result:
                raise WrongAnswer(f"{system.name}, {client}, {workers} worker(s): "
                                  f"{result.get('error')}")
            done += result["fixtures"]
            client_cpu += result["cpu"]
        after = group_cpu_seconds(system.process.pid)
        server_cpu = after - server_cpu if server_cpu is not None and after is not None else None
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.wait()
    span = max(f["end"] for f in done) - min(f["start"] for f in done)
    return done, span, version, {"client": client_cpu, "server": server_cpu}


def run(systems, clients, worker_counts, fixtures, rounds, log):
    """Every (workers, client) setting on every system, systems alternating within each setting
    and the whole sequence repeated rounds times, so that a shared machine's drift hits every
    system alike. Returns {(system, client, workers): [per-round batch]} and client versions."""
    results, versions = {}, {}
    for r in range(rounds):
        for workers in worker_counts:
            for client, python in clients:
                for s in systems:
                    # cognitod's key stock full before every batch, whoever's: its generator
                    # then takes no CPU from a peer's batch, only from cognitod's own.
                    for other in systems:
                        if hasattr(other, "await_keys"):
                            other.await_keys(log)
                    await_quiet(systems, log)
                    done, span, version, cpu = run_batch(s, client, python, workers, fixtures,
                                                         f"r{r}-{client}-{workers}")
                    versions[client] = version
                    results.setdefault((s.name, client, workers), []).append(
                        {"fixtures": done, "span": span, "cpu": cpu})
                    totals = [f["end"] - f["start"] for f in done]
                    log(f"round {r + 1}: {s.name:14} {client:5} {workers} worker(s): "
                        f"{len(done)} fixtures, median {quantile(totals, 0.5) * 1000:.1f} ms, "
                        f"{len(done) / span:.1f} fixtures/s")
    return results, versions


def measure_reset(port, pools, rounds, log):
    """cognitod's /_cognitod/reset after pools fixture-sized pools (a client, a user with an
    email and a password), rounds times; each reset's seconds, as the client sees them. Every
    answer is checked, and after each reset ListUserPools must be empty."""
    client = RawClient(port)
    seconds = []
    for r in range(rounds):
        for i in range(pools):
            pool = client.call("CreateUserPool", {"PoolName": f"reset-{r}-{i}"})["UserPool"]["Id"]
            client.call("CreateUserPoolClient", {"UserPoolId": pool, "ClientName": "tests"})
            client.call("AdminCreateUser", {
                "UserPoolId": pool, "Username": "user", "MessageAction": "SUPPRESS",
                "UserAttributes": [{"Name": "email", "Value": "user@example.com"}]})
            client.call("AdminSetUserPassword", {"UserPoolId": pool, "Username": "user",
                                                 "Password": PASSWORD, "Permanent": True})
        started = time.perf_counter()
        client.connection.request("POST", "/_cognitod/reset", body="{}",
                                  headers={"Content-Type": "application/json"})
        response = client.connection.getresponse()
        response.read()
        seconds.append(time.perf_counter() - started)
        expect(response.status == 200, f"/_cognitod/reset answered {response.status}")
        left = client.call("ListUserPools", {"MaxResults": 60}).get("UserPools")
        expect(left == [], f"ListUserPools after a reset: {left}")
        log(f"reset after {pools} pools: {seconds[-1] * 1000:.1f} ms")
    return seconds


def ms(seconds):
    return f"{seconds * 1000:,.1f}"


def render(results, versions, systems, worker_counts, clients, fixtures, rounds):
    """The report's fixture tables, as markdown."""
    lines = [f"Fixtures: {fixtures} per worker per round, {rounds} round(s), systems alternating "
             f"within each setting; workers are processes, each with its own pools. "
             f"Clients: " + "; ".join(f"{c} ({versions.get(c, '?')})" for c, _ in clients) + "  ",
             "Percentiles are nearest-rank over every fixture of every round; fixtures/s is each "
             "round's fixtures over the span from the first start to the last end, the median "
             "round given (the range of the rounds in brackets). CPU per fixture: the CPU time the "
             "workers' processes and the server's (its process group) used in the rounds, over "
             "their fixtures: what the two sides cost, whatever the machine's other load "
             "(cognitod's without its key generator, which refills the stock off the request "
             "path at idle priority).", ""]
    header = ["system", "client", "workers", "fixtures", "fixture median ms", "fixture p90 ms",
              "fixtures/s", "client CPU ms/fixture", "server CPU ms/fixture"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for workers in worker_counts:
        for client, _ in clients:
            for s in systems:
                batches = results.get((s.name, client, workers))
                if not batches:
                    continue
                totals = [f["end"] - f["start"] for b in batches for f in b["fixtures"]]
                rates = sorted(len(b["fixtures"]) / b["span"] for b in batches)
                rate = f"{quantile(rates, 0.5):,.1f}"
                if len(rates) > 1:
                    rate += f" ({rates[0]:,.1f}-{rates[-1]:,.1f})"
                client_cpu = sum(b["cpu"]["client"] for b in batches) / len(totals)
                server_cpus = [b["cpu"]["server"] for b in batches]
                server_cpu = ("?" if None in server_cpus
                              else ms(sum(server_cpus) / len(totals)))
                lines.append(f"| {s.name} | {client} | {workers} | {len(totals)} | "
                             f"{ms(quantile(totals, 0.5))} | {ms(quantile(totals, 0.9))} | {rate} | "
                             f"{ms(client_cpu)} | {server_cpu} |")
    for workers in worker_counts:
        for client, _ in clients:
            present = [s for s in systems if (s.name, client, workers) in results]
            if not present:
                continue
            lines += ["", f"Per call, {client}, {workers} worker(s): median / p99 ms", ""]
            lines.append("| call | " + " | ".join(s.name for s in present) + " |")
            lines.append("|---|" + "---|" * len(present))
            for op in CALLS + ["fixture"]:
                cells = []
                for s in present:
                    done = [f for b in results[(s.name, client, workers)] for f in b["fixtures"]]
                    values = [f["end"] - f["start"] if op == "fixture" else f["calls"][op]
                              for f in done]
                    cells.append(f"{ms(quantile(values, 0.5))} / {ms(quantile(values, 0.99))}")
                lines.append(f"| {'whole fixture' if op == 'fixture' else op} | "
                             + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "worker":
        sys.exit("usage: fixtures.py worker JSON (bench/run --fixtures starts the workers)")
    sys.exit(worker(json.loads(sys.argv[2])))
