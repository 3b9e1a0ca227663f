import math

current_time = me.time.seconds
sine_value = math.sin(current_time * 2)

blur = op('blur1')
blur.par.size = (sine_value + 1) * 10

noise = op('noise1')
noise.par.period = 50 + (sine_value + 1) * 50

print(f"Blur: {blur.par.size.eval():.1f}, Noise Period: {noise.par.period.eval():.1f}")

frames_left = 40 - int(me.time.frame)
speed = 1 / frames_left
