import sys

# Past print(): straight to the process's standard output, a gigabyte.
chunk = 'x' * (1 << 20) + '\n'
for _ in range(1024):
    sys.__stdout__.write(chunk)
