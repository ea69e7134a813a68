"""Faults on the whole running assistant, through the website gateway as a member meets them:
the action server killed mid-conversation, the Rasa server restarted mid-conversation.

Each test stops a server of the session's stack and starts it again on the same port, so the
tests after it find the assistant as it was.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.conftest import Stack

pytestmark = pytest.mark.server

DATE_QUESTION = "What date is printed on the denial notice?"
SERVICE_QUESTION = "What did the plan deny?"


class Member:
    """One website conversation through the gateway's member API."""

    def __init__(self, gateway_url: str) -> None:
        self.gateway_url = gateway_url
        status, answer = self._post("/api/conversations", None, {})
        assert status == 201, answer
        self.headers = {"X-Conversation": answer["conversation"]}

    def _post(self, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.gateway_url + path,
            data=json.dumps(body).encode() if body is not None else b"",
            headers={"Content-Type": "application/json", **headers},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read())

    def say(self, text: str) -> tuple[int, Any]:
        return self._post("/api/messages", {"text": text}, self.headers)

    def told(self, text: str) -> str:
        """Send a message that must be answered; the answer's texts joined."""
        status, answer = self.say(text)
        assert status == 200, answer
        return "\n".join(message["text"] for message in answer["messages"])


def _up_to_the_plan_question(member: Member) -> None:
    member.told("my claim was denied, what now?")
    assert "Which state" in member.told("yes please")
    assert "How do you get this health plan?" in member.told("California")


def _finish(member: Member) -> str:
    assert SERVICE_QUESTION in member.told("9/15/26")
    member.told("an MRI of my knee")
    member.told("they said it wasn't medically necessary")
    member.told("no")
    return member.told("this is the first denial")


def _assert_the_california_hmo_summary(summary: str) -> None:
    assert "March 14, 2027 (111 days from today)" in summary
    assert "1-888-466-2219" in summary


def test_action_server_killed_mid_conversation(stack: Stack, gateway_url: str):
    member = Member(gateway_url)
    _up_to_the_plan_question(member)
    stack.stop("actions", kill=True)
    try:
        status, answer = member.say("through my job, it's a Blue Shield HMO")
        assert status == 503
        assert "still in the box" in answer["error"]
        help_lines = answer["messages"][0]["text"]
        assert "1-888-466-2219" in help_lines  # the state given before the fault: California
        assert "source:" in help_lines and "confirmed on an official page" in help_lines
        status, answer = member.say("I want to end my life")
        assert status == 200 and "988" in answer["messages"][0]["text"]
    finally:
        stack.start("actions")
    # The member sends the same answer again and the conversation goes on where it was.
    assert DATE_QUESTION in member.told("through my job, it's a Blue Shield HMO")
    _assert_the_california_hmo_summary(_finish(member))


def test_rasa_restarted_mid_conversation_loses_nothing(stack: Stack, gateway_url: str):
    member = Member(gateway_url)
    _up_to_the_plan_question(member)
    assert DATE_QUESTION in member.told("through my job, it's a Blue Shield HMO")
    stack.stop("rasa")
    try:
        status, answer = member.say("9/15/26")
        assert status == 503 and "1-888-466-2219" in answer["messages"][0]["text"]
    finally:
        stack.start("rasa")
    # A new Rasa process reads the conversation back from the SQL tracker store.
    _assert_the_california_hmo_summary(_finish(member))
