"""Per-test fixtures as parallel test runners make them, and the signing-key stock behind them.

A suite run by pytest-xdist or jest workers gives each test its own user pool, app client and
user, from several workers at once against one cognitod. These tests run such workers on threads
and check that no worker ever sees another's pool, user or keys, and that the store takes the
concurrency without a locked database or an internal error.

cognitod keeps a stock of ready RSA keys (--signing-key-stock) so that no pool's first token waits
for a key to be made. The stock must survive a restart and a /_cognitod/reset; a burst past the
stock must still sign valid tokens (its keys made on the request path, the empty stock said once in
the log); and with no stock at all (--signing-key-stock 0) every pool makes its own keys on its
first call, without the log calling that an empty stock.
"""

import base64
import json
import re
import sqlite3
import subprocess
import threading
import time
import traceback
import urllib.request

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cognitod_e2e import make_client, raw_request

PASSWORD = "Corr3ct-Horse!"
TEMPORARY_PASSWORD = "Temp-Passw0rd!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
STOCK_FILL_TIMEOUT = 120.0
POLL_INTERVAL = 0.2
STOCK_EMPTY = "signing-key stock empty"
MADE_ON_REQUEST = re.compile(
    r"user pool (\S+): signing keys made on the request path in [0-9]+ ms \(the stock was empty\)"
)
# "<time> info <request id> <operation> <status> <error name or -> <micros>us"
REQUEST_LINE = re.compile(r"\S+ info \S+ (\S+) ([0-9]{3}) (\S+) [0-9]+us")

WORKERS = 8
FIXTURES_PER_WORKER = 3


# --- helpers ----------------------------------------------------------------------------------

def start(launcher, stock, db=":memory:", extra=()):
    """cognitod with the given stock, logging at info so that the request-path line shows."""
    return launcher.start(db=db, args=["--signing-key-stock", str(stock), "--log-level", "info", *extra])


def health(server):
    status, _, body = raw_request(server.url, method="GET", path="/_cognitod/health")
    assert status == 200, body
    document = json.loads(body)
    assert document["status"] == "ok", document
    return document


def wait_for_full_stock(server, target):
    """Polls health until the stock holds its target; returns the last health answer."""
    deadline = time.monotonic() + STOCK_FILL_TIMEOUT
    while True:
        document = health(server)
        stock = document["signingKeyStock"]
        assert stock["target"] == target, document
        assert stock["ready"] <= target, document
        if stock["ready"] == target:
            return document
        assert time.monotonic() < deadline, (
            f"the signing-key stock did not fill within {STOCK_FILL_TIMEOUT} s: {document}"
        )
        time.sleep(POLL_INTERVAL)


