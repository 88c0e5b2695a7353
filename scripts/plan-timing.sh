#!/usr/bin/env bash
# Times, for one example on each cloud: the first `skyform plan --offline`
# (compile + terraform init + plan + show), a second one (init skipped), and
# a raw `terraform plan` in the same workdir. Median of RUNS runs each.
set -euo pipefail
SKYFORM=${SKYFORM:-bin/skyform}
TERRAFORM=${SKYFORM_TERRAFORM:-terraform}
EXAMPLE=${EXAMPLE:-examples/order-pipeline}
RUNS=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$EXAMPLE"/. "$work"/
export XDG_CACHE_HOME="$work/.cache"

ms() { # command... → elapsed milliseconds
	local s e
	s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
	echo $(( (e - s) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-6s %18s %22s %20s\n' cloud "first plan (init)" "second plan (no init)" "raw terraform plan"
for c in aws gcp azure; do
	first=$(for i in $(seq "$RUNS"); do rm -rf "$work/.skyform"; ms "$SKYFORM" plan --offline -f "$work/skyform.yaml" --cloud "$c"; done | median)
	second=$(for i in $(seq "$RUNS"); do ms "$SKYFORM" plan --offline -f "$work/skyform.yaml" --cloud "$c"; done | median)
	dir=$(ls -d "$work"/.skyform/*/"$c".offline)
	cfg=$(ls "$XDG_CACHE_HOME"/skyform/offline/*/terraform.rc | head -1)
	raw=$(for i in $(seq "$RUNS"); do (cd "$dir" && ms env TF_CLI_CONFIG_FILE="$cfg" "$TERRAFORM" plan -input=false -lock=false); done | median)
	printf '%-6s %15s ms %19s ms %17s ms\n' "$c" "$first" "$second" "$raw"
done
