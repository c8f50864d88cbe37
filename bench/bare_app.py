"""The baseline of `make bench`: a bare Flask JSON endpoint, served by the same gunicorn settings.

It parses the same scan body the check-in endpoint gets and answers a JSON body of about the same
size, with no database, no auth, no schema: the most a Flask view can do per second on this host.
"""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/bare")
def bare():
    scan = request.get_json()
    return jsonify(
        {
            "id": 1,
            "result": "accepted",
            "reason": None,
            "message": "Welcome, Attendee 1!",
            "direction": "entry",
            "nonce": scan["nonce"],
            "scanned_at": scan.get("scanned_at"),
            "registration_id": 1,
            "attendee": {"name": "Attendee 1", "headline": "", "company": ""},
            "first_checkin": None,
            "undone": False,
        }
    )


@app.get("/ready")
def ready():
    return jsonify({"ok": True})
