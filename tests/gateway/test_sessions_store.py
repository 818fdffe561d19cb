from gateway.ussd_sessions import MemorySessionStore


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_memory_sessions_expire_after_their_ttl():
    clock = Clock()
    store = MemorySessionStore(ttl=180, draft_ttl=300, clock=clock)
    store.save("s1", "+22890000001", {"screen": "home"})
    store.save_draft("+22890000001", {"screen": "join.name"})
    clock.now = 179
    assert store.load("s1", "+22890000001") == {"screen": "home"}
    clock.now = 181
    assert store.load("s1", "+22890000001") is None
    assert store.load_draft("+22890000001") == {"screen": "join.name"}
    clock.now = 301
    assert store.load_draft("+22890000001") is None


def test_runtime_store_keeps_and_forgets_sessions(runtime):
    store = runtime.sessions
    store.save("abc", "+22890000002", {"screen": "home", "text": "1*2"})
    assert store.load("abc", "+22890000002") == {"screen": "home", "text": "1*2"}
    store.delete("abc", "+22890000002")
    assert store.load("abc", "+22890000002") is None
    store.save_draft("+22890000002", {"screen": "join.dob"})
    assert store.load_draft("+22890000002") == {"screen": "join.dob"}
    store.drop_draft("+22890000002")
    assert store.load_draft("+22890000002") is None
    assert store.ping()


def test_a_session_belongs_to_its_phone(runtime):
    store = runtime.sessions
    store.save("ATUid_shared", "+22890000002", {"screen": "home.member", "member_id": 7})
    assert store.load("ATUid_shared", "+22890000003") is None
    store.delete("ATUid_shared", "+22890000003")
    assert store.load("ATUid_shared", "+22890000002") == {"screen": "home.member", "member_id": 7}
