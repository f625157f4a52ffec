"""The register's organisations, suppliers, systems and deployments: pages and forms."""
