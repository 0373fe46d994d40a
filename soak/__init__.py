"""The load and soak harness: `make soak DURATION=60 USERS=50` (see soak/README.md)."""
