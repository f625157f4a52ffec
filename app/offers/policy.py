"""Who may do what in the offers domain."""
