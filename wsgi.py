import gc

from netevents import create_app

app = create_app()
# Everything built to start the app (modules, routes, schemas, statements) lives as long as the process: frozen, the
# garbage collector's full passes no longer walk it. A full pass over it took 87 ms in the middle of a request, so
# one request in 25 of a summary with 200 people took that much longer (bench/summary_profile.py --gc).
gc.freeze()
