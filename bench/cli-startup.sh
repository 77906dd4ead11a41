#!/usr/bin/env bash
# Start-up time of the agent CLI: wall time of N one-request calls (oly whoami) against a running server, measured
# with date +%s%N around each call, plus the CPU time of all of them. Needs OLYMPUS_URL and OLYMPUS_API_KEY.
#
#   bench/cli-startup.sh [N=20] [oly command=cli/bin/oly]
set -euo pipefail
n=${1:-20}
oly=${2:-$(dirname "$0")/../cli/bin/oly}
: "${OLYMPUS_URL:?set OLYMPUS_URL}" "${OLYMPUS_API_KEY:?set OLYMPUS_API_KEY}"
"$oly" whoami >/dev/null   # warm the page cache
times=()
cpu_before=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
for _ in $(seq "$n"); do
  start=$(date +%s%N)
  "$oly" whoami >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
cpu_after=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
ticks=$(getconf CLK_TCK)
echo "oly whoami, $n calls: min ${sorted[0]} ms, median ${sorted[$((n / 2))]} ms, p90 ${sorted[$((n * 9 / 10))]} ms, max ${sorted[$((n - 1))]} ms;" \
     "CPU (user+sys) per call $(( (cpu_after - cpu_before) * 1000 / ticks / n )) ms; load average $(cut -d' ' -f1-3 /proc/loadavg)"
