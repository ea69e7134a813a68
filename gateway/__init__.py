"""The web face of the assistant: the only process that listens beyond loopback."""
