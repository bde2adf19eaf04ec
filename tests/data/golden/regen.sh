#!/usr/bin/env bash
# Regenerate the golden results (JSON) from the CLI. Only do this for a
# deliberate change of results; the check_model test `golden_outputs` fails
# on any byte that differs, which is how "scenarios that use none of the
# §12 features give exactly the results they gave before" is kept.
set -euo pipefail
cd "$(dirname "$0")/../../.."
cli=${1:-build/bindings/cli/techroad}
for n in tests/data/golden/*.json; do
  b=$(basename "$n" .json)
  f=$(echo "$b" | sed 's/^tests_data_csv_/tests\/data\/csv\//; s/^tests_data_/tests\/data\//; s/^scenarios_vn-eaf_/scenarios\/vn-eaf\//').yaml
  "$cli" run "$f" --format json > "$n"
done
