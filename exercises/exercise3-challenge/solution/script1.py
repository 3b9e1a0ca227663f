# Read value from Math CHOP (0 to 1 range)
chop_value = op('math1')[0].eval()

# Control Blur size (0-20 range)
blur = op('blur1')
blur.par.size = chop_value * 20

# Control Level brightness (-0.5 to 0.5 range)
level = op('level1')
level.par.brightness = chop_value - 0.5

print(f"CHOP: {chop_value:.3f}, Blur: {blur.par.size.eval():.1f}, Brightness: {level.par.brightness.eval():.2f}")

noise = op('noise1')
if chop_value > 0.7:
    noise.par.type = 'sparse'
else:
    noise.par.type = 'random'
