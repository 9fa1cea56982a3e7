"""The national view: every province side by side, each leading to its province page."""
