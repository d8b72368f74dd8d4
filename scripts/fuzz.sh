#!/usr/bin/env bash
# Runs each libFuzzer target (fuzz/) for a bounded time over a copy of its committed corpus and
# prints, per target, the seconds, executions, executions per second and the corpus size.
#   scripts/fuzz.sh [seconds]     seconds per target: the argument, else $FUZZ_SECONDS, else 60
# The targets run side by side, so the whole run takes about that long whatever their number; on
# a machine with fewer cores than targets they share the cores.
# Uses the fuzzers of $FUZZ_BUILD (default build/test, which scripts/test.sh builds), configuring
# and building them there first when they are missing. A crash, leak, UB report or timeout
# (-timeout=10: a hang is a finding) fails the run; the input that caused it is kept under
# $FUZZ_BUILD/fuzz-artifacts/ and its path printed. docs/fuzzing.md has the details.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${FUZZ_BUILD:-$root/build/test}"
seconds="${1:-${FUZZ_SECONDS:-60}}"
artifacts="$build/fuzz-artifacts"
targets=(request_fuzzer validator_fuzzer operation_fuzzer)
declare -A max_len=([request_fuzzer]=8192 [validator_fuzzer]=4096 [operation_fuzzer]=4096)
# operation_fuzzer's bytes are choices and a short input is a plain call: libFuzzer's slow growth
# of input lengths would keep it from the odd values nested in structures for the whole run.
declare -A options=([operation_fuzzer]=-len_control=0)

missing=0
for target in "${targets[@]}"; do
    [[ -x "$build/fuzz/$target" ]] || missing=1
done
if [[ $missing -eq 1 ]]; then
    "$root/scripts/install-deps.sh" test
    # CMake cannot switch a configured tree to another compiler in one run: start a g++ tree afresh.
    if [[ -f "$build/CMakeCache.txt" ]] &&
        ! grep -q '^CMAKE_CXX_COMPILER:.*clang++-14$' "$build/CMakeCache.txt"; then
        rm -rf "$build"
    fi
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 \
        -DCMAKE_BUILD_TYPE=Debug -DCOGNITOD_SANITIZE=address,undefined -DCOGNITOD_FUZZ=ON >/dev/null
fi
# Always build: a stale fuzzer would test yesterday's code.
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Symbolized stacks: Debian's llvm-14 ships llvm-symbolizer outside PATH.
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" ]] && ! command -v llvm-symbolizer >/dev/null &&
    [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

# One process per target, side by side.
declare -A pid
for target in "${targets[@]}"; do
    name=${target%_fuzzer}
    # New inputs go to the copy, never into the repository. operation_fuzzer's inputs are choices,
    # not requests: it starts from nothing.
    mkdir -p "$work/$name"
    if [[ -d "$root/fuzz/corpus/$name" ]]; then
        cp -r "$root/fuzz/corpus/$name/." "$work/$name/"
    fi
    dict=()
    if [[ -f "$root/fuzz/$name.dict" ]]; then
        dict=("-dict=$root/fuzz/$name.dict")
    fi
    # shellcheck disable=SC2086 # no option or one, unquoted
    "$build/fuzz/$target" "$work/$name" "${dict[@]}" ${options[$target]:-} \
        -max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
        >"$work/$name.log" 2>&1 &
    pid[$target]=$!
done

# libFuzzer's -print_final_stats lines, "stat::<name>: <value>".
final_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

failed=0
printf '%-18s %8s %12s %8s %8s\n' target seconds executions exec/s corpus
for target in "${targets[@]}"; do
    name=${target%_fuzzer}
    log="$work/$name.log"
    status=0
    wait "${pid[$target]}" || status=$?
    # "Done 12345 runs in 61 second(s)" when the time ran out; the limit otherwise.
    ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    printf '%-18s %8s %12s %8s %8s\n' "$target" "${ran:-$seconds}" \
        "$(final_stat "$log" number_of_executed_units)" "$(final_stat "$log" average_exec_per_sec)" \
        "$(find "$work/$name" -type f | wc -l)"
    if [[ $status -ne 0 ]]; then
        failed=1
        echo "== $target failed (exit $status); the end of its log:"
        tail -n 80 "$log"
        # libFuzzer names the input it kept: "Test unit written to <path>".
        grep -h "Test unit written to" "$log" || true
    fi
done
exit $failed
