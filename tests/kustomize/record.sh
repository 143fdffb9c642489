#!/usr/bin/env bash
# Records `kubectl kustomize` of each case in this folder, for
# src/kubectl/kustomize/tests.rs. Each case is copied to
# /tmp/kustomize-oracle/CASE (the path its error messages show; the test
# puts the files at the same path in the simulated workspace) and built
# from there: `kubectl kustomize DIR`, DIR from the case's `.dir` (else `.`).
#
# Usage: record.sh PROGRAM MINOR   (writes CASE/expected/MINOR.{out,err,rc})
#
# PROGRAM is a real kubectl of that minor, or, for kubectl releases whose
# binaries are not on the machine, the standalone kustomize that release
# embeds, built from its Go module:
#   GOBIN=/tmp/kbin go install sigs.k8s.io/kustomize/kustomize/v4@v4.5.7
#   record.sh /tmp/kbin/kustomize 26
# Its `build` prints what kubectl's `kustomize` command prints, except that
# cobra's `Error: ` before an error is kubectl's `error: ` (kubectl prints
# errors through cmdutil.CheckErr), which this script rewrites.
set -u
program=$1 minor=$2
here=$(cd "$(dirname "$0")" && pwd)
case $(basename "$program") in
  kustomize) verb=build standalone=1 ;;
  *) verb=kustomize standalone=0 ;;
esac
for case in "$here"/*/; do
  name=$(basename "$case")
  rm -rf "/tmp/kustomize-oracle/$name" && mkdir -p /tmp/kustomize-oracle
  cp -r "$case" "/tmp/kustomize-oracle/$name" && rm -rf "/tmp/kustomize-oracle/$name/expected"
  dir=$(cat "$case/.dir" 2>/dev/null || echo .)
  mkdir -p "$case/expected"
  (cd "/tmp/kustomize-oracle/$name" && "$program" $verb "$dir" \
    > "$case/expected/$minor.out" 2> "$case/expected/$minor.err"; echo $? > "$case/expected/$minor.rc")
  if ((standalone)); then
    sed -i 's/^Error: /error: /' "$case/expected/$minor.err"
  fi
done
