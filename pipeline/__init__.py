"""Reception pipeline: check client visits against the reception standard and prepare
the documents it asks for."""

__version__ = "0.1.0"
