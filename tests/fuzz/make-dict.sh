#!/usr/bin/env bash
# Writes scenario.dict, a libFuzzer/AFL dictionary of the format's tables, fields and words, from
# src/scenario/schema.rs; rerun it when the schema changes.
set -euo pipefail
cd "$(dirname "$0")"
python3 - ../../src/scenario/schema.rs > scenario.dict <<'PY'
import re, sys
src = open(sys.argv[1]).read()
tokens = []
for table, name in re.findall(r'f\("([a-z_.]+)", "([a-z_0-9]+)"', src):
    for t in table.split("."):
        tokens += [f"[{t}]", f"[[{t}]]", t]
    tokens += [f"{name} = ", f'"{name}": ', name]
for words in re.findall(r'Enum\(&\[([^\]]*)\]\)', src):
    tokens += re.findall(r'"([a-z_]+)"', words)
tokens += ["[phase.trigger]", "[air.priorities]", "true", "false", "nan", "inf", "-inf",
           "1e308", "-0.0", "2016-11-05", "1979-05-27T07:32:00Z", "\"\"\"", "'''", "{ ", " }", ", "]
seen = set()
for t in tokens:
    if t not in seen:
        seen.add(t)
        print('"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"')
PY
wc -l scenario.dict
