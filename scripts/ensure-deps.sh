#!/usr/bin/env bash
# Installs what storecheck needs on Debian when it is missing: the system
# Chromium (never a downloaded browser) and CJK fonts so Chinese pages render
# with real glyphs. As root it runs apt-get; otherwise it prints the command.
set -euo pipefail

missing=()
if [ -z "${STORECHECK_BROWSER:-}" ] && ! command -v chromium >/dev/null 2>&1 \
   && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  missing+=(chromium)
fi
if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  missing+=(fonts-noto-cjk)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "storecheck needs: ${missing[*]}. Run as root: $cmd" >&2
  # Without a browser nothing can run; missing fonts only degrade rendering.
  case " ${missing[*]} " in *" chromium "*) exit 1 ;; esac
fi
