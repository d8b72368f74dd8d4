-- The objects a pool's OAuth 2.0 side is made of.
--
-- Domains (CreateUserPoolDomain): a prefix domain, served by cognitod, or a custom domain, recorded.
-- A domain belongs to one pool across all pools, so it is the key.
CREATE TABLE pool_domains (
    domain                TEXT PRIMARY KEY,
    pool_seq              INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
    custom                INTEGER NOT NULL,   -- 1 when created with CustomDomainConfig
    certificate_arn       TEXT,               -- CustomDomainConfig.CertificateArn
    managed_login_version INTEGER NOT NULL,   -- 1 (classic hosted UI) or 2 (managed login)
    created               INTEGER NOT NULL
);
CREATE INDEX pool_domains_by_pool ON pool_domains(pool_seq);

-- Resource servers, identity providers and UI customizations: each its API shape as JSON, found
-- by its name within the pool and kind (a resource server's Identifier, a provider's
-- ProviderName, a UI customization's ClientId or ALL). seq gives the lists their order.
CREATE TABLE pool_objects (
    seq           INTEGER PRIMARY KEY,
    pool_seq      INTEGER NOT NULL REFERENCES user_pools(seq) ON DELETE CASCADE,
    kind          TEXT NOT NULL,     -- resource_server, identity_provider, ui_customization
    name          TEXT NOT NULL,
    body          TEXT NOT NULL,     -- JSON
    created       INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    UNIQUE (pool_seq, kind, name)
);
