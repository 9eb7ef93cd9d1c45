#!/usr/bin/env bash
# Recipe that rebuilt the shipped model: train, evaluate on the held-out gold test split,
# write the metrics into the model card, and make it current.
#   bash scripts/train_default.sh [VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-1}
dir=models/claims-minilm-v${version}
.venv/bin/annotator train --name claims-minilm --version "$version" -o "$dir"
.venv/bin/annotator eval --model "$dir" --split test -o "$dir/eval_test.json" --update-card >/dev/null
basename "$dir" > models/CURRENT
echo "current model: $(cat models/CURRENT)"
