"""Evaluating the bids after the deadline: declarations, scores, moderation, results."""
