#!/usr/bin/env bash
# Make sure the renderers the deck/brief render test needs are present: LibreOffice Impress (soffice turns the
# PPTX into PDF), poppler-utils (pdftotext -bbox-layout reads text positions, pdftoppm draws PNGs) and the
# Liberation fonts (metric twins of Arial/Helvetica: the exports measure text with them, LibreOffice draws with them).
# As root they are installed with apt-get; otherwise this says what to run.
set -euo pipefail
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing+=(fonts-liberation)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]} for the deck and brief render test..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}") >/dev/null
  else
    echo "missing ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}' (tests/test_deck_render.py needs them)" >&2
  fi
fi
