"""Checks each action server answer against Rasa's schema with a validator built once.

Rasa 3.6 checks every answer with `jsonschema.validate`, which first checks the schema itself
against its meta-schema: profiled under load (py-spy, 10 members at once), that took 65% of the
Rasa server's time. The answers are checked against the same schema, with the same error, by a
validator whose schema was checked once.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.cache
def _answer_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _answer_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. See {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def install() -> None:
    """Called when Rasa imports this package (it loads the NLU components from it)."""
    RemoteAction._validate_action_result = _validate_action_result
