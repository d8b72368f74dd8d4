# Sourced by scripts/test.sh where no Docker engine runs: readies podman to build and run
# docker/Dockerfile and docker/compose.yaml, and exports the settings scripts/test-image.sh reads.
#  - podman, runc, podman-compose and debootstrap come from Debian's packages;
#  - runc and no default rlimits, which work in containers and sandboxes where podman's defaults
#    (crun, raised rlimits) do not;
#  - the host's network for builds and containers, where podman cannot set up port forwarding;
#  - a base image bootstrapped from Debian's packages when no registry can be reached.
# shellcheck shell=bash
"$root/scripts/install-deps.sh" podman
mkdir -p "$root/build"
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >"$root/build/containers.conf"
export CONTAINERS_CONF="$root/build/containers.conf"
export CONTAINER_ENGINE=podman
export CONTAINER_NETWORK=host
export CONTAINER_BUILD_ARGS="--network host"
base=docker.io/library/debian:bookworm-slim
if ! podman image exists "$base" && ! podman pull -q "$base" >/dev/null 2>&1; then
    echo "bootstrapping $base from Debian's packages (no registry reachable)"
    rootfs=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$rootfs" >/dev/null
    tar -C "$rootfs" -c . | podman import - "$base" >/dev/null
    rm -rf "$rootfs"
fi
