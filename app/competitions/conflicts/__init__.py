"""The conflicts assessment of a competition (Procurement Act 2023 s81–83): who takes part, what
each declared, the conflicts found and how they are mitigated, kept under review."""
