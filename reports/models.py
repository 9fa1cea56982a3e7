"""`reports` reads `programs` and `indicators` and writes nothing: no models."""
