import math

current_time = me.time.seconds
sine_value = math.sin(current_time * 2)

blur = op('blur1')
blur.par.size = (sine_value + 1) * 10

noise = op('noise1')
noise.par.period = 50 + (sine_value + 1) * 50

# Forgot .eval(): formats the Par object, not its value.
print(f"Blur: {blur.par.size}, Noise Period: {noise.par.period}")
