"""Citizen services (after the Digital Police portal): report, request, track; the station acts within its deadlines."""
