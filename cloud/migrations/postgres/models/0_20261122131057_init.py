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
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "customer" IS 'A household or small business served by the firm.';
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
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(64) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
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
    "eJztXVtz27gV/isYvWwyo806SmynO53O2I6y664vqeVtO3sZLkRCEmuKYADQirrNfy8A3k"
    "mQJiVRphg8JSZwQPHD7dzPn4MltpBDX11AwohtzdHYsyl/NPge/Dlw4VL8p7TPEAyg5yU9"
    "xAMGp44kMqPeKNV7ShmBJuPtM+hQxB9ZiJrE9piNXUF1BmK6byhw7BkCM4KXwHYpg44DRT"
    "/AMCDIc6CJlshl34PVAjLAFrwrJsiElHFKBIkrSV+JF1vY5G+23XmL7/Bd+5OPDIbniPcj"
    "/E2//s4f266FPiMa/ek9GDMbOVYGYNsSA8jnBlt78tmlyz7IjuLnTw0TO/7STTp7a7bAbt"
    "zbdpl4OkcuIpAhMTwjvgDY9fknBXMSYR780qRL8BNTNBaaQd8R0ySogx+QPBsYxs3tvTEZ"
    "3xvGoDCFEUUK8fCRiV0x/fynUvn1c/ETvh29fnv69t2bk7fveBf5M+Mnp1+CVyfABIQSnp"
    "v7wRfZDhkMekiME1D5ZBKOhAFZEdz3HCNmL5Ea4SxlDmkrJH0V/SePe4RyFfDRgwT5ZD/s"
    "AfoKXO8vr8eT+7Prj2L4JaWfHInX2f1YtIzk03Xu6YuTl+I55ls72PvxIOBfl/c/AvEn+O"
    "X2ZizhxJTNiXxj0u/+l4H4TdBn2HDxyoBWGpPocfSId02mGXEIN5nkNJ2e4k5PsdyPhoMe"
    "kVOc5cmSn9mlh2WO9OlT8wCmNjw434xOT+IzU/xRdVxOrs+urqIzM7N5NsM1Q6hRzaIqvt"
    "rwEDEsuC4C+8HBsATVPGEO2JmgrAFteIt3BdkKAN/f/nx+NQYf78YXl5PL25vs2SMbxSP+"
    "wGYSgrvx2VUObep7nrM2GvFQGZo+Ld+tuCnBn84e1MyUBEyxmDk3bM/dn9BaAn0pWGjXRA"
    "pYQyFiEg90YAB/idZQ9DTZaASuYqY+u7T49/OvRsHavTibXJy9Hw8kzlNoPqwgsYwM4KIF"
    "j3DuSdy32LQcLfNPoAvnEh7xHeJXR+LbArpcdntE8qcXpbtU87BSsJMdUdyxjkwnScAMIU"
    "vIT1KOcuxHBCxIF1PMP20I6AIS3jxdAz40WQPx0fyWAStMHhBRSnG7GXXHctu5Pf9aRLe/"
    "jEZv3pyOjt6cvDt+e3p6/O4oPnWKTVXHz/nlD+IEyjCYTwt4DHu2WZwAvpCJGv6YIDcD/N"
    "MO8EDiO/0z58HcOVtIVqUC33+e3V38eHb34s0ox8XfhC0j2ZS/V6f/QaZCrioHOEXSQ4hf"
    "j97VwJj3KgVZtmVRbi64apG1oyJrgX16pnvepwwv5UVWvOSjtuobPt2rxvW+wD5FC+xYgN"
    "/CVMiNYOpT20WUAorIY3ABS+WpTZQK2Q1G2PG1XX6oKS/tDc+z5721M6fZydsah9nJ29Kz"
    "TDRV38/y3wZAR/17eHWMjo5qoM17lcIt23JXhziAhJECuTZdKDhRjB0E3ZJbpECcg33Kqd"
    "vCPX6y31vk/Pb2KnOBnF/mmM6bn6/Px/wOf5nVOhRVPB5BM0S4aGF4/NBussqLlPtb70Id"
    "6lr8hhnsh2E6qcMv5a/pFLt0kl/yJkFwM5tOlrKH3NOAf6B16zrr8FY5EG4qvAC3YaZS6m"
    "xqwsB+qzgNQ9oPP92hpI9aSTWOx5kw5B3gYihTVmUFPH660e2AmogDskfwtMmXv0ePtql0"
    "rAhbKnlyK+nzNEfuAmTNEeC/w2VDsLLZAtiMgut/3N8D2+IPbbYGUKjBIq8G08G+BR74Dq"
    "QAz2Rvx3YfFLz6bsfWXHzXuXgPUrrCfPEvoIrJrGB08oR95OuP67A4vFc5X39cYHIIesQP"
    "SKVarmLoU1Sak2/AyWuW8mthKdOzjl1+BSm0E5VbLCHSO6zBDnMgZQZFSMGUV2+wDOEO9t"
    "fh+EV0aTvVctEKp+pTM3tommp/XhhHbR2Xe7SKJsgv7PnCWHGISDPss3Qa/c3QF+YILho2"
    "0nOnaTbiiTt2ju2BJZ5Cxhfq2vBU9uhqT8Uc6UYLvWuA785VkSKXYkINrNBhV/JCWcI98k"
    "ORrH2w7FCEnIUYtBWOtxXuFQXKPZoO9mQyOBrV0WiIbuVmA9mYBR37bIo/GxbBnqcUrStu"
    "yiKtvi03uy2FxlnpqFux5hOSHuqPdqO+q/LbDRX023rt9kvPP8z77CaLrKnHbsr4JDxit7"
    "SnBJaA2Am3J3BnOWYHzrdE6QMfoq/w2K4prShbQnQZDtNXmJaIUjjf1nx56fIhODDXwWh9"
    "BQsTC5EtoboVY/QVII8PwbaG6GMwyqU7w30FisKl52ztNCDFmIkcqq9AzaG3NUr8azlT9g"
    "PsrwOKCJWyt15OfYso24MXSmkUWI4BfcofpUkUmAtk7yGADiJMOHqbeLkUniLQpStERL4N"
    "LPIuCFdvCIIXqB1QNhxHO5t0I8ao3NnkgX9mE6Cj/j1UDezeeTZQHzZXOPYV4DbCuXTMQ7"
    "v4UhHGazNFJHrVKk5o+mdv2/050dww0WODRCvmTB302UsnmIDVbGjgyBD18Bpo3cSReMZv"
    "aeRI3PAPDPC6Zo7MUutSapKxS7DjiESL9/gBuQOFYJrvMqwSTlHcmcWda8QxYxd9K47RIU"
    "CfPVtADiQ9Fyyj5JBcvPQpoiI9pEfwo01FrkhOF4qZADL5lzAoqeKcW3iDTjvZrbSTcj4b"
    "B0tkqXqnOdhVmMpThu1qPwJ9w9YEN50Aoi7AaRoNcg2Qdfi+Dvrp4LLvk0AmmSxEN8kOnK"
    "HU09zpaeb88iZbOUWmg4u6PL/PpFfp2IzuRa3yTPJ/Nt+GSvwvZOSokP7jvjTq+6Twf8tF"
    "auJzcRzPAAQRL/sNBclgwOFLFhFRCgIDWwjojjUEC7waynQH/D/AwXwEOGOqfKWtvEEh/P"
    "+a5cQxF3zEN/6ulQLPqBSIp6E+tGkSnaFawcPLXWAonIcqEqynaDbMrd41VCsg20VydZFj"
    "2VWVB6hQBCQkPdQD7N7cyiDhp3cjZWFM0UOAj1/X8TLivUohlm1qhVZDHjJH1kO0W7fOla"
    "sSG9vn0slrDwz0uha63ILrko1OBt0oOPMoGKecH59FPZ7kwif829lCWMWgC7AnZhgTsOSg"
    "cMYXPwjb1wve4rsimZgLQrd9IN/JeWRAQ59pwIVPxF4WmfA2XqDkwROjdOSiGPrIaD78Of"
    "lw7V/aYsGAw/AbO3BGRhsuvgaNJx8KO48b5ABMyLQ9sIE9UHvuac+9LssFnfXci+PMFZJB"
    "Oga9XDqw073qRJEFYV9MZBd2EbIoZ8s5I0+xOwzKOIdVQjhLHwaJc3ae2Q6gnPcXnnPhIU"
    "mBzZTRZbsc/zf3N/cPLme4xgNa/wFeBPP4XRBX853gLl8KRX+wHMFqYTtIjh+BEjRGx/qQ"
    "v0NYAUQ8w28unjHhOBj5BRLk8Queing4gjjKNu9EhZgjv2cohiVIjCd+YzS+DovrECddUc"
    "paR261HlmkRcMeRm51HOfdh3gy2NAtNiLQ8OrIuA5ExkW8UhOM0zQ7cfTpFG9Rp3AY71XB"
    "XRQKh/GXbeYxlyHUKqROq5D4yYPMzVSFOVLtHNnlecam6RMijFIKV5jynKZZqv05GL1u69"
    "jcsXeR+G5j8d8GkKYoepRkemeAlqYO+/vk9qaEOU1I8meQbTLwP+DYtLWFOvjrzHdN6ZY5"
    "9W2H2S59Jd73t7a4qwo0BUSZ8yi63l9cn/07f/NfXN2e5w8aMcB5bkLspQdNZkgMGizzPJ"
    "le6wrXRFP4DziiUJplTBsxswrS/jmvt1NJPY3cBhk2iuSa8eky4xNpxRtusByZ3ly1NleM"
    "2gZCY5ZUb6oub6okGMVw0WfFXJfyBQrK3pRJ2BljIJAxUkg1303qEfSm6vKm0t4l2rukt9"
    "4lqcMNM3tmm0HkZRH3Jjmdb1JD3SETE6tH8Lea3zlf0kDpl1OoelDlnhN0XqY6P+mlM35E"
    "ZA0sn4hRgO+Jct+xtwxlfANaQ5Gd2ba+l+4uFrJ8T7iwiJkuOuVsP5x2cem+i0vD2qF7Lx"
    "vavv5pz9W4tMdLi64C/PBB9qYCc4ZU21k1c9/9KdXMfUe4y50y921yqgoeX8GsqiWBcn41"
    "LYSQpH+tBDCiUvDSYyL1KkNO4tENp9hnQYrWlNt0IbtLM3Kdt7VboaE6Rcvu1Z06e4jOHt"
    "KDoFtdrqGXnHvjmvd7r3X/PBO507ha7TDf7tkU8ZQNBdAcWQ9vgt2oLCtE0HTg6pZCaA+r"
    "NQ9zYmhuwXVJEA1KGytkz7jmcbm4ieMuNeqLCJD8pTRiSDpkgRkmqWygQ7Cy2ULaMAiCFH"
    "ORkYEVpFF3VUmR3QyqDSRdOG2GlQYSHQPceoyqLCXc2CU6T6Z1ASr//wCkpgUyc2R6Jddc"
    "yQ9+I5SD7j1Ed/d1WzyCLd9spHJJkfQQ4tFRnRhV3qs8EPioEKP6yYcuU6YLKD2G0yQ6oC"
    "1//npEmIFMJIavj2mOSt9sqpuNQeYrQK3OuuCrAO3DcbB7HbdOCrCHzAuBbFiEuDw8M6HY"
    "f3Tm82hGW4nDlFU+uSRuEDRryFRk6HQkUy3OGDHY1JoTkuggiy5bc3Rm3K9imn3P2nCas5"
    "R6mjs9zdqrUntVdtmc1Vmvyo9ByYpLd4YHCpNWunlYZdgKS1/YUccnzVv3CwQcPtGUAZlU"
    "UNS5E96PUQ0NyET9jKhqfcaI1Yz0iXobodVD19l4TmdKbazag4pf5/psU+m0hA+N0I3690"
    "8Mb0XdJK+cRvhGBBrgWgBr17u2ETb57efgudF4KRcI+7ekW7nxtOxfir6W/bXsr2X/r1z2"
    "n0gZaiKzpg4Uwn+mfVgl/QfSGE161vBuJQhadlTfXiSo4r0cDC1gimBITMAKwSCDh8jfoX"
    "Jl3WCEp/1WFbqBoQzQ+b2RSqAqFUXPtAJ7SUOhdQfPyUnp1B+6CMuhwjsncKnwtvrAb4qS"
    "8zmmyOE7EySHJ2lVAPr+9ufzqzH4eDe+uJxchs4qMXMvG+U9GIfs3Y3PrrTiYN+qGajyQS"
    "l3tIr6dyMJvnhtb5Lg69BurULQKgStQtAqhEhFwHHkc/MD9AZKDULSPKxWIAQd52HHOvoD"
    "3xWSf0TJf9lyKkrYisBV08G+BRaQAhczECXIAy/WiL1UahK2GUtnZuqWM4Estmw0ThCaIe"
    "tT4Mqe04Q6cBP001Qa/I3B71QVv65NieZYNceqOdavnWMNNFlFVtVmTxm5oh41mFPPgZyN"
    "XHF2EKVSq3xDQYALBQ5nIlWcaH1CnYKlC4dFFSOqQ4zKp0LYbm9dZx0ugQO5msPVWh1YFu"
    "7Zhndzjkzfzs1v5wjCHdzPF6mhDgz0ujd0bsFtXscnvJkU8l6DCj69Y4hardozkVmOlGxM"
    "0FLNyCR9mofpQFcmjEMmF9ijwJtUTjnbTYfi1IjdaT5evYCeaEXoyB4d2dOdO7AV75zGJb"
    "l14rnCCk6VpWuYcU6nmtO+ZF3yFuHINTtwYwKNcD2EHfSoCuCZLKHjlBs4IqKNDt2OuZSF"
    "Z+6b0elJfNyKP6pO2sn12dWVwlwkcDEa+0DmyHq4dHfvCanjoUqhPxD9Uy3TEPJsyoU+sT"
    "lI45kuEOvJ7vRkL2xR0Ha9wZ7OUupkZV2eZYG64SFiWFCR1bLClT1PqD3aa3i0E9/FPtuk"
    "EmuaUO+oLu8o/mmzknIslTWdMnR7LO0UPznY2k4ubsbhR/17FyPSSl0n7Q+k/YG6ZP4a7t"
    "IfqCDbbGlsvOCyDbGtORoHw/UI96JuZUusAoPiVaS96gtM7VtnA8hKTbQxok/ZaWPFYb2i"
    "1AR5mPD5AZIuzI0gBwIvRDhDKPbFNlcKIEFgCS0EZgQvFeEROxt1xx5rOsWCaNtHioVuRz"
    "3ucz76JAJpM4Y2YxyiGSMqn9fEXSdDo90ewjO/QrJJfMS2lGwSh7QDA7iuZJNZWl2KdDhD"
    "xDYXKg40bKlkPmHS5ym+sxxSHRrbLW+8R0SoraraVH5DpUh6eDuNjo9r+YccV/iHHOcvKL"
    "GpGiAcdu8huq9rVXp8XVHp8XWx0iN/I1Pq7csT4qRIdOmxhtlvCjzCPi+zL/8Ha5TsXQ=="
)
