#!/usr/bin/env bash
# The GPU check (scripts/gpu-check/README.md): unpacks gpu-check/muscope-gpu-check.tar.gz
# (`npm run gpu-check:bundle`) into a temporary folder and runs its bench with its own Node:
# nothing from this machine but bash, tar, gzip, glibc, libstdc++ and the GPU's Vulkan driver.
# JSON lines on stdout (one per measurement), a readable summary on stderr. `--only msm` or
# `--only encoder` runs one half.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
archive=${MUSCOPE_GPU_CHECK_ARCHIVE:-}
for candidate in "$archive" "$here/../../gpu-check/muscope-gpu-check.tar.gz" "$here/gpu-check/muscope-gpu-check.tar.gz" \
  "$here/muscope-gpu-check.tar.gz"; do
  if [ -n "$candidate" ] && [ -f "$candidate" ]; then archive=$candidate; break; fi
done
if [ ! -f "$archive" ]; then
  echo "[gpu-check] no muscope-gpu-check.tar.gz next to this script or in gpu-check/: run npm run gpu-check:bundle" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/muscope-gpu-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$(date +%s)
tar -xzf "$archive" -C "$work"
echo "[gpu-check] unpacked $(du -sh "$archive" | cut -f1) archive in $(($(date +%s) - started)) s" >&2

# The bundled libraries only where the machine's own are missing or too old: a loader or
# libstdc++ the system has is kept.
libs=""
export PATH="$PATH:/sbin:/usr/sbin"
if ! ldconfig -p 2>/dev/null | grep 'libvulkan\.so\.1 ' >/dev/null; then
  libs="$work/lib/vulkan"
  echo "[gpu-check] no system libvulkan.so.1: using the bundled Vulkan loader" >&2
fi
# dawn.node needs glibc 2.34 and GCC 12's libstdc++ (GLIBCXX_3.4.30); the bundled one needs glibc 2.36.
with_libs() { echo "$1${1:+${LD_LIBRARY_PATH:+:}}${LD_LIBRARY_PATH:-}"; }
loads_dawn() { LD_LIBRARY_PATH=$(with_libs "$1") "$work/node" -e 'process.dlopen({ exports: {} }, process.argv[1])' "$work/dist/linux-x64/dawn.node"; }
if ! loads_dawn "$libs" 2>/dev/null; then
  libs="$work/lib/cxx${libs:+:$libs}"
  echo "[gpu-check] the system's libstdc++ cannot load Dawn: using the bundled one" >&2
  if ! loads_dawn "$libs"; then
    echo "[gpu-check] Dawn does not load here ($(getconf GNU_LIBC_VERSION 2>/dev/null || echo 'glibc unknown'); it needs glibc 2.34+ with GCC 12's libstdc++, or glibc 2.36+)" >&2
    exit 3
  fi
fi
LD_LIBRARY_PATH=$(with_libs "$libs")
export LD_LIBRARY_PATH

# Containers may mount NVIDIA's Vulkan driver without its ICD file: describe it to the loader.
icd_dirs="/etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d"
if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -z "${VK_DRIVER_FILES:-}" ] &&
  ! ls $icd_dirs 2>/dev/null | grep nvidia >/dev/null; then
  nvidia=$(ldconfig -p 2>/dev/null | grep -o '/[^ ]*libGLX_nvidia\.so\.0$' | head -n 1 || true)
  for dir in $(echo "${LD_LIBRARY_PATH:-}" | tr ':' ' ') /usr/local/nvidia/lib64 /usr/lib/x86_64-linux-gnu /usr/lib64; do
    if [ -z "$nvidia" ] && [ -e "$dir/libGLX_nvidia.so.0" ]; then nvidia="$dir/libGLX_nvidia.so.0"; fi
  done
  if [ -n "$nvidia" ]; then
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$nvidia" \
      >"$work/nvidia_icd.json"
    export VK_ICD_FILENAMES="$work/nvidia_icd.json"
    echo "[gpu-check] no NVIDIA ICD file: using $nvidia" >&2
  fi
fi
echo "[gpu-check] Vulkan ICDs: ${VK_ICD_FILENAMES:-${VK_DRIVER_FILES:-$(ls $icd_dirs 2>/dev/null | grep json | tr '\n' ' ')}}" >&2

# The bundled Node by path, never one on PATH; the model from the bundle.
cd "$work"
MUSCOPE_MODELS_DIR="$work/models" "$work/node" "$work/bench.mjs" "$@"
echo "[gpu-check] done in $(($(date +%s) - started)) s" >&2
