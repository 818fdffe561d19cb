"""Journeys not built yet: each is one END screen saying it opens soon.

To open one, write its journey module with a first screen of the same id (e.g.
"rhythm.start"), then swap it for the placeholder in `journeys.default_journeys`.
"""
from ..screens import End, Journey

RHYTHM = Journey("rhythm (placeholder)", (End("rhythm.start", "rhythm.unavailable"),))
