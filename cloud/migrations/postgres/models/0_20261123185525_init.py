from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
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
    "eJztXW1z2ziS/isofxmnSjvr2LGdnbu6KjvxzPrWiXOx5/Zqd6a4MAlJOFEEA4B2tHv57w"
    "fw/QWkSYqUIQafEotoUHrw1t14uvtfB2viIJf9ePHAkGejg5/Avw48uJb/KT+agQPo+9kD"
    "+QGHD27YFuYaPTBOoc3Fx3PoMiQ+chCzKfY5Jp5sfAE4XiPAlwgsScDQkrgOwAzAJ7iZgT"
    "kla4A5AzZ0kedA+hPwCBBvxI+IYsRm4k++xN4CCFHnR/lKh9jineKjUXoPPPwlQBYnCyQ6"
    "peIdf/9dfIw9B31FLPnTX1lzjFynACF2ZAfh5xbf+OFn1x7/OWwov/iDZRM3WHtZY3/Dl8"
    "RLW2OPy08XyEMUciS75zSQoHqB68bwJzhH3zRrEn3FnIyD5jBw5dBI6egLZJ8dWNbH23vr"
    "7uresg4qw5ZI5LCOP7KJJ4dcfFUW/vqF/Ap/OH795vzN25OzN29Fk/Brpp+cf4tenQETCY"
    "bwfLw/+BY+hxxGLUKMM1AZh5QzC/Iqtu8FRHL01QAXBEs4O7Hkj8l/yqgnGDfBnnyQ4Z6t"
    "gB0A34Dq/fWHq7v7iw+fZPdrxr64IVwX91fyyXH46ab06eHZK/k5EYs5WuRpJ+Cv1/d/Bv"
    "JP8Lfbj1chnITxBQ3fmLW7/9uB/E4w4MTyyJMFnTwmycfJR6JpNshibfYZ4pyYGWCtB5gF"
    "6zWkm+oAv1tCWrN+M5HS4AqQxhrOg4Oxtsk1/GqJM2jBl3JvPDpqGN3/vvj87s8Xnw9Fq9"
    "KQfYwfHUfPvhUwtgPGyRpRS3UO1eNcEtsd1mMeSgW0z960APvsTS3W8tG3b/LYn6+UZ1QC"
    "YRX2nwlFeOH9BW1C8K/Ft4Sx5lQCOta/3uW62jPQvyUzK/k000QofEr1pfKEExiIX454NE"
    "0v7t5dvL86CNF+gPbqCVLHKsAun5BjUvokbVt9tD5elz+BHlyEAMlfIr93gr5QGSh2FujK"
    "x0x8pNKQK20aVWU7aY1yrVvozKncDwy4eI5iVVbOHzEBZDvACaDId6GN1sjjP4GnJeShIj"
    "wXk86GTKi9LoLUC0VVmvMo7zD6s4b6M3L6KtCppFGwtFawhCrca5DzcmaItR7icD0KreYR"
    "udVRvluLPbt2syyJPr9r7sHQxhvnyfH5Wbpnyj+atsu7Dxc3N8meWVg8/XAtCBpUi6jKX2"
    "35Qs9zoMLw+9klsAbVsmAJ2LmUbAFtfIrrgmwDgO9vf728uQKfPl+9u767vv1Y3HvCh/Ij"
    "8QGO1OTPVxc3JbRZ4PvuRmn71W8LeZkpTd+ttKkGQy8CbAAz7y7taM8AbmvkFaaWVibeEn"
    "rCdntE4VevWne5x7NGwy5siNKGbWy6UATMEXKk/RTaUfImAjiQLR+I+GkzwJaQiscPGyC6"
    "phsgf7Q4ZcAToStElVbcML0ObLdd4sX3Yrr96fj45OT8+Ojk7O3pm/Pz07dH6a5TfdS0/V"
    "xe/yJ3oIKC+byBx4mP7S4Ov1Rggq6+k+MWrr6T41pXn3xUPlcf/hfZCruqyXOdikwQ4tfH"
    "b1tgLFrVghw+K6Lc3XA1JqumJmtFfXqhcz5xpKsO+ZyTveGEz7dqcbxn/ANxCjNpN4KHgG"
    "EPMQYYoo/RARw6TzFVOmR79DDwsV2/qQ15O/Syp/YId0NN53P4bwegk/YTPDpGufYMNyB5"
    "SYE8zJYKTZQQF0Gv5hSpCJdgfxDSY+GefrLbU+Ty9vamcIBcXpeUzo+/fri8Emf4q6LXoe"
    "ri8SmaIypMC8sXm3aXWV6V3OElv7TOHXHCHOxGYTproy+Vj+mcunRWuemnCPa70ylKTlB7"
    "OhA/0Ln13E18quyJNhUfgI3+f9FSdMa6rLKcyOQ4NKev29h6olXtwgqflTY0uJEX3UKfWi"
    "Gv035WFpwc3qPYfcyXVyg29C0bybdWEK/3XVcle3mwNbslGIYOkAH8JcCIW+H9X9fLrZLo"
    "hNAd4nYrQkfMwX6wxoIG1AKoAbctMp8zAdAaK/bfWlCrgru7zjrSeCvo4IzJKRpReIdiN7"
    "6MJX/+y2cUMcTqr7hykSR7pkPW3XEVOQPMhhkE/WG6Svu548ifKloeQs6W8+mj6GKq8DBh"
    "YW8Jz5000icEz5i+4ffIxkx80c/IJrToFFW3mDX5iZ24Lc3aPust/mvCoxXaNfYQkH04yA"
    "HwgQQcQCDXywxAeUW73IBD7PkBZzMQvn2Wkm9ngAau6F3a6q+qDuWxXmKuivf0qljvW7Zd"
    "jseeuIVa8UI9wrtdMMTtJ3jBMIpPSGzkSi2vwe1m15zVY3qBPOKhfXVoUwSZCuL/vLv9WM"
    "MRTSXKmxO2Ofg/4GI2msF38O/zwAuHGDwE2OXYYz/K1/7HWPA3wC0RKmxUCcyHHy7+pzwC"
    "725uL8s7kOzgsjQcUjHoGEWYE5ngvjIMraiBWOrFxs2WtNKJ2UizEqk0N8l0opS+R49YnU"
    "0jfvKM+ZC2eZ5k4gHkLBAQ38MTivkT5sswvcWH/7q/B0K39zjmm1ijj3V/2yWBA1ZCeWCA"
    "zMPWLvZWCvrJsH0bYoruxBQfMvYkLFZrCVW8iaa7rpLgBHf849M2So5oVU9VOVWoOY9kpd"
    "roGzkqOSlDTulATjEsifq5Pl2WBPHEEaSwhxuXWCZkVliHFeZCxi2GVEyJ5gVWEBxgfWl2"
    "I7ony6mVdykeqi/d/LZ5qcncxO7Ee5shv8SLpfUkIFLklWnCvihn0O+HvmTYC9Owk2c1L9"
    "NLJ9ZsH9uBSvwAuZioG8tXhVg1E2lKooZKU7xSRh4jlFlEQctu1IWKgjvUhxJbe2/VoQQ5"
    "B3GIFbkkGiIGK5LTo48eHbfxaMhm9RcH4cMi6CTgD+Sr5VDi+0rTuuGkrMqa07LfaSkJLB"
    "1vDHIiE/QfjZ5zkGHVrW/3RBTTog3NymkosknW9cYgR/V7VHPTu9CzopuANK/EROAuaswu"
    "XGyJ0s+ii6nCgz07vEXZEqLruJupwrRGjMHFtmzIa090IYD5EPU2VbAMrbYRHkIdRLfE51"
    "b2MVWAfNEF3xqiT1Ev196cTBUoBte+uzVFO7Ty7sKupgrUAvpboyR+rdBZf4GTjYYIk6Ph"
    "rafT1HLIjcz5zxTwWqZOi7xvEV2nS943D4StZwC6iHKZ2sUm67Uk0kCPPSEqM2wTmWlZJn"
    "eBIHqBmp/Tsx/DxdGB/jcD9VycFVYFktYDnbSfoOdkeHZx5F3t7o+dKsBjBPKbLEcjJ0qQ"
    "iTsx71ZBJyczvevI4feJ7vc2E76vGeW2V+8ANMMRmvXjCEWqZsf7n4LQBI+B0W+AssCBLe"
    "+AsiiFPQO87S1QYarpFDly5VHiujJx1H2YN0phmJabzJqMU5Q2TvNQtclcSjz0B7mNzgD6"
    "6mMJOQjlhWGZlIMS5mXAEJMFoXxKHsOAdykXm5kA8vAved+mymw6whtMoSm9Ck2F49k5lq"
    "QoNTnPwVBRPM/d+zfTLMwJ2xLc+kKOz9fPNCC3BNkk7DUxURpO+ykZZKGShXqV1C5ImmHW"
    "epiFvtxnKefETOyVzuP7Qn4VzUZ0J26VF7L/i8kfVeZ/JT1kg/WftmVJ22eN/1thUtNAmO"
    "NkDiBIdNkfGMg6A66YsojK4s8EYGmgu84MLMlTlDtO/Ae4RPQA51xVoWyUNyiM/78XNXEi"
    "DB/5G383ToEXdAqkw9Ae2ryIqUmp0OHDVWApyEMNJVVzMj2rqeqGagNkQ5RTlVUVPVVB4A"
    "ZHQCYyQT/A8NetHFKxe3dyFqYSEwR4lNyFyZHYUYcsiU0Q7dFv5+pdiZ3v5/Ll6vYM9LY3"
    "dKUJp9MdXRiTpNDMk1ilen18nrR4Vgu/E7+dL+WtGPQA8eUIEwrWAhSh+JKVvPs6FE8CT+"
    "Za80BM208yNUPAYs40EMYn4opU0GO8QKmDZ5fSCUUx5sgYPfwl9XDDLx2xRPB+8Mb2XJEx"
    "Fxffg8dTdEXcxx4pEjMxcx/Y4T7QMPcMc09nu0Bb5l4ahq+wDPIh+vXWAc63ahNFFoV9cZ"
    "l8OYz7Fmq5UOQZ8WZgTsk6qQsuVPo4hl6o8xy7gAndXzLn4k2SAcyV0WVD9v+b95v3D2Fn"
    "eNYKbf4BDqNx/GMUV/NHqV2+ko7+aDqCpyV2Udh/Akr0MNnWZ+Id8hZAxjP85pE5l8TBhB"
    "dIkS8OeCbj4SgSKGPRiEkzJ/w9M9ktRbI/+R2T/k1YnEaadL3ZYiK3xo8sMqbhBCO3NMd5"
    "+BBPDjvSYhMBA6+JjNMgMi7RlbpgnJcZhOijlW5x1Eq5OGrQLo4q9Rcg7seYKwgaF5LWLi"
    "Sx8yC7n6uwJGrIkTqPM7HtgNKaQtX1KV+LUrsjGL0ea9scmF0kf7e1/GcHSHMSE8rBPRig"
    "tanD6osb5kT0qG4o3zeZ6oZ47UObWyEGHaZ5WczMdQU10Zb8AVfWkXOsh07KrEJ0euT1UR"
    "wMBeR6ZNioihvFR2fFJ/GKd1xgJTGzuFotrhS1HkZjUdQsKp0XVRaMYnnoq2Ksa/UCheRk"
    "qkgMphhIZKwcUt1Xk7oHs6h0XlSGXWLYJZNll+Q2N8LxHNtR5GUV907Z+HNdfUY2oZPKzT"
    "8uIadY8UHJy6kUhWii50SN17nGz7J0rh4R3QAnoLIXEPiyGnrKlmFcLEBnJrMzY+enkO7i"
    "ICfwJYVFjnSVlLN9d4bioj/FpWNp1Z1XVR3f/7TjYmWG8TIiVUBsPgj3NZgLouae1Sj3+g"
    "+pUe410S4HVe7H1FTDilsK9TSpxFWvk3pJi1ZpXeJ4zzTlSszqXiGfA+xJ/dFeZQlW1oG9"
    "TCjea+AQxAB8IAFXssWH7V6SxS9CcUnTpgjGFUwiLi84hGk8alg4ZxMGpNrQRa8k6Zt47g"
    "aElb6iyidL+Uoh8xBwTrzZb55868Wn61f/Fr4//bo+tleSq85kSlpEcRjeKmXXULw8EGuG"
    "4n8i+T+yFvaYLZohO5AAt4l+zXjI0XeO7w23ioI12repu6I/2Bm44nd3y6CSCkwQ3pG45T"
    "uOj9DMWb4LiPPbdwXoeiu9JGbYIlU7PDqhu8zeTMLM3nazdxV02h2i5hPcfodPY+1T4gR2"
    "p/xVOZEJQnx81IayL1rVx0UcVSj7vjC5LPF7VWWzG/LdFcVMyrs2Ke+EkSXsZVtdorw+XW"
    "NRakpu6cEOOleYtNaSBKpCyw2TuChmJnGbSfwlgB5XRlvWzuC8iIkHKM/dzDnS5aQrSu0w"
    "BJAi5hNPfEUioGWYooOdnH3DG8+pB6prLpyioMmG0yEbTgZdHx51Wdhw03S+vnLRo8o51X"
    "gcPyq9U21P4v0ZzCEO4hCtHssoL2dWkM4riCHkWWEKoK5jXJQ0o6zzKAtFg3qqNMb14Ys5"
    "ET3CF+VrJxO+6ELGw9vvYN1LT1HJmyWo9RKUI0bRWkJJ+454Sd6MuPYjDtmq72BnomactR"
    "9n7LjI8gJngfoOd6UHM+o6j7pHuuUqS9pPLpPWKJnCaeCRgPehH+cFzQrSeQXFQyXsDHfT"
    "f6Tz4ma8dR5vhzBkyWHolEanKKWHKTqpTDohwAsK193uNYtixpvaphydKX/xPexzplzbzu"
    "hbJnzpJcKXTFW83JY1TFW86qQeAFwTHdYu9YODbMy2T/vwPu5meikfChlbZZDWlkjdyj72"
    "Vj1sxidx0W8J0ee4mylNo1HjMas5V1TRmcrMLA2xmrn2NGvfKnITco7WPgecAI7crMJOFD"
    "EJvWIZm0pkZjfxgVOEmFKdW5bqFDYFThZ4Ww52TsQQsBXEPlPN3VRz3y3Ao1xt9CClGq+P"
    "/l4fslIofE0U70hgh9TulxnIQeucmgJG4+5NiU7Z0aNWEpvgSTBMaEiDTy1fSHRLt0++cu"
    "megd7W8VOacDolBop8GwrbM3V61JubJG3yfClZELE/w6SSSeKcOaG5XD4z8IR5lK+HIsiI"
    "MBk5eIIsaa6oHztQpyZhpQ67zazBPjU1WaeddEQ7uIeuxxSBFP7ZZRIXxcxMNglITAISvS"
    "AeJQGJSSgw8P5r0oyMdrJxyAMFqM1VsAMVoFPYDob3cZsizTuohB3ZhlWI63m+mcTuOb4v"
    "4xkdhc0rlINHLCMEKZp3VCoKciY1XyvNGHHY9TYnFjGxCjrf5uxZwqQ0v7WV5rfezS3E8C"
    "mTGAloN9QziR0iLgDA3t7mpRI7/donXMzUTVdVSCE6NY3o9VkbE1S0atA6KyaoLS9t3H6p"
    "Vsqy5uzQ+exwkIsfZY6GOVdx5JuHuiJsxlrnsTYhXd/FMAe+03OYi5JmmLUeZhNOtpM7D1"
    "kkqCPIOZHpeSZGJxeZiLIBI8rKM3kAWJOiYfs1idtimlu7BUTF+8HHX29uXoqp9SmqR3bt"
    "zcmBgq+VfzxrYm3Fdc1w0vBZ7tb9EgFXDDPjQN7dIEDmQIb2JAXSIJe10TBHVYZWN9F25c"
    "22KmdmIoW2jBQyTKwd8FfkUukEcSIwRYQHv1Fdw1UndJP209PkRrlLDY+cTvgmAgbgVgCb"
    "uJKxEbbF6eeShdV5KlcEpzelRznxjMOqFn3jsDIOK1O+XRt3ysvY/ml6FYXhn0+9Um/103"
    "yrFuFaYWZnWepcDCAL00kKOy5M75Grvn4ontuQooW8A3wVFV5/WobGexJnJV6DHBDXLy9F"
    "b43yDhPMpYN3d9bgQuDEx3YXpFOBCe7+w5NlKLKxj5WxufUQF4R2aCTkc/PtpS8BMSa27E"
    "7mbiYywflscpDsRJWZhDkwJ65LnnqZfSVRwzrSeZzDWPuOVl9eZnpOlOFP/Y60WEOFrT3i"
    "K1RYaZRYj1gROdF46ZXKTM/nOkbM6wuwbHQ723dMs9ktG0Q3sLelg7ywR+guvFW/g2s/RL"
    "fiFSo8nzV5hqL7eZa1bOEdogg6AlxJ54CA2dAVrVwCHWDL3K+EgicEaZiWx8XeSuX76dHD"
    "854dBVtkFtoCv3fy+VzixffCE/nT8fHJyfnx0cnZ29M35+enb49Swkj1URNz5PL6F0keKe"
    "xFhk2iw93aSvy0Tqph3H6K+A7u/zFUnVHh7V7nyZR46lLiyVBJRifrQFXIfUP9OKiOtzdF"
    "zLfONWG8yJP0LhpSiSGV6OxA0JZUcocEjmJsfoH+gdKDkD2eNTsQooaLuGEb/0HgScs/kR"
    "TfbP2AKAvz9NouCRywhAx4hAOKbIQfkQMON4i/UnoStunLFKLRK7xkjinjlhjLbl6ZgtiU"
    "8vTtxD+Twe/CPujnpQz4vcEXphWy+7GgS6JGYzUaq/5DajRWo7F21FgjT1ZVVcX8uUuupE"
    "UL5dR3oVAjn4Q6iHJE5B8YiHBhQKY8Ummi7QUNSVmHzaJJETWZkuqHQt7d3nru5iCtJ7sP"
    "R3M8W5vzYxWLX7cO+yuKmdPZFGnXoEh7/RldVoq2riQ+MYVo1NLPd2FRF6UaEz1pVmSyNt"
    "0Tt8jYqblYTrYw2JNULLkSWtjLJ2dpkc2le3/tUrwkM8LkejG5XvQ5A0dh53Qtt2XqbFVn"
    "cI7S2rHAlqmsZbhkOrFFBHLdNtxUwCDcDmEXPapSutytoevWX3AkQr02Xc0oZfGee3J8fp"
    "Zut/KPpp327sPFzY3iukjiYnXmQJbEJjh1h2dCmgw5tdDvif+p1dUQ8jETRp9cHLTzSFeE"
    "zWBrPdhLzDihmx5ruihpop91HmWJuuUjajlQEaLbQGUvCxpGewtGOw08EvAeS6ogaFaUzi"
    "tK/LQ5dpQZbi4JcRH06oylnFxpiB+E4FjHYfrJbsf18vb2pjCkl9clDtLHXz9cXglF9FVx"
    "WSn8KqSbhp+0n1yMyCjpbQwfyPCBdLr+mg3JB6rYNlteNr4Ttg3FzgJdRd1NCPeqb2VLrK"
    "ILxZvEezUVmMa/nY0gq72iTRF97p42dRw+f1l76yFAkU+ozGUZysW5EcKOwKEMZ4jNvvTO"
    "lQFIEVhDB4E5JWtFeMRgvQ7MWDMpFuSzXaRY0DvqcZfjMSUTyFxjmGuMfbzGiM4dpalTO2"
    "0LMob2EO/5DZZNxhHb0rLJCGl7BnBby6YwtXSKdLhAFNtLlQYaP2lUPmHW5jm9sx5SExqr"
    "FxvvEVEWW3ttT6icyARPp+PT01b8kNMGfshpJdW073dBOG4+QXRft0ry+bohyefrapJP8U"
    "au9NvXJ8TJiew+J87LWCODZb+p6Ai7PMy+/T8ELewD"
)
