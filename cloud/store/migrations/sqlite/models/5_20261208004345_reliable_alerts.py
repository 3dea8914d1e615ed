from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        BEGIN;
        CREATE TABLE IF NOT EXISTS "delivery" (
    "id" VARCHAR(40) NOT NULL PRIMARY KEY,
    "position" INT,
    "who" VARCHAR(16) NOT NULL,
    "notice" VARCHAR(16) NOT NULL /* EMERGENCY: emergency\nWARNING: warning\nREMINDER: reminder */,
    "purpose" VARCHAR(16) NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "target" VARCHAR(512) NOT NULL,
    "trusted" INT NOT NULL,
    "subject" VARCHAR(256) NOT NULL,
    "text" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" VARCHAR(16) NOT NULL /* PENDING: pending\nSENDING: sending\nDELIVERED: delivered\nFAILED: failed\nGONE: gone\nCANCELLED: cancelled */,
    "attempts" INT NOT NULL,
    "next_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "lease_until" TIMESTAMP,
    "claim" VARCHAR(32),
    "created_at" TIMESTAMP NOT NULL,
    "delivered_at" TIMESTAMP,
    "last_error" VARCHAR(512) NOT NULL,
    "handed_over" INT NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    "incident_id" VARCHAR(32) REFERENCES "incident" ("id") ON DELETE CASCADE,
    "reminder_id" VARCHAR(32) REFERENCES "reminder" ("id") ON DELETE CASCADE
) /* One notice to one receiver, with its attempts: the delivery engine's unit of work. */;
CREATE INDEX IF NOT EXISTS "idx_delivery_custome_d6cf8a" ON "delivery" ("customer_id");
CREATE INDEX IF NOT EXISTS "idx_delivery_inciden_e7da89" ON "delivery" ("incident_id");
CREATE INDEX IF NOT EXISTS "idx_delivery_reminde_04b90c" ON "delivery" ("reminder_id");
CREATE INDEX IF NOT EXISTS "idx_delivery_state_52c467" ON "delivery" ("state", "next_at");
CREATE INDEX IF NOT EXISTS "idx_delivery_notice_50cfa3" ON "delivery" ("notice", "handed_over", "state");
        CREATE TABLE IF NOT EXISTS "deliveryattempt" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "ok" INT NOT NULL,
    "status" INT,
    "detail" VARCHAR(512) NOT NULL,
    "took_ms" INT NOT NULL,
    "delivery_id" VARCHAR(40) NOT NULL REFERENCES "delivery" ("id") ON DELETE CASCADE
) /* One try to deliver a notice. */;
CREATE INDEX IF NOT EXISTS "idx_deliveryatt_deliver_a4ffe5" ON "deliveryattempt" ("delivery_id");
        ALTER TABLE "customer" ADD "access_notes" VARCHAR(512) NOT NULL DEFAULT '';
        ALTER TABLE "customer" ADD "person_name" VARCHAR(200) NOT NULL DEFAULT '';
        ALTER TABLE "device" ADD "watched" INT NOT NULL DEFAULT 0;
        ALTER TABLE "escalationstep" ADD "secret" VARCHAR(80) NOT NULL DEFAULT '';
        ALTER TABLE "escalationstep" ADD "who" VARCHAR(16) NOT NULL DEFAULT 'other';
        ALTER TABLE "escalationstep" ADD "previous_secret" VARCHAR(80) NOT NULL DEFAULT '';
        ALTER TABLE "escalationstep" ADD "disabled_at" TIMESTAMP;
        ALTER TABLE "escalationstep" ADD "gets" JSON NOT NULL DEFAULT '["emergency", "warning"]';
        ALTER TABLE "escalationstep" ADD "trusted" INT NOT NULL DEFAULT 0;
        ALTER TABLE "escalationstep" ADD "previous_until" TIMESTAMP;
        ALTER TABLE "incident" ADD "ladder_at" TIMESTAMP;
        ALTER TABLE "incident" ADD "notice" VARCHAR(16) NOT NULL DEFAULT 'emergency' /* EMERGENCY: emergency\nWARNING: warning\nREMINDER: reminder */;
        ALTER TABLE "incident" ADD "raised_again" INT NOT NULL DEFAULT 0;
        -- What a receiver is and gets, as well as an old ladder says: its first two e-mail or
        -- SMS rungs were the customer's and the caregiver's (they had the reminders); every
        -- other rung keeps emergencies and warnings, and says who it is when someone tells.
        UPDATE "escalationstep" SET "who" = 'customer',
            "gets" = '["emergency", "reminder", "warning"]'
            WHERE "position" = 0 AND "channel" IN ('email', 'sms');
        UPDATE "escalationstep" SET "who" = 'caregiver',
            "gets" = '["emergency", "reminder", "warning"]'
            WHERE "position" = 1 AND "channel" IN ('email', 'sms');
        UPDATE "incident" SET "notice" = 'warning'
            WHERE "severity" = 'warning'
            OR "kind" IN ('monitoring_lost', 'battery_low', 'battery_dying', 'not_worn');
        -- Acknowledged falls are now raised again when left unresolved: one acknowledged
        -- over a day ago is over; a recent one starts its clock at the upgrade.
        UPDATE "incident" SET "state" = 'resolved', "open_key" = NULL,
            "next_escalation_at" = NULL, "resolved_at" = strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00',
            "resolved_by" = 'upgrade: acknowledged a day before, never resolved'
            WHERE "state" = 'acknowledged' AND "notice" = 'emergency' AND datetime("acknowledged_at") < datetime('now', '-1 day');
        UPDATE "incident" SET "acknowledged_at" = strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00'
            WHERE "state" = 'acknowledged' AND "notice" = 'emergency';
        UPDATE "device" SET "watched" = 1
            WHERE "id" IN (SELECT DISTINCT "device_id" FROM "sensorsample" WHERE "kind" = 'wearable');
        INSERT INTO "delivery" ("id", "position", "who", "notice", "purpose", "channel", "target",
            "trusted", "subject", "text", "payload", "state", "attempts", "next_at", "expires_at",
            "created_at", "delivered_at", "last_error", "handed_over", "customer_id", "incident_id")
        SELECT 'legacy_' || n."id", n."position", 'other', i."notice",
            CASE WHEN n."detail" LIKE 'false alarm notice%' THEN 'false_alarm' ELSE 'alert' END,
            n."channel", n."target", 0, '', '', '{}',
            CASE WHEN n."ok" THEN 'delivered' ELSE 'failed' END, 1, n."at", n."at", n."at",
            CASE WHEN n."ok" THEN n."at" END, CASE WHEN n."ok" THEN '' ELSE n."detail" END, 1,
            s."customer_id", n."incident_id"
        FROM "notificationrecord" n
        JOIN "incident" i ON i."id" = n."incident_id"
        JOIN "device" d ON d."id" = i."device_id"
        JOIN "site" s ON s."id" = d."site_id";
        INSERT INTO "deliveryattempt" ("at", "ok", "status", "detail", "took_ms", "delivery_id")
        SELECT n."at", n."ok", NULL, n."detail", 0, 'legacy_' || n."id"
        FROM "notificationrecord" n
        WHERE EXISTS (SELECT 1 FROM "delivery" d WHERE d."id" = 'legacy_' || n."id");
        DROP TABLE IF EXISTS "notificationrecord";
        COMMIT;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "notificationrecord" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" INT NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "target" VARCHAR(512) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "ok" INT NOT NULL,
    "detail" VARCHAR(512) NOT NULL,
    "incident_id" VARCHAR(32) NOT NULL REFERENCES "incident" ("id") ON DELETE CASCADE
);
        ALTER TABLE "customer" DROP COLUMN "access_notes";
        ALTER TABLE "customer" DROP COLUMN "person_name";
        ALTER TABLE "device" DROP COLUMN "watched";
        ALTER TABLE "escalationstep" DROP COLUMN "secret";
        ALTER TABLE "escalationstep" DROP COLUMN "who";
        ALTER TABLE "escalationstep" DROP COLUMN "previous_secret";
        ALTER TABLE "escalationstep" DROP COLUMN "disabled_at";
        ALTER TABLE "escalationstep" DROP COLUMN "gets";
        ALTER TABLE "escalationstep" DROP COLUMN "trusted";
        ALTER TABLE "escalationstep" DROP COLUMN "previous_until";
        ALTER TABLE "incident" DROP COLUMN "ladder_at";
        ALTER TABLE "incident" DROP COLUMN "notice";
        ALTER TABLE "incident" DROP COLUMN "raised_again";
        DROP TABLE IF EXISTS "deliveryattempt";
        DROP TABLE IF EXISTS "delivery";"""


MODELS_STATE = (
    "eJztXetz2za2/1cw/lJnRu0mzsvr7uyMbDOOtrbsazvt7q07KkxCEq8pgiVIK9rd/u8XBx"
    "TfDxESJVMMPiUmcUDqd0DgvM9/DmbUIBb7of/IiK2TgxP0nwMbz+A/2Vs9dIAdJ74BFzz8"
    "aImxODHokXku1j1+eYwtRvglgzDdNR3PpDYM7iPPnBHkTQmaUp+RKbUMZDKE53jRQ2OXzp"
    "DpMaRji9gGdk+QTRF/ovlMXJOwHv/Tm5r2BHFS4wd4pEF1/kx+aSuz+7b5h09GHp0QPqnL"
    "n/Hrb/yyaRvkK2Hhn87TaGwSy0hBaBowgbg+8haOuDawvU9iILz440inlj+z48HOwptSOx"
    "pt2h5cnRCbuNgjML3n+gCq7VvWEv4Q5+BN4yHBKyZoDDLGvgWsAergBeJrB6PR8Pp+dKfd"
    "j0YHObaFFAmsl5d0agPL+asy8esn8ArfH7159/Hd8dsP7475EPGa0ZWPfwaPjoEJCAU8w/"
    "uDP8V97OFghMA4BpV52PXYCHt5bM85RMD9YoBThBmcjSXlD+F/sqiHGFfBHl6IcY+/gB0A"
    "X4Hq/eBKu7vvX93A9DPG/rAEXP17De4ciauLzNXDD6/gOuUfc/CRR5OgXwb3nxH8if73eq"
    "gJOCnzJq54Yjzu/n8P4J2w79GRTecjbCQxCS+Hl/jQmMn821yHxQkyxeBWM5j5sxl2F3kG"
    "n02xW/L9xiQZ5nKQtsXOg4NtbZMz/HXEz6CJN4W98fXrCu7+3L89+9y/PeSjMiwbLm8dBf"
    "f+TGGs+8yjM+KOis6hcpwzZLvDepuHUgrtD+9qgP3hXSnWcOvPP+HYHz8VnlEhhHnYP1GX"
    "mBP7J7IQ4A/4W+Kl5JQBeil/nSWm2jPQ/wxXVng1lkRcPI/kpeyC4xjwX068YJn2787659"
    "qBQPsR609z7BqjFOxwhx7RzJVobP7W7GiWvYJtPBEAwS+B9w6lX98wPc32+LZTJBvHd6vF"
    "YxhHonGrJWTH4SfZ99S2FieIcMl0gWAznWHP1BGn5MMQto3wlq4TxpBHkUNcRm1sIRCe0O"
    "MC8cU1HhfIyM3P37CUfGpOvhVB+a9HR2/ffjx6/fbD8ft3Hz++P34dScz5W1Wi8+ngAqTn"
    "1J61WpyWF7J2KV/tkh9dEq/4R0wLTp/yQz8i6OBx/+bouMZ5z0eVHvjiXlq4cqlFZAAOx3"
    "cR3w914M1+Dgl0P2TBDc4gyfW7pOgkwHW0Az6qAuI90w52ehCnwD6ug/VxOdTHOaQN4mHT"
    "kgE5puicpvv+zVENfPmoUoDFvTTC86mUJWE5vHPYHr2vsxPzUeVWhPcfClXbl9G+OAftCd"
    "GeiVAdc+pX8navSv/SxUASDazhoghI0JgQA42pK/wJ4CTgqg+bPlL+03qI8QXGb3M9KFCU"
    "4EdzvQrNqftE3CLXREOzKmVrT5UtjzqmXrxTabY/y5mEUqyIiNss4Rycaz8PzrS7E2SQZ1"
    "Mn7MG+04Z317f8CiM2oy5c+XJzczmAQcx3HMuEUUNNO+cXbP5p8L+ub881IKGuQYDiVrsa"
    "DINLLpnBK8PV/qV2e88vYYu4Hv/702X/gv85tvCEZb++Ovvn2zpH09vyk+lt7mBi/uP/Eb"
    "1Axa4yc0ckbWZ0m3SxdtswlI+oV9+I0RbJg6NaJnUsb1VLHIlBdaSNpVL1HeP/dV1OyUUF"
    "yrdPISVQmwQWVz4RwTNhmoVrju9yyEmhoLHxhAUyxq8pv0ZAK/gekB38puIiXjQuIuTHOs"
    "JFgpstPnQ4DD+NLrWftUt+zJv2Ez9Xnvmn92D/og0uPoMoMCfmZAqyQP/sTOPiwfWVdq/d"
    "nggnBpcS+OL1iPtgn3HRYXje5zfCQKB2yAvhp7QmFxPkrWbjrXbD8R/cfb7Shvcg0jkcU5"
    "NNZ3yj4sy57p99HgwvOHMo1iEai4uM/U/a/b9GocTH8Jh4i1Eo+N1c33y57N8Prod8dfRv"
    "h4LYoY5vYXgk5xh2beBrK5g8cbENLMgrYpTyN7WL98EEVYa3j5ysPcxtQlQ5vb6+TEkpp4"
    "OMrjX8cnWqcUFRwM4HmV5KBUuoXOSrlPgdjm/z99Mm05uSvTsje++Pd0DFDqnYodbHDi0V"
    "xcBKfVCuSS4H9Grok3o8dKVWqQnr8ZIQTcxnYiOu+81Nb2pwCO2e+K8wQcOZh9iUzoOwH3"
    "EJ9uKcYtnQnCqkXqmOSnVsWKtQqqNSHZXqqFRHpTruIdpdUh0fpWJxHnccirPfnk6lliu1"
    "vAX71F6r5SH6RRp5gjMVynhyVA3vbpyHznVlNsOWhR59ZtqQVcOI+xxEe4GGPDbdWZE7d4"
    "0ZGtaxy/eWJreUl9Wyt7Ch9Cq0bvGvBNDh+A7u3ltJfxVCSqQfSqpMeeIdak7Rlb1VnRyX"
    "jInrEmPk8E1bZpXnKXcYpg0nt8FPmIPdSIiN583oLgFI1qickKbsoIZ1wH+gcW1bi+Wpsi"
    "ca1/IArE72Mww+GZP5yhIkncuC2IqtwsELsDByeeqJSCWm5Qg7h/dWFF0GGeojHTsjncBT"
    "c4iXOn0KKFd7gAogX355rdm/GvEBxQD/4ZvEG4maSHlw70DFKEU4Q9ohdN8effwQAQt/VG"
    "F6d9W/vCwDlq/B9WBdEipQU6D6nj6i4zHjAM3Mgv23FNQ84VrIrrX/vt6TrSAo6zGS1Ucz"
    "ZJ0717ajlIpiKlyU84icwJah6xzajUltEhkkCbYEBSwLWHK6pPz00y0JXMLlht1Ercw904"
    "7K7Lpp7TKI+9kQpET+TIdBGgWhWs1gFUeIdRGxuPrqZmCdB/MsuooTnxrHGKyPkxbNc+cR"
    "p6toiUTizYAakiBmpovwMLNQAJGB5w6svx2Fx2dcuN0Mni+sloe3ZTpbKTrbdMmeY9Na9C"
    "cTl0yw8CjkHLOZEb0q96wBY3Fq7Eon7S9T7EGV8CfieIiOkYvnyCMWmRHPXSAHM09UDXcJ"
    "lHHkNCciX9alc6iJuCxsIOKcDbzIO3Abn70wOTcouCA8M4IC/vdkBuYETqjSc182xjriSV"
    "2VL6booMd3KyXNwtVeF+FwfCfxbdq3CFtIDltwKhZjuxxe5UncQ5ArQAVPYNYdS327wLpe"
    "updG43dno2z9jpoQBUzbnPkFaSqfLIpLEE3QZDAdA9HeymeFC/D6y+mlhm5utbPB3eB6mP"
    "ZTi5tCOIjCNm61/mUWY/xVHuOYRmFcB2OCCzT4KoCXBArdGugGUrBkfHSKqIPSwNajo2Pd"
    "Y8PY6PNooj0DvG5kdGqptSku+pzoJuM/+pbo1E0rhMUjepVK+HKsG4+tp4RDEDNftiaUqO"
    "JzGMRA+JH6HsKiNmBP6MHz6QIdmrbje6yHxNN7UNiK6FyV7iHXt/jsIGa+KtHFt/AQVZNz"
    "T2tytjsLTTVAWC8JDRzlMhJAOL6Dh/92cjcrKvSvTjZ/iWr9nMV2+Ca1s82HfHlylDnlsi"
    "btsiRtWJE2LEf7YPfvfjpBmD092Byz4QWnCjzAUDBgeKZdQrkADoWVPZBexpjjEsyK2PeP"
    "u+th8QcSU2Q3PlP30H+RZbKtGSkO/jb27aAt0aNvWp5psx/gsX+XZGcTOyEglNoEQ5gPr/"
    "r/zHLg7PL6NLu7wQSnGXaA0CGpsiRIOrhnNVM5oUJhsUlRFQVpdaVjLuKsspJYZO1SVZaR"
    "HoVKShwFUqWeJEatVEyuuZ7ABQQon+vRwDdHdAITLAsegfcOex6ZOR47EdpF+IClmvEdQ5"
    "z3wvkHdfzzaknzj3iwH+wBJzJF+2Mg+H1OHqeUPn1vGr/DsGV7t2DSHmKUqz/hU+G0QoZL"
    "Ha4GgfPSQ1MMuabErqnt/ArJVIFMZZOvHiQW8RG/HgQ/Ei7z45ErXiP6HNYThuG/qazUqn"
    "3xXR2v2btyp9m716uyUvlRZRaLdqX6aJKkQ3HrjTku5lMqs3SXw3coGVPxDe9kATcvysYb"
    "yjqaSEzdZinqQLvSbi+04dm/ThCZEZe/lb54sH8J61XNgxpVcZ+MuE1GO/SNyuJkJbvKfh"
    "Qka813AOqmTaTajCVIFMQ1IPYw//LkSoJFFB0EeCuGJS4LMPkKdwkqVadBok6D6k+0rRZ6"
    "qwsJ3vOrJau5S4UEq7wK2j/vq21pkVPh8np4EQ7PGthymfoWxQUbSDneCRIF+RqQR5r+Oh"
    "J4RLxDhQdKBIQ1XSWk8BtteB7Uhw3oRW+74AoLr5xrl4OftVvt/CQ00BDjwf7UH1zCpTE2"
    "Lfj7QvgVJsKvEPgHxO3ARWAFB9nLyzuhvUnCFpAkUZnW2eM2tITl8Kx2OCfIOliZp0tuZ/"
    "LVMfl0a/A4TanY3Go2c0WEkZFve0Vtvav5nCFtgNEts552ic+6hc2SvgglFpWQYC1hpmWc"
    "3HYxe1Wt7pv4iCIxeA1GZ2nVdtlmTluYeSPiunJ5jmkqVdimjpU04zuXsJRmKJW1VMJa2u"
    "7q+/tfKzsR7GFDVL7tSSKdIduSEPZyQDcvg4VuYkmgM2QK6EKgK+IPW9tO4gUSDprpJlG0"
    "fTSA7iAx1V4t6LrgZvbM1eAmI0s2BPc2MVUnwc3sk7JBtEm3eGP10fqBiX5/teIdFyfKwF"
    "YRc5xAdnXoMU4MrhWBDLWCPBp6lSBVUcSuFccSVw1WqYoqVVEZyNpjNqEFDVIqdXha1BdF"
    "tfKsinPysOdLdRGICFREex5Og3i4yPVVVWEjpFAGvlphkJQ+jWYyKzZBoQIv8gs2ELqk68"
    "KkyLpnuWsmn6iyMEycaLehsthsfec2aouZ5daulEtRl6dQ+Qkr9lTpPNGY1f0ybUSMCUH8"
    "PWwvkfx49T/390hYKkxvsSzQsizlolvUN9ATl68Y5DXCaMu0C7IsG55b9dhsh9+gIpsRMz"
    "anfPFPcVELyKq2XRnCTgQG7yDW3SXP9Ek6fyNBpTySMh5JFUJTuta72/CR2vwIKgi4rzYa"
    "RETqC5P4wkR0CtQ9kP3AUoQqbqnNBrglq/6Qs20nqTqjce/Ewp2IYzIn09GcQ1QUxlSBfZ"
    "pOob8e+mPTnXHVUCotP0nTvSDnrYjEj+Dq41q9U5RoW90TNEPaIVt0E11Bgw4ZbCTtQEkT"
    "7lAeCnXtvRWHQuTkPQB5ys55At68Pqpj0YBh5VmY4mYadOp7j/TrCMpxOYWqdcVJmadVp+"
    "V6p+UfPnax7XElah19O0+tdII26wQxv0ZlxVLL97pC4s5td1sRlthUdocLKdS+tt6+xtUo"
    "vRj0KhEqQaXsSTICFL8j6YVOkHTQC7H13iTMLCpOIu1+7li7017G95xYZOtHKUddNzcNVc"
    "61++wI6uliEc+bd1MPvO/ac4c7qo8tPNkQpU98iq7CE+ZvbAiRRJ7LXsI0I4zhyaYb08Dm"
    "U3BgroLZugqWap5eCY9oAbIhPtduvbynvQTI4VN4G0N0E8wysMe0q0AxPHOsTTelO2FZvR"
    "NTdRWoCXY2Ron/Wi7hX2CnqyAx33GsjfME72CWhqJs24HR9gNjAwG8NDo2ks9XhciSaGCt"
    "ONlnEcaKLeJ6iLpIp7MZBK9im82Ji1ziUJdzDz0uEEbBA4pjYtecR8W/tqHKQA+Vx7+GHe"
    "7rAh2O76CdqfnyqIFHU94H2lWAj47rIHx0XA4x3MtUTMUzuT6Oy/EK33r4MmgCZXoF+TlV"
    "qzim6V4IUPP7hMqW3LbTUCXGd9IHn+qVXv/bSRB18BjYur8sTtbbOGEznGjPAK+fr5lYam"
    "3K1tRsl1rWjGt19/SJ2AcFiml2SK9KOSXRYC8avFpBhTaW38M22kOiujmHHAl6rlgiE5aP"
    "xTVO5DPCoFaN49Jnk0GTX2h/GWCLsCf+Au9kgeq6jSc0rNR+K6VxNkzVL1dhBT+l8zfTVJ"
    "2zHDRfcbM4SqI6KEWdsDXBLa/2uLpqrAK5JshClHSJwx9hFm0WleFseWIV1abykJVCptrb"
    "fINs5vLyOp9ygkzlNrSZvy9kV2kZR3diVnkh/d/FzHfJLdGpm1ZRCwf0KnX/YKgbD12p+d"
    "9D8SSMQgn2O4ZAu0NzzBDMRowemk+Fki58yvMpnQXFmKjvIYYXoMbzi1B/id/lj86r/tt5"
    "hNL926X7K7t+J8+fRyl34+P6jsa2MXEXDt2gPffIMCFSWcqik6PsIObNmx1cMqPPRelz/7"
    "i7HhYjnSDJ7lSm7qH/IstkWwvEP/jb2Ld1QBE9+qblmTb7AR779235fysAB4hSm1auG3W2"
    "8XRmN4IJTlskdzEdB+GVdx5xCgWv9IhqySsay8KxtRoF0DGXjLigw8iUWgYXjThDPE7FTo"
    "TIY4IvxOIC0pTOezAYal32hKR0SLgsxRedbhL2SghQxd0FGn3Cg/1ga/FVpFvm7FHU3oSf"
    "zZBpIxFwjw5/x2OPuCP2OxL/EWNE0OKrH7nk59r8DRmaUHD1QIjK4kEAx4dxWfF3LtJxQk"
    "4yC1w+OvkRhe05hHdIVPuM5clDCITELplASdbv+MvSuV0mJP6attZSZgp+/KaExxcUHiM2"
    "1Ic2SbK7dPLWY5wQyIMPMA/pJ4vispbwMU0G0zEQ7SGqFZCdX385vdTQza12NrgbLE+3SP"
    "gWN9O29Futf5k1pk+xbROpgLEESQeFtuZD8jzMjxsp6Tim6CDAW2lhwCUBGYCXw3cY8EjF"
    "8b2nKxjEGRmdIxzfDoUDnrfXCkdqM3F9yAnOc6PS45ygUq5mqQp0uiu3dccUnYumPq7Tv+"
    "O4vH/H8evsvuK45Nnkmt1IHucCUgV4fcB92yvKEqi2d+epleu1zaZvw2QA8jru9Qyp4nOb"
    "+dzuVvF7b4CvSF9obWftVqYw1Gqt/TLGdFG0qcCEHhZzKjecj8MRK83ld/y3e1MIBsA2og"
    "5wmLpoxkFBFqVPYCk+5Hd8GxpA2WhZ1wSJZ/YQRmxZVALxrYN4r/LW8m08oNAAHWfthDnc"
    "yyRCZYR+SSO0SsBvvNrBviXW7rcVT0V2fxPyKp+KWoVhDCv6tsVkyoolYcVSqc0qtbnNek"
    "FrU5ujOqUFmkGyhmm5dmAmR9UpsxXUxRJRJKIwJhfLuSDPqN1DY5fORODI2HS5SL8sMoqE"
    "MQ4xLvtDavFyk2TI9ArLbzU5PwTT/M71DHv0RBa/o8OAj38JCg/9BaTLVxCeEyxHNJ+aFh"
    "Hzh6Agjgh1HxkU/eLHNzuBGB4Ipnmw6diDgOowb3o5AOqFuWTZuZiBliN+Tg9mdQk8C14x"
    "nP4H1Oe/cY7CKKDFgx2E8gCdDjqQBQ16DUHk4SfI2+Zvx38Los8QAoQFeThdT8QZZVFyfX"
    "tSqiltog2pAmWNFyhTNbS2HxKsdNAO1tBqOc6NxzvY1CsU3QBizfZnOcEtBXdMvUOPZHTI"
    "SbomD7Qr7fZCG5796yR5UP7Svx0OhhcnYajrg32rXQ2G59rtSRTImhUvXoZXnAmSxSRCAv"
    "UpqHpyLagnFwrQMhgnaRpJj22VHFgn7IGPqpAEc4EP/GHr5ZmnCJVdsdV2Rb7zEH09+3GG"
    "VMU7tJnPVNd91wVPZUFUanlz0jTV7lIu3mxr22w43wJ+92j6bwlIExQd6hbdGKClDTfKI6"
    "cTJCp4OrUfNRE8bc4crHsjgYHEMs+SqbVekKyVMKiO5HLuC0i7V/JlK8agFHJr1K/IkyvB"
    "p82CT+gBl/zAMmTq46r1cUWoraE0pknVR9XmjyqufDCyydcCXpfKBQWUnekL3phgAMiMEk"
    "jJf03FM6iPqs0flcXHEncNZqcIFY/bzOPQNDrhv07KaJAmU1umitdT8XptAHwn8XpJwEUc"
    "18Y9RM+Deep0EW3nabDbJqLZtuKFsY25zuNVIY7B4Fli8MpIRw0YhgzfhVmQ71im/RRFHD"
    "KPf3JGD2qpmsaJCLYziOE7EAcIhWHzgY2bT7c6ei+Z9sTIH0Gukwrne8lwvj8KNg5zUip5"
    "LAm6VGzrr0dHb99+PHr99sPx+3cfP74/fh0JH/lbVVLI6eACBJEUM/KSiYru22KoDd+NiL"
    "muwSlFquIUWq04KfleyfdtEjcble+3Kbpe0olp309d6nlWoeCaHlAptlow1EsOXSm0fsKm"
    "RQwkKFmQQ8MsOhcSJRgpIZGEIYPO7aD+rCgZaxh854CegFjXqc85AfSQdWLaIpckL8xu5z"
    "GQrAPldF0+k0NcSHM5CTJhxHiYCh3GfwTzvUIONl1xb3mlBzk4GD0ciBoCDwdiwIN9iBHz"
    "dZ0PGPtW8OqvoCuCqU+D9wsm/n5uGkS89HK64AJnDl7wNyaQmeRSfzJVHRLaWF9ALkh1k/"
    "jUlgG7/ShgJVnHZc/qVD0rL3qWD5IQW48MuAmSzsWwbycQJdjNpTCOSTqHcfONH8ZcJvBd"
    "qXjXJInyseTj1QIxKQ9oeXBmkkZFZ6a07SaiMy3MvLU8xhHZbuweu5Q8umT2sKj+RIz1So"
    "9maVVkQNs4nbO8vIyJYEhIWhNMXu9VGQTscEStvjfLOntRE5dlNY0n4nigcvOL+lOgnk+5"
    "wj3zl3rw2HRnXHUHPf0RugMWVelodnrQ+/uCHOpjuASLHoVQ7A9KG0CRi7AOIPMdx1qIQo"
    "A6tsgr0PSpbS2CjjhE0E1FXx3MTyDPo3bvwYan9m8Gr35MtbRBjqk/QY0QhshXB3y8UFYQ"
    "aGeYP9znH69r/pvA/+gMe6bOhxHdB4DrVB2MyzIE77wMzd+o+qBy0DXuoCvXaVcn0e+Dfn"
    "tw1r+9vx2cX2gn0L2Jg29MyIN9Nbj86QTNTOvpwb7hlJ+ur89PkEO80ZhS48E+u/70SQMS"
    "Oh4TGK+dD87694PrIaciXJIU8Q6ctn8D6fYOdtbLtW++BiLHV65VTETQZja2SZHeeYmalk"
    "lBO2lamTgyckCXBw9kyFQSWF6pDqQCmdUbU6jVW2/1PvlSu0MwvIPbb/M2Nselhq9LdiGJ"
    "SDoI8dHrOpU4+KhyR8frfAsSruZxPd4sMr1VNPZLk6nefnV6+3HFTicjnRSaOcv7Uqapuh"
    "Qt19hBZ3E1ejSlviu3iNNkahHXWcR/+Nj2Cgvela7gJIkq85Fdu7FBZl3dPD3DDr13LmEO"
    "tfnrUg4zM93w1Wor7Ofa3eBWgxJ2mYm4Vv7ltn+vcUVd98V7j0A7d0Xpu7Pr/tln0NexPh"
    "09kil+Nqn7YPe/3F+fxCasUWTCaoeyHlnZZOuspwlVpXWJSusxdOuUY8gSKydH25wcaRng"
    "ucgYVnn8Pxdaw+qe/PvDzCYOfoHWOv7gBJ36gtr8BTFC7PXcwWlKxeU2c5kLGq5d1CKvPN"
    "AmQdKOOBt4bLfibOAd/NlackoRvfoEW/0JAsfCst3rcjxDrzjeeo5j9rR2PF1Eqvjcej6b"
    "hkVGtm9MyLrszs2guN5mrttUruVBOL5zgfZb6ULp+jb114lEThGqL6jNX9CSVVzPsBbrcz"
    "pJrvjdZn5D/eZ1CuSqr3kfuGtQRkbABql0njRVOwwNnUroEQBPXDyT85KnyZStvIatXDXO"
    "/ib2uTC9QrJ0TIasg5FqzQcDqho9L1GjJ1ypBeeFbJWes8RUewZ63To9me+6uFJPflE3AK"
    "4qgVS3xKluMv6KG1c4Daa5FfUqOwR7anWKNMMNkbp2jVqffDvFw2p8QgfMhhDdJtq3dmUZ"
    "bTOjOFhSBSnF0Vorzymm0ZCVScV9FLhURQXbMON2LIpthft8D81NL0j05VI743qj6aE5Zu"
    "HwfCpxU5Oq3vZtz7VVve27nTnYOrib7pUYgCT+lFnEaTK1klUWocoibBfEW8kiVFlBDe+/"
    "Kldwayebhz2/pDTi6lyrmLrNW8PBZ+3y/ARN+S+BmifD88HwAkqe2IZIoLq57J9BapVjYZ"
    "3wEXefBzc3cIFNTceBK+fa5eBn7RauLdvCwNXB8O6+f3kJV00AyLLg6ll/eKYFV3XADK5m"
    "NZ9aJ2vjFfwp/8UjySq5SZpGaiC0SO3ZSqXcQEuVcfTGFLt38r6MZ2sr7lwupjybEADskr"
    "GkeJOiU5U+asnoxMOyztwliQpWabMTd4/zr8tynVUGdmEGNqO+uz6XY+odcpiDYdrSafXa"
    "8GIw5EwNqDlfbgacLY75YJ9+ub+HunZBnScu5/XvPp9e929BzsNs+kixu5bs1jyz+Ak1c6"
    "jHv6qFrAhXQNo1Se7NhzpKPB9VIS3nlPhAel8vAzRLq868Np95S51uhMdeUXBHNatzxIrX"
    "bea1ikX8JtjsO8aabE5TKja3ms0qDnInXiOozy4JcoKkexaVZuT7ikhTFQrZYChkdiU3AG"
    "vYr2G/FnFdTBPfbgpR/nw0/HJ5+VINNm+CVhADe0wPCiLekrd7VXFvy5YSZjhwZfTb/ZQg"
    "i7OZeQg8XgTRMbS5jHpTYA/aUpgeyce4yZHW6yyxUScJ1Wdywz6TKpZtBxFA8KlIQRwSdB"
    "Hhxj3BM/wkhW44vnuS3FZ8wOLIkcI3JFAA1wLYIB4uMspW6XwhReeqjGwFYZ2ffhadjKSX"
    "co6we0t6KyeeMliVoq8MVspgtVnirjKn7CSzdJu6f5QXWKD4J3MGy7V+NzmqRsKbKDgHXS"
    "Y5A5mog8L1OA95NNn48pDf17FLJuADfBX0vJxPhfIeZqrxxxADLVtHZvLftvIMlQ7XButu"
    "r8KE4FHH1GWQjgg6uPs3HyzjEt10TGJLpbmkiHaoJCSLSuylLYEwxrdsKXU3Junget5K1c"
    "c1qsMpdaD96sCYWhadr6X2ZUhV1FGb+SyqFUhqfUma7hlRmj/1JcNiVShs6RGfC4UFpWT0"
    "bBZkfFQ6vSKa7tlct5E1/AJRNm0723ccZrPbaJC2gb1pOIhkrTERJm0WFcGVKzYm5lns3/"
    "n3IuWh7kTowR2eOQKSnOksdb9XZT4LghhYPLKGCc0lGFKsIeYFI6Zji4+yKDYQpEWD2WtO"
    "sCuqP1mm/VRkIFtjhtXmr4KQmp5QmH6TMoydmpNvJZjmr0dHb99+PHr99sPx+3cfP74/fh"
    "1F1eRvVYXXnA4uIMImtWGrkJs2OCCf+E+Tkp+X47uIb+NGMhXPtFV45au4qwLuMgXcVbzN"
    "1iOacFE9hYruELi4mIJqQLlxIRFlau+kCVZF3qjImzap/b19iby5IxxHzpsL7BwUWhDi27"
    "1qA0IwcLIcWMd+4Nug+YeU/M1mj8Rlohy0blHfQFPMkE095BKdmM/EQIcL4r0qtCRsMlfD"
    "ITXfitlgazk4Y9Nl3ojzUs4qkyLrUjnIndhnMn1dpdFPUinw1wafq1ZEXy9UPEOqJFYlsb"
    "afpUpiVRKrrMTKWPCbC6TV4NYKSTUeVENKtejEhMBtQYQOQaCMqsd9x5BO6ZNJXoGzCtuo"
    "fzNAHn0i9o+I2tYCmR5DhjmB/HCToSfieEXC6zYeoWTadsm0gmUjroRMZfb7NFXnYvGbr2"
    "Wj/FwRuHW8iOU+xJwHUWeuVOXlcHznPATNL1pVtW6VtNIJiZ98dUw+3RpsTlMqNreazS55"
    "5qd2UUQRpRbBdlmCUkSV4e8jJ9sWS6Mru+Xp6fX1ZYqdp4OMYWT45epUuz18I/gYe6/z9h"
    "KflYTel0qsCYou2ak2klwrNGaAqwF9+QvrVNfPXkZbTiyqVunKwXeTV5RNb1VAaDiihoos"
    "WutA0rJLEpnNXHMNbAgMQVBvkeJbn1BlPbdDaC1XcJUQW84KiHO+tq3FQdRZeR+kneVqrS"
    "64nW4DX1s5TJN1UPveuiU7mVm+4dl8lphqz0Cvez5nFtwmmS7iZCqQ7qXSXDrmPNhulovo"
    "s1soxgR3qgWZeIxMJViXONSFsiupuq6Jjuamnar0egh2+DH/8nQcWOLhb8it+o4VBKxs80"
    "H1qsyGa0iVm1XlZttzam4l90W2Z7pqlp5fwYmsWsku6ao9usrUalMuBkdObsONCBTC9RC2"
    "yHNRVdm7Gbas8vDBkGitTbdlCVvLPfft0ccP0XYLf1TttHdX/cvLgmBMwGUknWGYIevg0m"
    "0+z1AV6S2Ffk8sVrX8c1OTedRdrMHmNKWqydVmLqvwWhVe2yYLWa/J8NqMeLChNTKwol2G"
    "AlhHAN+BSTKArNQuGSG6yjgZyb6rLZTXNokthoJuWTxHTBTEDi+PqchIyBB2CZphg6CxS2"
    "cF5sjGZm3YTatq8MC9XdTgaXda/C750SUhSGniShPfR008OHfkwvpSNMpyvzqwL3aMbiir"
    "x17YPQO4rqyeWlptCu8TQZUF8mcYbFkueIZRnbXC+4jLqI3mUwqZagyZ9gmiDjCaD2Hgtx"
    "6PoW8Jv8H/b1nE7SUbnEDaWtzhpDAMsPEHqOy3drm5YbnJOg6TNJ2Lx9yK69DBjM0p31Rk"
    "0wxzhB2UUrbi6nKpJbWmw/EdxHcLUqDpFQXalZfNiwjaUTcPnteZunmGyQAf2bSmJJnKa5"
    "LIa1Lh9OX7jgqnz7K8gXD6thluvoVo+pZhvvNg+mXJk039V3FBlz3byV7Ed9UnrqlPDwrM"
    "Bss7vSrDAY7HrDIdlMOg1PN2qefPxA2/oLpHToKkg8rM0fv3tZTF9xXK4vtcl0fHkUF4Ob"
    "yD6L6p1V/rTUV/rTf5/lr8iV5hU9hyfTFBsnuN8WVcmI3phjlZapcW8D//H2uGxss="
)
