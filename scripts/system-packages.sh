#!/usr/bin/env bash
# Installs the Debian packages that the VS Code host needs, when they are missing: code-server's npm
# install compiles a Kerberos addon (libkrb5-dev, g++, make, python3) and takes ripgrep from the system;
# the tests drive the workbench with Chromium. Run by `npm start` (without Chromium) and `npm test`.
#   scripts/system-packages.sh [start|test]
set -euo pipefail
packages=(libkrb5-dev ripgrep g++ make python3)
if [ "${1:-test}" = "test" ]; then packages+=(chromium); fi
# Where desktop VS Code is installed, `npm start` uses it and needs none of these.
if [ "${1:-test}" = "start" ] && command -v code >/dev/null 2>&1; then exit 0; fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
((${#missing[@]})) || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}. Install them with your package manager." >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q "${missing[@]}" </dev/null
