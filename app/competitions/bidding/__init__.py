"""The invitees' side: clarification questions and sealed bids."""
