"""Setting up a competition in draft and publishing it."""
