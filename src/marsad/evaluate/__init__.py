"""Evaluation: score marsad's extraction, and the peers a user would otherwise pick, on the same pages."""
