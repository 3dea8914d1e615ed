from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "auditentry" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "actor" VARCHAR(128) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "action" VARCHAR(160) NOT NULL,
    "customer_id" VARCHAR(80) NOT NULL,
    "detail" VARCHAR(512) NOT NULL,
    "why" VARCHAR(256) NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_auditentry_at_08671f" ON "auditentry" ("at");
CREATE INDEX IF NOT EXISTS "idx_auditentry_custome_a141fb" ON "auditentry" ("customer_id");
COMMENT ON TABLE "auditentry" IS 'Append-only: every automatic action and every access to personal data by staff.';
CREATE TABLE IF NOT EXISTS "changeevent" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "topic" VARCHAR(32) NOT NULL,
    "subject" VARCHAR(128) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "changeevent" IS 'A change feed for the live dashboard, shared by every backend worker.';
CREATE TABLE IF NOT EXISTS "customer" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "auto_replenish" BOOL NOT NULL,
    "preferred_pack" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "address" VARCHAR(512) NOT NULL,
    "payment_token" VARCHAR(128) NOT NULL,
    "spend_cap_cents" INT,
    "quiet_start" SMALLINT,
    "quiet_end" SMALLINT,
    "utc_offset_min" INT NOT NULL
);
COMMENT ON TABLE "customer" IS 'A household or small business served by the firm.';
CREATE TABLE IF NOT EXISTS "absence" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "starts_at" TIMESTAMPTZ NOT NULL,
    "ends_at" TIMESTAMPTZ NOT NULL,
    "summary" VARCHAR(200) NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "absence" IS 'A time the household is away, from its calendar: no deliveries, nothing used.';
CREATE TABLE IF NOT EXISTS "enrollmenttoken" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "site" VARCHAR(64) NOT NULL,
    "customer" VARCHAR(64) NOT NULL,
    "auto_replenish" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "used_at" TIMESTAMPTZ,
    "device_id" VARCHAR(64)
);
COMMENT ON TABLE "enrollmenttoken" IS 'A one-time, expiring token an installer uses to provision one device at one site.';
CREATE TABLE IF NOT EXISTS "erasurerecord" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "by" VARCHAR(128) NOT NULL,
    "subject_digest" VARCHAR(64) NOT NULL,
    "removed" JSONB NOT NULL
);
COMMENT ON TABLE "erasurerecord" IS 'That a customer''s data was erased, when and by whom, without saying who they were.';
CREATE TABLE IF NOT EXISTS "escalationstep" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "position" INT NOT NULL,
    "after_s" DOUBLE PRECISION NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "target" VARCHAR(512) NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_escalations_custome_9bcb61" UNIQUE ("customer_id", "position")
);
COMMENT ON TABLE "escalationstep" IS 'One rung of a customer''s escalation ladder: who is told, how, and how long after.';
CREATE TABLE IF NOT EXISTS "site" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "site" IS 'A place where a customer''s devices live.';
CREATE TABLE IF NOT EXISTS "device" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "password_hash" VARCHAR(256) NOT NULL,
    "revoked" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "online" BOOL NOT NULL,
    "last_seen" TIMESTAMPTZ,
    "last_seq" BIGINT NOT NULL,
    "high_water" BIGINT NOT NULL,
    "firmware" VARCHAR(256),
    "battery_pct" SMALLINT,
    "sensors_ok" BOOL NOT NULL,
    "sensors_detail" VARCHAR(1024) NOT NULL,
    "outbox_dropped" BIGINT NOT NULL,
    "site_id" VARCHAR(64) NOT NULL REFERENCES "site" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "device" IS 'An edge agent, with its MQTT identity and what the cloud knows of its link.';
CREATE TABLE IF NOT EXISTS "deviceevent" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "sensor" VARCHAR(128) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "severity" VARCHAR(16),
    "detail" VARCHAR(256) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "deviceevent" IS 'An event, alert or command answer reported by a device.';
