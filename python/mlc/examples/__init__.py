"""Examples that run end to end (``python3 -m mlc.examples.fashion_mnist``)."""
