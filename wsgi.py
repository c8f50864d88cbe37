from netevents import create_app

app = create_app()
