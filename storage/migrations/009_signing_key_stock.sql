-- Ready RSA keys, made by a background thread so that no request waits for a key's generation
-- (some 100-300 ms each). CreateUserPool takes two (access and ID tokens) into the pool's
-- signing_keys in its own transaction; reset and DeleteUserPool leave the stock alone, and a
-- restarted cognitod finds it as it was.
CREATE TABLE signing_key_stock (
    seq INTEGER PRIMARY KEY,
    pem TEXT NOT NULL                           -- PKCS#8 private key
);
