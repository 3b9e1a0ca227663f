# 20 GiB at once.
hog = bytearray(20 * 1024 ** 3)
op('blur1').par.size = 1
