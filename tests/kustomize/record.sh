#!/usr/bin/env bash
# Records real kubectl's `kubectl kustomize` of each case in this folder, for
# src/kubectl/kustomize/tests.rs. Each case is copied to
# /tmp/kustomize-oracle/CASE (the path its error messages show; the test
# puts the files at the same path in the simulated workspace) and built
# from there: `kubectl kustomize DIR`, DIR from the case's `.dir` (else `.`).
# Usage: record.sh KUBECTL MINOR   (writes CASE/expected/MINOR.{out,err,rc})
set -u
kubectl=$1 minor=$2
here=$(cd "$(dirname "$0")" && pwd)
for case in "$here"/*/; do
  name=$(basename "$case")
  rm -rf "/tmp/kustomize-oracle/$name" && mkdir -p /tmp/kustomize-oracle
  cp -r "$case" "/tmp/kustomize-oracle/$name" && rm -rf "/tmp/kustomize-oracle/$name/expected"
  dir=$(cat "$case/.dir" 2>/dev/null || echo .)
  mkdir -p "$case/expected"
  (cd "/tmp/kustomize-oracle/$name" && "$kubectl" kustomize "$dir" \
    > "$case/expected/$minor.out" 2> "$case/expected/$minor.err"; echo $? > "$case/expected/$minor.rc")
done
