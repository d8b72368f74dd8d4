#!/usr/bin/env bash
# Installs what is missing, builds a release cognitod and runs it on 127.0.0.1:9229 with its
# database in ./cognitod-data/. Extra arguments go to cognitod (try --help). Warnings do not stop
# this build (another compiler may warn where ours does not); the test command treats them as errors.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" build
cmake -S "$root" -B "$root/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOGNITOD_TESTS=OFF \
    -DCOGNITOD_WERROR=OFF >/dev/null
cmake --build "$root/build/release" --target cognitod
exec "$root/build/release/cognitod" "$@"
