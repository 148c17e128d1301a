"""The top layers, built on the domain apps (measures, cases): home, editorial and seed, then alerts."""
