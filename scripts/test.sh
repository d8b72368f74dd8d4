#!/usr/bin/env bash
# Installs what is missing, builds once (clang, with AddressSanitizer, UBSan and the libFuzzer
# targets) and runs every test layer: unit, protocol (GoogleTest via ctest; again built with
# ThreadSanitizer), clang-tidy over the server's sources, each fuzzer for
# $FUZZ_SECONDS (default 60 s), and end-to-end (node's test runner driving the real binary with
# amazon-cognito-identity-js, then pytest with boto3 and the aws CLI), a short benchmark run
# that only checks bench/run works, then the image
# (docker/Dockerfile and docker/compose.yaml, with docker or, where no Docker engine runs, podman).
# A release build with g++ checks that compiler's warnings too. .ci/run calls exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/test"
jobs=$(nproc)

"$root/scripts/install-deps.sh" test

# Let ccache hit across checkouts (CI builds a fresh clone each time): paths relative to the
# checkout, and the build directory left out of the hash even though -g records it.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

echo "== format"
mapfile -t sources < <(cd "$root" && git ls-files '*.cpp' '*.hpp' 2>/dev/null || find server storage schema tests fuzz -name '*.[ch]pp')
(cd "$root" && clang-format --dry-run -Werror "${sources[@]}")

echo "== build (clang: tests, binary and fuzzers from one tree, with ASan and UBSan)"
# CMake cannot switch a configured tree to another compiler in one run: start a g++ tree afresh.
if [[ -f "$build/CMakeCache.txt" ]] &&
    ! grep -q '^CMAKE_CXX_COMPILER:.*clang++-14$' "$build/CMakeCache.txt"; then
    rm -rf "$build"
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug \
    -DCOGNITOD_SANITIZE=address,undefined -DCOGNITOD_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Symbolized stacks: Debian's llvm-14 ships llvm-symbolizer outside PATH.
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" ]] && ! command -v llvm-symbolizer >/dev/null &&
    [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi

echo "== release build (g++: the binary scripts/run.sh makes, with warnings as errors)"
cmake -S "$root" -B "$root/build/release-check" -G Ninja -DCMAKE_CXX_COMPILER=g++ \
    -DCMAKE_BUILD_TYPE=Release -DCOGNITOD_TESTS=OFF >/dev/null
cmake --build "$root/build/release-check" -j "$jobs" --target cognitod

echo "== unit and protocol tests"
(cd "$build" && ctest --output-on-failure -j "$jobs")

echo "== ThreadSanitizer build (clang: the unit and protocol tests, concurrent clients included)"
# A tree of its own: TSan cannot be combined with ASan. Its compile database also feeds clang-tidy.
tsan="$root/build/tsan"
cmake -S "$root" -B "$tsan" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug \
    -DCOGNITOD_SANITIZE=thread -DCOGNITOD_BENCH=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
cmake --build "$tsan" -j "$jobs" --target schema_tests storage_tests server_tests protocol_tests
(cd "$tsan" && TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} \
    ctest --output-on-failure -j "$jobs")

echo "== clang-tidy (.clang-tidy's checks on server/, storage/ and schema/; unchanged files cached)"
/usr/bin/python3 "$root/scripts/tidy.py" "$tsan"

echo "== fuzzing (each target ${FUZZ_SECONDS:-60} s)"
FUZZ_BUILD="$build" "$root/scripts/fuzz.sh"

echo "== end-to-end tests in JavaScript (amazon-cognito-identity-js, AWS SDK v3, openid-client; triggers on serverless-offline)"
(cd "$root/tests/e2e/js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
(cd "$root/tests/e2e/lambda" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
COGNITOD_BIN="$build/cognitod" NODE_NO_WARNINGS=1 node --test "$root/tests/e2e/js/"

echo "== end-to-end tests"
cd "$root"
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e --cognitod "$build/cognitod"

echo "== benchmark smoke run (bench/run --quick: builds, seeds, loads each operation for 1 s)"
"$root/bench/run" --quick --build-dir "$root/build/release-check"
# --scale's two databases side by side, on small sizes.
"$root/bench/run" --quick --scale --users 2000 --devices 10000 --no-build \
    --build-dir "$root/build/release-check"
# Issue 16's per-test fixture, raw HTTP and boto3, 1 and 2 workers, 1 fixture each: fails on a
# wrong answer, never on a timing.
"$root/bench/run" --fixtures --quick --no-build --build-dir "$root/build/release-check"

echo "== image (docker/Dockerfile and docker/compose.yaml)"
if [[ -z "${CONTAINER_ENGINE:-}" ]] && ! docker info >/dev/null 2>&1; then
    # No Docker engine (as on the machines CI runs on): podman builds and runs the same files.
    # shellcheck source=scripts/podman-env.sh
    source "$root/scripts/podman-env.sh"
fi
"$root/scripts/test-image.sh"
