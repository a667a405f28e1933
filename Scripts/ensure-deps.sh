#!/usr/bin/env bash
# Installs the one system package grpclab builds against (libedit-dev) when it is missing.
set -euo pipefail
if ! dpkg -s libedit-dev >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libedit-dev pkg-config >/dev/null
fi
