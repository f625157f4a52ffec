"""Who may do what in the competitions domain."""
