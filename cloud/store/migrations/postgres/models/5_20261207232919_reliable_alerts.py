from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "delivery" (
    "id" VARCHAR(40) NOT NULL PRIMARY KEY,
    "position" INT,
    "who" VARCHAR(16) NOT NULL,
    "notice" VARCHAR(16) NOT NULL,
    "purpose" VARCHAR(16) NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "target" VARCHAR(512) NOT NULL,
    "trusted" BOOL NOT NULL,
    "subject" VARCHAR(256) NOT NULL,
    "text" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "lease_until" TIMESTAMPTZ,
    "claim" VARCHAR(32),
    "created_at" TIMESTAMPTZ NOT NULL,
    "delivered_at" TIMESTAMPTZ,
    "last_error" VARCHAR(512) NOT NULL,
    "handed_over" BOOL NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    "incident_id" VARCHAR(32) REFERENCES "incident" ("id") ON DELETE CASCADE,
    "reminder_id" VARCHAR(32) REFERENCES "reminder" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_delivery_state_52c467" ON "delivery" ("state", "next_at");
COMMENT ON COLUMN "delivery"."notice" IS 'EMERGENCY: emergency\nWARNING: warning\nREMINDER: reminder';
COMMENT ON COLUMN "delivery"."state" IS 'PENDING: pending\nSENDING: sending\nDELIVERED: delivered\nFAILED: failed\nGONE: gone\nCANCELLED: cancelled';
COMMENT ON TABLE "delivery" IS 'One notice to one receiver, with its attempts: the delivery engine''s unit of work.';
        CREATE TABLE IF NOT EXISTS "deliveryattempt" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "ok" BOOL NOT NULL,
    "status" INT,
    "detail" VARCHAR(512) NOT NULL,
    "took_ms" INT NOT NULL,
    "delivery_id" VARCHAR(40) NOT NULL REFERENCES "delivery" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "deliveryattempt" IS 'One try to deliver a notice.';
        ALTER TABLE "customer" ADD "access_notes" VARCHAR(512) NOT NULL DEFAULT '';
        ALTER TABLE "customer" ADD "person_name" VARCHAR(200) NOT NULL DEFAULT '';
        ALTER TABLE "device" ADD "watched" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "escalationstep" ADD "who" VARCHAR(16) NOT NULL DEFAULT 'other';
        ALTER TABLE "escalationstep" ADD "gets" JSONB NOT NULL DEFAULT '["emergency", "warning"]';
        ALTER TABLE "escalationstep" ADD "previous_until" TIMESTAMPTZ;
        ALTER TABLE "escalationstep" ADD "disabled_at" TIMESTAMPTZ;
        ALTER TABLE "escalationstep" ADD "secret" VARCHAR(80) NOT NULL DEFAULT '';
        ALTER TABLE "escalationstep" ADD "previous_secret" VARCHAR(80) NOT NULL DEFAULT '';
        ALTER TABLE "escalationstep" ADD "trusted" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "incident" ADD "ladder_at" TIMESTAMPTZ;
        ALTER TABLE "incident" ADD "raised_again" INT NOT NULL DEFAULT 0;
        ALTER TABLE "incident" ADD "notice" VARCHAR(16) NOT NULL DEFAULT 'emergency';
        COMMENT ON COLUMN incident."notice" IS 'EMERGENCY: emergency\nWARNING: warning\nREMINDER: reminder';
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
            "next_escalation_at" = NULL, "resolved_at" = NOW(),
            "resolved_by" = 'upgrade: acknowledged a day before, never resolved'
            WHERE "state" = 'acknowledged' AND "notice" = 'emergency' AND "acknowledged_at" < NOW() - INTERVAL '1 day';
        UPDATE "incident" SET "acknowledged_at" = NOW()
            WHERE "state" = 'acknowledged' AND "notice" = 'emergency';
        UPDATE "device" SET "watched" = TRUE
            WHERE "id" IN (SELECT DISTINCT "device_id" FROM "sensorsample" WHERE "kind" = 'wearable');
        INSERT INTO "delivery" ("id", "position", "who", "notice", "purpose", "channel", "target",
            "trusted", "subject", "text", "payload", "state", "attempts", "next_at", "expires_at",
            "created_at", "delivered_at", "last_error", "handed_over", "customer_id", "incident_id")
        SELECT 'legacy_' || n."id", n."position", 'other', i."notice",
            CASE WHEN n."detail" LIKE 'false alarm notice%' THEN 'false_alarm' ELSE 'alert' END,
            n."channel", n."target", FALSE, '', '', '{}',
            CASE WHEN n."ok" THEN 'delivered' ELSE 'failed' END, 1, n."at", n."at", n."at",
            CASE WHEN n."ok" THEN n."at" END, CASE WHEN n."ok" THEN '' ELSE n."detail" END, TRUE,
            s."customer_id", n."incident_id"
        FROM "notificationrecord" n
        JOIN "incident" i ON i."id" = n."incident_id"
        JOIN "device" d ON d."id" = i."device_id"
        JOIN "site" s ON s."id" = d."site_id";
        INSERT INTO "deliveryattempt" ("at", "ok", "status", "detail", "took_ms", "delivery_id")
        SELECT n."at", n."ok", NULL, n."detail", 0, 'legacy_' || n."id"
        FROM "notificationrecord" n
        WHERE EXISTS (SELECT 1 FROM "delivery" d WHERE d."id" = 'legacy_' || n."id");
        DROP TABLE IF EXISTS "notificationrecord";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
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
        ALTER TABLE "device" DROP COLUMN "watched";
        ALTER TABLE "customer" DROP COLUMN "access_notes";
        ALTER TABLE "customer" DROP COLUMN "person_name";
        ALTER TABLE "incident" DROP COLUMN "ladder_at";
        ALTER TABLE "incident" DROP COLUMN "raised_again";
        ALTER TABLE "incident" DROP COLUMN "notice";
        ALTER TABLE "escalationstep" DROP COLUMN "who";
        ALTER TABLE "escalationstep" DROP COLUMN "gets";
        ALTER TABLE "escalationstep" DROP COLUMN "previous_until";
        ALTER TABLE "escalationstep" DROP COLUMN "disabled_at";
        ALTER TABLE "escalationstep" DROP COLUMN "secret";
        ALTER TABLE "escalationstep" DROP COLUMN "previous_secret";
        ALTER TABLE "escalationstep" DROP COLUMN "trusted";
        DROP TABLE IF EXISTS "deliveryattempt";
        DROP TABLE IF EXISTS "delivery";"""


MODELS_STATE = (
    "eJztXetz2za2/1cw/lJnRu0mzsvr7uyMbCuOtrbsazvt7q07KkxCEq8pgiVIK9rd/u8XBx"
    "TfDxESKVMMPiUmcUDqd0DgvM9/DuZUJyb7of/IiKWRgxP0nwMLz+E/6Vs9dIBtO7oBF1z8"
    "aIqxODbokbkO1lx+eYJNRvglnTDNMWzXoBYM7iPXmBPkzgiaUY+RGTV1ZDCEF3jZQxOHzp"
    "HhMqRhk1g6dk6QRRF/ovFMHIOwHv/TnRnWFHFS/Qd4pE41/kx+qZHZPcv4wyNjl04Jn9Th"
    "z/j1N37ZsHTylbDgT/tpPDGIqScgNHSYQFwfu0tbXBta7icxEF78caxR05tb0WB76c6oFY"
    "42LBeuTolFHOwSmN51PADV8kxzBX+As/+m0RD/FWM0OplgzwTWALX/AtG1g/F4dH0/vhvc"
    "j8cHGbYFFDGsV5c0agHL+asy8eun8ArfH7159/Hd8dsP7475EPGa4ZWPf/qPjoDxCQU8o/"
    "uDP8V97GJ/hMA4ApW52HHZGLtZbM85RMD9fIAThCmc9RXlD8F/0qgHGJfBHlyIcI++gB0A"
    "X4Lq/fBqcHffv7qB6eeM/WEKuPr3A7hzJK4uU1cPP7yC65R/zP5HHk6Cfhnef0bwJ/rf69"
    "FAwEmZO3XEE6Nx9/97AO+EPZeOLboYYz2OSXA5uMSHRkzm3+YmLI6RKQa3msHMm8+xs8wy"
    "+GyGnYLvNyJJMZeD1BQ7Dw6a2ibn+OuYn0FTdwZ74+vXJdz9uX979rl/e8hHpVg2Wt068u"
    "/9mcBY85hL58QZ551DxTinyHaHdZOHUgLtD+8qgP3hXSHWcOvPP+HYnzzlnlEBhFnYP1GH"
    "GFPrJ7IU4A/5W+KV5JQCeiV/ncWm2jPQ/wxWVnA1kkQcvAjlpfSC4xjwX05cf5n2787654"
    "MDgfYj1p4W2NHHCdjhDj2iqSvh2Oyt+dE8fQVbeCoAgl8C7x1Iv55uuAPL5dtOnmwc3S0X"
    "j2EcCcetl5Btm59k31PLXJ4gwiXTJYLNdI5dQ0Ockg9D2NKDW5pGGEMuRTZxGLWwiUB4Qo"
    "9LxBfXZJIjI9c/f81S8qkx/VYE5b8eHb19+/Ho9dsPx+/fffz4/vh1KDFnb5WJzqfDC5Ce"
    "E3vWenFaXsjapXy1S350SbziHzHNOX2KD/2QoIPH/Zuj4wrnPR9VeOCLe0nhyqEmkQE4GN"
    "9FfD9UgTf9OcTQ/ZAG1z+DJNfviqKTAFfRDvioEoj3TDvY6UGcAPu4CtbHxVAfZ5DWiYsN"
    "UwbkiKJzmu77N0cV8OWjCgEW95IIL2ZSloTV8M5he/S+yk7MRxVbEd5/yFVtX0b74hy0pm"
    "TwTITqmFG/4rd7ZfqXJgaScGAFF4VPgiaE6GhCHeFPACcBV33Y7JHyn9ZDjC8wfpvrQb6i"
    "BD+a61VoQZ0n4uS5JmqaVSlbe6psudQ2tPydamB584xJKMGKkLjNEs7B+eDn4dng7gTp5N"
    "nQCHuw7gaju+tbfoURi1EHrny5ubkcwiDm2bZpwKjRYHDOL1j80+B/Xd+eD4CEOjoBitvB"
    "1XDkX3LIHF4ZrvYvB7f3/BI2iePyvz9d9i/4nxMTT1n666uyf76tcjS9LT6Z3mYOJuY9/h"
    "/RclTsMjN3SNJmRrdJF2u3DUP5iHrVjRhtkTw4qkVSx+pWucQRG1RF2lgpVd8x/l/H4ZRc"
    "VKB8+xRSArWIb3HlExE8F6ZZuGZ7Doec5AoaW0+YI2P8mvBr+LSC7z7ZwW8qLuJF4yICfm"
    "wiXMS42eJDh8Pw0/hy8PPgkh/zhvXEz5Vn/uk9WL8MhhefQRRYEGM6A1mgf3Y24OLB9dXg"
    "fnB7IpwYXErgi9clzoN1xkWH0Xmf3wgCgdohLwSf0oZcjJG3mo23gxuO//Du89VgdA8inc"
    "0xNdhszjcqzpzr/tnn4eiCM4diDaKxuMjY/zS4/9c4kPgYnhB3OQ4Ev5vrmy+X/fvh9Yiv"
    "jv7tSBDb1PZMDI/kHMOOBXxtBZOnDraABVlFjFL+plb+PhijSvH2kZO1h7l1iCqn19eXCS"
    "nldJjStUZfrk4HXFAUsPNBhptQwWIqF/kqJX4H49v8/bTJ9KZk787I3vvjHVCxQyp2qPWx"
    "QytF0bdSHxRrkqsBvQr6pBYNXatVDoT1eEWIpsYzsRDX/RaGO9M5hFZP/FeYoOHMQ2xGF3"
    "7Yj7gEe3FGsaxpThVSr1RHpTrWrFUo1VGpjkp1VKqjUh33EO0uqY6PUrE4jzsOxdlvT6dS"
    "y5Va3oJ9aq/V8gD9PI08xpkSZTw+qoJ3N8pD57oym2PTRI8eMyzIqmHEefajvUBDnhjOPM"
    "+du8EMNevYxXtLnVvKy2rZDWwovRKtW/wrAXQwvoO7dyPpr0JICfVDSZUpS7xDzSm8sreq"
    "k+2QCXEcoo9tvmnLrPIs5Q7DtOHk1vkJc7AbCbH2vBnNIQDJBpUTkpQd1LAO+A/Ury1zuT"
    "pV9kTjWh2A5cl+us4nYzJfWYykc1kQjdgqbLwECyOXp56IVGJahrBzeDei6DLIUB9r2B5r"
    "BJ6aQbzQ6ZNDud4DlAP56strzf5Viw8oAvgPzyDuWNREyoJ7BypGIcIp0g6h+/bo44cQWP"
    "ijDNO7q/7lZRGwfA1uBuuKUIGaANVztTGdTBgHaG7k7L+FoGYJN0J2o/339Z5sBX5Zj7Gs"
    "Ppoi69y51oxSKoqpcFHOJXICW4quc2jXJrVJZJDE2OIXsMxhyemK8tNPt8R3CRcbdmO1Mv"
    "dMOyqy6ya1Sz/uZ0uQYvkzHQZp7Idq1YNVFCHWRcSi6qvbgXXuz7PsKk58ahxhsDlOg3Ce"
    "O5fYXUVLJBJvB9SI+DEzXYSHGbkCiAw8d2D97Sg8HuPC7XbwfGGVPLwt09kK0WnSJXuODX"
    "PZn04dMsXCo5BxzKZG9MrcszqMxYmxa520v8ywC1XCn4jtIjpBDl4gl5hkTlxniWzMXFE1"
    "3CFQxpHTnIh8WYcuoCbiqrCBiHPW8TLrwK199tzkXL/ggvDMCAr435PhmxM4oUrPfdkY65"
    "AnVVW+iKKDHt9GSpoFq70qwsH4TuJbt28RtpAMtuBUzMd2NbzMk7iHIJeACp7AtDuWelaO"
    "db1wLw3H785G2fodNSYKGJYx93LSVD6ZFBcgGqNJYToBor2Vz3IX4PWX08sBurkdnA3vht"
    "ejpJ9a3BTCQRi2cTvoX6Yxxl/lMY5oFMZVMCY4R4MvA3hFoNCtgK4vBUvGRyeIOigNNB4d"
    "HekeW8ZGn4cT7RngVSOjE0utTXHR50QzGP/Rt0SjTlIhzB/RK1XCV2OdaGw1JRyCmPmyNa"
    "BEFZ9DJzrCj9RzERa1AXtCD17MlujQsGzPZT0knt6DwlZE46p0DzmeyWcHMfNVgS7ewENU"
    "Tc49rcnZ7iw01QBhsyQ0cJTLSADB+A4e/s3kbpZU6F+fbP4S1fo5i63gTSpnm4/48uQoc8"
    "pVTdpVSdqgIm1QjvbB6t/9dIIwe3qwOGajC07le4ChYMDobHAJ5QI4FGb6QHoZY45DMMtj"
    "3z/urkf5H0hEkd74DM1F/0WmwRozUhz8beJZfluiR88wXcNiP8Bj/y7Jzjp2QkAosQkGMB"
    "9e9f+Z5sDZ5fVpeneDCU5T7AChQ1JliZF0cM+qp3JCicJikbwqCtLqSsdcxGllJbbI2qWq"
    "rCI9cpWUKAqkTD2JjVqrmFxzPYELCFA+16W+b45oBCZYFTwC7x12XTK3XXYitIvgASs14z"
    "uGOO+F8w/q+GfVkvof8WA9WENOZIj2x0Dw+4I8zih9+t7Qf4dhq/Zu/qQ9xChXf4KnwmmF"
    "dIfaXA0C56WLZhhyTYlVUdv5FZKpfJnKIl9dSCz6TWWclu1576p4xN4VO8TevV6XccqPIS"
    "NfbCvUNeMkHYpJr80psZhRmaW7Gr5DqZeK73MnC7h+MdXfETfVMiLqNktIB4Orwe3FYHT2"
    "rxNE5sThb6UtH6xfglpUC7/+VNQDI2qB0Q5dorTwWMGush/FxlrzHYAqaRGpFmIxEgVxBY"
    "hdzL88uXJfIUUHAW7EaMRlASZfvS5GpWowSNRgUL2HmmqPt75I4D2/WrCau1QksMxjMPjn"
    "fbmdLHQYXF6PLoLhaeNZJgvfpDhnAynGO0aiIN8A8lCL30QCD4l3qPBA+n9Qr1VCCr8ZjM"
    "792q8+vehb519hwZXzweXw58Ht4PwkML4Q/cH61B9ewqUJNkz4+0L4DKbCZ+Db/sVt3/xv"
    "+gfZy8s7gS1JwhYQJ1FZ1OnjNrByZfAsdybHyDpYdadLLmXy1Tb4dBvwOEmp2NxqNnNFhJ"
    "GxZ7l5LbvL+ZwirYHRLbOedonPmomNgp4HBRaVgGAjYaZlnGy6UL2qRPdNfEShGLwBo9O0"
    "artsM6dNzNwxcRy5HMYklSpaU8VKOsP8h+lj+pxXbLzUUpqiVNZSCWupqqzfcCHsWLSHBS"
    "H3lisJdYpMSWHrpbDAUSyJdIpMIS0dXqi6RcR27nq6ReTtIDXAO4xNtV9Luiq6qX1zPbrx"
    "8JIt0b2NTdVNdFN7pWyYbNw5XlsFtL5vqO/QjtFs+aEUbCVRxTFk1wcX49jgSjHGUA3IpY"
    "FvCZIRRQRbfrRw2WCVjKiSEZWZrD3GE5rTAqVUk6d5nU9Us86yaCcXu55Un4CQQMW1Z+HU"
    "iYvzHGBlNTQCCmXmqxQMSenTeC6zYmMUKvwiu2B9oUu68kuCrIP2u3rSikprv0S5dFuqix"
    "0s4dzL1H9JLLh2pVWK2ju56k9QladM6wnHrO+JaSGiTwni72G5sQTHq/+5v0fCWGG4y1UR"
    "llW5Fs2kno6euITFIHcRRpuGlZNJWfPcqo9mO9wHJVmNmLEF5Yt/hvPaPJa15koRdnD3by"
    "Tm3SHP9Ek6jyNGpTyTMp5JFUpTuNa729SRWvwIygm8LzcbhETqC5P4wkSUCtQ2kP3AEoQq"
    "fqnNJrgVq/6Qs27HqTqjc+/Exh2LZzKms/GCQ5QXzlSCfZJOob8Z+hPDmXPVUCo9P07Tve"
    "CPRkTiR3D2ca3ezku4Le/7mSLtkDW6js6ffhcMNpZ2oSQJdygPBbr23opDAXLyPoAsZed8"
    "AW9eH1WxaMCw4mxMcTMJOvXcR/p1DCW37FzVuuSkzNKq03Kz0/IPDzvYcrkStYm+naVWOk"
    "GbdYKIX+OigqjFe10ucee2u0aEJTaT3eECCrWvbbavcTVKywe9TISKUSl7kowAxe9I+qFj"
    "JB30QjTef4QZeUVKpP3PHWtp2kv5nmOLbPM45bCz5rbBypmWnh1BPVk04nn7jum+933w3O"
    "Gu6RMTT7dE6ROfoqvwBCkcW0IkkeuylzDNCWN4uu3GNLT4FByYK3+2roKlGqSXwiPafGyJ"
    "z7VTLfVpLwGy+RTu1hDd+LMMrQntKlAMz21z203pTlhW78RUXQVqiu2tUeK/lkv4F9juKk"
    "jMs21z60zBO5ilS2G2DScIRgJ4YXRsKJ+vC5El4cBKcbLPIowVm8RxEXWQRudzCF7FFlsQ"
    "BznEpg7nHnpcIoz8B+THxG44j4p/bUOpgR4qjn9VXe8bLJPqezTlfaBdBfjouArCR8fFEM"
    "O9VOVUPJfr1bgar/Cthi+DRk+Gm5OgU7aKI5ruhQDVv0+ofMmmnYYqNb6TPvhEP/Tq306M"
    "qIPHQOP+sihZb+uMzWCiPQO8er5mbKm1KVtzYDnUNOdcq7unT8Q6yFFM00N6ZcopCQe74e"
    "D1Ciq0qvwettEeElXOOeRI0HPFEhmwfEyucSKPEQbVamyHPhsMGvlCi0sfW4Rd8Rd4J3NU"
    "1yaeULNS+60Ux9kyWb9YhRX8lM7fTFJ1znJQf+HN/CiJ8qAUdcJWBLe45OP66rEK5IogC1"
    "HSITZ/hJG3WZSGs2WJVVSbykNWCplqc/MNspnLy5t8yjEyldvQZv6+kF2lZRzdiVnlhfR/"
    "BzPPIbdEo05SRc0d0CvV/f2hTjR0reZ/D8WTMAok2O8YAu0OLTBDMBvRe2gxE0q68CkvZn"
    "TuF2OinosYXoIazy9C/SV+lz86q/o38wil+7dL91d2/U6eP49S7sbHzR2NbWPiLhy6fpvu"
    "sW5ApLKURSdD2UHM6zc7OGROn/PS5/5xdz3KRzpGkt6pDM1F/0WmwRoLxD/428SzNEARPX"
    "qG6RoW+wEe+/em/L8lgANEiU0r05U63YA6tRvBBKctkruYhv3wyjuX2LmCV3JEueQVjmXB"
    "2EqtAuiES0Zc0GFkRk2di0acIS6nYidC5DHAF2JyAWlGFz0YDLUue0JSOiRcluKLTjMIey"
    "UEqPz+ArU+4cF6sAbRVaSZxvxR1N6En82QYSERcI8Of8cTlzhj9jsS/xFjRNDiqx+55OdY"
    "/A0ZmlJw9UCIyvJBAMeHcVnxdy7ScUJOMvddPhr5EQUNOoR3SFT7jOTJQwiExA6ZQknW7/"
    "jL0oVVJCT+mrTWUmYIfvymhMcXFB5DNlSHNk6yu3Ty1mMcE8j9DzAL6SeT4qLW8BFNCtMJ"
    "EO0hqiWQnV9/Ob0coJvbwdnwbrg63ULhW9xM2tJvB/3LtDF9hi2LSAWMxUg6KLTVH5LnYn"
    "7cSEnHEUUHAW6kiQGXBGQAXg3fYcAjFcf3nq5gEGdkdI5gfDsUDnjeXiscic3E8SAnOMuN"
    "Uo9zjEq5mqUq0GmO3NYdUXQumvq4SgOP4+IGHsev0/uK7ZBng2t2Y3mcc0gV4NUB9yw3L0"
    "ug3N6dpVau1zabvnWDAcibuNdTpIrPbeazahn/UukLqr127Fuqp732yxjTRdGmHBN6UMyp"
    "2HA+CUasNZff8d/uziAYAFuI2sBh6qA5BwWZlD6BpfiQ3/EsaABloVVdEySe2UMYsVVRCc"
    "S3DuK+ylrLm3hArgE6ytoJcrhXSYTKCP2SRmiVgF97tYN9S6zdbyueiuz+JuRVPhU1c8MY"
    "1vRti8iUFUvCiqVSm1Vqc5v1gtamNod1SnM0g3gN02LtwIiPqlJmy6+LJaJIRGFMLpZzQZ"
    "5Rq4cmDp2LwJGJ4XCRflVkFAljHGJc9ofU4tUmyZDh5pbfqnN+CKb5nesZ1viJLH9Hhz4f"
    "/+IXHvoLSJevIDzHX45oMTNMIuYPQEEcEeo8Mij6xY9vdgIxPBBM82DRiQsB1UHe9GoA1A"
    "tzyKpzMQMtR/ycHszqEHgWvGIw/Q+oz3/jAgVRQMsHyw/lAToNdCATGvTqgsjFT5C3zd+O"
    "/xZEnyEECAvyYLqeiDNKo+R41rRQU9pGG1IFymovUKZqaDUfEqx00A7W0Go5zrXHO1jUzR"
    "XdAOKB5c0zglsC7oh6hx7J8JCTdE0eDK4GtxeD0dm/TuIH5S/929FwdHEShLo+WLeDq+Ho"
    "fHB7EgaypsWLl+EVZ4JkMYmAQH0Kqp5cC+rJBQK0DMZxmlrSY1slB1YJe+CjSiTBTOADf9"
    "hmeeYJQmVXbLVdke88RNvMfpwiVfEObeYz1TTPccBTmROVWtycNEm1u5SLN01tmzXnW8Dv"
    "Hs/+LQFpjKJD3aJrA7Sw4UZx5HSMRAVPJ/ajOoKnjbmNNXcsMJBY5mkytdZzkrViBtWxXM"
    "59Dmn3Sr40YgxKILdB/YosuRJ82iz4BB5wyQ8sRaY+rkofV4jaBkpjklR9VG3+qKLKB2OL"
    "fM3hdaFckEPZmb7gtQkGgMw4hpT815Q/g/qo2vxRmXwscTZgdoJQ8bjNPA5Mo1P+66SMBk"
    "kytWWqeD0Vr9cGwHcSrxcHXMRxbd1D9Nyfp0oX0XaeBrttIppuK54b25jpPF4W4ugPnscG"
    "r410HADDkO45MAvybNOwnsKIQ+byT07vQS1VQz8RwXY60T0b4gChMGw2sHH76dZH78XTnh"
    "j5w891UuF8LxnO90fOxmFMCyWPFUGXim399ejo7duPR6/ffjh+/+7jx/fHr0PhI3urTAo5"
    "HV6AIJJgRlYyUdF9DYba8N2IGJsanBKkKk6h1YqTku+VfN8mcbNW+b5J0fWSTg3rfuZQ1z"
    "VzBdfkgFKx1YShbnzoWqH1EzZMoiNByfwcGmbShZAowUgJiSQM6XRh+fVnRclYXec7B/QE"
    "xJpGPc4JoIesE8MSuSRZYbaZx0CyDpTTdfhMNnEgzeXEz4QR42EqdBj94c/3CtnYcMS91Z"
    "Ue5OBg9HAgagg8HIgBD9YhRszTND5g4pn+q7+CrgiGNvPfz5/4+4WhE/HSq+n8C5w5eMnf"
    "mEBmkkO96Ux1SGhjfQG5INVt4lNbBmzzUcBKso7KnlWpelZc9CwbJCG2HhlwYySdi2FvJh"
    "DF382lMI5IOodx/Y0fJlwm8BypeNc4ifKxZOPVfDEpC2hxcGacRkVnJrTtOqIzTczcjTzG"
    "Idlu7B67lDy6ZPYwqfZE9M1Kj6ZpVWRA2zidsby8jIlgREhSE4xf75UZBKxgRKW+N6s6e2"
    "ETl1U1jSdiu6By84vak6+ez7jCPfdWevDEcOZcdQc9/RG6A+ZV6ah3etD7+4Ic6mM4BIse"
    "hVDsD0obQJGLoA4g82zbXIpCgBo2ySvQ9KllLv2OOETQzURfHcxPINelVu/Bgqf2b4avfk"
    "y0tEG2oT1BjRCGyFcbfLxQVhBo55g/3OMfr2P8m8D/6By7hsaHEc0DgKtUHYzKMvjvvArN"
    "36r6oHLQ1e6gK9Zp1yfR74N+e3DWv72/HZ5fDE6gexMHX5+SB+tqePnTCZob5tODdcMpP1"
    "1fn58gm7jjCaX6g3V2/enTAEjoZEJg/OB8eNa/H16POBXhkqSId+C0/RtIt7exvVmuff01"
    "EDm+cq1iQoI2s7FNivTOS9S0TAraSdPK2JGRAbo4eCBFppLAskq1LxXIrN6IQq3eaqv3yZ"
    "PaHfzhHdx+67ex2Q7VPU2yC0lI0kGIj15XqcTBRxU7Ol5nW5BwNY/r8Uae6a2ksV+STPX2"
    "q9Lbjyt2GhlrJNfMWdyXMknVpWi52g46k6vR4xn1HLlFnCRTi7jKIv7Dw5abW/CucAXHSV"
    "SZj/TajQwym+rmyRl26L1zCLOpxV+XcpiZ4QSvVllhPx/cDW8HUMIuNRHXyr/c9u8HXFHX"
    "PPHeY9DOHVH67uy6f/YZ9HWszcaPZIafDeo8WP0v99cnkQlrHJqw2qGsh1Y22TrrSUJVaV"
    "2i0noE3SblGNLEysnRNidHUgZ4zjOGlR7/z7nWsKon//4ws46DX6C1iT84Rqe+oDZ/QYwQ"
    "azN3cJJScbnNXOaChmPltcgrDrSJkbQjzgYe2604G3gHb76RnJJHrz7BVn+CwLGgbPemHE"
    "/RK463nuOYPW0cTxeSKj63ns+GbpKx5elTsim7MzMorreZ6xaVa3kQjO9coH0jXSgdz6Le"
    "JpHICUL1BbX5C1qxiusZ5nJzTsfJFb/bzG+o37xJgVz1Ne8Dd3XKyBjYIJXOk6Rqh6GhUw"
    "k9AuCpg+dyXvIkmbKVV7CVq8bZ38Q+F6RXSJaOSZF1MFKt/mBAVaPnJWr0BCs157yQrdJz"
    "Fptqz0CvWqcn9V3nV+rJLuoawFUlkKqWONUMxl9x6wqn/jS3ol5lh2BPrE6RZrglUteOXu"
    "mTb6d4WI5P4IDZEqLbWPvWriyjJjOK/SWVk1IcrrXinGIaDlmbVNxHvktVVLANMm4nothW"
    "sM/30MJw/URfLrUzrjcaLlpgFgzPphLXNanqbd/2XFvV277bmYOtg7vuXok+SOJPmUWcJF"
    "MrWWURqizCdkHcSBahygqqef9VuYKNnWwudr2C0ojrc60i6jZvDQefB5fnJ2jGfwnUPBmd"
    "D0cXUPLE0kUC1c1l/wxSq2wTa4SPuPs8vLmBC2xm2DZcOR9cDn8e3MK1VVsYuDoc3d33Ly"
    "/hqgEAmSZcPeuPzgb+VQ0wg6tpzafSyVp7BX/Kf/FYskpunKaWGggtUnsaqZTra6kyjt6I"
    "YvdO3pfxbDXizuViyrMBAcAOmUiKNwk6VemjkoxOXCzrzF2RqGCVNjtx9zj/uijXWWVg52"
    "ZgM+o5m3M5ot4hhzkYhiWdVj8YXQxHnKk+NefLzZCzxTYerNMv9/dQ186v88TlvP7d59Pr"
    "/i3IeZjNHil2NpLd6mcWP6HmNnX5V7WUFeFySLsmyb35UEWJ56NKpOWMEu9L75tlgKZp1Z"
    "nX5jNvpdON8cTNC+4oZ3WGWPG6zbxWsYjfBJs9W9+QzUlKxeZWs1nFQe7EawT12SVBjpF0"
    "z6JSj3xfEmmqQiFrDIVMr+QaYA36NezXIq6KaezbTSDKn49GXy4vX6rB5o3fCmJoTehBTs"
    "Rb/HavLO5t1VLCCAaujX67nxFkcjYzF4HHiyA6gTaXYW8K7EJbCsMl2Rg3OdJqnSW26iSh"
    "+kxu2WdSxbLtIAIIPhUpiAOCLiJcuyd4jp+k0A3Gd0+Sa8QHLI4cKXwDAgVwJYB14uI8o2"
    "yZzhdQdK7KSCMIa/z0M+l0LL2UM4TdW9KNnHjKYFWIvjJYKYPVdom7ypyyk8zSJnX/MC8w"
    "R/GP5wwWa/1OfFSFhDdRcA66THIGMlEHhetxLnJpvPHlIb+vYYdMwQf4yu95uZgJ5T3IVO"
    "OPITpatY5M5b818gyVDtcG626vxITgUtvQZJAOCTq4+9cfLOMQzbANYkmluSSIdqgkxItK"
    "7KUtgTDGt2wpdTci6eB6bqTq4wbV4ZQ60H51YEJNky42UvtSpCrqqM18FtUKJLW+OE33jC"
    "j1n/qSYbEqFLbwiM+EwoJSMn42cjI+Sp1eIU33bK5NZA2/QJRN2872HYfZ7DYapG1gbxsO"
    "IllrTIRJG3lFcOWKjYl5lvt3/r1Ieag7EXpwh+e2gCRjOkvc75WZz/wgBhaNrGBCcwiGFG"
    "uIecGIadjko0yKdQRp0WD2WhDsiOpPpmE95RnINphhvfkrJ6SmJxSm36QMY6fG9FsJpvnr"
    "0dHbtx+PXr/9cPz+3ceP749fh1E12Vtl4TWnwwuIsEls2Crkpg0OyCf+06Tk59X4LuJbu5"
    "FMxTM1Cq98FXdVwF2mgLuKt2k8ognn1VMo6Q6B84spqAaUWxcSUab2TppgVeSNirxpk9rf"
    "25fImzvCceS8ucD2Qa4FIbrdKzcg+AOnq4FV7AeeBZp/QMnfbP5IHCbKQWsm9XQ0wwxZ1E"
    "UO0YjxTHR0uCTuq1xLwjZz1RxS862YDRrLwZkYDnPHnJdyVpkEWZfKQe7EPpPq6yqNfpxK"
    "gb8x+Fy1ItpmoeIpUiWxKom1/SxVEquSWGUlVsb835wjrfq31kiq0aAKUqpJpwYEbgsidA"
    "gCZVg97juGNEqfDPIKnFXYQv2bIXLpE7F+RNQyl8hwGdKNKeSHGww9EdvNE16beISSadsl"
    "0wqWjbkSMpPZ75NUnYvFr7+WjfJzheBW8SIW+xAzHkSNOVKVl4PxnfMQ1L9oVdW6ddJKJy"
    "R+8tU2+HQbsDlJqdjcajY75Jmf2nkRRZSaBFtFCUohVYq/j5ysKZaGV3bL09Pr68sEO0+H"
    "KcPI6MvV6eD28I3gY+S9ztpLPFYQel8oscYoumSn2kpyLdGYAa4a9OUvrFNdP3spbTm2qF"
    "qlK/vfTVZRNtx1AaHBiAoqsmitA0nLDollNnPN1bchMARBvXmKb3VClfXcDqG1WMFVQmwx"
    "KyDO+doylwdhZ+V9kHZWq7W84HayDXxl5TBJ1kHtu3FLdjyzfMuz+Sw21Z6BXvV8Ti24bT"
    "JdxMmUI91Lpbl0zHnQbJaL6LObK8b4d8oFmWiMTCVYh9jUgbIribqusY7mhpWo9HoIdvgJ"
    "//I07Fvi4W/IrfqO5QSsNPmgalVmgzWkys2qcrPtOTUbyX2R7ZmumqVnV3Asq1ayS7pqj6"
    "4ytdqUi8GRk9twQwKFcDWETfKcV1X2bo5Nszh8MCDaaNNtWcLWas99e/TxQ7jdwh9lO+3d"
    "Vf/yMicYE3AZS2cYpsg6uHTrzzNURXoLod8Ti1Ul/9zMYC51lhuwOUmpanK1mcsqvFaF17"
    "bJQtarM7w2JR5saY30rWiXgQDWEcB3YJL0ISu0S4aIrjNOhrLvegvltUUii6GgWxXPERP5"
    "scOrYyo0EjKEHYLmWCdo4tB5jjmytllrdtOqGjxwbxc1eNqdFr9LfnRJCFKauNLE91ET98"
    "8dubC+BI2y3K8P7Isco1vK6pEXds8AriqrJ5ZWm8L7RFBljvwZBFsWC55BVGel8D7iMGqh"
    "xYxCphpDhnWCqA2M5kMY+K0nE+hbwm/w/5smcXrxBieQthZ1OMkNA6z9ASr7rV1ublhuso"
    "7DOE3n4jEbcR3amLEF5ZuKbJphhrCDUkojri6HmlJrOhjfQXwbkAINNy/QrrhsXkjQjrp5"
    "8LzO1M3TDQb4yKY1xclUXpNEXpMKpy/ed1Q4fZrlNYTTt81w8y1E07cM850H069Knmzrv4"
    "oKuuzZTvYivqs+cQxtdpBjNljd6ZUZDnA0Zp3poBgGpZ63Sz1/Jk7wBVU9cmIkHVRmjt6/"
    "r6Qsvi9RFt9nujzatgzCq+EdRPdNpf5ab0r6a73J9tfiT3Rzm8IW64sxkt1rjC/jwqxNN8"
    "zIUru0gP/5/3IBvZk="
)
