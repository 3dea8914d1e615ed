from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "loginthrottle" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(256) NOT NULL UNIQUE,
    "kind" VARCHAR(8) NOT NULL,
    "account" VARCHAR(128) NOT NULL,
    "address" VARCHAR(64) NOT NULL,
    "failures" INT NOT NULL,
    "accounts" JSONB NOT NULL,
    "last_at" TIMESTAMPTZ NOT NULL,
    "locked_until" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_loginthrott_last_at_5c1e2a" ON "loginthrottle" ("last_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "loginthrottle";"""
