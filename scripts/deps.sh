#!/usr/bin/env bash
# Install what techroad needs from Debian's packages, only if something is
# missing. Run as root (or with sudo available) on Debian 12 or later.
set -euo pipefail
pkgs=(gcc pkg-config meson ninja-build
      libglpk-dev libgsl-dev libyaml-dev libcsv-dev libjansson-dev nettle-dev check
      python3 python3-cffi python3-numpy python3-pandas python3-matplotlib python3-pytest
      python3-nbclient python3-ipykernel python3-mesonpy python3-tqdm python3-distributed
      python3-yaml python3-sphinx python3-numpydoc
      valgrind clang libclang-rt-14-dev
      chromium fonts-dejavu-core)   # the HTML report's browser test (headless) and the font its page names
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "techroad: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