CREATE TABLE IF NOT EXISTS "flag" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(32) NOT NULL,
    "detail" VARCHAR(512) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "resolved" BOOL NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_flag_device__2d6ba5" UNIQUE ("device_id", "kind", "detail")
);
COMMENT ON TABLE "flag" IS 'Something an operator must look at (an unknown printer model, a sequence reset).';
CREATE TABLE IF NOT EXISTS "incident" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "sensor" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(128) NOT NULL,
    "severity" VARCHAR(16) NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "detail" VARCHAR(256) NOT NULL,
    "open_key" VARCHAR(320) UNIQUE,
    "raised_at" TIMESTAMPTZ NOT NULL,
    "detected_at" TIMESTAMPTZ,
    "occurrences" INT NOT NULL,
    "rate_hz" INT,
    "samples" JSONB NOT NULL,
    "impact_index" INT,
    "acknowledged_by" VARCHAR(128),
    "acknowledged_at" TIMESTAMPTZ,
    "resolved_by" VARCHAR(128),
    "resolved_at" TIMESTAMPTZ,
    "escalation_next" INT NOT NULL,
    "next_escalation_at" TIMESTAMPTZ,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "incident" IS 'An alert that needs a person, from the first message until someone resolves it.';
CREATE TABLE IF NOT EXISTS "ingestedmessage" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "seq" BIGINT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "received_at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "ingestedmessage" IS 'Every durable uplink message stored, by id: the dedupe record.';
CREATE TABLE IF NOT EXISTS "need" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "kind" VARCHAR(32) NOT NULL,
    "label" VARCHAR(128) NOT NULL,
    "sensor" VARCHAR(128),
    "supply_index" INT,
    "button" VARCHAR(128),
    "sku" VARCHAR(64) NOT NULL,
    "product" VARCHAR(200) NOT NULL,
    "pack_units" DOUBLE PRECISION NOT NULL,
    "price_cents" INT NOT NULL,
    "lead_hours" DOUBLE PRECISION NOT NULL,
    "quantity" INT NOT NULL,
    "experience" VARCHAR(32) NOT NULL,
    "authorized" BOOL NOT NULL,
    "authorized_at" TIMESTAMPTZ,
    "level" DOUBLE PRECISION,
    "level_at" TIMESTAMPTZ,
    "seen_until" TIMESTAMPTZ,
    "learner" JSONB NOT NULL,
    "last_consumed_at" TIMESTAMPTZ,
    "last_reminder_at" TIMESTAMPTZ,
    "last_ask_at" TIMESTAMPTZ,
    "last_idle_nudge_at" TIMESTAMPTZ,
    "note" VARCHAR(512) NOT NULL,
    "runout_at" TIMESTAMPTZ,
    "runout_early_at" TIMESTAMPTZ,
    "dose_times" JSONB NOT NULL,
    "dose_grams" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_need_device__f3768f" UNIQUE ("device_id", "sensor", "supply_index")
);
COMMENT ON TABLE "need" IS 'One thing a customer needs kept in stock, and how much the firm does about it.';
CREATE TABLE IF NOT EXISTS "decisionrecord" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "note" VARCHAR(512) NOT NULL,
    "action" VARCHAR(16) NOT NULL,
    "reason" JSONB NOT NULL,
    "need_id" VARCHAR(32) NOT NULL REFERENCES "need" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_decisionrec_at_d9da2a" ON "decisionrecord" ("at");
COMMENT ON TABLE "decisionrecord" IS 'What the engine decided about a need, and why (inputs, model, forecast, rule, time).';
CREATE TABLE IF NOT EXISTS "notificationrecord" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "position" INT NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "target" VARCHAR(512) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "ok" BOOL NOT NULL,
    "detail" VARCHAR(512) NOT NULL,
    "incident_id" VARCHAR(32) NOT NULL REFERENCES "incident" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "notificationrecord" IS 'One attempt to tell someone about an incident.';
CREATE TABLE IF NOT EXISTS "order" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "sensor" VARCHAR(128) NOT NULL,
    "supply_index" INT NOT NULL,
    "supply_name" VARCHAR(128) NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "product" VARCHAR(200) NOT NULL,
    "quantity" INT NOT NULL,
    "price_cents" INT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "open_key" VARCHAR(256) UNIQUE,
    "reason" JSONB NOT NULL,
    "provider_ref" VARCHAR(128),
    "eta" TIMESTAMPTZ,
    "experience" VARCHAR(32) NOT NULL,
    "source" VARCHAR(32) NOT NULL,
    "idempotency_key" VARCHAR(160) UNIQUE,
    "cancel_until" TIMESTAMPTZ,
    "deliver_after" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    "need_id" VARCHAR(32) REFERENCES "need" ("id") ON DELETE SET NULL
);
COMMENT ON TABLE "order" IS 'A consumable ordered for a customer, with the reason it was ordered.';
CREATE TABLE IF NOT EXISTS "printerinfo" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "sensor" VARCHAR(128) NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "make" VARCHAR(256),
    "model" VARCHAR(256),
    "detail" VARCHAR(256) NOT NULL,
    "catalog_model" VARCHAR(128),
    "updated_at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_printerinfo_device__d555f0" UNIQUE ("device_id", "sensor")
);
COMMENT ON TABLE "printerinfo" IS 'The latest state of one printer at a site.';
CREATE TABLE IF NOT EXISTS "reminder" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "topic" VARCHAR(32) NOT NULL,
    "recipient" VARCHAR(16) NOT NULL,
    "message" VARCHAR(512) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "followed_at" TIMESTAMPTZ,
    "order_id" VARCHAR(32),
    "key" VARCHAR(160) UNIQUE,
    "sent_via" VARCHAR(200) NOT NULL,
    "need_id" VARCHAR(32) NOT NULL REFERENCES "need" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "reminder" IS 'A nudge or question sent to a customer (or caregiver), and whether it was acted on.';
