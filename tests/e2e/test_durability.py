"""Durability under load: AdminForgetDevice and AdminUpdateDeviceStatus from several connections,
cognitod killed with SIGKILL mid-run and restarted on the same database. Every acknowledged write
must be there, nothing unacknowledged half-applied, and the database intact; 20 rounds."""

import http.client
import json
import random
import sqlite3
import threading
import time

from cognitod_e2e import AMZ_JSON, TARGET_PREFIX, raw_request

POOL = "us-east-1_Durable01"
USERS = 10
DEVICES_PER_USER = 100
WORKERS = 4
ROUNDS = 20
# Columns that an AdminUpdateDeviceStatus may change; every other column must stay as it was.
STATUS_COLUMNS = ("remembered", "last_modified")


def device_key(user, n):
    return f"us-east-1_d0000000-0000-4000-8000-{user:04d}{n:08d}"


def make_seed():
    users = []
    for u in range(USERS):
        devices = [
            {"DeviceKey": device_key(u, n), "DeviceName": f"device-{u}-{n}",
             "DeviceRememberedStatus": "remembered" if n % 2 else "not_remembered",
             "LastIpUsed": "192.0.2.7"}
            for n in range(DEVICES_PER_USER)
        ]
        users.append({"Username": f"user{u}", "Devices": devices})
    return {"UserPools": [{"Id": POOL, "PoolName": "durability", "Users": users}]}


def read_devices(db):
    """Every device row of the database, by key, read with SQLite directly."""
    connection = sqlite3.connect(db)
    try:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(
            "SELECT d.*, u.username FROM devices d JOIN users u ON u.id = d.user_id"
        ).fetchall()
        return {row["device_key"]: dict(row) for row in rows}
    finally:
        connection.close()


def check_database(db):
    """integrity_check is ok, no foreign key points nowhere, and no row outlived its owner."""
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = {
            "devices": "SELECT count(*) FROM devices WHERE user_id NOT IN (SELECT id FROM users)",
            "user_attributes": "SELECT count(*) FROM user_attributes "
                               "WHERE user_id NOT IN (SELECT id FROM users)",
            "users": "SELECT count(*) FROM users WHERE pool_seq NOT IN (SELECT seq FROM user_pools)",
        }
        for table, sql in orphans.items():
            assert connection.execute(sql).fetchone() == (0,), f"orphan rows in {table}"
    finally:
        connection.close()


class Worker(threading.Thread):
    """Sends one write per device of its share over one keep-alive connection until the server
    goes away; remembers what it sent and what was acknowledged with HTTP 200."""

    def __init__(self, port, jobs):
        super().__init__(daemon=True)
        self.port = port
        self.jobs = jobs  # [(operation, device row, new remembered status or None)]
        self.sent = []
        self.acknowledged = []
        self.unexpected = []

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            for job in self.jobs:
                operation, row, status = job
                body = {"UserPoolId": POOL, "Username": row["username"], "DeviceKey": row["device_key"]}
                if status is not None:
                    body["DeviceRememberedStatus"] = status
                self.sent.append(job)
                conn.request("POST", "/", body=json.dumps(body), headers={
                    "Content-Type": AMZ_JSON, "X-Amz-Target": TARGET_PREFIX + operation,
                })
                response = conn.getresponse()
                data = response.read()
                if response.status == 200:
                    self.acknowledged.append(job)
                else:
                    self.unexpected.append((response.status, data))
                    return
        except (OSError, http.client.HTTPException):
            return  # the kill: whatever was in flight is unacknowledged
        finally:
            conn.close()


def plan_jobs(devices, rng):
    """One write per device, in random order: forget it, or flip its remembered status (so that an
    applied update is visible), split between the workers."""
    jobs = []
    for row in devices.values():
        if rng.random() < 0.5:
            jobs.append(("AdminForgetDevice", row, None))
        else:
            jobs.append(("AdminUpdateDeviceStatus", row,
                         "not_remembered" if row["remembered"] else "remembered"))
    rng.shuffle(jobs)
    return [jobs[i::WORKERS] for i in range(WORKERS)]


