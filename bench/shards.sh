#!/usr/bin/env bash
# Scale-out check: bench smoke run as 4 shards three ways -- GNU parallel with --shard i/4, and
# --shard auto under simulated Slurm-array and Kubernetes-Indexed-Job environments -- each merged
# by `bench merge` and compared with one unsharded run (wall-clock fields and provenance.shard
# left out). Needs a built dist/ (npm run build) and GNU parallel (apt-get install parallel).
#   bash bench/shards.sh [DIR]      # DIR: where the results files go (default: a temp folder)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli="node $root/dist/cli.js"
dir=${1:-$(mktemp -d)}
mkdir -p "$dir" && cd "$dir"
rm -f smoke-*.jsonl smoke-*.jsonl.lock

same() {
  node -e '
    const fs = require("fs");
    const T = /(Ms|Seconds|PerSecond)$|^(time|seconds|ms|load1)$/;
    const strip = (v) => Array.isArray(v) ? v.map(strip) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([k]) => !T.test(k) && k !== "shard").map(([k, x]) => [k, strip(x)])) : v;
    const rows = (f) => fs.readFileSync(f, "utf8").trim().split("\n").map((l) => JSON.stringify(strip(JSON.parse(l))));
    const [a, b] = [rows(process.argv[1]), rows(process.argv[2])];
    const ok = JSON.stringify(a) === JSON.stringify(b);
    console.log(`${process.argv[1]}: ${a.length} rows, ${ok ? "identical to" : "DIFFERENT from"} ${process.argv[2]} (${b.length} rows)`);
    process.exit(ok ? 0 : 1);' "$1" "$2"
}

start=$(date +%s.%N)
$cli bench smoke --out smoke-full.jsonl > /dev/null
printf "unsharded: %.1f s\n" "$(echo "$(date +%s.%N) - $start" | bc)"

start=$(date +%s.%N)
parallel -j 4 $cli bench smoke --shard {}/4 --out smoke-par-{}.jsonl '>' /dev/null ::: 1 2 3 4
printf "GNU parallel, 4 shards: %.1f s\n" "$(echo "$(date +%s.%N) - $start" | bc)"
$cli bench merge smoke-par-{1,2,3,4}.jsonl --out smoke-par.jsonl
same smoke-par.jsonl smoke-full.jsonl

# Slurm: sbatch --array=0-3 sets these four (MIN 0, STEP 1, COUNT 4)
for id in 0 1 2 3; do
  SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=4 \
    $cli bench smoke --shard auto --out smoke-slurm-$id.jsonl > /dev/null &
done
wait
$cli bench merge smoke-slurm-{0,1,2,3}.jsonl --out smoke-slurm.jsonl
same smoke-slurm.jsonl smoke-full.jsonl

# Kubernetes Indexed Job: JOB_COMPLETION_INDEX 0..3, the count from BNNRELAX_SHARD_COUNT
for index in 0 1 2 3; do
  JOB_COMPLETION_INDEX=$index BNNRELAX_SHARD_COUNT=4 $cli bench smoke --shard auto --out smoke-k8s-$index.jsonl > /dev/null &
done
wait
$cli bench merge smoke-k8s-{0,1,2,3}.jsonl --out smoke-k8s.jsonl
same smoke-k8s.jsonl smoke-full.jsonl