CREATE TABLE IF NOT EXISTS "sensorsample" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "sensor" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "grams" DOUBLE PRECISION,
    "detail" VARCHAR(256) NOT NULL,
    "data" JSONB NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_sensorsampl_device__04d30f" ON "sensorsample" ("device_id", "sensor", "at");
COMMENT ON TABLE "sensorsample" IS 'A reading of a scale, load cell or wearable link.';
CREATE TABLE IF NOT EXISTS "sequencegap" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "first_seq" BIGINT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "detected_at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "sequencegap" IS 'A run of sequence numbers the cloud has not received (yet).';
CREATE TABLE IF NOT EXISTS "supply" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "sensor" VARCHAR(128) NOT NULL,
    "index" INT NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(256) NOT NULL,
    "color" VARCHAR(256) NOT NULL,
    "level" SMALLINT,
    "level_state" VARCHAR(16) NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "episode_start" TIMESTAMPTZ NOT NULL,
    "history_at" TIMESTAMPTZ,
    "rate_per_day" DOUBLE PRECISION,
    "runout_at" TIMESTAMPTZ,
    "confident" BOOL NOT NULL,
    "note" VARCHAR(512) NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_supply_device__e85bba" UNIQUE ("device_id", "sensor", "index")
);
COMMENT ON TABLE "supply" IS 'The latest state and forecast of one consumable in one printer.';
CREATE TABLE IF NOT EXISTS "cartridgeepisode" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "started_at" TIMESTAMPTZ NOT NULL,
    "ended_at" TIMESTAMPTZ NOT NULL,
    "start_level" SMALLINT NOT NULL,
    "end_level" SMALLINT NOT NULL,
    "rate_per_day" DOUBLE PRECISION,
    "supply_id" INT NOT NULL REFERENCES "supply" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "cartridgeepisode" IS 'A cartridge''s life from installation to replacement: what the forecasts learn from.';
CREATE TABLE IF NOT EXISTS "supplylevel" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "level" SMALLINT,
    "level_state" VARCHAR(16) NOT NULL,
    "supply_id" INT NOT NULL REFERENCES "supply" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_supplylevel_at_a5d0bf" ON "supplylevel" ("at");
COMMENT ON TABLE "supplylevel" IS 'One reported level of a supply (the history forecasts are made from).';
CREATE TABLE IF NOT EXISTS "user" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "username" VARCHAR(128) NOT NULL UNIQUE,
    "password_hash" VARCHAR(256) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "sites" JSONB NOT NULL,
    "disabled" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "customer_id" VARCHAR(64) REFERENCES "customer" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "user" IS 'A person who logs in: operations staff, an installer, a customer or a caregiver.';
