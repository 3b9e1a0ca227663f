import math

current_time = me.time.seconds
sine_value = math.sin(current_time * 2

blur = op('blur1')
blur.par.size = (sine_value + 1) * 10
