# Python checks of exercises/exercise2, run by `netcook grade` in the grader
# (never in the student's process), on the observations as plain data:
#   result["submission"]["frames"]["31"]["parameters"]["blur1.size"]
# Return a score fraction in 0..1, or (fraction, message).


def blur_in_range(result):
    frames = result["submission"]["frames"]
    sizes = [(int(f), seen["parameters"]["blur1.size"])
             for f, seen in frames.items() if "blur1.size" in seen.get("parameters", {})]
    if not sizes:
        return 0.0, "no blur size was recorded (did the script run?)"
    outside = [(f, v) for f, v in sizes if not -1e-9 <= v <= 20 + 1e-9]
    if outside:
        f, v = min(outside)
        return 0.0, f"frame {f}: blur1.size was {v:.3g}, outside 0..20"
    return 1.0, f"within 0..20 at all {len(sizes)} frames"
