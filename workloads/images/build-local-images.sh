#!/usr/bin/env bash
# Builds Dyno's local container images without a registry: a Debian root filesystem made by
# mmdebstrap from this machine's own apt sources, turned into an image with `docker import`.
#
# Idempotent: an image that already exists is left alone (delete it with `docker rmi` to rebuild).
# The mirror is never written here: mmdebstrap reads it from the host's apt sources file, so the
# same script works behind whatever mirror or proxy a machine is configured with.
#
# Usage: workloads/images/build-local-images.sh [image...]
#   With no arguments, builds every image this script knows. Known images:
#     dyno/jre17-python:local   openjdk-17-jre-headless + python3 + procps
#     dyno/node18:local         nodejs (Debian bookworm's Node 18) + procps
#     dyno/node18-heavy:local   dyno/node18:local + the CPU boost guide's Node.js load test and its
#                               packages (webpack, @babel/core, typescript, react, lodash) in
#                               /opt/dyno/nodejs_load_test; needs npm on this machine
#     dyno/pytorch:local        python3 + Debian's PyTorch 1.13 (python3-torch, -torchvision,
#                               -torchaudio): the CPU boost guide's PyTorch case without its image
#     dyno/scipy:local          python3 + numpy, pandas, scipy, matplotlib, scikit-learn from Debian:
#                               the guide's scientific Python case without jupyter/scipy-notebook
#   npm packages for a Node workload go into an image built FROM dyno/node18:local with a
#   Dockerfile that copies node_modules installed on the host (docker build needs no registry
#   when its base image is local): see node18-heavy/Dockerfile.
set -euo pipefail

log() { printf '[build-local-images] %s\n' "$*" >&2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workloads="$(cd "$here/.." && pwd)"

if ! docker info >/dev/null 2>&1; then
  log "no Docker engine answers 'docker info'; start one first (.ci/docker-up does)"
  exit 1
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
  log "mmdebstrap is missing; install it: apt-get install -y --no-install-recommends mmdebstrap"
  exit 1
fi

# The apt sources file mmdebstrap takes as its mirror argument: deb822 first, then the classic list.
apt_sources() {
  local f
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    if [[ -s "$f" ]] && grep -Eq '^[[:space:]]*(URIs:|deb )' "$f"; then
      echo "$f"
      return 0
    fi
  done
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    if [[ -s "$f" ]] && grep -Eq '^[[:space:]]*(URIs:|deb )' "$f"; then
      echo "$f"
      return 0
    fi
  done
  return 1
}

suite() {
  # shellcheck disable=SC1091
  . /etc/os-release
  echo "${VERSION_CODENAME:-bookworm}"
}

# build_debian_image NAME PACKAGES: one mmdebstrap rootfs, imported as NAME.
build_debian_image() {
  local name="$1" packages="$2" sources work started
  if docker image inspect "$name" >/dev/null 2>&1; then
    log "$name is present; skipping"
    return 0
  fi
  sources="$(apt_sources)" || { log "no apt sources file found under /etc/apt"; return 1; }
  work="$(mktemp -d "${TMPDIR:-/tmp}/dyno-image.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" RETURN
  started=$SECONDS
  log "building $name from $(suite) with: $packages (apt sources: $sources)"
  # Man pages and docs are excluded to keep the image small; the hook recreates man1 because
  # openjdk's postinst registers alternatives for man pages and fails when the directory is gone.
  mmdebstrap --quiet --variant=apt --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$(suite)" "$work/rootfs.tar" "$sources"
  docker import \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'LABEL dev.dyno.image=local' \
    "$work/rootfs.tar" "$name" >/dev/null
  log "built $name in $((SECONDS - started)) s ($(docker image inspect -f '{{.Size}}' "$name") bytes)"
}

# build_node_heavy_image NAME: the Node.js load test's packages, installed on the host by install.sh,
# copied into an image FROM dyno/node18:local. Rebuilt when the lock, the script or the Dockerfile
# changed since the image was built (their digest is the image's dev.dyno.content label).
build_node_heavy_image() {
  local name="$1" app="$workloads/cpuboost/node" dockerfile="$here/node18-heavy/Dockerfile" content started old
  build dyno/node18:local
  content="$(cat "$app/package-lock.json" "$app/test.js" "$dockerfile" | sha256sum | cut -c1-16)"
  if [[ "$(docker image inspect -f '{{index .Config.Labels "dev.dyno.content"}}' "$name" 2>/dev/null)" == "$content" ]]; then
    log "$name is present and up to date; skipping"
    return 0
  fi
  old="$(docker image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)"
  started=$SECONDS
  "$app/install.sh"
  log "building $name from dyno/node18:local and $app"
  docker build --quiet --label "dev.dyno.content=$content" --label dev.dyno.image=local \
    -t "$name" -f "$dockerfile" "$app" >/dev/null
  log "built $name in $((SECONDS - started)) s ($(docker image inspect -f '{{.Size}}' "$name") bytes)"
  # The outdated image it replaces would stay behind untagged.
  if [[ -n "$old" && "$old" != "$(docker image inspect -f '{{.Id}}' "$name")" ]]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
}

build() {
  case "$1" in
    dyno/jre17-python:local)
      build_debian_image "$1" openjdk-17-jre-headless,python3,procps ;;
    dyno/node18:local)
      build_debian_image "$1" nodejs,procps ;;
    dyno/node18-heavy:local)
      build_node_heavy_image "$1" ;;
    dyno/pytorch:local)
      build_debian_image "$1" python3-torch,python3-torchvision,python3-torchaudio,procps ;;
    dyno/scipy:local)
      build_debian_image "$1" python3-numpy,python3-pandas,python3-scipy,python3-matplotlib,python3-sklearn,procps ;;
    *)
      log "unknown image '$1'; known: ${all_images[*]}"
      return 2 ;;
  esac
}

all_images=(dyno/jre17-python:local dyno/node18:local dyno/node18-heavy:local dyno/pytorch:local dyno/scipy:local)
if [[ $# -eq 0 ]]; then
  set -- "${all_images[@]}"
fi
for image in "$@"; do
  build "$image"
done
