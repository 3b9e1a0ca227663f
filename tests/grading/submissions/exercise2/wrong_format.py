import math

current_time = me.time.seconds
sine_value = math.sin(current_time * 2)

blur = op('blur1')
blur.par.size = (sine_value + 1) * 10

noise = op('noise1')
noise.par.period = 50 + (sine_value + 1) * 50

# The wrong format: names and separators differ from the task's.
print(f"blur={blur.par.size.eval():.1f} period={noise.par.period.eval():.1f}")
