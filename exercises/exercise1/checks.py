# Python checks of exercises/exercise1, run by `netcook grade` in the grader
# (never in the student's process). `result` holds plain data:
#   result["submission"], result["reference"]: {"loaded", "frames":
#     {"1": {"output": ..., "parameters": {...}, "channels": {...}}, ...},
#     "operators": [{"path", "name", "type", "inputs"}], "failure", ...}
# Return a score fraction in 0..1, or (fraction, message).


def prints_only_at_start(result):
    frames = result["submission"]["frames"]
    later = [int(f) for f, seen in frames.items() if int(f) > 1 and seen["output"].strip()]
    if not frames:
        return 0.0, "the scene did not run"
    if later:
        return 0.0, f"script1 printed at frame {min(later)} too: use run: start to run it once"
    return 1.0, "printed once, at the start"
