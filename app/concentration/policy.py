"""Who may do what in the concentration domain."""
