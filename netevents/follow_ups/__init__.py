"""After an event: the "people you met" email, the no-show's "sorry we missed you", and weeks later the
stay-connected nudge; each sent once per person and event by `queue_due_follow_ups` (services.py)."""