def b64url(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64url_int(part):
    return int.from_bytes(b64url(part), "big")


def header_of(token):
    return json.loads(b64url(token.split(".")[0]))


def claims_of(token):
    return json.loads(b64url(token.split(".")[1]))


def get_jwks(server, pool):
    url = f"http://127.0.0.1:{server.port}/{pool}/.well-known/jwks.json"
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        document = json.loads(response.read())
    keys = document["keys"]
    assert len(keys) == 2, document
    for key in keys:
        assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig", key
    assert keys[0]["kid"] != keys[1]["kid"], document
    return document


def public_key(jwk):
    return rsa.RSAPublicNumbers(b64url_int(jwk["e"]), b64url_int(jwk["n"])).public_key()


def signature_verifies(token, jwk):
    header, payload, signature = token.split(".")
    try:
        public_key(jwk).verify(
            b64url(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        return False
    return True


def verify_against(token, jwks):
    """Asserts that the token is RS256 and signed by the key its kid names in jwks; returns the kid."""
    header = header_of(token)
    assert header["alg"] == "RS256", header
    by_kid = {k["kid"]: k for k in jwks["keys"]}
    assert header["kid"] in by_kid, f"kid {header['kid']} is not in {sorted(by_kid)}"
    assert signature_verifies(token, by_kid[header["kid"]]), "the signature does not verify"
    return header["kid"]


def assert_foreign(token, jwks):
    """The token must not verify against another pool's keys: its kid is absent and no key there
    verifies its signature."""
    kids = {k["kid"] for k in jwks["keys"]}
    assert header_of(token)["kid"] not in kids
    for jwk in jwks["keys"]:
        assert not signature_verifies(token, jwk), f"verified against a foreign key {jwk['kid']}"


def new_fixture(client, name, username):
    """Pool, app client and confirmed user, as a per-test fixture makes them."""
    pool = client.create_user_pool(PoolName=name)["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool, ClientName=f"{name}-app", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    client.admin_create_user(
        UserPoolId=pool, Username=username, TemporaryPassword=TEMPORARY_PASSWORD, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@e2e.example"}],
    )
    client.admin_set_user_password(UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True)
    return pool, app


def sign_in(client, pool, app, username):
    response = client.admin_initiate_auth(
        UserPoolId=pool, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    return response["AuthenticationResult"]


def check_tokens(server, pool, app, username, result, jwks):
    """The tokens name this pool, client and user, and verify against this pool's keys, access and
    ID tokens each with its own key. Returns (access kid, id kid)."""
    access, id_token = result["AccessToken"], result["IdToken"]
    access_claims, id_claims = claims_of(access), claims_of(id_token)
    assert access_claims["iss"] == f"{server.url}/{pool}", access_claims
    assert access_claims["iss"].endswith("/" + pool), access_claims
    assert access_claims["client_id"] == app, access_claims
    assert access_claims["username"] == username, access_claims
    assert access_claims["token_use"] == "access", access_claims
    assert id_claims["iss"] == access_claims["iss"], id_claims
    assert id_claims["aud"] == app, id_claims
    assert id_claims["cognito:username"] == username, id_claims
    assert id_claims["token_use"] == "id", id_claims
    access_kid = verify_against(access, jwks)
    id_kid = verify_against(id_token, jwks)
    assert access_kid != id_kid, "access and ID tokens should be signed with different keys"
    return access_kid, id_kid


def log_of(server):
    return server.stderr_text()


def made_on_request(log):
    return MADE_ON_REQUEST.findall(log)


# --- 1. eight workers ---------------------------------------------------------------------------

def run_worker(worker, client, server, barrier, results, errors):
    try:
        barrier.wait(timeout=60)
        for fixture in range(FIXTURES_PER_WORKER):
            username = f"worker{worker}-fixture{fixture}"
            pool, app = new_fixture(client, f"worker-{worker}-fixture-{fixture}", username)
            tokens = sign_in(client, pool, app, username)
            admin_user = client.admin_get_user(UserPoolId=pool, Username=username)
            own_user = client.get_user(AccessToken=tokens["AccessToken"])
            listed = client.list_users(UserPoolId=pool)["Users"]
            # Another worker's user of the same fixture number never exists in this pool.
            other = f"worker{(worker + 1) % WORKERS}-fixture{fixture}"
            try:
                client.admin_get_user(UserPoolId=pool, Username=other)
                foreign_user = "found"
            except client.exceptions.UserNotFoundException:
                foreign_user = "not found"
            jwks = get_jwks(server, pool)
            client.delete_user_pool(UserPoolId=pool)
            results.append({
                "worker": worker, "fixture": fixture, "pool": pool, "app": app, "username": username,
                "tokens": tokens, "admin_user": admin_user, "own_user": own_user, "listed": listed,
                "foreign_user": foreign_user, "jwks": jwks,
            })
    except Exception:  # noqa: BLE001 - reported by the main thread
        errors.append(f"worker {worker}:\n{traceback.format_exc()}")
        barrier.abort()


def test_eight_parallel_workers_each_get_their_own_pools_users_and_keys(launcher):
    pools_needed = WORKERS * FIXTURES_PER_WORKER
    server = start(launcher, stock=2 * pools_needed)
    wait_for_full_stock(server, 2 * pools_needed)

    # boto3 sessions are not thread-safe to create from: make every client here.
    clients = [make_client(server.url) for _ in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    results, errors = [], []
    threads = [
        threading.Thread(target=run_worker, args=(w, clients[w], server, barrier, results, errors))
        for w in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker did not finish"
    assert not errors, "\n".join(errors)
    assert len(results) == pools_needed

    by_pool = {}
    for r in results:
        username, pool, app = r["username"], r["pool"], r["app"]
        assert r["admin_user"]["Username"] == username
        email = {a["Name"]: a["Value"] for a in r["admin_user"]["UserAttributes"]}["email"]
        assert email == f"{username}@e2e.example"
        assert r["own_user"]["Username"] == username, (r["worker"], r["own_user"]["Username"])
        assert [u["Username"] for u in r["listed"]] == [username], (pool, r["listed"])
        assert r["foreign_user"] == "not found", (pool, r["foreign_user"])
        r["kids"] = check_tokens(server, pool, app, username, r["tokens"], r["jwks"])
        by_pool[pool] = r

    pools = [r["pool"] for r in results]
    assert len(set(pools)) == pools_needed, f"pool ids repeat: {sorted(pools)}"
    apps = [r["app"] for r in results]
    assert len(set(apps)) == pools_needed, f"client ids repeat: {sorted(apps)}"
    kids = [k["kid"] for r in results for k in r["jwks"]["keys"]]
    assert len(kids) == 2 * pools_needed
    assert len(set(kids)) == 2 * pools_needed, "two pools share a signing key"
    moduli = {k["n"] for r in results for k in r["jwks"]["keys"]}
    assert len(moduli) == 2 * pools_needed, "two pools share an RSA key under different kids"

    # Every worker's access token fails against another worker's pool keys.
    for r in results:
        for other in results:
            if other["worker"] != r["worker"]:
                assert_foreign(r["tokens"]["AccessToken"], other["jwks"])
                assert_foreign(r["tokens"]["IdToken"], other["jwks"])

    # DeleteUserPool took every pool away.
    for pool in pools:
        with pytest.raises(clients[0].exceptions.ResourceNotFoundException):
            clients[0].describe_user_pool(UserPoolId=pool)

    log = log_of(server)
    assert "database is locked" not in log, log
    assert "InternalError" not in log, log
    requests = REQUEST_LINE.findall(log)
    assert not [line for line in requests if line[1].startswith("5")], log
    created = [line for line in requests if line[0] == "CreateUserPool"]
    assert created == [("CreateUserPool", "200", "-")] * pools_needed, created
    # The stock held two keys for every pool: none was made on a request.
    assert STOCK_EMPTY not in log, log
    assert made_on_request(log) == [], log


# --- 2. restart ---------------------------------------------------------------------------------

def stock_moduli(db):
    connection = sqlite3.connect(db)
    try:
        pems = [row[0] for row in connection.execute("SELECT pem FROM signing_key_stock ORDER BY seq")]
    finally:
        connection.close()
    return [
        serialization.load_pem_private_key(pem.encode(), password=None).public_key().public_numbers().n
        for pem in pems
    ]


def test_the_stock_survives_a_restart(launcher, tmp_path):
    db = tmp_path / "stock.db"
    server = start(launcher, stock=10, db=db)
    wait_for_full_stock(server, 10)
    assert server.stop() == 0, f"SIGTERM should stop cognitod cleanly\n{log_of(server)}"
    stocked = stock_moduli(db)
    assert len(stocked) == 10

    server.start()
    # Counted at start, before the first request is served: nothing had to be made.
    first = health(server)
    assert first["signingKeyStock"] == {"ready": 10, "target": 10}, first

    client = make_client(server.url)
    username = "after-restart"
    pool, app = new_fixture(client, "after-restart", username)
    tokens = sign_in(client, pool, app, username)
    jwks = get_jwks(server, pool)
    check_tokens(server, pool, app, username, tokens, jwks)
    # The pool took the two oldest keys of the stock the first run made.
    assert {b64url_int(k["n"]) for k in jwks["keys"]} == set(stocked[:2])

    log = log_of(server)
    assert STOCK_EMPTY not in log, log
    assert made_on_request(log) == [], log


# --- 3. past the stock ---------------------------------------------------------------------------

def stock_empty_lines(log):
    return [line for line in log.splitlines() if STOCK_EMPTY in line]


def test_a_burst_past_the_stock_makes_keys_on_the_request_and_says_so_once(launcher):
    server = start(launcher, stock=2)
    wait_for_full_stock(server, 2)
    client = make_client(server.url)

    # One pool's worth of keys: the first pool takes them, the next two are made without keys.
    pools = [client.create_user_pool(PoolName=f"burst-{n}")["UserPool"]["Id"] for n in range(3)]
    # The second pool's key set, at once: nothing can have refilled the stock yet.
    second_jwks = get_jwks(server, pools[1])

    log = log_of(server)
    warnings = stock_empty_lines(log)
    assert len(warnings) == 1, warnings
    assert " warn " in warnings[0] and f"user pool {pools[1]} " in warnings[0], warnings
    assert made_on_request(log) == [pools[1]], log

    # Every pool signs, with its own keys, whether they came from the stock or from a request.
    documents = {}
    for n, pool in enumerate(pools):
        username = f"burst-user-{n}"
        app = client.create_user_pool_client(
            UserPoolId=pool, ClientName=f"burst-{n}-app", ExplicitAuthFlows=FLOWS
        )["UserPoolClient"]["ClientId"]
        client.admin_create_user(
            UserPoolId=pool, Username=username, TemporaryPassword=TEMPORARY_PASSWORD, MessageAction="SUPPRESS",
        )
        client.admin_set_user_password(UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True)
        tokens = sign_in(client, pool, app, username)
        documents[pool] = (tokens, get_jwks(server, pool))
        check_tokens(server, pool, app, username, tokens, documents[pool][1])
        assert client.get_user(AccessToken=tokens["AccessToken"])["Username"] == username
    assert documents[pools[1]][1] == second_jwks, "the keys made on the JWKS request changed"
    for pool, (tokens, _) in documents.items():
        for other, (_, jwks) in documents.items():
            if other != pool:
                assert_foreign(tokens["AccessToken"], jwks)
    kids = [k["kid"] for _, jwks in documents.values() for k in jwks["keys"]]
    assert len(set(kids)) == 6, kids

    log = log_of(server)
    assert len(stock_empty_lines(log)) == 1, log
    made = made_on_request(log)
    assert pools[0] not in made and made.count(pools[1]) == 1, log
    assert all(" info " in line for line in log.splitlines() if MADE_ON_REQUEST.search(line)), log
    assert "InternalError" not in log and "database is locked" not in log, log


def test_without_a_stock_each_pool_makes_its_keys_on_its_first_call(launcher):
    server = start(launcher, stock=0)
    assert health(server)["signingKeyStock"] == {"ready": 0, "target": 0}
    client = make_client(server.url)

    first, first_app = new_fixture(client, "no-stock-1", "no-stock-user-1")
    tokens = sign_in(client, first, first_app, "no-stock-user-1")
    jwks = get_jwks(server, first)
    check_tokens(server, first, first_app, "no-stock-user-1", tokens, jwks)
    assert client.get_user(AccessToken=tokens["AccessToken"])["Username"] == "no-stock-user-1"

    second, second_app = new_fixture(client, "no-stock-2", "no-stock-user-2")
    third = client.create_user_pool(PoolName="no-stock-3")["UserPool"]["Id"]
    second_tokens = sign_in(client, second, second_app, "no-stock-user-2")
    second_jwks = get_jwks(server, second)
    check_tokens(server, second, second_app, "no-stock-user-2", second_tokens, second_jwks)
    assert_foreign(tokens["AccessToken"], second_jwks)
    assert_foreign(second_tokens["AccessToken"], jwks)

    # Keys made once per pool, by the first call that needed them; none yet for the third.
    log = log_of(server)
    assert sorted(made_on_request(log)) == sorted([first, second]), log

    # A fresh pool's key set, with no sign-in yet: two keys, the same two on the next fetch.
    third_jwks = get_jwks(server, third)
    again = get_jwks(server, third)
    assert {k["kid"] for k in again["keys"]} == {k["kid"] for k in third_jwks["keys"]}
    assert again == third_jwks
    all_kids = [k["kid"] for doc in (jwks, second_jwks, third_jwks) for k in doc["keys"]]
    assert len(set(all_kids)) == 6, all_kids

    log = log_of(server)
    assert sorted(made_on_request(log)) == sorted([first, second, third]), log
    # No stock was asked for: the log says so at start, and no pool is news of an empty one.
    assert "signing-key stock off" in log, log
    assert stock_empty_lines(log) == [], log
    assert "InternalError" not in log and "database is locked" not in log, log


# --- 4. reset -----------------------------------------------------------------------------------

def test_reset_leaves_the_stock_alone(launcher, tmp_path):
    db = tmp_path / "reset.db"
    server = start(launcher, stock=10, db=db)
    wait_for_full_stock(server, 10)
    client = make_client(server.url)

    # A pool from before the reset, whose keys must never serve a pool made after it.
    before, before_app = new_fixture(client, "before-reset", "before")
    before_tokens = sign_in(client, before, before_app, "before")
    before_jwks = get_jwks(server, before)
    check_tokens(server, before, before_app, "before", before_tokens, before_jwks)

    # health's "ready" is the generator's last count, which lags a CreateUserPool that took keys;
    # a restart counts the stock afresh, so the wait below sees the stock really full.
    assert server.stop() == 0, log_of(server)
    server.start()
    assert 8 <= health(server)["signingKeyStock"]["ready"] <= 10
    wait_for_full_stock(server, 10)
    client = make_client(server.url)
    # The pool kept its own keys across the restart, and this process has them parsed.
    assert get_jwks(server, before) == before_jwks
    check_tokens(server, before, before_app, "before", sign_in(client, before, before_app, "before"), before_jwks)

    status, _, body = raw_request(server.url, method="POST", path="/_cognitod/reset")
    assert status == 200, body
    assert health(server)["signingKeyStock"] == {"ready": 10, "target": 10}
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_user_pool(UserPoolId=before)

    # Ten keys in stock: five pools take them all, none has to make its own on a request.
    seen_kids = {k["kid"] for k in before_jwks["keys"]}
    for n in range(5):
        username = f"after-{n}"
        pool, app = new_fixture(client, f"after-reset-{n}", username)
        tokens = sign_in(client, pool, app, username)
        jwks = get_jwks(server, pool)
        check_tokens(server, pool, app, username, tokens, jwks)
        assert_foreign(tokens["AccessToken"], before_jwks)
        kids = {k["kid"] for k in jwks["keys"]}
        assert not kids & seen_kids, f"pool {pool} has keys of another pool"
        seen_kids |= kids

    log = log_of(server)
    assert STOCK_EMPTY not in log, log
    assert made_on_request(log) == [], log


# --- 5. bad values --------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["-1", "abc", "100001", ""])
def test_a_bad_stock_size_stops_cognitod_naming_the_flag(launcher, value):
    rc, out, err = launcher.run_to_exit(args=["--signing-key-stock", value])
    assert rc != 0
    assert "listening" not in out
    assert "--signing-key-stock" in err, err
    assert f"'{value}'" in err, err


def test_a_bad_stock_size_in_the_environment_names_the_variable(cognitod_bin):
    done = subprocess.run(
        [str(cognitod_bin), "--port", "0", "--db", ":memory:"],
        env={"PATH": "/usr/bin:/bin", "COGNITOD_SIGNING_KEY_STOCK": "abc"},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30,
    )
    assert done.returncode != 0
    assert "listening" not in done.stdout
    assert "COGNITOD_SIGNING_KEY_STOCK" in done.stderr, done.stderr
