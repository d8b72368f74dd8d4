#!/usr/bin/env bash
# Builds docker/Dockerfile and checks the image as a user of it would see it:
#   - its size, its user (not root) and its healthcheck;
#   - health turns healthy, through the image's own HEALTHCHECK (cognitod --healthcheck);
#   - the seeded devices are served, from a mounted seed file and from COGNITOD_SEED_JSON;
#   - a device forgotten before a restart stays forgotten after it (state lives on the volume,
#     and the seed is not applied twice);
#   - SIGTERM stops the server cleanly (exit status 0, its log's "stopped", nothing cut);
#   - docker/compose.yaml comes up and its client lists the seeded devices.
#
# CONTAINER_ENGINE picks the engine (default docker; podman works too, also as
# "podman --runtime runc"). CONTAINER_NETWORK=host runs the containers on the host's network
# (for engines that cannot publish ports) instead of publishing the port on 127.0.0.1.
# CONTAINER_BUILD_ARGS adds arguments to the build (e.g. "--network host"). CONTAINER_COMPOSE is
# the compose command with its global options (default "docker compose", or podman-compose with
# podman).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
read -r -a engine <<<"${CONTAINER_ENGINE:-docker}"
read -r -a build_args <<<"${CONTAINER_BUILD_ARGS:-}"
image=${COGNITOD_IMAGE:-cognitod:image-test}
suffix=$$
volume=cognitod-image-test-$suffix
containers=()

cleanup()
{
    for c in "${containers[@]}"; do
        "${engine[@]}" rm -f "$c" >/dev/null 2>&1 || true
    done
    "${engine[@]}" volume rm -f "$volume" >/dev/null 2>&1 || true
}
trap cleanup EXIT

fail()
{
    echo "FAIL: $*" >&2
    for c in "${containers[@]}"; do
        echo "--- logs of $c" >&2
        "${engine[@]}" logs "$c" >&2 2>&1 || true
    done
    exit 1
}

if ! "${engine[@]}" info >/dev/null 2>&1; then
    echo "SKIP: '${engine[*]} info' fails: no container engine runs here (set CONTAINER_ENGINE)"
    exit 0
fi

# podman keeps HEALTHCHECK only in the docker image format.
format=()
if [[ "${engine[0]}" == podman ]]; then
    format=(--format docker)
fi

echo "== build $image with ${engine[*]}"
started=$(date +%s)
"${engine[@]}" build "${format[@]}" "${build_args[@]}" -f "$root/docker/Dockerfile" -t "$image" \
    "$root" >/tmp/cognitod-image-build.$suffix.log 2>&1 ||
    { tail -40 /tmp/cognitod-image-build.$suffix.log >&2; fail "build"; }
rm -f /tmp/cognitod-image-build.$suffix.log
echo "built in $(($(date +%s) - started)) s"
size=$("${engine[@]}" image inspect --format '{{.Size}}' "$image")
echo "image size: $size bytes ($((size / 1000000)) MB)"
((size < 40000000)) || fail "the image is $size bytes, over 40 MB"
user=$("${engine[@]}" image inspect --format '{{.Config.User}}' "$image")
echo "runs as: $user"
[[ -n "$user" && "$user" != root && "$user" != 0* ]] || fail "the image runs as root"
healthcheck=$("${engine[@]}" image inspect --format '{{json .Config.Healthcheck}}' "$image")
echo "healthcheck: $healthcheck"
[[ "$healthcheck" == *--healthcheck* ]] || fail "the image has no healthcheck"

