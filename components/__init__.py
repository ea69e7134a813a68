"""Rasa extensions: thin adapters that plug the appeal core into Rasa's NLU graph and stores.

Importing the package also makes Rasa check action server answers with a validator built once
(action_results.py): Rasa loads this package with the model, before the first message.
"""

from components.action_results import install

install()
