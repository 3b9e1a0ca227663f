import faulthandler

# Crashes the interpreter (SIGSEGV).
faulthandler._sigsegv()
