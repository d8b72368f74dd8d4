#!/usr/bin/env bash
# Installs what is missing, builds once (with AddressSanitizer and UBSan) and runs every test
# layer: unit, protocol (GoogleTest via ctest) and end-to-end (node's test runner driving the real
# binary with amazon-cognito-identity-js, then pytest with boto3 and the aws CLI). .ci/run calls
# exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/test"
jobs=$(nproc)

"$root/scripts/install-deps.sh" test

echo "== format"
mapfile -t sources < <(cd "$root" && git ls-files '*.cpp' '*.hpp' 2>/dev/null || find server storage schema tests -name '*.[ch]pp')
(cd "$root" && clang-format --dry-run -Werror "${sources[@]}")

echo "== build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCOGNITOD_SANITIZE=address,undefined >/dev/null
cmake --build "$build" -j "$jobs"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "== release build (the binary scripts/run.sh makes, with warnings as errors)"
cmake -S "$root" -B "$root/build/release-check" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOGNITOD_TESTS=OFF >/dev/null
cmake --build "$root/build/release-check" -j "$jobs" --target cognitod

echo "== unit and protocol tests"
(cd "$build" && ctest --output-on-failure -j "$jobs")

echo "== end-to-end tests in JavaScript (amazon-cognito-identity-js, AWS SDK v3)"
(cd "$root/tests/e2e/js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
COGNITOD_BIN="$build/cognitod" NODE_NO_WARNINGS=1 node --test "$root/tests/e2e/js/"

echo "== end-to-end tests"
cd "$root"
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e --cognitod "$build/cognitod"
