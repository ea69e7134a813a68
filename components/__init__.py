"""Rasa extensions: thin adapters that plug the appeal core into Rasa's NLU graph and stores."""