CREATE TABLE IF NOT EXISTS "session" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "kind" VARCHAR(8) NOT NULL,
    "csrf" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "revoked" BOOL NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "session" IS 'A login session (the dashboard''s cookie) or an API token; only its digest is kept.';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXWtz2ziW/Ssof5mkSt3j2ImTyWxtlZ04PZ524mzs3tma6S4NTEISVhTBBkArmtn89w"
    "X4foA0IZEyxOBTYhEXlA5e93Huxb+PVsRFHvvx/J4h30FHb8G/j3y4kv+pPpqAIxgE+QP5"
    "AYf3XtQWFhrdM06hw8XHM+gxJD5yEXMoDjgmvmx8DjheIcAXCCxIyNCCeC7ADMA13EzAjJ"
    "IVwJwBB3rIdyF9C3wCxBvxA6IYsYn4ky+wPwdC1P1RvtIljnin+GiQ3kMf/x6iKSdzJDql"
    "4h3/+E18jH0XfUUs/TNYTmcYeW4JQuzKDqLPp3wTRJ9d+fxD1FB+8fupQ7xw5eeNgw1fED"
    "9rjX0uP50jH1HIkeye01CC6oeel8Cf4hx/07xJ/BULMi6awdCTQyOl4y+Qf3Y0nX66uZve"
    "Xt5Np0e1YUslClgnHznEl0MuviqLfv1cfoUfTl68fP3yzenZyzeiSfQ1s09ef4tfnQMTC0"
    "bwfLo7+hY9hxzGLSKMc1AZh5SzKeR1bN8LiOToqwEuCVZwdhPJH9P/VFFPMW6DPf0gxz1f"
    "AXsAvgXVu6uPl7d35x8/y+5XjP3uRXCd313KJyfRp5vKp8/OnsvPiVjM8SLPOgF/u7r7C5"
    "B/gr/ffLqM4CSMz2n0xrzd3d+P5HeCISdTn6yn0C1ikn6cfiSa5oMs1uY2Q1wQswNs9ACz"
    "cLWCdFMf4HcLSBvWby5SGVwB0lDDeXQ01Da5gl+n4gya84XcG4+PW0b3v8+/vPvL+Zdnol"
    "VlyD4lj07iZ99KGDsh42SF6FR1DjXjXBHbH9ZDHkoltM9edgD77GUj1vLRt2/y2J8tlWdU"
    "CmEd9g+EIjz3f0abCPwr8S1hojlVgE70r3eFrg4M9G/pzEo/zTURCteZvlSdcAID8csRj6"
    "fp+e278/eXRxHa99BZriF1pyXY5RNyQiqfZG3rj1Ynq+on0IfzCCD5S+T3TrXf0MX80udi"
    "21HpxvnTdvVYtkNZu8c15CAQJ9kPxPc2bwESmukGyM10BTl2gJAUzQD03fSR4yDGACcgQJ"
    "QRH3pAKk/gfgPE5JrNFDpy//33rCVf4Pn3oij/6eTk9PT1yfHp2ZtXL1+/fvXmONOY64/a"
    "VOeLq5+k9lzasx5Xp/WVrH3qV/scjzGpV2IRE8Xp03zoZwIjPO5fnLzpcN6LVo0HfvSsrF"
    "xR4iEdgNP2Y8T3rAu81eVQQPesCm58BmnO30RilAB3sQ5EqxaID8w62OtBXAL7TRes3zRD"
    "/aaGtIs4xJ4OyLnE6CzdVy9OOuArWjUCHD0rI7xeaHkSkuajw/bkVZedWLRq9iK8OlOatk"
    "9jfb2DVPx8d44uA8zER0cKG6zWZtJmiTlpa1Ro3SFikcn9gQEPz1ASSJDWu5gZkcEk7COK"
    "Ag86aCVMvbdgvYA8CkPMhMnvQMaFJILUj0RVcYtB3mGjFwZGL5C7bfgik7TubaPtLyQg3G"
    "aQi3J2iI0e4mg9irP3ASlUu9uV2LMbN8uK6OO75gEMbbJxnp68Psv2TPlH23Z5+/H8+jrd"
    "M0uLZztcS4IW1YrDQvzqaSAMNxcqlOUPHoENqFYFK8DOpGQHaJNT3BRkWwB8f/PLxfUl+P"
    "zl8t3V7dXNp/LeEz2UH4kPcByk+HJ5fl1Bm4VB4G2UtnXztlCUGdP03UmbagmzxYD1EGS7"
    "zTo6MIC7hthKU8ukAJsw0n1huz2g6KvXrbvC40mrYRc1RFnDLjZdJAJmCLnSforsKMkDAy"
    "5ki3siftoEsAWk4vH9JomFyR8tThmwJnSJqNKK66dXG0870HgaJwF2dJxRmcAIHdenXXx9"
    "p82uvtOap4+F9/+LHIVd1cYbykRGCPEgwS2zg8Km6IkHYbKa4spNaUyqQ75AcWo54YutOh"
    "zvOftbnMJM2o3gPmTYl1wWhuhDfABHzlNMlQ7ZLXro+dhu3tT6jL497ak9ADOv7XyO/tUA"
    "Om0/wqNjENJptAHJIAXyMVsoNFFCPAT9hlOkJlyB/V5ID4V79sl+T5GLm5vr0gFycVVROj"
    "/98vHiUpzhz8teh7qLJ6BohqgwLaaB2LR1Znldco/BUWmdu+KE2U+QtH+2ikMR3C6mU5Yc"
    "ofZ0JH6ge+N7m+RUORBtKjkA2yl2ris6YzqrrCAyOu7BILyOAG5koFvoU0ukRQerCY4O70"
    "HsPiZ54VMHBlMHybfWEG/2Xdclt/JgGxYl6IcOkAP8e4gRn0bxP93gVkV0ROj2Ed2K0RFz"
    "cDtYE0ELagnUkDtTMpsxAdAKK/bfRlDrgvsLZx0bvBVoOGMKikacXK/YjS8SyQ8/f0ExQ6"
    "w5xFXI4z8wHbIpxlXmDDAH5hBsD9Nl1s8tR8FY0fIRcnecT59EF2OFhwkLe0d4bqWRPlJ4"
    "QobojvD8wjpltBp2tDaiM6Tn/D1yMBNf9AtyCC27jNUtJm1edDdpS/O2j/rS/5ayjIXtgX"
    "0EZB8ucgG8JyEHEMjdZBIljK4XG/AM+0HI2QREb59k1OQJoKEnepeejOd1d/tQL7GB9AMN"
    "pJsdg7SJqduxZn3C9cIvSfsRhl8G8ZgdRuakGFYfHaq7nyLIVBD/9fbmUwODNpOobk7Y4e"
    "D/gIfZYObw0X/MQj8u6XAfYo9jn/0oX/ufQ8HfArdEqLRRpTA/+3j+P9UReHd9c1HdgWQH"
    "F5XhkIqBZg5rQWSE+0o/pKsW2q2fmH47km5HZkFOKpTbwiQziXD7Hj1gdaXH5Mkj5kPW5n"
    "EKjg+QO0dAfA9fKOZrzBdR6cWP/3V3B4Ru73PMN4lGn+j+jkdCFyyF8sAAmUWtPewvFeSc"
    "fvu2tB3TaTsBZGwtLNbpAqpYJW2RwIrgCHf83vK+y2rOA1mqNvpWBk9BylJ3NKg7lkPSPN"
    "fHyyEhvjiCFPZw6xLLhewK01hhHmR8ypCKR9K+wEqCPawvM53api+nTt6lZKh+1/PbFqVG"
    "E6fei/c2R36B54vpWkCkqDrXhn1ZzqK/Hfoy/0CYhlqe1aLMVjqxYfvYHlTie8jFRN1MA1"
    "UCWjvNqCJqiUblgDvyGaFsShSk9VZdqCy4R30otbUPVh1KkdMvTleXHB+59viki0dDNmsO"
    "HEQPy6CTkN+Tr1OXkiBQmtYtJ2Vd1p6W252Wkt6jGTEoiIzQfzR4PXyGVVFf/TId4yJVTa"
    "pFOvJJphsxKBAhH9TMfR12VhwJyKpujATussbswfmOKH0QXYwVHuw7URRlR4iukm7GCtMK"
    "MQbnu3JFr3zRhQDmY9zbWMGypONWeAh1d6bV3sg+xgpQILrgO0P0Oe7lyp+RsQLF4Crwdi"
    "awR1bebdTVWIGaw2BnlMSvFTrrT3C0uSJR6Ti883QaW4W9gTn/uQLeyNTpUBUvpuvoVMXz"
    "QdR6AqCHKJeFbxyyWkkiDfTZGlFZf5zIOtSy9A0E8QvU/Jwt+7FcHBPofxPQzMVZYlWabT"
    "PQafsRek76ZxfH3lV9f+xYAR6izIGtATVwGQlZ1hRzvdtdCzLjC0f2v0/YS4WGjvaanYBm"
    "OUKT7ThCsaqpGf8pCY3wGBg8ApQnDuwYA8qzFA4M8K5RoNJUMylz5NKnxPNkWa27qKqWwj"
    "CtNpm0Gacoa5xV6epS15X46Ae5jU4A+hpgCTmI5IVhmV6WJczLkKH4ymJKHqKEdymXmJkA"
    "8ugvGW9T1X0d4A32Gi6zruGKxlM7l6QsNTrPQV9ZPI/F/dtpFvaE7QhusSB2V4CLMhbkDi"
    "DbcsY2J8rAaT8mgyxSshDb5rbEkqQdZqOHWejL2yzlgpjNvTJ5fJ/Ir2LYiO7FrfJE9j+F"
    "LKSouQ5ducGk1faPm+pUobuThRwgSDXYPzAgrTuwhgzI3mR1uPUiMtKjmPJ6QVZxYQhZP4"
    "7BjTTjxYeyFoR4Kl5dN/2HeYW1/c2y/a1ff5Tnz71WuPF++0CjaYO4j4BufIXe1MWSqazl"
    "0alJjhDz/t0OFK3IgypDrK3IXCZiq8yVNq1tq8yZoneVS5KrFK9a0fIWzStry9K2j6peNz"
    "4CNBTKDZmV1aO8M+CJrRrRt5H+g2VgxBPa0oKs45q94j/AI6IHOOOqe3MHeYNC8fpH2QNK"
    "GI5+429WIXtChSwbhu7QFkXsTekK32m0CqYK0vYHj8AGUAsyFUxnUugAUW2B7P3NLxfXl+"
    "Dzl8t3V7dXyYmRKbTRw7J/+svl+XXVQb2Avo+0SFgFkREqQv3T3DikYvfWCtJmEiMEeJCa"
    "0emRqOm7q4iNEO3BWVHNIVxtXlTxEuUDA70rM6oy4UziRkW54ArNPM0Rb9bHZ2mLR7XwW/"
    "Hb+UL6GKEPSCBHmFCwEqAIxZcsJefomXgS+rLGrQ+SdMn0hgwIWJKrBoSZg7jiCo4hXqDU"
    "wXMyYJoaknCTrR7+lHq4zevpPYnq0Pj6B67IWMLI9+DpF10RT+kdfaQ0dS5meVgaPCybMW"
    "EzJky2C4zNmMjKHyksg2JppGbrABdbdcnej9PtuSQyRPV2hFouFHlG/AmYUbKKbsKYYSpU"
    "+qR2kVDnOfYAE7q/zFhINkkGMFdm9ffZ/6/+r/4/hZ3hT5do80/wLB7HP8b5zH+U2uVz6e"
    "iPpyNYL7CHov5TUOKH6bY+Ee+QUQCZR/qrT2ZcEjXSfAyKAnHAM1mHgCKBMhaNmDRzot8z"
    "kd1SJPuT3zHt35YjMEiTbjZbbMb88AQAaxqOMGPecJz7L63BoWY6Uipg4bUVCQyoSJDqSj"
    "oYF2V6IVgbpVscd1Iujlu0i+Ma9Qri7TIVSoLWhWS0C0nsPMjZzlVYEbVJKSaPM3GckFIZ"
    "lFJQYZpL7Zel9kcwejHUttkzu0j+7uniXxqQFiRGdPdJb4A2lmxt5vsWRMzg+8r3HTTft1"
    "QAfRVAh08jDDSmeVXMznUFNdGR/AFP3t/rTvWyNhSi40saHMTBUEJuiwyourhVfExWfFKv"
    "uOYCq4jZxdVpcWWobWE0lkXtojJ5UeXJKFMffVWMdaNeoJAcze1dvSkGEplpASn91aTuwS"
    "4qkxeVZZdYdslo2SWFzY1wPMNOnHlZx13rFqRCV3mxjZHAP+i9GtWbtpS8nNplXG30nLjx"
    "qtD4UZbO5QOiG+CGVPYCwsDD/jJjyzAuFqA7keVFsPs2oru4yA0DSWGRI10n5ezenaW4mE"
    "9x0bzSfu+32Q/vf9rzJbGW8TIgVUBsPghvazCXRG2c1Sr35g+pVe4N0S57Ve6H1FSjm04V"
    "6ml6A2qzTuqnLTqVdUnyPbOSKwmre4kCDrAv9UdnmRdYWYXOIqV4r4BLEAPwXha/U7HF++"
    "1eksXPI3FJ06YIJjfHxVxe8Axm+ajRhYWbKCHVgR56LknfxPc2ILphNb5xbiFfKWTuQ86J"
    "P/nVl289/3z1/M/R+7OvG2BnKbnqTF4FgCiO0lul7AqKl4dizVD8LyT/R1bCHnNEM+SEEu"
    "Au2a85Dzn+zknccKcsWKt92/vuzAc7B1f8br0KKpnACOEdiFu+5/wIw5zle6mPWNi+a0A3"
    "W+kVMcsWqdvh8QmtM3tzCTt7u83eZai1O8TNR7j99l/HM6DEDR2t+lUFkRFCfHLchbIvWj"
    "XnRRzXKPuBMLmm4vdyvXp3ZTFb8q5LyTthZAl72UG+Cuvmco1lqTG5pXs76Dxh0k4XJKR6"
    "k7gsZidxl0n8ewh9rsy2bJzBRRGbD1Cdu7lzROekK0vtMQWQIhYQX3xFIqBlmKKjvZx9/R"
    "vPmQdKtxZOWdBWw9GohpNDtw2PuipsuWkmh6889KByTrUexw9K71TXk/hwBrOPgzhCa4tl"
    "VJSzK8jkFcQQ8qdRCSDdMS5L2lE2eZSFokF9VRnj5vTFgogZ6YsHf11JOarCeBT9Dldb6S"
    "kqebsEjV6CcsQoWkko6bYjXpG3I278iEO23Hawc1E7zsaPM3Y9NPVDd462He5aD3bUTR51"
    "n+jVKkvbj66S1iCVwmnok5BvQz8uCtoVZPIKSoZK2BneZvuRLorb8TZ5vF3C0FQOg1YZnb"
    "KUGaboqCrpRADPKVzpxTXLYtab2uU6Onv9xfewz9nr2vZG37LpS0+RvmRvxStsWf3cilef"
    "1D2Aa7PDupV+cJGD2e5lH94n3Yyv5EOpYqtM0toRqRvZx8Gqh+34pC76HSH6knQzpmk0aD"
    "5mveaKKjtTWZmlJVez0J7m7TtlbkLO0SrggBPAkZffsBNnTEK/fI1NLTNTT7znEiH2qs4d"
    "r+oUNgVOF3hXDnZBxBKwFcQ+e5u7vc19vwAPEtrYgpRqvT7me33IUqHwtVG8Y4E9UrufZi"
    "B7vefUXmA07N6U6pSaHrWK2AhPgn5SQ1p8asWLRHd0+xRvLj0w0Ls6fioTzqTCQLFvQ2F7"
    "Zk6PZnOTZE0ev0oWxOzPqKhkWjhnRmihls8ErDGP6/VQBBkRJiMHa8jS5or7Y3vq1BasNG"
    "G3mbTYp/ZO1nEXHTEO7r7vY4pBiv7UmcRlMTuTbQESW4DELIgHKUBiCwr0vP/aMiODnWwc"
    "8lABavst2KEK0DFsB/37uO0lzXu4CTu2DesQN/N8c4n9c3yfxjM6CJtXKAcPWGYIUjTTVC"
    "pKcrY0XyfNGHGoG81JRGyugsnRnAMrmJTVt55m9a33E4Xov2QSIyHVQz2X2CPiAgDsH2xd"
    "KrHTrwLCxUzd6KpCCtGxaUQvzrqYoKJVi9ZZM0EdGbTxtiu1UpW1Z4fJZ4eLPPwgazTMuI"
    "oj3z7UNWE71iaPtU3p+i6GOQzcLYe5LGmH2ehhtulke4l5yEuCNEEuiIzPMzE4uchmlPWY"
    "UVadyT3Aml4adliTuCumhbVbQlS8H3z65fr6qZhan+P7yK78GTlS8LWKjydtrK3kXjOcNn"
    "yUu3W3QMATw8w4kLEbBMgMyNSe9II0yOXdaJijOkNLT7Tb9WY7XWdmM4V2zBSyTKw98Ffk"
    "UtGCOBUYI8K9R1RXcKmFbtp+fJrcILHU6MjRwjcVsAB3AtjmlQyNsCNOP4/Mp9pTuSY4vi"
    "k9yIlnHVaN6FuHlXVY2evbjXGnPI3tn5VXURj+xdIrzVY/LbbqkK4VVXaWV52LAWRROUlh"
    "x0XlPQq3rz8Tzx1I0VzGAJ/HF6+vF5HxnuZZidcgFyT3l1eytwZ5h03mMsG7O2lxIXASYE"
    "cH6UxghLt//2QZihwcYGVubjPEJaE9GgnF2nwH6UtAjIktW8vczUVGOJ9tDZK9qDKjMAdm"
    "xPPIeiuzryJqWUcmj3OUa69p9RVlxudE6f/U16TFWips4xFfo8JKo2T6gBWZE61Br0xmfD"
    "7XIXJen4BlY9rZvmeazX7ZIKaBvSsd5Ik9QrdRVP0WroII3ZpXqPR80uYZiuPzLG/ZwTtE"
    "EXQFuJLOAQFzoCdaeQS6wJG1XwkFawRpVJbHw/5S5fvZoofHPTsKtsgksgV+0/L5XOD598"
    "IT+dPJyenp65Pj07M3r16+fv3qzXFGGKk/amOOXFz9JMkjpb3IsklMiK0txU/TUg2T9mPE"
    "t3f/j6XqDAqv/j1P9oonnSueLJVkcLIOVKXct9wfB9X59vYS851rTVgv8ii9i5ZUYkklJj"
    "sQjCWV3CKBoxibn2BwpPQg5I8n7Q6EuOE8adjFfxD60vJPJcU3W90jyqI6vY5HQhcsIAM+"
    "4YAiB+EH5IJnG8SfKz0Ju/RlL6IxK71khinjUzGWel6ZktiY6vTtxT+Tw+/BbdAvSlnwtw"
    "ZfmFbI2Y4FXRG1GqvVWM0fUquxWo1VV2NlLP7NCm01fvSIppo36qClemSOJSc5EgLPpELp"
    "Qra4J+KH/IEBh5AlRs9lsAr64PzzFeBkifw/A+J7G4A5Ay6ey9RnzMASBYqLE4d5hdVpzd"
    "JpoyGbCiNkobPfl6VGRzPvv0yLjXNl4HaJIjbHEGsRRIdRreK8afvRRQj6n7S2INtj2soo"
    "NH70NcCiuy2GuSxph9noYaboQZzaKkZR282aBak9Xq+ZfXKw92uGrIFV3qixFiTG5KfaSX"
    "NtsZglXD3Yy78k3RwYuF2t5cKkMspWjtdN3VDG/DFCaNqig4kceNBBMh+XokLSrrBcYx8C"
    "A7I8sMrw7S5oE3rNUFqbDVyrxDYPheQ53/jeJpkCB6LtJLO1vZZ0smY1/dgVsRFa34N7so"
    "tJ0zueze8KXR0Y6F3P58qE0z2jqwEEBR31IhH88PMX5MH0NpPvJHjwbVAlJroAVanGxE/a"
    "FZm8jX6RU1lnZCaWkwPFR0nZ0sJ109gvFjLtUPlUv79u5VDTGWHrotq6qOacgYNksuheTW"
    "3vpK7P4EL6p+Zl1PYWapt3ZVJmhUBOb8PNBCzC3RD20IOq/OntCnpeMxkwFdpq0zUs/SrZ"
    "c09PXp9l2638o22nvf14fn2toFZKXKba+YIVsRFO3f6zBm012UboD8T/1C2oGmAmjD65OK"
    "h+XLUqbAfb6MFeYMYJ3WyxpsuStlKYyaMsUZ8GiE5dqChn1ZL2XRW02d8dsr9p6JOQb7Gk"
    "SoJ2RZm8osRPm2FXWQ22lZRSkrO0FA1aik/0NPy0/ejYkoOUgrW5MzZ3xqTw16TP3Jmabb"
    "NjsPGdsG0odufoMu5uRLjXfSs7YhUHFK9T79VYYBo+OhtD1hiizRB9LE6bOQ4fD9be+AhQ"
    "FBAq732I5JI6glFHcRpVYvZlMVcGIEVgBV0EZpSsFKUEeuu1Z8aaLUcon+2jHKHZFYL2OR"
    "5jMoFsGMOGMQ4xjBGfO3oZDiUZS3t4PMch54jtaNnkhLQDA7irZVOaWiZlOkT5JQr9M807"
    "aVY80wSXTpkOiDLig/WCyKR9BrD/FpBADrRowiTJbzaTt5OJB+L/nofopHiNmczgz+8xU2"
    "ZE9P4CWwjALI6gnG66rKuizOhSUwbhXQWQsTURm4puxYWa4Ai1lEF4QpR4WnM6bT9CfAfQ"
    "AjFXuQGbKwhnAmaUEJbvG00JYRcziY9uhndRzMbSNGJpNrOwed+xmYXVIe8hs9A0x833kF"
    "hoGOZ7zytMqr/tGr/Ka9sd2E72JLGrc0SxszhSuA2SJ5M2xwHM2zzmOmiGwZrnZpnnD4im"
    "K6jrkVMQGaExc/LqVSdj8VWLsfiqdpdzEOggnDQfIbovOt2i+aLlFs0X9Vs0xRu5kuzXbC"
    "8WRPZvMT5NCLM327CmS+3TA/7t/wEusbHU"
)
