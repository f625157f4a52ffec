"""The competitions domain's services: setup.py (draft and publish), bidding.py (clarifications,
sealed bids, suspensions), evaluation.py (conflicts, scores, moderation, results), award.py
(intention, standstill, award, cancel, partnerships), state.py (lifecycle and clock), and
reading.py (what other domains may call to read competitions, bids and awards)."""
