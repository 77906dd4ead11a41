#!/usr/bin/env bash
# The targets of issue 22 next to what one bench/run measured: reads a run-*.md (bench/run appends this to it).
#   bench/run-summary.sh bench/results/run-<timestamp>.md
set -euo pipefail
run=$1

# row SECTION CONNECTIONS -> the table row of that section for that many connections, fields separated by |
row() { awk -v s="## $1" -v c="$2" '$0 == s {on = 1; next} /^## / {on = 0} on && $0 ~ "^\\| " c " \\|" {print; exit}' "$run"; }
col() { echo "$1" | awk -F'|' -v n="$2" '{gsub(/ /, "", $(n + 1)); print $(n + 1)}'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "" || v == "?") print "not measured"; else print ((v + 0 >= t + 0) ? "met" : "short") }'; }
below() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "") print "not measured"; else print ((v + 0 < t + 0) ? "met" : "short") }'; }

get=$(row "GET task by id" 32); list=$(row "GET list by assignee (50 items)" 32)
post=$(row "POST task" 32); patch=$(row "PATCH with If-Match" 32)
claims=$(awk -F'|' '/\*\*claims\/s\*\*/ {gsub(/[ *]/, "", $3); print $3; exit}' "$run")
claims_p99=$(awk -F'|' '/latency p99/ {gsub(/[ a-z]/, "", $3); print $3; exit}' "$run")
pg_claims=$( (grep -o "\*\*[0-9]* claims/s\*\*" "$run" || true) | head -1 | tr -dc 0-9)
scale_post=$(awk -F'|' '$2 ~ /post-task/ {gsub(/ /, "", $7); print $7; exit}' "$run")
scale_patch=$(awk -F'|' '$2 ~ /patch-if-match/ {gsub(/ /, "", $7); print $7; exit}' "$run")
pct() { echo "${1%\%}"; }

echo "## Targets of issue 22 (32 connections; ratios to pgbench in this run)"
echo
echo "| path | measured | p99 ms | pgbench (same statements) | ratio | target | |"
echo "|---|---|---|---|---|---|---|"
echo "| claims/s (0 double claims) | ${claims:-?} | ${claims_p99:-?} | ${pg_claims:-?} | $(awk -v a="${claims:-0}" -v b="${pg_claims:-0}" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }') | >= 1,500 | $(verdict "${claims:-}" 1500) |"
echo "| POST /tasks | $(col "$post" 2) | $(col "$post" 4) | $(col "$post" 7) | $(col "$post" 8) | >= 1,500 | $(verdict "$(col "$post" 2)" 1500) |"
echo "| PATCH with If-Match | $(col "$patch" 2) | $(col "$patch" 4) | $(col "$patch" 7) | $(col "$patch" 8) | >= 2,000 | $(verdict "$(col "$patch" 2)" 2000) |"
echo "| list 50 by assignee | $(col "$list" 2) | $(col "$list" 4) | $(col "$list" 7) | $(col "$list" 8) | >= 3,000, p99 < 30 ms | $(verdict "$(col "$list" 2)" 3000), p99 $(below "$(col "$list" 4)" 30) |"
echo "| GET by id | $(col "$get" 2) | $(col "$get" 4) | $(col "$get" 9) (PK select) | $(col "$get" 10) of PK | >= 35% of PK, p99 < 10 ms | $(verdict "$(pct "$(col "$get" 10)")" 35), p99 $(below "$(col "$get" 4)" 10) |"
echo "| two instances / one, POST | ${scale_post:-?} | | | | >= 1.0 | $(verdict "${scale_post:-}" 1.0) |"
echo "| two instances / one, PATCH | ${scale_patch:-?} | | | | >= 1.0 | $(verdict "${scale_patch:-}" 1.0) |"
