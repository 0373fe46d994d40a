"""Documents (manuals, forms, procedures, legal texts) and training."""
