#!/usr/bin/env bash
# Installs, from Debian 12's packages, whatever cognitod needs that this machine lacks.
#   scripts/install-deps.sh build   compiler, CMake and the libraries
#   scripts/install-deps.sh test    the above plus clang (the sanitized build and libFuzzer), the
#                                   test clients (pytest, boto3, aws CLI) and Chromium for the
#                                   web console's browser test, and wrk (the test command also
#                                   checks that bench/run runs)
#   scripts/install-deps.sh bench   the build packages plus wrk, the load generator bench/run drives
#   scripts/install-deps.sh podman  podman, runc, podman-compose and debootstrap, for testing the
#                                   image where no Docker engine runs
set -euo pipefail

build_packages=(g++ cmake ninja-build pkg-config ccache libboost1.81-dev libsqlite3-dev
    nlohmann-json3-dev libgtest-dev libssl-dev libpcre2-dev libmimalloc-dev)
# clang-14 with its runtimes (libFuzzer, ASan, UBSan) and llvm-14 for llvm-symbolizer.
test_packages=(clang-14 libclang-rt-14-dev llvm-14 python3 python3-pytest python3-boto3 python3-jwt python3-aiosmtpd
    python3-cryptography awscli clang-format clang-tidy)
bench_packages=(wrk)

# The CNI dnsname plugin lets compose services find each other by name on podman's networks.
podman_packages=(podman runc podman-compose debootstrap golang-github-containernetworking-plugin-dnsname)

wanted=("${build_packages[@]}")
if [[ "${1:-build}" == "test" ]]; then
    wanted+=("${test_packages[@]}" "${bench_packages[@]}")
elif [[ "${1:-build}" == "podman" ]]; then
    wanted=("${podman_packages[@]}")
fi
if [[ "${1:-build}" == "bench" ]]; then
    wanted+=("${bench_packages[@]}")
fi

missing=()
# The JavaScript layer needs node and npm; any install of them will do (Debian's, or NodeSource's,
# whose nodejs package carries npm and conflicts with Debian's npm package).
if [[ "${1:-build}" == "test" ]] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
    wanted+=(nodejs npm)
fi
# The console's browser test drives Debian's chromium through playwright-core; a fresh Debian 12
# box has none.
if [[ "${1:-build}" == "test" ]] && [[ ! -x /usr/bin/chromium ]]; then
    wanted+=(chromium)
fi
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

echo "Installing: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
