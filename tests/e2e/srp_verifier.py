"""The device secret an app sends with ConfirmDevice, computed the way amazon-cognito-identity-js
(AuthenticationHelper.generateHashDevice) and Amplify compute it.

- Group: the 3072-bit group of RFC 5054 (the RFC 3526 MODP prime), g = 2, SHA-256.
- randomPassword: 40 random bytes, base64.
- x = SHA256(salt_padded || SHA256(DeviceGroupKey + DeviceKey + ":" + randomPassword)), where
  "padded" is padHex: the big-endian bytes of the positive number, with a leading 0x00 when the
  high bit of the first byte is set.
- v = g^x mod N, padded the same way.
- DeviceSecretVerifierConfig = {PasswordVerifier: base64(v), Salt: base64(salt_padded)}.

It also has the client side of a remembered device's sign-in (AuthenticationHelper's
getPasswordAuthenticationKey, as CognitoUser.getDeviceResponse uses it): DEVICE_SRP_AUTH sends SRP_A,
DEVICE_PASSWORD_VERIFIER signs the SECRET_BLOCK with a key derived from the shared secret.

Only the standard library is used, so the docs example can import the same code.
"""

import base64
import hashlib
import hmac
import secrets
import time

# RFC 5054 appendix A, 3072-bit group (the RFC 3526 MODP prime).
N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2


def padded_bytes(number):
    """padHex as bytes: minimal big-endian, with 0x00 in front when the high bit is set."""
    raw = number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")
    return b"\x00" + raw if raw[0] & 0x80 else raw


def private_key(salt_number, group_key, device_key, random_password):
    inner = hashlib.sha256(f"{group_key}{device_key}:{random_password}".encode()).digest()
    return int.from_bytes(hashlib.sha256(padded_bytes(salt_number) + inner).digest(), "big")


def verifier_config(device_key, group_key, random_password, salt_number):
    """DeviceSecretVerifierConfig for a given password and salt (both normally random)."""
    x = private_key(salt_number, group_key, device_key, random_password)
    v = pow(G, x, N)
    return {
        "PasswordVerifier": base64.b64encode(padded_bytes(v)).decode(),
        "Salt": base64.b64encode(padded_bytes(salt_number)).decode(),
    }


def new_device_secret(device_key, group_key):
    """What an SDK makes after a sign-in returned NewDeviceMetadata: (randomPassword, config)."""
    random_password = base64.b64encode(secrets.token_bytes(40)).decode()
    salt_number = int.from_bytes(secrets.token_bytes(16), "big")
    return random_password, verifier_config(device_key, group_key, random_password, salt_number)


def _hash_int(*parts):
    return int.from_bytes(hashlib.sha256(b"".join(parts)).digest(), "big")


K = _hash_int(padded_bytes(N), padded_bytes(G))  # the SRP-6a multiplier


def new_ephemeral():
    """The client's secret a (128 random bytes) and public A = g^a mod N."""
    while True:
        a = int.from_bytes(secrets.token_bytes(128), "big")
        A = pow(G, a, N)
        if A % N:
            return a, A


def claim_key(a, A, B, x):
    """The 16-byte HKDF key from S = (B - k*g^x)^(a + u*x) mod N."""
    u = _hash_int(padded_bytes(A), padded_bytes(B))
    base = (B - K * pow(G, x, N)) % N
    S = pow(base, a + u * x, N)
    prk = hmac.new(padded_bytes(u), padded_bytes(S), hashlib.sha256).digest()
    return hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]


def timestamp_now():
    """The TIMESTAMP the SDKs send: 'Wed Nov 26 04:30:32 UTC 2026', day without a leading zero."""
    t = time.gmtime()
    return time.strftime(f"%a %b {t.tm_mday} %H:%M:%S UTC %Y", t)


def claim_signature(key, first, second, secret_block, timestamp):
    """PASSWORD_CLAIM_SIGNATURE; for a device, first/second are DeviceGroupKey and DeviceKey."""
    message = first.encode() + second.encode() + base64.b64decode(secret_block) + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def device_srp_sign_in(idp, client_id, username, device_key, device_group_key, device_password,
                       first_response, secret_hash=None, admin_pool=None, timestamp=None):
    """Completes the DEVICE_SRP_AUTH challenge in first_response (from a sign-in that presented
    DEVICE_KEY) as amazon-cognito-identity-js does, and returns the final response.
    admin_pool: answer with AdminRespondToAuthChallenge in that pool."""
    assert first_response.get("ChallengeName") == "DEVICE_SRP_AUTH", first_response

    def respond(name, session, answers):
        if secret_hash is not None:
            answers["SECRET_HASH"] = secret_hash
        params = {"ClientId": client_id, "ChallengeName": name, "Session": session,
                  "ChallengeResponses": answers}
        if admin_pool is not None:
            return idp.admin_respond_to_auth_challenge(UserPoolId=admin_pool, **params)
        return idp.respond_to_auth_challenge(**params)

    a, A = new_ephemeral()
    verifier = respond("DEVICE_SRP_AUTH", first_response["Session"],
                       {"USERNAME": username, "DEVICE_KEY": device_key, "SRP_A": format(A, "x")})
    assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER", verifier
    params = verifier["ChallengeParameters"]
    B = int(params["SRP_B"], 16)
    salt = int(params["SALT"], 16)
    x = private_key(salt, device_group_key, device_key, device_password)
    key = claim_key(a, A, B, x)
    stamp = timestamp or timestamp_now()
    return respond("DEVICE_PASSWORD_VERIFIER", verifier["Session"], {
        "USERNAME": params["USERNAME"],
        "DEVICE_KEY": device_key,
        "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
        "PASSWORD_CLAIM_SIGNATURE": claim_signature(key, device_group_key, device_key,
                                                    params["SECRET_BLOCK"], stamp),
        "TIMESTAMP": stamp,
    })


# A published vector (cognito-srp-helper's unit tests, whose integration tests run against real
# Cognito): salt 0xeb96 (high bit set, so padded to 00 eb 96) and randomPassword "BAUl".
KNOWN_VECTOR = {
    "device_key": "eu-west-2_627477ae-3631-4248-bed9-d2e934100372",
    "group_key": "-FDRunwQv",
    "random_password": "BAUl",
    "salt_number": 0xEB96,
    "Salt": "AOuW",
    "PasswordVerifier": (
        "AId3eNiAEuiPgZh0E2vpuui6V04+mfZvj6CuBDdiRwDDj40OhVvIPHC11mKB+ME0ErD0EXxfwAIwZ+rq6rEbrO5/ooSh"
        "XSJlSfMpZFzy80cPEtCOz1DSm+GHmeBZQZeQrCMa2ryFV7Z88yBrTYGawF52eCoOfKC1eU7WKxdD1LPAxC5tkc/KFrVX"
        "Ny4OnGrywYv12uyK6ZGlmtNTEBoOHrra9pRjIoiqF34dz1gEw33JEvE3Sb5DJYEUB9/OVeKhjuag1wZ+DTpdkWE+WHBM"
        "rQb9t0szhj+UTQ7bPX8jaqATtsbeNXG/f6707glGoWXCPcw8jhZkZrGfkM6PCtBnai5NCEaAZXe5Xg+gSYfbiT6hWszW"
        "qJHUURXQlSHL+qu9Wj5ZrCM5GPO+5uYUN7+AdzQXihRRu66nrW7MSIC6k4iRTyTYve9GqV2OybDSPY5CYCiNa8r5+o9t"
        "XxugAfFdlqp07aNCGARCbusksBOXqKDKc1oPjjhqoaFj/x7KBFsGbw=="
    ),
}
