import math

# Off by one: the frame number, not the time since frame 1 ((frame - 1) / fps).
current_time = me.time.frame / 60

sine_value = math.sin(current_time * 2)

blur = op('blur1')
blur.par.size = (sine_value + 1) * 10

noise = op('noise1')
noise.par.period = 50 + (sine_value + 1) * 50

print(f"Blur: {blur.par.size.eval():.1f}, Noise Period: {noise.par.period.eval():.1f}")
