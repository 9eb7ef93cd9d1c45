#!/usr/bin/env bash
# Recipe that rebuilt claims-minilm-v13 (the default): a 4-layer student of claims-minilm-v12
# (first 4 MiniLM layers, bottom one frozen), trained on gold + public corpora + the teacher's
# probabilities on 300 unlabeled PolNeAR train articles, then put through the promotion guard on
# gold test. The teacher is the full 6-layer recipe on the same source rules, built first when
# missing (about 17 minutes here; the student about 25). Earlier students: v7 (teacher v6), v5
# (teacher v4), with those versions in scripts/student_config.json.
#   bash scripts/train_student.sh
set -euo pipefail
cd "$(dirname "$0")/.."
teacher=models/claims-minilm-v12
if [ ! -d "$teacher" ]; then
  .venv/bin/annotator train --name claims-minilm --version 12 -o "$teacher"
fi
.venv/bin/annotator train --config scripts/student_config.json -o models/claims-minilm-v13 --promote
