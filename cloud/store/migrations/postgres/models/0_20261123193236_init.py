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
CREATE TABLE IF NOT EXISTS "consent" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "stream" VARCHAR(32) NOT NULL,
    "purpose" VARCHAR(32) NOT NULL,
    "granted" BOOL NOT NULL,
    "text" VARCHAR(512) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_consent_custome_3f2cb0" UNIQUE ("customer_id", "stream", "purpose")
);
COMMENT ON TABLE "consent" IS 'A customer''s current choice for one data stream and one purpose.';
CREATE TABLE IF NOT EXISTS "consentchange" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "stream" VARCHAR(32) NOT NULL,
    "purpose" VARCHAR(32) NOT NULL,
    "granted" BOOL NOT NULL,
    "text" VARCHAR(512) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "by" VARCHAR(128) NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "consentchange" IS 'Every consent given or withdrawn, with the text shown and the time.';
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
CREATE TABLE IF NOT EXISTS "dailyaggregate" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "sensor" VARCHAR(160) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "day" DATE NOT NULL,
    "count" INT NOT NULL,
    "minimum" DOUBLE PRECISION,
    "maximum" DOUBLE PRECISION,
    "mean" DOUBLE PRECISION,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_dailyaggreg_device__b01f36" UNIQUE ("device_id", "sensor", "kind", "day")
);
COMMENT ON TABLE "dailyaggregate" IS 'What is kept of raw telemetry past its retention: one row per sensor and day.';
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
    "eJztXVtz2ziW/isov3RSpelxnOtktrbKSdw93k7i3ji9szXTXRqYhCSMKYINgFY0s/nvC4"
    "B3EqQJiZQhBk9xSBxQ/A4InPv598ma+Chg35/fMBR66OQ1+PdJCNfyj/qtGTiBUVTckBc4"
    "vAnUWFgadMM4hR4XlxcwYEhc8hHzKI44JqEcfA44XiPAVwisSMzQigQ+wAzADdzOwIKSNc"
    "CcAQ8GKPQhfQ1CAsQT8R2iGLGZ+C9f4XAJBKn/vXykTzzxTHFplNnjEP8eozknSyQmpeIZ"
    "f/9NXMahj74glv03up0vMAr8CoTYlxOo63O+jdS1y5D/oAbKH34z90gQr8NicLTlKxLmo3"
    "HI5dUlChGFHMnpOY0lqGEcBCn8Gc7JLy2GJD+xROOjBYwDyRpJnfyA4trJfP7x6vP8+uLz"
    "fH7SYFtGUcI6veSRULJc/FSm3n4pf8Ifzp48e/ns1dMXz16JIepn5ldefk0eXQCTECp4Pn"
    "4++aruQw6TEQrjAlTGIeVsDnkT23cCIsl9PcAVwhrOfkr5ffZHHfUM4y7YswsF7sUXcADg"
    "O1D9fPnh4vrz+Yef5fRrxn4PFFznny/knTN1dVu7+ujFY3mdiI85+cjzScBfLz//Bcj/gr"
    "9dfbxQcBLGl1Q9sRj3+W8n8jfBmJN5SDZz6JcxyS5nl8TQgsni29yFxSUyx2CrGczi9RrS"
    "bZPBb1eQtny/BUmNuQKksdh5cjLWNrmGX+biDFryldwbT087uPs/55/e/uX80yMxqsayj+"
    "mts+Te1wrGXsw4WSM6151D7TjXyA6H9ZiHUgXtF896gP3iWSvW8tbXr/LYX9xqz6gMwibs"
    "PxCK8DL8CW0V+JfiV8JUcqoBncpfb0tTHRnoX7OVlV0tJBEKN7m8VF9wAgPx5ogny/T8+u"
    "35u4sThfYN9G43kPrzCuzyDjkjtSv52Oat9dm6fgWGcKkAkm8if3cm/cY+5hchF9uOTjYu"
    "7naLx3IcysfdLyFHkTjJ/kDCYPsaICGZboHcTNeQYw8ISjEMwNDPbnkeYgxwAiJEGQlhAK"
    "TwBG62QCyuxUIjIw8//8BS8hu8/FYE5T+dnT19+vLs9OmLV8+fvXz5/NVpLjE3b3WJzm8u"
    "f5TSc2XPul+cNheyDilfHZIfUxKvxEdMNKdP+6GfE0zwuH9y9qrHeS9GtR746l5VuKIkQC"
    "YAZ+OniO+LPvDWP4cSui/q4CZnkOH6TSkmCXAf7UCM6oD4yLSDgx7EFbBf9cH6VTvUrxpI"
    "+4hDHJiAXFBMTtN9/uSsB75iVCvA6l4V4c3KyJKQDp8ctmfP++zEYlS7FeH5C61q+zDa11"
    "tIxev7S3QRYSYunWh0sMaYWZcm5mWjUWl0D49FTvcdAwFeoNSRILV3sTKUwiT0I4qiAHpo"
    "LVS912Czgly5IRZC5fcg44ISQRoqUp3fYpRnOO+Fhd4L5O/qvsgpnXnbav0LCQh3YXKZzr"
    "HYahar71GcvXdII9pdr8We3bpZ1kjv3zWPgLXpxvn07OWLfM+U/+naLq8/nL9/n+2ZlY9n"
    "N1wrhA7VmsFCvPU8EoqbDzXC8g8BgS2o1glrwC4kZQ9o01PcFmQ7AHx39cub9xfg508Xby"
    "+vL68+VvcedVNeEhdw4qT4dHH+voY2i6Mo2Gp16/ZtoUwzpeW7lzTV4WZLABvAyXadT3Rk"
    "APd1sVWWlk0ONqGkh0J3u0Pqpze1u9LtWadipwaifGAfnU6RgAVCvtSflB4l48CAD9nqho"
    "hXmwG2glTcvtmmvjD50uKUARtCbxHVanHDzOr8aUfqT+Mkwp6JMSonmKDh+mkfW9/TdlPf"
    "04alj8U3/0SeRq/qihvKSSYI8SjOLbudwrbIiUehstpiyhWotp3x6a3u8700qM/Znnqpvm"
    "PiT0oFpTiYCfaUpRSQECUhLGIiBNcq1kVei2IqIEfaY33vCTUn+t8rgWIJreJ7QnbymzPV"
    "PqipNuNH75Om4OD0Dprhz/JsmRsgXCJxEPeAeElhKMFoKgSEBAiGepRLVDWUbwTZEcLcJe"
    "VfXb2vnN9vLmsy/8dfPry5ECLU46rRp2lh4+iLkWCajZ/gSh7Fy++k0slIpccTiOTSFFya"
    "gvVpCqkKlVhLT9p1rHTArIem5RVD79W3LpQVMyUES3yHQiC0og3mK19AGM7Un8oUKs88wF"
    "Zkk2QYqEtyL26oXAPN6eJfnFJl1W7jlKqjh9gpVU6pckqVU6psVqpujALibw4cD3/c3jGn"
    "sDqF1YJ96qgV1gx9na5a4kyHmloe1cMjWBSDElokk2Gk4CZmOJSp7QzRuyQeR+VSYKrNz9"
    "hhhoG1z/a9Zcgt5WH1zxE2lFmHPqr+NQA6Gz/B3XuUGjRKSJE5SyjEbGWoMjWJD6g55VeO"
    "VnWKKFogSpE/j8SmbWQRaFAeMFdSnty+OGFODiMhDp687lEEd0vxqlJOUMM6ES/oX4XBNj"
    "1VjkTjSg/A7oobvi8mYyZfWYlkcqnIo9gqIriVea9CnrpFRtUhGoSTw3sURZfJMlFzD0Zz"
    "D8mnNhBvT2VpUu6U0GJZ0tAw3pEC4N9jjPhcpQM2we3OdauRTgjdIZLdEnTEGtwN1pTQgV"
    "oBNebenCwWTAC0xpr9txXUJuHhsttOLd4KDGKzS4JGUmtbsxu/SSl/+OkTSgpGtJu/SmW9"
    "j0yGbLN+VWXwJG5gT5BKkekTBmmehHoMg1URYTJFxMTUsABid7Au8nmuOYqmilaIkL/nqv"
    "qIEo/5FOFhmO/70V1L289E4YkZonvC8wvr5d+xTGJrRWdMh8w7iIPt+XJJ0RIqe2LDLVMb"
    "MetyzvhyLKyMvddF81dZywozcIsiDsgCULgBHAVojTjdgggyrhp3UCQrKQua1yrDipKNLE"
    "sMxNnDCFXxfz7cNt03g8+uTefy0R1OhKqEQv51ixNlQlbPcAldDxp7mPOkd+xhTjFBf88o"
    "VUWz1d4X4Wz8JPEd2rOgrdwjXQp6bPX1eip+hCMEuQNU6QeoO2NIHGpsa617aT7e1d/R2C"
    "vXOMTrWBO+3VE+qkTjKkf1qBwl9hBzjAsah3EfjBHUaPBdAKcEDt0e6CZSsGF0ZIVogtLA"
    "6LGRhe6xZ2Tku3yiIwO8b1xkZanZFBX5DnmYiZf+hDxCqwqhfsSsUwlPx9JibD8lXIYwim"
    "WLZVETMYePfABvSMwBBNKkN1N68Ga1BY9wGMWczYB6+iyvQj0DNA7E7FLMfNyii4/wEFcz"
    "7Uhrptmdg+J6EO2WghISbhZam46f4OE/TubWUTTJEWwN0clBUB7e4EIRZDqI/+v66qMe4o"
    "Kivjlhj4P/AwFmoxkSTv5jEYdJ976bGAcch+x7+dj/HAv+DrglQpWNKoP50Yfz/61z4O37"
    "qzf1HUhO8KbGDikYGKoVJZIJ7ivD5DZ3KBUh0uU5G6sUE3Pj1hWK0iKzS51QipxWjchUvC"
    "71IR9zf3pVCJC/RED8jpCnlTmkO+3Df3/+DIRsH3LMt6lEn8r+XkBiH9wK4YFJf5wcHeDw"
    "VpN4NezcLiXLBjtGlzYQQcY2QmOdr6AuY6gryrtGOMEdf7AWX1Ux547cGhe0KFG5tCyDtC"
    "yXH9S+1qebH0RCcQRp9OHOT6wgcl+YwRcWQMbnDOlyhLo/sArhAN/X8fh9bPqcelmXUlb9"
    "bma3LVNNJgfhINbbAvkVXq7mGwGRJpSqC/sqnUN/N/RlbQmhGhpZVss0O8nElu1jBxCJby"
    "AXC3U7j3S9RrpTyGqkLomsGvWuQirZnGgKEnTKQlXCA8pDma59tOJQhpx5H/Im5fQSp0/P"
    "+lg05LB2x4G6WQWdxPyGfJn7lESRVrXuOCmbtO603O20lDk2hh6DEskE7UejhyExrPP6mn"
    "dknFZm06zej7FYZKYeg5IDOEuw2TNNqpnZMxHUq7mbd/snBCd+k7wd5RRhWgRwuSdKP4gp"
    "pgoPDj3lc9oTost0mqnCtEaMwb1zyi9lWroA5kMy21TBcnnSnfAQ6u+dCXwl55gqQJGYgu"
    "8N0c/JLJfhgkwVKAbXUbB3zr3Sia/VVFMFagmjvVESbysk/B/hZMtbqJ7qeO/lNLXW8+OW"
    "KSgJ4K1xTT3axSfBTSbt4kOgRs8ADBDlsgS0R9ZrGXYEQ7ZBFFAUEcqTItAQJA/QRzPtOI"
    "+LXLIhWHIG2iOXXPL7iLHYrnrD+AU/XTX0kQuqir2fYm7Um6VMMz3n7QhFMoy9XBP2bo3i"
    "G7c7Xc9FVM12i6hyafsubd8mRXJ2LGn7FyElQSALzH9W9eU1iml9yKxLOUX54LxefZ8ORy"
    "REf5Db6AygLxGWkANFLxRLgOXyCYTGCWKGmLgOIkruVHkAVeguwRZArv4nvZO6DkgjPMH1"
    "57WrRp7ip3HmTZVqcpaDoXKe7ouS6A5KcSdsT3DbuwTe35zRgdwTZNfYy2WQWbjsp6SQKS"
    "ELsR3YXKV0bLaazUJe3uVTLpG5TDWb+ftAdhXLOHoQs8oD6f8Uspii9qp91QGzTt0/GWpS"
    "s++zLHsBQSbBfseA1O7ABjIgZ5O19DYrpaQrn/JmRdZJGQ1ZbY/BrVTjxUVZOUPcFY9uqv"
    "7jPMLp/nbp/s6uP8nz58bI3Xizu6PRNiYewqEb3/wTeXzuYxmpbGTRaVBOEPPhzQ4Urcmd"
    "Lp+uqyRfTuJq8lU2rV1r8tkid1W7qOkEr0aftQ7JKx/LsrH3il5XskdQLIQbsqiKR8VkIB"
    "BbNaKvlfyDpWMkENLSimySCsfiDxAQMQNccESbktcoT9D2LqpYQAnD6h1dw6KHFMhyNvSH"
    "tkziWphobKfqK5hrgrY7uj+UaHZsAGEbqh2QDdEBQnYUDZFREFaJZIKC0PBhbhxSsXsbOW"
    "lzigkCPEqF7exINLTd1cgmiPboUVHtLlzjuKi3pamODPS+kVG1BWdTbJTKBddI5lmOeLs8"
    "vshG3CuFX4t35ytpY4QhIJHkMKFgLUARgi+5lTFHj8SdOJQVgUOQpktm/UQgYGmuGhBqDu"
    "KahiVjPOCe/qF519AkNtnJ4Q8ph7u8nsGTqI4tXv/IBRkXMPItWPrFVCTQWkfvKeRdkLk4"
    "LIM4LJcx4TImbNYLrM2YyMsfaTSDcmmkdu0Al0f1yd5P0u25DGRQ9XaEWC4EeUbCGVhQsl"
    "Z9QxaYCpE+rV0kxHmOA8CE7C8zFtJNkgHMtVn9Q87/a/hr+A+hZ4TzW7T9B3iU8PGPST7z"
    "H6V0+Vga+pPlCDYrHCA1fwZKcjPb1mfiGdILIPNIfw3JgstAjSwfg6JIHPBM1iGgSKCMxS"
    "Am1Rz1PjM5LUVyPvkbs/ldOQKLJOl2tcVlzI8fAOBUwwlmzFuO8/ClNTg0TEfKCBy8riKB"
    "BRUJMlnJBOMyzSAB1lbJFqe9hIvTDunitBF6BfFumQoVQmdCstqEJHYe5O1mKqyRuqQUm/"
    "lMPC+mVDqlNKEw7Y0JqlSHCzB6Mta2OXB0kXzv+epfBpCWKCbUKWYwQFtLtrbH+5ZI7Ij3"
    "lc876njfSgH0dQQ9PlcYGCzzOplb65rQRE/GDwSy27E/N8va0JBOL2lwFANDBbkdMqCa5E"
    "7wsVnwyazihh9Yjcx9XL0+rhy1HZTGKqn7qGz+qIpklHmIvmh43SoXaCgn0+tsMMFAIjMv"
    "IWX+NelncB+VzR+Viy5x0SWTjS4pbW6E4wX2kszLJu5GXZBKUxXFNiYC/6h9NeqdtrRxOY"
    "1mXF3hOcngdWnwvVE6F3eIboEfUzkLiKMAh7d5tAzj4gP0Z7K8CPZfq3AXH/lxJENYJKeb"
    "QTn7T+dCXOwPcflds2V0tNZNCaaUGnvglrou4mXEUAGx+SC8q8JcIXV+Vifc289SJ9xbIl"
    "0OKtyPKamqTqca8TTrgNouk4bZiF5lXdJ8z7zkShrVfYsiDnAo5Ufvtiiwso69VRbivQY+"
    "QQzAG1n8ThctPuz0Mlj8XJHLMG2KYNo5LonlBY9gno+qGhZuVUKqBwP0WAZ9kzDYAtVhNe"
    "k4t5KPFDQ3MecknP0ayqee/3z5+M/q+fnPjbB3K2PVmWwFgChW6a2Sdg3Fw2PxzVD8LyT/"
    "Imuhj3liGPJiCXCf7NciDjn5zanfcK8sWCd9u3539oNdgCve26yCSk4wQXhHii0/cH6EZc"
    "byg9RHLG3fDaDbtfQamYsWaerhyQltsnoLCrd6+63e29hod0iGT3D7Hb6OZ0SJH3tG9atK"
    "JBOE+Oy0T8i+GNWeF3HaCNmPhMo1F+/LzerdVclcybs+Je+EkiX0ZQ+FOqzbyzVWqaZklh"
    "7soAuESjtfkZiaLeIqmVvEfRbx7zEMuTbbsnUFl0lcPkB97RbGEZOTrkp1wBRAilhEQvET"
    "iYCWYYpODnL2Da885xYo01o4VUJXDcegGk4B3S5x1HViF5tms/sqQHc641TncXyntU71PY"
    "mPh5lDHMQKrR0+ozKd+4Js/oIYQuFclQAy5XGV0nHZZi4LQYOGujLG7emLJRI70hePvl1J"
    "1avCuPJ+x+ud5BQdvfsErf4EJccoWkso6a4cr9E7jlvPcchud2V2Qer4bD2fsR+geRj7S7"
    "QruxszOK7bzPWQmNUqy8ZPrpLWKJXCaRySmO8SflwmdF+QzV9QyiqhZwTb3TldJnf8tpnf"
    "PmFoLtlgVEanSmWHKjqpSjoK4CWFazO/ZpXMWVP7tKNz7S++hX3OtWs7WPiWS196iPQl1x"
    "WvtGUN0xWvuagHANdlh/Ur/eAjD7P9yz68S6eZXsmHSsVWmaS1J1JXco6jFQ+78clM9HtC"
    "9CmdZkrLaNR8zGbNFV12prYyS0euZmk8Lcb3ytyEnKN1xAEngKOg6LCTZEzCsNrGppGZaU"
    "Y+cIkQ16pzz1adQqfA2QfeNwa7ROICsDWBfa6bu+vmfliAR3Ft7BCU6qw+9lt9yK1G4OsK"
    "8U4IDhja/TCMHLTPqWtgNO7elMmUhha1GtkET4JhUkM6bGrlRqJ7mn3KnUuPDPS+hp/agr"
    "OpMFBi29DonrnRo13dJPmQ+1vJgiT6UxWVzArnLAgt1fKZgQ3mSb0eiiAjQmXkYANZNlzT"
    "P3agSV3BSht2m1mHfup6sk676Ih1cA/djykBSf3XZBFXydxKdgVIXAESuyAepQCJKygw8P"
    "7ryoyMdrJxyGMNqN1dsGMdoFPYDoa3cbsmzQfohJ3ohk2I2+N8C4rDx/g+jGV0lGheIRzc"
    "YZkhSNHCUKio0LnSfL0kY8ShqTcnJXG5CjZ7c46sYFJe33qe17c+jBdi+JJJjMTUDPWC4o"
    "CICwBweLR1qcROv44IFyt1ayoKaUinJhE9edFHBRWjOqTOhgrqSadNsFuplTqtOztsPjt8"
    "FOA7WaNhwXUx8t2sbhA7XtvMa5fS9U2wOY78HdlcpXRstprNLp3sID4P2STIEOQSyfQsE6"
    "MHF7mMsgEzyuoreQBYs6Zhx7WI+2Ja+nYriIrng4+/vH//UJFaPyf9yC7DBTnRxGuVb8+6"
    "orbSvmY4G3hv7NbnFQKBYDPjQPpuECALIFN7sgZpkMveaJijZoSWGWm/9mZ7tTNzmUJ7Zg"
    "q5SKwDxK/IT8UI4oxgiggP7lFdw1sjdLPx05PkRvGlqiPHCN+MwAHcC2CXVzI2wp44/QKy"
    "nBsv5Qbh9Jb0KCeeM1i1ou8MVs5g5dq3W2NOeRjdPy+volH8y6VX2rV+Wh7VI11LVXaWrc"
    "4FA5kqJyn0OFXeo9R9/ZG470GKltIH+DhpvL5ZKeU9y7MSj0E+SPuX17K3RnmGS+aywbo7"
    "6zAhcBJhzwTpnGCCu//wwTIUeTjC2tzcdogrRAdUEsq1+Y7SloAYE1u2kbpbkExwPbsaJA"
    "cRZSahDixIEJDNTmpfjdRFHdnMZ5Vrb6j1lWmmZ0QZ/tQ3DIt1obCtR3wjFFYqJfM7rMmc"
    "6HR65TTTs7mOkfP6AFE2tp3tBw6zOWw0iG1g7xsO8sAWoWvlVb+G60ih27AKVe7PuixDiX"
    "+eFSN7WIcogr4AV4ZzQMA8GIhRAYE+8GTtV0LBBkGqyvIEOLzV2X52mOF+y44mWmSmdIHf"
    "jGw+b/DyW4kT+dPZ2dOnL89On7549fzZy5fPX53mASPNW12RI28uf5TBI5W9yEWT2OBbux"
    "WvZiQapuOniO/g9h8XqjMqvOZ9nlyLJ5MWTy6UZPRgHahLue/oHwf1+fauifnetSacFXmS"
    "1kUXVOKCSmw2IFgbVHKNBI6CNz/C6ERrQShuz7oNCMnAZTqwj/0gDqXmn1GKX7a+QZSpOr"
    "1eQGIfrCADIeGAIg/hO+SDR1vEH2stCfvM5RrR2JVessCU8bngpZlVpkI2pTp9B7HPFPAH"
    "cBf0y1QO/J3BF6oV8naLgq6ROonVSaz2s9RJrE5iNZVYGUveWSOtJrfukVSLQT2k1IAssY"
    "xJVkTgkRQofchWN0S8yHcMeITcYvRYOqtgCM5/vgSc3KLwz4CEwRZgzoCPlzL1GTNwiyJN"
    "48RxHuFkWrtkWsWyuVBCVib7fZVqcmHmw5dpcX6uHNw+XsR2H2LDg+gxalScNxs/OQ/B8I"
    "vWFWS7T1qZhMSPvkRYTLcDm6uUjs1Ws5miO3Fq6yKKujprlqgO2F4zv3K0/TVj1hJV3iqx"
    "liimZKfaS3Lt0JglXAPoy7+k0xwZuH215dKiskpXTr6bpqKM+X0BodmIHipyFEAPyXxcik"
    "pJu0JzTWwIDMjywDrFtz+hS+i1Q2htV3CdENvOChnnfBUG23QJHIm0k67W7lrS6TdraMeu"
    "kU1Q+x7dkl1Omt7zbH5bmurIQO97PtcWnOkZXXcgaMJR36SEP/z0CQUw62byjTgPvo4qxK"
    "gGqFoxJrnTLcgUY8yLnMo6IwvxOXlQXErLlpbaTeOwXMi0R+VT8/n6lUPNVoSri+rqotpz"
    "Bo6SyWLamtr1pG6u4FL6p2EzateF2uVd2ZRZIZAz23BzAodwP4QDdKcrf3q9hkHQHgyYEe"
    "206VqWfpXuuU/PXr7It1v5n66d9vrD+fv3mtBKicvcOF+wRjbBpTt81qCrJtsK/ZHYn/o5"
    "VSPMhNInPw5q7letEztmW83sFWac0O0O33SV0lUKs5nLEvV5hOjch5pyVh1p33VCl/3dI/"
    "ubxiGJ+Q6fVIXQfVE2f1Hi1RbY11aD7QxKqdC5sBSDsJSQmEn42fjJRUuOUgrW5c643Bmb"
    "3F+zIXNnGrrNns7Gt0K3odhfootkugnh3rSt7IlV4lB8n1mvpgLT+N7ZBLJWF22O6H1+2t"
    "xweL+z9ipEgKKIUNn3QdGldQTVREkaVar25T5XBiBFYA19BBaUrDWlBAabdeCINVeOUN47"
    "RDlCuysEHZIfU1KBnBvDuTGO0Y2RnDtmGQ4VGhf2cH+OQxEjtqdmUwSkHRnAfTWbytKyKd"
    "NB5Zdo5M8s76Rd8MwSXHplOiDKSAg2KyKT9hnA4WtAIsloMYTJIL/FQnYnEzfE30GA6Kzc"
    "xkxm8Bd9zLQZEYM/wBUCsCtGUC4306irMs3kUlNGibuKIGMbIjYV04oLDcIJSimjxAlREh"
    "it6Wz8BPEdQQrEXGcGbK8gnBPYUUJYPm8yJYR9zCQ+phneZTLnSzPwpbnMwvZ9x2UW1lk+"
    "QGahbYabbyGx0DLMD55XmFZ/29d/VdS2O7Kd7EF8V+eIYm91ojEbpHdmXYYDWIy5z3TQDo"
    "NTz+1Sz+8Qzb6gvkdOiWSCyszZ8+e9lMXnHcri80Yv5ygyQTgdPkF0n/Tqovmko4vmk2YX"
    "TfFErg32a9cXSySH1xgfxoU5mG7YkKUOaQH/+v+taNxm"
)
