#!/usr/bin/env bash
# Installs what storecheck needs on Debian when it is missing: the system
# Chromium (never a downloaded browser), CJK fonts so Chinese pages render
# with real glyphs, and Tesseract with its Simplified Chinese (horizontal and
# vertical) and English models to read the text inside pictures, and the
# PostgreSQL server (the team store's tests start a throwaway cluster of
# it; storecheck itself needs none). As root it runs apt-get; otherwise it
# prints the command.
set -euo pipefail

missing=()
if [ -z "${STORECHECK_BROWSER:-}" ] && ! command -v chromium >/dev/null 2>&1 \
   && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  missing+=(chromium)
fi
if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  missing+=(fonts-noto-cjk)
fi
if ! command -v tesseract >/dev/null 2>&1; then
  missing+=(tesseract-ocr)
fi
for lang in chi-sim chi-sim-vert eng; do
  if ! dpkg -s "tesseract-ocr-$lang" >/dev/null 2>&1; then
    missing+=("tesseract-ocr-$lang")
  fi
done
# Debian keeps initdb and pg_ctl in /usr/lib/postgresql/N/bin, off PATH.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
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
  # Without a browser nothing can run; missing fonts only degrade rendering,
  # a missing tesseract only skips the judging of text in pictures, and a
  # missing PostgreSQL only skips the tests of the team store.
  case " ${missing[*]} " in *" chromium "*) exit 1 ;; esac
fi
