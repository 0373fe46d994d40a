"""Requests from foreign countries, disseminated to Indian agencies for action or information."""
