#!/usr/bin/env bash
# Where one Java thread's time goes in native code — RocksDB, the C library, the kernel — which JFR cannot see (it
# samples Java frames only). Uses Linux perf (cpu-clock sampling works without hardware counters or frame pointers;
# JIT-compiled Java shows as one line). Read-only; needs perf and the right to sample every CPU (root, or
# kernel.perf_event_paranoid <= 0).
#
#   benchmarks/native-profile.sh record SECONDS FILE.data         sample every CPU at 199 Hz for SECONDS (per-CPU
#                                                                 buffers: recording one process thread by thread
#                                                                 costs a ring buffer and wake-ups per thread)
#   benchmarks/native-profile.sh report FILE.data THREAD-PREFIX   a markdown report of the threads whose name starts
#                                                                 with THREAD-PREFIX (e.g. bench-c-: a stream thread
#                                                                 of the benchmark's full pipeline, (c))
#   benchmarks/native-profile.sh threads FILE.data [FROM,TO]      a markdown table of what took the machine's CPUs,
#                                                                 by process and thread name (JIT compiler threads of
#                                                                 two JVMs apart), optionally only between FROM and TO
#                                                                 (seconds on perf's clock, as `perf script` prints
#                                                                 them: e.g. one latency row's window)
#
# The report: the machine's busiest threads by share of samples; then, for the chosen threads, their samples by
# library and the most frequent functions in every native library (perf's [unknown] where it has no symbol).
set -euo pipefail

usage() {
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# awk: the table rows of the `limit` largest counts, largest first, each "| key | count | share of denominator |" (a
# key's part up to a SUBSEP is left out); the rows it prints are deleted from `counts`
AWK_TOP='
        function top(counts, limit, denominator, label,    k, best, bestKey, shown) {
            for (shown = 0; shown < limit; shown++) {
                best = 0
                for (k in counts) if (counts[k] > best) { best = counts[k]; bestKey = k }
                if (best == 0) return
                label = bestKey; sub(/^[^\034]*\034/, "", label)
                printf "| %s | %d | %.1f %% |\n", label, best, 100 * best / denominator
                delete counts[bestKey]
            }
        }'

record() {
    local seconds=$1 out=$2
    command -v perf >/dev/null || { echo "perf is not installed (Debian: apt-get install linux-perf)" >&2; exit 1; }
    perf record -F 199 -a -o "$out" -- sleep "$seconds"
}

report() {
    local data=$1 prefix=$2
    [[ -f $data ]] || { echo "no perf data at $data: record it first" >&2; exit 1; }
    local command
    command="\`benchmarks/native-profile.sh report $data $prefix\` ($(date -u +%Y-%m-%dT%H:%M:%SZ), perf $(perf --version | awk '{print $3}'))"
    # one sample a line: thread name (may hold spaces), tid, address, function+offset, (library path)
    perf script -i "$data" -F comm,tid,ip,sym,dso 2>/dev/null | awk -v prefix="$prefix" -v command="$command" "$AWK_TOP"'
        {
            library = $NF; gsub(/[()]/, "", library); n = split(library, parts, "/"); library = parts[n]
            if (library ~ /^perf-[0-9]+\.map$/) library = "Java, JIT-compiled"
            if (library ~ /^librocksdbjni/) library = "librocksdbjni (RocksDB)"
            for (i = 1; i <= NF && $i !~ /^[0-9]+$/; i++) {}
            thread = $1; for (j = 2; j < i; j++) thread = thread " " $j
            fn = ""; for (j = i + 2; j < NF; j++) fn = fn (fn == "" ? "" : " ") $j
            sub(/\+0x[0-9a-f]+$/, "", fn); if (fn == "") fn = "[unknown]"
            total++; byThread[thread]++
            if (index(thread, prefix) == 1) { chosen++; byLibrary[library]++; byFunction[library SUBSEP fn]++ }
        }
        END {
            if (chosen == 0) { print "no samples of a thread named " prefix "*" > "/dev/stderr"; exit 1 }
            printf "# Native profile: threads named %s*\n\n%s\n\n", prefix, command
            printf "%d samples in all, %d of them in the chosen threads.\n\n", total, chosen
            print "## The busiest threads (share of all samples)\n\n| thread | samples | share |\n|---|---:|---:|"
            top(byThread, 12, total)
            print "\n## The chosen threads by library (share of their samples)\n\n| library | samples | share |\n|---|---:|---:|"
            for (l in byLibrary) libraries[l] = byLibrary[l]
            top(libraries, 12, chosen)
            # the native libraries with at least 1 % of the samples, largest first
            for (n = 0; ; n++) {
                best = 0
                for (l in byLibrary) if (!(l in done) && byLibrary[l] > best) { best = byLibrary[l]; bestLibrary = l }
                if (best < chosen / 100) break
                done[bestLibrary] = 1; order[n] = bestLibrary
            }
            for (i = 0; i < n; i++) {
                l = order[i]
                if (l == "Java, JIT-compiled") continue
                printf "\n## %s: most frequent functions (share of the chosen threads\x27 samples)\n\n", l
                print "| function | samples | share |\n|---|---:|---:|"
                delete functions
                for (k in byFunction) { split(k, key, SUBSEP); if (key[1] == l) functions[k] = byFunction[k] }
                top(functions, 12, chosen)
            }
        }'
}

threads() {
    local data=$1 window=${2:-}
    [[ -f $data ]] || { echo "no perf data at $data: record it first" >&2; exit 1; }
    local command
    command="\`benchmarks/native-profile.sh threads $data${window:+ $window}\` ($(date -u +%Y-%m-%dT%H:%M:%SZ), perf $(perf --version | awk '{print $3}'))"
    # one sample a line: thread name (may hold spaces), process id; the idle task (swapper, pid 0) is the CPUs' idle time
    perf script -i "$data" ${window:+--time "$window"} -F comm,pid 2>/dev/null | awk -v command="$command" -v window="$window" "$AWK_TOP"'
        { thread = $1; for (j = 2; j < NF; j++) thread = thread " " $j; total++; count[$NF " | " thread]++; process[$NF]++ }
        END {
            if (total == 0) { print "no samples" (window == "" ? "" : " between " window) > "/dev/stderr"; exit 1 }
            printf "# What took the CPUs%s\n\n%s\n\n%d samples on all CPUs (pid 0, swapper: idle).\n\n", window == "" ? "" : " between " window " s", command, total
            print "## By process\n\n| pid | samples | share |\n|---:|---:|---:|"
            top(process, 8, total)
            print "\n## By process and thread name\n\n| pid | thread | samples | share |\n|---:|---|---:|---:|"
            top(count, 20, total)
        }'
}

case "${1:-}" in
    record) [[ $# -eq 3 ]] || usage; record "$2" "$3" ;;
    report) [[ $# -eq 3 ]] || usage; report "$2" "$3" ;;
    threads) [[ $# -eq 2 || $# -eq 3 ]] || usage; threads "$2" "${3:-}" ;;
    *) usage ;;
esac
