#!/bin/sh
# build-terraform.sh VERSION COMMIT_PSEUDO_VERSION OUT
#
# Builds terraform VERSION from source through the Go module proxy into OUT.
# `go install github.com/hashicorp/terraform@VERSION` does not work for
# terraform 1.6 and later: its go.mod replaces the remote-state backends and
# internal/legacy with nested modules (./internal/backend/remote-state/s3...),
# which a module zip leaves out and `go install` refuses. So the main module
# and each nested module, at the same commit (COMMIT_PSEUDO_VERSION is that
# commit's pseudo-version), are downloaded, laid out as in the repository and
# built there.
set -eu
version=$1 pseudo=$2 out=$3
GO=${GO:-go}
dir() { $GO mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -R "$(dir "github.com/hashicorp/terraform@$version")"/. "$work"/
for m in backend/remote-state/azure backend/remote-state/consul backend/remote-state/cos \
	backend/remote-state/gcs backend/remote-state/kubernetes backend/remote-state/oss \
	backend/remote-state/pg backend/remote-state/s3 legacy; do
	mkdir -p "$work/internal/$m"
	cp -R "$(dir "github.com/hashicorp/terraform/internal/$m@$pseudo")"/. "$work/internal/$m"/
done
chmod -R u+w "$work"
# Newer Go toolchains reject godebug settings that no longer exist.
sed -i.orig '/^godebug /d' "$work/go.mod"
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
cd "$work"
$GO build -trimpath -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$out" .
