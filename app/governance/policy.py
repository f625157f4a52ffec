"""Who may do what in the governance domain."""
