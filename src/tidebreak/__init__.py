"""Tidebreak: a fast, deterministic naval-combat simulator for reinforcement learning."""

__version__ = "0.1.0"
