"""Model-based test of Comments: random sequences of thread, comment, reaction, resolve and
delete calls (good and bad) through the secret-key API, checked after every step against a
plain model — a bad call changes nothing, a good one exactly what the model says."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from emulator.server import BackgroundServer

ROOM = "model-comments"
SETTINGS = settings(max_examples=25, stateful_step_count=25, deadline=None,
                    derandomize=True, database=None)
USERS = st.sampled_from(["alice", "bob", "carol"])
EMOJIS = st.sampled_from(["👍", "🎉"])
GOOD_BODY = {"version": 1, "content": [{"type": "paragraph", "children": [{"text": "hi"}]}]}
BODIES = st.one_of(
    st.just(GOOD_BODY),
    st.sampled_from([None, {}, {"version": 2, "content": []},
                     {"version": 1, "content": [{"type": "paragraph", "children": [7]}]}]),
)


@dataclass
class ModelThread:
    comments: list[str]  # live comment ids, in order
    resolved: bool = False
    # (comment id, emoji) -> users, in order
    reactions: dict[tuple[str, str], list[str]] = field(default_factory=dict)


class CommentsMachine(RuleBasedStateMachine):
    def __init__(self, http: httpx.Client) -> None:
        super().__init__()
        self.http = http
        http.delete(f"/v2/rooms/{ROOM}")
        assert http.post("/v2/rooms", json={"id": ROOM, "defaultAccesses": []}
                         ).status_code == 200
        self.threads: dict[str, ModelThread] = {}

    def base(self, thread_id: str = "") -> str:
        return f"/v2/rooms/{ROOM}/threads" + (f"/{thread_id}" if thread_id else "")

    def pick(self, data: st.DataObject) -> str:
        known = sorted(self.threads)
        return data.draw(st.sampled_from([*known, "th_unknown"]) if known
                         else st.just("th_unknown"))

    def pick_comment(self, data: st.DataObject, thread_id: str) -> str:
        thread = self.threads.get(thread_id)
        ids = thread.comments if thread else []
        return data.draw(st.sampled_from([*ids, "cm_unknown"]) if ids else st.just("cm_unknown"))

    @rule(user=USERS, body=BODIES)
    def create_thread(self, user: str, body: Any) -> None:
        answer = self.http.post(self.base(), json={"comment": {"userId": user, "body": body}})
        if body is GOOD_BODY:
            assert answer.status_code == 200, answer.text
            made = answer.json()
            self.threads[made["id"]] = ModelThread([made["comments"][0]["id"]])
        else:
            assert answer.status_code == 422, answer.text

    @rule(data=st.data(), user=USERS, body=BODIES)
    def reply(self, data: st.DataObject, user: str, body: Any) -> None:
        thread_id = self.pick(data)
        answer = self.http.post(self.base(thread_id) + "/comments",
                                json={"userId": user, "body": body})
        if thread_id not in self.threads:
            assert answer.status_code in (404, 422), answer.text
        elif body is not GOOD_BODY:
            assert answer.status_code == 422, answer.text
        else:
            assert answer.status_code == 200, answer.text
            self.threads[thread_id].comments.append(answer.json()["id"])

    @rule(data=st.data())
    def delete_comment(self, data: st.DataObject) -> None:
        thread_id = self.pick(data)
        comment_id = self.pick_comment(data, thread_id)
        answer = self.http.delete(self.base(thread_id) + f"/comments/{comment_id}")
        thread = self.threads.get(thread_id)
        if thread is None or comment_id not in thread.comments:
            assert answer.status_code == 404, answer.text
            return
        assert answer.status_code == 204, answer.text
        thread.comments.remove(comment_id)
        thread.reactions = {k: v for k, v in thread.reactions.items() if k[0] != comment_id}
        if not thread.comments:
            del self.threads[thread_id]

    @rule(data=st.data(), user=USERS, emoji=EMOJIS, add=st.booleans())
    def react(self, data: st.DataObject, user: str, emoji: str, add: bool) -> None:
        thread_id = self.pick(data)
        comment_id = self.pick_comment(data, thread_id)
        verb = "add-reaction" if add else "remove-reaction"
        answer = self.http.post(self.base(thread_id) + f"/comments/{comment_id}/{verb}",
                                json={"emoji": emoji, "userId": user})
        thread = self.threads.get(thread_id)
        if thread is None or comment_id not in thread.comments:
            assert answer.status_code == 404, answer.text
            return
        users = thread.reactions.setdefault((comment_id, emoji), [])
        if add and user in users:
            assert answer.status_code == 409, answer.text
        elif not add and user not in users:
            assert answer.status_code == 404, answer.text
        elif add:
            assert answer.status_code == 200, answer.text
            users.append(user)
        else:
            assert answer.status_code == 204, answer.text
            users.remove(user)
        if not users:
            del thread.reactions[(comment_id, emoji)]

    @rule(data=st.data(), resolved=st.booleans())
    def resolve(self, data: st.DataObject, resolved: bool) -> None:
        thread_id = self.pick(data)
        verb = "mark-as-resolved" if resolved else "mark-as-unresolved"
        answer = self.http.post(self.base(thread_id) + f"/{verb}", json={"userId": "u"})
        if thread_id not in self.threads:
            assert answer.status_code == 404, answer.text
            return
        assert answer.status_code == 200 and answer.json()["resolved"] is resolved
        self.threads[thread_id].resolved = resolved

    @rule(data=st.data())
    def delete_thread(self, data: st.DataObject) -> None:
        thread_id = self.pick(data)
        answer = self.http.delete(self.base(thread_id))
        assert answer.status_code == (204 if thread_id in self.threads else 404), answer.text
        self.threads.pop(thread_id, None)

    @invariant()
    def the_api_shows_the_model(self) -> None:
        listed = self.http.get(self.base()).json()["data"]
        assert {t["id"] for t in listed} == set(self.threads)
        for thread in listed:
            model = self.threads[thread["id"]]
            live = [c for c in thread["comments"] if "deletedAt" not in c]
            assert [c["id"] for c in live] == model.comments
            assert thread["resolved"] is model.resolved
            reactions = {(c["id"], r["emoji"]): [u["id"] for u in r["users"]]
                         for c in live for r in c["reactions"]}
            assert reactions == model.reactions


def test_comments_agree_with_a_model(server: BackgroundServer, http: httpx.Client) -> None:
    run_state_machine_as_test(lambda: CommentsMachine(http), settings=SETTINGS)
