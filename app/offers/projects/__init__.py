"""Followers' projects: saved searches, shortlists of offers and their side-by-side comparison."""
