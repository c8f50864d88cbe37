"""The "people you met" summary of an event, for one attendee (PRODUCT.md, "After")."""
