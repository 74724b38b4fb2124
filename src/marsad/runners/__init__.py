"""Runners: run a list of steps over input shards. Steps never know which runner runs them."""
