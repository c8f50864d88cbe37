"""The ledger of things a device did once: door scans, walk-ins, webinar joins and, next, "met you" exchanges."""
