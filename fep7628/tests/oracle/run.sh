#!/usr/bin/env bash
# Builds the fep7628 CLI and runs the Python oracle suite against it (called by .ci/run).
# Ends with "N passed, M failed" and then unittest's summary line (OK / FAILED) as the last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
cargo build -p fep7628 --features cli --bin fep7628
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
export FEP7628_BIN="$target_dir/debug/fep7628"
if [ ! -x "$FEP7628_BIN" ]; then
    echo "error: $FEP7628_BIN was not built" >&2
    exit 1
fi
cd "$here"
python3 - <<'PY'
import sys
import unittest

suite = unittest.defaultTestLoader.discover(".", pattern="test_*.py")
runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout)
result = runner.run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped
print(f"{passed} passed, {failed} failed")
# unittest's own summary again, so that it is the last line.
if result.wasSuccessful():
    print("OK")
else:
    print(f"FAILED (failures={len(result.failures)}, errors={len(result.errors)})")
sys.stdout.flush()
if result.testsRun == 0 or skipped == result.testsRun:
    print("error: the oracle suite ran nothing", file=sys.stderr)
    sys.exit(1)
sys.exit(0 if result.wasSuccessful() else 1)
PY
