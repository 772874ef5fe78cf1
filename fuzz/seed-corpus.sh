#!/bin/sh
# Seed fuzz/corpus/extract from the test fixtures (files up to 128 KiB).
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/extract
for f in ../tests/fixtures/seed/* ../tests/fixtures/mirror/*.md \
    ../tests/fixtures/formats/charset/* ../tests/fixtures/formats/mhtml/* \
    ../tests/fixtures/formats/singlefile/* ../tests/fixtures/formats/complete/*/*.html \
    ../tests/fixtures/readability/*/source.html; do
    if [ "$(wc -c < "$f")" -le 131072 ]; then
        cp "$f" "corpus/extract/$(sha1sum "$f" | cut -c1-16)"
    fi
done
echo "$(ls corpus/extract | wc -l) seed files in fuzz/corpus/extract"
