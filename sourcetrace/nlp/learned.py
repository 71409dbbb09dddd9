"""Learned attribution extractor (see MODEL_CARD.md)."""
