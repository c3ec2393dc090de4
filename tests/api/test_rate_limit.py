"""Per-address limits on the API: bad tokens, and all requests; 429 as JSON with Retry-After."""

from tests.api.test_api import API, make_token

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}


def _get(client, token, where=ATTACKER):
    return client.get(
        f"{API}/periods", headers={"Authorization": f"Bearer {token}"}, environ_base=where
    )


def test_one_address_cannot_try_many_tokens(demo):
    client = demo.test_client()
    for number in range(20):
        assert _get(client, f"guessed-token-{number}").status_code == 401
    good = make_token(demo, "observer")
    refused = _get(client, good)
    assert refused.status_code == 429
    assert refused.is_json and refused.json["status"] == 429
    assert int(refused.headers["Retry-After"]) > 0
    # A good token from another address still works.
    assert _get(client, good, where={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200


def test_every_request_counts_toward_the_address_limit(demo):
    demo.config["API_ADDRESS_LIMIT"] = "5 per minute"
    try:
        client, token = demo.test_client(), make_token(demo, "observer")
        assert [_get(client, token).status_code for _ in range(6)] == [200] * 5 + [429]
    finally:
        demo.config["API_ADDRESS_LIMIT"] = "300 per minute"