free_port()
{
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start NAME PORT [engine run args...]: a detached cognitod container answering on 127.0.0.1:PORT.
start()
{
    local name=$1 port=$2
    shift 2
    local network=(-p "127.0.0.1:$port:$port")
    if [[ "${CONTAINER_NETWORK:-}" == host ]]; then
        network=(--network host)
    fi
    containers+=("$name")
    # podman without systemd reports, on stderr, that it cannot schedule the health timer.
    "${engine[@]}" run -d --name "$name" "${network[@]}" -e COGNITOD_PORT="$port" "$@" "$image" \
        >/dev/null 2> >(grep -v 'systemd connection' >&2) || fail "run $name"
}

# wait_healthy NAME: polls the engine's health status; podman without systemd runs no timers,
# so there the check is triggered by hand, which runs the same HEALTHCHECK command.
wait_healthy()
{
    local name=$1 status=""
    for _ in $(seq 1 60); do
        if [[ "${engine[0]}" == podman ]]; then
            "${engine[@]}" healthcheck run "$name" >/dev/null 2>&1 || true
        fi
        status=$("${engine[@]}" inspect --format '{{.State.Health.Status}}' "$name" 2>/dev/null || true)
        if [[ "$status" == healthy ]]; then
            echo "$name: health $status"
            return 0
        fi
        sleep 0.5
    done
    fail "$name: health is '$status' after 30 s"
}

# call PORT OPERATION JSON: one AWS JSON 1.1 call; prints the answer, fails on an error.
call()
{
    python3 - "$@" <<'PY'
import json, sys, urllib.request, urllib.error
port, operation, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(
    f"http://127.0.0.1:{port}/", data=body.encode(), method="POST",
    headers={"Content-Type": "application/x-amz-json-1.1",
             "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}"})
try:
    with urllib.request.urlopen(req, timeout=5) as res:
        print(res.read().decode())
except urllib.error.HTTPError as e:
    sys.exit(f"{operation}: HTTP {e.code} {e.read().decode()}")
PY
}

# device_names PORT POOL USER: the user's device names, one per line, sorted.
device_names()
{
    call "$1" AdminListDevices "{\"UserPoolId\":\"$2\",\"Username\":\"$3\"}" | python3 -c '
import json, sys
for d in sorted(json.load(sys.stdin)["Devices"], key=lambda d: d["DeviceKey"]):
    names = [a["Value"] for a in d["DeviceAttributes"] if a["Name"] == "device_name"]
    print(d["DeviceKey"], names[0] if names else "")'
}

# stops_cleanly NAME: SIGTERM ends the container with status 0 and cognitod logs a clean stop
# ("stopping", then "stopped", and no connection cut at its 5 s drain limit). The engine's own
# round trips take what the machine gives them, so only cognitod's log is judged; the engine
# gets a generous bound, under the 10 s a `stop` would wait before it kills.
stops_cleanly()
{
    local name=$1 code logs
    "${engine[@]}" kill --signal TERM "$name" >/dev/null
    code=$(timeout 9 "${engine[@]}" wait "$name") || fail "$name did not exit within 9 s of SIGTERM"
    logs=$("${engine[@]}" logs "$name" 2>&1)
    [[ "$code" == 0 ]] || fail "$name exited $code on SIGTERM"
    [[ "$logs" == *" info stopped"* ]] || fail "$name did not log 'stopped'"
    [[ "$logs" != *"cutting them"* ]] || fail "$name had to cut connections to stop"
    # cognitod's own stop, from its log's timestamps: a figure to read, not a threshold.
    python3 -c '
import datetime, sys
stamps = {}
for line in sys.stdin:
    parts = line.split()
    if len(parts) >= 3 and parts[1] == "info" and parts[2] in ("stopping", "stopped"):
        stamps[parts[2]] = datetime.datetime.fromisoformat(parts[0].rstrip("Z"))
if len(stamps) == 2:
    took = (stamps["stopped"] - stamps["stopping"]).total_seconds() * 1000
    print(f"'"$name"': SIGTERM -> exit 0; cognitod stopped in {took:.0f} ms by its log")
' <<<"$logs"
}

# start_on_volume NAME: a container on the test's volume, seeded from the mounted example seed.
start_on_volume()
{
    start "$1" "$port" -v "$volume:/data" -v "$root/docker/seed.example.json:/seed/seed.json:ro" \
        -e COGNITOD_SEED=/seed/seed.json
    wait_healthy "$1"
}

pool=us-east-1_DemoShop1
port=$(free_port)
"${engine[@]}" volume create "$volume" >/dev/null

echo "== a mounted seed file, the database on a volume"
start_on_volume first
before=$(device_names "$port" "$pool" alice)
echo "$before"
# AdminListDevices lists remembered devices: two of alice's three seeded ones.
[[ $(wc -l <<<"$before") == 2 && "$before" == *"Alice's iPhone"* ]] ||
    fail "alice's two remembered seeded devices are not served"
# The seed's domain: discovery lists its endpoints, and its authorization endpoint leads to the
# hosted login.
python3 - "$port" "$pool" <<'PY' || fail "the demo-shop domain is not served"
import json, sys, urllib.error, urllib.request
port, pool = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
with urllib.request.urlopen(f"{base}/{pool}/.well-known/openid-configuration") as res:
    document = json.load(res)
assert document["authorization_endpoint"] == f"{base}/demo-shop/oauth2/authorize", document
class Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None
query = ("client_id=demoshophosted000000000001&response_type=code&scope=openid"
         "&redirect_uri=http://localhost:3000/api/auth/callback/cognito")
try:
    urllib.request.build_opener(Stay).open(f"{base}/demo-shop/oauth2/authorize?{query}")
    sys.exit("no redirect")
except urllib.error.HTTPError as e:
    assert e.code == 302 and e.headers["Location"].startswith(f"{base}/demo-shop/login?"), e.headers
PY
echo "demo-shop domain: discovery and /oauth2/authorize answer"
forgotten=$(grep "Alice's iPhone" <<<"$before" | cut -d' ' -f1)
call "$port" AdminForgetDevice \
    "{\"UserPoolId\":\"$pool\",\"Username\":\"alice\",\"DeviceKey\":\"$forgotten\"}" >/dev/null
echo "forgot $forgotten"
stops_cleanly first

echo "== the same volume in a new container"
start_on_volume second
after=$(device_names "$port" "$pool" alice)
echo "$after"
[[ $(wc -l <<<"$after") == 1 ]] || fail "alice should have 1 device listed after the restart"
[[ "$after" != *"$forgotten"* ]] || fail "the forgotten device came back after the restart"
[[ "$after" == "$(grep -v "$forgotten" <<<"$before")" ]] || fail "the other devices changed"
[[ $("${engine[@]}" logs second 2>&1) == *"already applied"* ]] || fail "the seed was applied twice"
stops_cleanly second

echo "== an inline seed (COGNITOD_SEED_JSON), a control token, no volume"
inline_port=$(free_port)
start third "$inline_port" -e COGNITOD_CONTROL_TOKEN=t0ken -e COGNITOD_SEED_JSON="$(cat "$root/docker/seed.example.json")"
wait_healthy third
inline=$(device_names "$inline_port" us-east-1_DemoBank2 erin)
echo "$inline"
[[ $(wc -l <<<"$inline") == 2 ]] || fail "erin's two seeded devices are not served"
stops_cleanly third

echo "== docker/compose.yaml"
if [[ -n "${CONTAINER_COMPOSE:-}" ]]; then
    read -r -a compose <<<"$CONTAINER_COMPOSE"
elif [[ "${engine[0]}" == podman ]]; then
    compose=(podman-compose "--podman-build-args=--format docker ${CONTAINER_BUILD_ARGS:-}")
else
    compose=(docker compose)
fi
project=cognitod-image-test-$suffix
compose_down()
{
    "${compose[@]}" -p "$project" -f "$root/docker/compose.yaml" down -v >/dev/null 2>&1 || true
}
if ! "${compose[@]}" version >/dev/null 2>&1; then
    echo "SKIP compose: '${compose[*]} version' fails"
    composed=""
else
    trap 'compose_down; cleanup' EXIT
    COGNITOD_HOST_PORT=$(free_port) timeout 900 "${compose[@]}" -p "$project" \
        -f "$root/docker/compose.yaml" up --build --abort-on-container-exit \
        >/tmp/cognitod-compose.$suffix.log 2>&1 || true
    # The client's lines, with any "service |" prefix the compose tool adds taken off.
    listing=$(sed -E 's/^[^|]*list-devices[^|]*\| //' /tmp/cognitod-compose.$suffix.log |
        grep -E '^(== user pool |-- [a-z]|us-east-1_)' || true)
    echo "$listing"
    if [[ "$listing" != *"Alice's iPhone"*remembered* || "$listing" != *"Frank's Galaxy"* ]]; then
        tail -40 /tmp/cognitod-compose.$suffix.log >&2
        fail "the compose stack's client did not list the seeded devices"
    fi
    rm -f /tmp/cognitod-compose.$suffix.log
    compose_down
    composed=", compose up"
fi

echo "image test passed: $((size / 1000000)) MB, healthy, seeded, state kept across a restart, SIGTERM exit 0$composed"
