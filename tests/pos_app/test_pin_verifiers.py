"""PIN verifiers keyed to one till (issue 18): HQ sends `keyed_verifier(hash, K_d)`, the till
checks a typed PIN with its own key; a copy is useless without that till's secret."""
from __future__ import annotations

import hashlib

import pytest

from pos_app.auth import (KEYED_PREFIX, Role, hash_pin, keyed_verifier, min_pin_length,
                          pin_key, pin_key_from_secret_sha256, verify_pin)

SECRET_A, SECRET_B = "secret-of-till-A-" + "x" * 20, "secret-of-till-B-" + "y" * 20


def test_hq_and_till_derive_the_same_key_from_what_each_holds():
    hq_side = pin_key_from_secret_sha256(hashlib.sha256(SECRET_A.encode()).hexdigest())
    assert pin_key(SECRET_A) == hq_side != pin_key(SECRET_B)


def test_a_keyed_verifier_checks_the_pin_only_with_its_tills_key():
    stored = hash_pin("2468")
    verifier = keyed_verifier(stored, pin_key(SECRET_A))
    assert verifier.startswith(KEYED_PREFIX + "$")
    assert stored.split("$")[-1] not in verifier  # the raw argon2 hash never leaves HQ
    assert verify_pin(verifier, "2468", pin_key(SECRET_A))
    assert not verify_pin(verifier, "2469", pin_key(SECRET_A))
    assert not verify_pin(verifier, "2468", pin_key(SECRET_B))  # a copy on another till
    assert not verify_pin(verifier, "2468")  # a copy without any key
    assert keyed_verifier(stored, pin_key(SECRET_B)) != verifier


def test_plain_hashes_still_verify_and_garbage_never_does():
    stored = hash_pin("1357")
    assert verify_pin(stored, "1357") and not verify_pin(stored, "1358")
    assert not verify_pin(KEYED_PREFIX + "$32$argon2id$v=19$broken", "1357", pin_key(SECRET_A))
    assert keyed_verifier("not an argon2 hash", pin_key(SECRET_A)) == "not an argon2 hash"


def test_manager_pins_are_six_digits_or_more_by_default():
    assert min_pin_length(Role.MANAGER) == 6 and min_pin_length(Role.CASHIER) == 4
    assert min_pin_length(Role.MANAGER, manager_min=8) == 8
    assert min_pin_length(Role.ASSOCIATE, associate_min=2) == 4  # never below 4
    with pytest.raises(ValueError, match="6 to 8 digits"):
        hash_pin("1234", min_pin_length(Role.MANAGER))
    assert verify_pin(hash_pin("123456", min_pin_length(Role.MANAGER)), "123456")
