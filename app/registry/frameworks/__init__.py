"""The register's frameworks, lots and memberships: pages and forms."""
