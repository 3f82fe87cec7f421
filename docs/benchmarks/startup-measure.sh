#!/bin/bash
# usage: measure.sh LABEL cmd args...   (10 runs, /usr/bin/time wall, median; loadavg before and after)
label=$1; shift
l0=$(cut -d' ' -f1-3 /proc/loadavg)
ts=()
for i in $(seq 10); do
  /usr/bin/time -f "%e %U %S" -o "${TMPDIR:-/tmp}/perfsim-startup-time.txt" "$@" >/dev/null 2>/dev/null; t=$(tail -1 "${TMPDIR:-/tmp}/perfsim-startup-time.txt" | cut -d" " -f1); c=$(tail -1 "${TMPDIR:-/tmp}/perfsim-startup-time.txt" | awk "{print \$2+\$3}"); cs+=($c)
  ts+=($t)
done
l1=$(cut -d' ' -f1-3 /proc/loadavg)
sorted=$(printf '%s\n' "${ts[@]}" | sort -n | tr '\n' ' ')
med=$(printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%.3f", (a[5]+a[6])/2}')
cmed=$(printf "%s\n" "${cs[@]}" | sort -n | awk "{a[NR]=\$1} END{printf \"%.3f\", (a[5]+a[6])/2}")
echo "$label cpu_median=${cmed}s median=${med}s min=$(echo $sorted|cut -d' ' -f1) all=[$sorted] load=[$l0 -> $l1]"
