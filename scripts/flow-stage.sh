#!/bin/sh
# One stage of the trainings behind the shipped HCFlow weights (models/README.md): each run resumes
# from its committed checkpoint models/<name>/training.dpckpt (or starts when there is none), trains
# for $MINUTES minutes at the lowest priority on one thread, and saves; the three run one after
# another, so a stage keeps one core busy (the machine is shared). Each training's weights are then
# copied to weights/, the files the package ships. Commit models/ and weights/ afterwards.
#   sh scripts/flow-stage.sh                          # MINUTES=40 each by default
#   MINUTES=10 sh scripts/flow-stage.sh sr-x4         # only the named trainings
set -eu
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-40}
DATA=../shared/data/sr_train/T91,../shared/data/sr_train/BSD200

run() { # task scale name lr
  dir=models/$3
  mkdir -p "$dir"
  resume=""
  if [ -f "$dir/training.dpckpt" ]; then resume=--resume; fi
  nice -n 19 node --import tsx src/cli/main.ts train-flow --data "$DATA" --hold-out 10 --task "$1" --scale "$2" \
    --size tiny --steps 6000 --batch 8 --patch 48 --lr "$4" --seed 1 --validate-every 300 \
    --time-limit "$MINUTES" --threads 1 -o "$dir/weights.hcflow" --checkpoint "$dir/training.dpckpt" \
    --curve "$dir/curve.svg" $resume >>"$dir/stage.log" 2>&1
  mkdir -p weights
  cp "$dir/weights.hcflow" "weights/$3.hcflow"
}

for name in ${*:-rescaling-x2 rescaling-x4 sr-x4}; do
  case $name in
    rescaling-x2) run rescale 2 rescaling-x2 2e-3 ;;
    rescaling-x4) run rescale 4 rescaling-x4 2e-3 ;;
    sr-x4) run sr 4 sr-x4 1e-3 ;;
    *) echo "flow-stage.sh: unknown training $name (rescaling-x2, rescaling-x4 or sr-x4)" >&2; exit 2 ;;
  esac
done
echo "stage done: commit models/ and weights/"
