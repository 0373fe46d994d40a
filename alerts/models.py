"""The 24x7 crime alert network (after NCRB's Cri-MAC)."""
