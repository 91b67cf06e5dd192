#!/usr/bin/env bash
# Seeds corpus/<target>/ from the bundled scenarios and the bad-input files, plus JSON copies of the
# TOML scenarios (python3's tomllib), so both readers start from valid documents; perturb_run
# starts from nothing (its input is a list of overrides). Also makes the artifact folders. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
mkdir -p corpus/perturb_run corpus/parse_design artifacts/parse_validate artifacts/parse_validate_run artifacts/perturb_run artifacts/parse_design
cp "$root"/scenarios/*farm*.toml "$root"/tests/bad_designs/*.toml corpus/parse_design/
for target in parse_validate parse_validate_run; do
  mkdir -p "corpus/$target"
  cp "$root"/scenarios/*.toml "corpus/$target/"
  for f in "$root"/tests/bad_inputs/*.toml "$root"/tests/bad_inputs/*.json; do
    cp "$f" "corpus/$target/bad-$(basename "$f")"
  done
  for f in "$root"/scenarios/*.toml; do
    python3 - "$f" > "corpus/$target/$(basename "$f" .toml).json" <<'PY'
import datetime, json, sys, tomllib
def plain(v):
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    raise TypeError(type(v))
with open(sys.argv[1], "rb") as f:
    print(json.dumps(tomllib.load(f), default=plain, indent=1))
PY
  done
done
ls corpus/*/ | wc -l
