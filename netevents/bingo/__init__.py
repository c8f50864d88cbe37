"""Networking bingo: an organizer's card of exchange actions, timed rounds, and squares signed by exchanges."""
