#!/usr/bin/env bash
# Writes bench/results/README.md, the index of the results: one file per scenario and run,
# <scenario>-<UTC time>.md, newest first. Every benchmark script runs it after writing its result.
set -euo pipefail
cd "$(dirname "$0")"

script_of() {
  case $1 in
    run) echo 'bench/run' ;;
    profile-*) echo 'bench/profile.sh' ;;
    startup) echo 'bench/startup' ;;
    *) echo "bench/$1.sh" ;;
  esac
}

stamp_re='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}Z'
files=$(ls | grep -E "^[a-z0-9-]+-$stamp_re\.md$" || true)
scenarios=$(sed -E "s/-$stamp_re\.md$//" <<<"$files" | sort -u)

{
  echo '# Benchmark results'
  echo
  echo 'One file per scenario and run, `<scenario>-<UTC time>.md`, written by the script named beside it; `run-*` files'
  echo 'are complete `bench/run` suites (HTTP scenarios, then that run'"'"'s claim and WebSocket fan-out reports). What the'
  echo 'numbers mean, and which runs the documentation cites, is in [bench/README.md](../README.md). This index is'
  echo 'written by `bench/results/index.sh` (every benchmark script runs it); the first run listed is the latest.'
  echo
  echo '| scenario | written by | runs, newest first |'
  echo '|---|---|---|'
  for scenario in $scenarios; do
    runs=$(grep -E "^$scenario-$stamp_re\.md$" <<<"$files" | sort -r)
    links=$(for f in $runs; do
      stamp=${f#"$scenario-"}; stamp=${stamp%.md}
      printf '[%s](%s)' "$stamp" "$f"
      [ "$f" = "$(head -n 1 <<<"$runs")" ] && printf ' (latest)'
      printf ', '
    done)
    printf '| %s | `%s` | %s |\n' "$scenario" "$(script_of "$scenario")" "${links%, }"
  done
} > README.md
