#!/usr/bin/env bash
# Makes the zip to upload to Gradescope for one exercise:
#   exercises/gradescope/make_autograder_zip.sh exercise2 autograder-exercise2.zip
# It holds setup.sh and run_autograder at its root, exercise.txt naming the
# exercise, and netcook/: this checkout's committed files (git archive HEAD),
# which setup.sh builds.
set -euo pipefail
EXERCISE=${1:?usage: make_autograder_zip.sh EXERCISE OUT.zip}
OUT=$(realpath -m "${2:?usage: make_autograder_zip.sh EXERCISE OUT.zip}")
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
[ -f "$REPO/exercises/$EXERCISE/exercise.yaml" ] || { echo "no exercises/$EXERCISE/exercise.yaml" >&2; exit 2; }
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp "$HERE/setup.sh" "$HERE/run_autograder" "$STAGE/"
echo "$EXERCISE" > "$STAGE/exercise.txt"
mkdir "$STAGE/netcook"
git -C "$REPO" archive HEAD | tar -x -C "$STAGE/netcook"
rm -f "$OUT"
(cd "$STAGE" && python3 -m zipfile -c "$OUT" setup.sh run_autograder exercise.txt netcook)
echo "wrote $OUT"