def check_round(before, after, workers):
    sent = {row["device_key"]: (operation, status) for w in workers for operation, row, status in w.sent}
    acked = {row["device_key"] for w in workers for _, row, _ in w.acknowledged}
    for key, old in before.items():
        operation, status = sent.get(key, (None, None))
        new = after.get(key)
        if operation == "AdminForgetDevice":
            if key in acked:
                assert new is None, f"acknowledged forget of {key} was lost"
            else:
                assert new is None or new == old, f"unacknowledged forget of {key} half-applied"
            continue
        assert new is not None, f"{key} vanished without a forget ({operation})"
        unchanged = {k: v for k, v in old.items() if k not in STATUS_COLUMNS}
        assert {k: v for k, v in new.items() if k not in STATUS_COLUMNS} == unchanged, key
        if operation is None:
            assert new == old, f"{key} changed though nothing was sent for it"
        elif key in acked:
            assert new["remembered"] == (status == "remembered"), f"acknowledged update of {key} lost"
            assert new["last_modified"] >= old["last_modified"]
        elif new["remembered"] == old["remembered"]:
            assert new == old, f"unacknowledged update of {key} half-applied"
    assert set(after) <= set(before), "devices appeared from nowhere"


def check_through_the_api(url, workers, rng):
    """A sample of acknowledged writes, read back through the restarted server."""
    acknowledged = [job for w in workers for job in w.acknowledged]
    for operation, row, status in rng.sample(acknowledged, min(10, len(acknowledged))):
        code, _, data = raw_request(url, "AdminGetDevice", {
            "UserPoolId": POOL, "Username": row["username"], "DeviceKey": row["device_key"],
        })
        if operation == "AdminForgetDevice":
            assert code == 400 and b"ResourceNotFoundException" in data, data
        else:
            assert code == 200, data
            attributes = json.loads(data)["Device"]["DeviceAttributes"]
            assert {"Name": "dev:device_remembered_status", "Value": status} in attributes


def test_acknowledged_device_writes_survive_sigkill(launcher, tmp_path):
    seed = tmp_path / "durability-seed.json"
    seed.write_text(json.dumps(make_seed()))
    db = tmp_path / "durability.db"
    # Two I/O threads, so that requests also meet each other inside cognitod.
    server = launcher.make(db=db, seed=seed, args=["--threads", "2"])
    # The first start applies the seed. The file is locked to the cognitod that has it open, so
    # each round reads it with SQLite directly while cognitod is down.
    server.start()
    assert server.stop() == 0
    rng = random.Random(7)
    total_acked = 0
    for round_number in range(ROUNDS):
        before = read_devices(db)
        assert len(before) == USERS * DEVICES_PER_USER
        server.start()
        workers = [Worker(server.port, jobs) for jobs in plan_jobs(before, rng)]
        for w in workers:
            w.start()
        # Killed at a random moment once writes are being acknowledged: on a loaded machine the
        # first answer can take longer than any fixed pause.
        started = time.monotonic()
        while not any(w.acknowledged for w in workers) and time.monotonic() - started < 60:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.6))
        server.kill()
        for w in workers:
            w.join(timeout=30)
            assert not w.is_alive()
            assert not w.unexpected, w.unexpected

        # Straight from the file the killed process left, as the restarted one will find it.
        check_database(db)
        check_round(before, read_devices(db), workers)
        acked = sum(len(w.acknowledged) for w in workers)
        assert acked > 0, f"round {round_number}: no write was acknowledged before the kill"
        total_acked += acked

        server.start()
        check_through_the_api(server.url, workers, rng)
        # Bring the forgotten devices back for the next round (a re-seed recreates what is missing).
        code, _, data = raw_request(server.url, body=seed.read_bytes(), path="/_cognitod/seed")
        assert code == 200, data
        assert server.stop() == 0
    check_database(db)
    assert total_acked >= ROUNDS
