"""Enrichment models and algorithms: tokens, named entities, topic, key phrases, quotes, summary.

Pure functions and small model wrappers over an article's clean text; the pipeline steps that
call them live in :mod:`marsad.steps.enrich`.
"""
