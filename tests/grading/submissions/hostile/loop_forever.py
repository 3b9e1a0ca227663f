# Never returns: the time limit stops it.
while True:
    pass
