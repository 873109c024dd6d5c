"""Drafting scenarios from news articles (see accord.ingest.draft)."""
