"""Secure conversations along the NCB–ILO–UO hierarchy."""
