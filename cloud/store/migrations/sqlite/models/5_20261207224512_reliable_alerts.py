from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
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
    "created_at" TIMESTAMP NOT NULL,
    "delivered_at" TIMESTAMP,
    "last_error" VARCHAR(512) NOT NULL,
    "handed_over" INT NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    "incident_id" VARCHAR(32) REFERENCES "incident" ("id") ON DELETE CASCADE,
    "reminder_id" VARCHAR(32) REFERENCES "reminder" ("id") ON DELETE CASCADE
) /* One notice to one receiver, with its attempts: the delivery engine's unit of work. */;
CREATE INDEX IF NOT EXISTS "idx_delivery_state_52c467" ON "delivery" ("state", "next_at");
        CREATE TABLE IF NOT EXISTS "deliveryattempt" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "ok" INT NOT NULL,
    "status" INT,
    "detail" VARCHAR(512) NOT NULL,
    "took_ms" INT NOT NULL,
    "delivery_id" VARCHAR(40) NOT NULL REFERENCES "delivery" ("id") ON DELETE CASCADE
) /* One try to deliver a notice. */;
        ALTER TABLE "customer" ADD "person_name" VARCHAR(200) NOT NULL DEFAULT '';
        ALTER TABLE "customer" ADD "access_notes" VARCHAR(512) NOT NULL DEFAULT '';
        ALTER TABLE "device" ADD "watched" INT NOT NULL DEFAULT 0;
        ALTER TABLE "escalationstep" ADD "trusted" INT NOT NULL DEFAULT 0;
        ALTER TABLE "escalationstep" ADD "gets" JSON NOT NULL DEFAULT '["emergency", "warning"]';
        ALTER TABLE "escalationstep" ADD "who" VARCHAR(16) NOT NULL DEFAULT 'other';
        ALTER TABLE "escalationstep" ADD "secret" VARCHAR(80) NOT NULL DEFAULT '';
        ALTER TABLE "escalationstep" ADD "previous_until" TIMESTAMP;
        ALTER TABLE "escalationstep" ADD "disabled_at" TIMESTAMP;
        ALTER TABLE "escalationstep" ADD "previous_secret" VARCHAR(80) NOT NULL DEFAULT '';
        ALTER TABLE "incident" ADD "ladder_at" TIMESTAMP;
        ALTER TABLE "incident" ADD "raised_again" INT NOT NULL DEFAULT 0;
        ALTER TABLE "incident" ADD "notice" VARCHAR(16) NOT NULL DEFAULT 'emergency' /* EMERGENCY: emergency\nWARNING: warning\nREMINDER: reminder */;
        UPDATE "incident" SET "notice" = 'warning' WHERE "severity" = 'warning';
        UPDATE "device" SET "watched" = 1
            WHERE "id" IN (SELECT DISTINCT "device_id" FROM "sensorsample" WHERE "kind" = 'wearable');
        INSERT INTO "delivery" ("id", "position", "who", "notice", "purpose", "channel", "target",
            "trusted", "subject", "text", "payload", "state", "attempts", "next_at", "expires_at",
            "created_at", "delivered_at", "last_error", "handed_over", "customer_id", "incident_id")
        SELECT 'legacy_' || n."id", n."position", 'other', i."notice",
            CASE WHEN n."detail" LIKE 'false alarm notice%' THEN 'false_alarm' ELSE 'alert' END,
            n."channel", n."target", 0, '', '', '{}',
            CASE WHEN n."ok" THEN 'delivered' ELSE 'failed' END, 1, n."at", n."at", n."at",
            CASE WHEN n."ok" THEN n."at" END, CASE WHEN n."ok" THEN '' ELSE n."detail" END, 0,
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
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" INT NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "target" VARCHAR(512) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "ok" INT NOT NULL,
    "detail" VARCHAR(512) NOT NULL,
    "incident_id" VARCHAR(32) NOT NULL REFERENCES "incident" ("id") ON DELETE CASCADE
);
        ALTER TABLE "customer" DROP COLUMN "person_name";
        ALTER TABLE "customer" DROP COLUMN "access_notes";
        ALTER TABLE "device" DROP COLUMN "watched";
        ALTER TABLE "escalationstep" DROP COLUMN "trusted";
        ALTER TABLE "escalationstep" DROP COLUMN "gets";
        ALTER TABLE "escalationstep" DROP COLUMN "who";
        ALTER TABLE "escalationstep" DROP COLUMN "secret";
        ALTER TABLE "escalationstep" DROP COLUMN "previous_until";
        ALTER TABLE "escalationstep" DROP COLUMN "disabled_at";
        ALTER TABLE "escalationstep" DROP COLUMN "previous_secret";
        ALTER TABLE "incident" DROP COLUMN "ladder_at";
        ALTER TABLE "incident" DROP COLUMN "raised_again";
        ALTER TABLE "incident" DROP COLUMN "notice";
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
    "GxZ7l5LbvL+ZwirYHRLbOedonPqlbaN8HmUFDbgNFpWvVBt5nTJmbumDiOXJZdkkqVVali"
    "x5th/sP0MX3OK4ddastLUSp7noQ9T9V+b7hUcywewYKgcMuVhDpFthHULTsgmm5oE7gyJZ"
    "FOkSmkpQPgVD+D2M5dTz+DvB2kBniHsan2a0lXRTe1b65HNx4AsSW6t7Gpuoluaq+UDeSM"
    "u29rq9HV903JHdoxmi2Qk4KtJO41huz68FccG1wpChbq1bg08H5AupyIscqPZy0brNLlVL"
    "qcMpO1x3hCc5p0lGryNK83h2onWRaP42LXk6pkHxKoyOssnDpxcZ6LpqzKQ0ChzHyVwvUo"
    "fRrPZVZsjEIFCGQXrC90SdcmSZB10H5XT+JLaXWSKNtrS3Wxg0WGe5kKJYkF167EP1EdJl"
    "f9CerGlGk94Zj1XRstRPQpQfw9LDeWgnf1P/f3SBgrDHe5KhOyKiiimdTT0ROXsBhk18Fo"
    "07Bycv1qnlt1emyH+6Ak7w4ztqB88c9wXiPCsuZRKcIO7v6NRGU75Jk+SWcaxKiUZ1LGM6"
    "lCaQrXenfbDlKLH0E5oeHlZoOQSH1hEl+YiFKB7HvZDyxBqOKX2myCW7HqDznrdpyqMzr3"
    "TmzcsXgmYzobLzhEeeFMJdgn6RT6m6EPLeu5aiiVQB6n6V7wRyMi8SM4+7hWb+elhJZ3pk"
    "yRdsgaXUdvSr9PAxtLu1CShDuUhwJde2/FoQA5eR9AlrJzvoA3r4+qWDRgWHG+oLiZBJ16"
    "7iP9OoaiUHaual1yUmZp1Wm52Wn5h4cdbLlcidpE385SK52gzTpBxK9xUcnO4r0ul7hz21"
    "0jwhKbye5wAYXa1zbb17gapeWDXiZCxaiUPUlGgOJ3JP3QMZIOeiEa75DBjLwyGtL+5441"
    "3eylfM+xRbZ5nHLY+3HbYOVM08mOoJ4sa/C8fU9v3/s+eO5wX++JiadbovSJT9FVeIIUji"
    "0hksh12UuY5oQxvHVb+CF0lufAXPmzdRUs1cK7FB7RiGJLfK6daqlPewmQzadwt4boxp9l"
    "aE1oV4FieG6bW7eDF5bVOzFVV4GaYntrlPiv5RL+Bba7ChLzbNvcOlPwDmbpUphtwwmCkQ"
    "BeGB0byufrQmRJOLBSnOyzCGPFJnFcRB2k0fkcglexxRbEQQ6xqcO5hx6XCCP/AfkxsRvO"
    "o+Jf21BqoIeK419VX/YGC3n6Hk15H2hXAT46roLw0XExxHAvVdsTz+W6Ca7GK3yr4cugFZ"
    "Hh5iTolK3iiKZ7IUD17xMqX7Jpp6FKje+kD151lH8Jf5nqKF89X7OlHeUHlkNNc861unv6"
    "RKyDHMU0PaRXppyScLAbDl6voEIzxe9hG+0hUYebQ44EPVcskQHLx+QaJ/IYYVCtxnbos+"
    "hcL5ow+tgi7Iq/wDuZo7o28YSaldpvpTjOlsn6xSqs4Kd0/maSqnOWg/oLb+ZHSZQHpagT"
    "tiK4xSUf11ePVSBXBFmIkg6x+SOMvM2iNJwtS6yi2lQeslLIVCOWb5DNXF7e5FOOkanchj"
    "bz94XsKi3j6E7MKi+k/zuYeQ65JRp1kipq7oBeqe7vD3WioWs1/3sonoRRIMF+xxBod2iB"
    "GYLZiN5Di5lQ0oVPeTGjc78YE/VcxPAS1Hh+Eeov8bv80VnVv5lHKN2/Xbq/sut38vx5lH"
    "I3Pm7uaGwbE3fh0PUbSY91AyKVpSw6GcoOYl6/2cEhc/qclz73j7vrUT7SMZL0TmVoLvov"
    "Mg3WWCD+wd8mnqUBiujRM0zXsNgP8Ni/N+X/LQEcIEpsWpm+yekWyandCCY4bZHcxTTsh1"
    "feucTOFbySI8olr3AsC8ZWahVAJ1wy4oIOIzNq6lw04gxxORU7ESKPAb4QkwtIM7rowWCo"
    "ddkTktIh4bIUX3SaQdgrIUDl9xeo9QkP1oM1iK4izTTmj6L2JvxshgwLiYB7dPg7nrjEGb"
    "PfkfiPGCOCFl/9yCU/x+JvyNCUgqsHQlSWDwI4PozLir9zkY4TcpK57/LRyI8oaNAhvEOi"
    "2mckTx5CICR2yBRKsn7HX5YurCIh8dektZYyQ/DjNyU8vqDwGLKhOrRxkt2lk7ce45hA7n"
    "+AWUg/mRQXNS+PaFKYToBoD1Etgez8+svp5QDd3A7OhnfD1ekWCt/iZtKWfjvoX6aN6TNs"
    "WUQqYCxG0kGhrf6QPBfz40ZKOo4oOghwI00MuCQgA/Bq+A4DHqk4vvd0BYM4I6NzBOPboX"
    "DA8/Za4UhsJo4HOcFZbpR6nGNUytUsVYFOc+S27oiic9HUx1UaeBwXN/A4fp3eV2yHPBtc"
    "sxvL45xDqgCvDrhnuXlZAuX27iy1cr222fStGwxA3sS9niJVfG4zn1XL+JdKX1DttWPfUj"
    "3ttV/GmC6KNuWY0INiTsWG80kwYq25/I7/dncGwQDYQtQGDlMHzTkoyKT0CSzFh/yOZ0ED"
    "KAut6pog8cwewoitikogvnUQ91XWWt7EA3IN0FHWTpDDvUoiVEbolzRCqwT82qsd7Fti7X"
    "5b8VRk9zchr/KpqJkbxrCmb1tEpqxYElYsldqsUpvbrBe0NrU5rFOaoxnEa5gWawdGfFSV"
    "Mlt+XSwRRSIKY3KxnAvyjFo9NHHoXASOTAyHi/SrIqNIGOMQ47I/pBavNkmGDDe3/Fad80"
    "Mwze9cz7DGT2T5Ozr0+fgXv/DQX0C6fAXhOf5yRIuZYRIxfwAK4ohQ55FB0S9+fLMTiOGB"
    "YJoHi05cCKgO8qZXA6BemENWnYsZaDni5/RgVofAs+AVg+l/QH3+GxcoiAJaPlh+KA/Qaa"
    "ADmdCgVxdELn6CvG3+dvy3IPoMIUBYkAfT9UScURolx7OmhZrSNtqQKlBWe4EyVUOr+ZBg"
    "pYN2sIZWy3GuPd7Bom6u6AYQDyxvnhHcEnBH1Dv0SIaHnKRr8mBwNbi9GIzO/nUSPyh/6d"
    "+OhqOLkyDU9cG6HVwNR+eD25MwkDUtXrwMrzgTJItJBATqU1D15FpQTy4QoGUwjtPUkh7b"
    "KjmwStgDH1UiCWYCH/jDNsszTxAqu2Kr7Yp85yHaZvbjFKmKd2gzn6mmeY4DnsqcqNTi5q"
    "RJqt2lXLxpatusOd8Cfvd49m8JSGMUHeoWXRughQ03iiOnYyQqeDqxH9URPG3Mbay5Y4GB"
    "xDJPk6m1npOsFTOojuVy7nNIu1fypRFjUAK5DepXZMmV4NNmwSfwgEt+YCky9XFV+rhC1D"
    "ZQGpOk6qNq80cVVT4YW+RrDq8L5YIcys70Ba9NMABkxjGk5L+m/BnUR9Xmj8rkY4mzAbMT"
    "hIrHbeZxYBqd8l8nZTRIkqktU8XrqXi9NgC+k3i9OOAijmvrHqLn/jxVuoi28zTYbRPRdF"
    "vx3NjGTOfxshBHf/A8NnhtpOMAGIZ0z4FZkGebhvUURhwyl39yeg9qqRr6iQi204nu2RAH"
    "CIVhs4GN20+3PnovnvbEyB9+rpMK53vJcL4/cjYOY1ooeawIulRs669HR2/ffjx6/fbD8f"
    "t3Hz++P34dCh/ZW2VSyOnwAgSRBDOykomK7msw1IbvRsTY1OCUIFVxCq1WnJR8r+T7Nomb"
    "tcr3TYqul3RqWPczh7qumSu4JgeUiq0mDHXjQ9cKrZ+wYRIdCUrm59Awky6ERAlGSkgkYU"
    "inC8uvPytKxuo63zmgJyDWNOpxTgA9ZJ0YlsglyQqzzTwGknWgnK7DZ7KJA2kuJ34mjBgP"
    "U6HD6A9/vlfIxoYj7q2u9CAHB6OHA1FD4OFADHiwDjFinqbxARPP9F/9FXRFMLSZ/37+xN"
    "8vDJ2Il15N51/gzMFL/sYEMpMc6k1nqkNCG+sLyAWpbhOf2jJgm48CVpJ1VPasStWz4qJn"
    "2SAJsfXIgBsj6VwMezOBKP5uLoVxRNI5jOtv/DDhMoHnSMW7xkmUjyUbr+aLSVlAi4Mz4z"
    "QqOjOhbdcRnWli5m7kMQ7JdmP32KXk0SWzh0m1J6JvVno0TasiA9rG6Yzl5WVMBCNCkppg"
    "/HqvzCBgBSMq9b1Z1dkLm7isqmk8EdsFlZtf1J589XzGFe65t9KDJ4Yz56o76OmP0B0wr0"
    "pHvdOD3t8X5FAfwyFY9CiEYn9Q2gCKXAR1AJln2+ZSFALUsElegaZPLXPpd8Qhgm4m+upg"
    "fgK5LrV6DxY8tX8zfPVjoqUNsg3tCWqEMES+2uDjhbKCQDvH/OEe/3gd498E/kfn2DU0Po"
    "xoHgBcpepgVJbBf+dVaP5W1QeVg652B12xTrs+iX4f9NuDs/7t/e3w/GJwAt2bOPj6lDxY"
    "V8PLn07Q3DCfHqwbTvnp+vr8BNnEHU8o1R+ss+tPnwZAQicTAuMH58Oz/v3wesSpCJckRb"
    "wDp+3fQLq9je3Ncu3rr4HI8ZVrFRMStJmNbVKkd16ipmVS0E6aVsaOjAzQxcEDKTKVBJZV"
    "qn2pQGb1RhRq9VZbvU+e1O7gD+/g9lu/jc12qO5pkl1IQpIOQnz0ukolDj6q2NHxOtuChK"
    "t5XI838kxvJY39kmSqt1+V3n5csdPIWCO5Zs7ivpRJqi5Fy9V20JlcjR7PqOfILeIkmVrE"
    "VRbxHx623NyCd4UrOE6iynyk125kkNlUN0/OsEPvnUOYTS3+upTDzAwneLXKCvv54G54O4"
    "ASdqmJuFb+5bZ/P+CKuuaJ9x6Ddu6I0ndn1/2zz6CvY202fiQz/GxQ58Hqf7m/PolMWOPQ"
    "hNUOZT20ssnWWU8SqkrrEpXWI+g2KceQJlZOjrY5OZIywHOeMaz0+H/OtYZVPfn3h5l1HP"
    "wCrU38wTE69QW1+QtihFibuYOTlIrLbeYyFzQcK69FXnGgTYykHXE28NhuxdnAO3jzjeSU"
    "PHr1Cbb6EwSOBWW7N+V4il5xvPUcx+xp43i6kFTxufV8NnSTjC1Pn5JN2Z2ZQXG9zVy3qF"
    "zLg2B85wLtG+lC6XgW9TaJRE4Qqi+ozV/QilVczzCXm3M6Tq743WZ+Q/3mTQrkqq95H7ir"
    "U0bGwAapdJ4kVTsMDZ1K6BEATx08l/OSJ8mUrbyCrVw1zv4m9rkgvUKydEyKrIORavUHA6"
    "oaPS9RoydYqTnnhWyVnrPYVHsGetU6PanvOr9ST3ZR1wCuKoFUtcSpZjD+iltXOPWnuRX1"
    "KjsEe2J1ijTDLZG6dvRKn3w7xcNyfAIHzJYQ3cbat3ZlGTWZUewvqZyU4nCtFecU03DI2q"
    "TiPvJdqqKCbZBxOxHFtoJ9vocWhusn+nKpnXG90XDRArNgeDaVuK5JVW/7tufaqt723c4c"
    "bB3cdfdK9EESf8os4iSZWskqi1BlEbYL4kayCFVWUM37r8oVbOxkc7HrFZRGXJ9rFVG3eW"
    "s4+Dy4PD9BM/5LoObJ6Hw4uoCSJ5YuEqhuLvtnkFplm1gjfMTd5+HNDVxgM8O24cr54HL4"
    "8+AWrq3awsDV4ejuvn95CVcNAMg04epZf3Q28K9qgBlcTWs+lU7W2iv4U/6Lx5JVcuM0td"
    "RAaJHa00ilXF9LlXH0RhS7d/K+jGerEXcuF1OeDQgAdshEUrxJ0KlKH5VkdOJiWWfuikQF"
    "q7TZibvH+ddFuc4qAzs3A5tRz9mcyxH1DjnMwTAs6bT6wehiOOJM9ak5X26GnC228WCdfr"
    "m/h7p2fp0nLuf17z6fXvdvQc7DbPZIsbOR7FY/s/gJNbepy7+qpawIl0PaNUnuzYcqSjwf"
    "VSItZ5R4X3rfLAM0TavOvDafeSudbownbl5wRzmrM8SK123mtYpF/CbY7Nn6hmxOUio2t5"
    "rNKg5yJ14jqM8uCXKMpHsWlXrk+5JIUxUKWWMoZHol1wBr0K9hvxZxVUxj324CUf58NPpy"
    "eflSDTZv/FYQQ2tCD3Ii3uK3e2Vxb6uWEkYwcG302/2MIJOzmbkIPF4E0Qm0uQx7U2AX2l"
    "IYLsnGuMmRVusssVUnCdVncss+kyqWbQcRQPCpSEEcEHQR4do9wXP8JIVuML57klwjPmBx"
    "5EjhGxAogCsBrBMX5xlly3S+gKJzVUYaQVjjp59Jp2PppZwh7N6SbuTEUwarQvSVwUoZrL"
    "ZL3FXmlJ1kljap+4d5gTmKfzxnsFjrd+KjKiS8iYJz0GWSM5CJOihcj3ORS+ONLw/5fQ07"
    "ZAo+wFd+z8vFTCjvQaYafwzR0ap1ZCr/rZFnqHS4Nlh3eyUmBJfahiaDdEjQwd2//mAZh2"
    "iGbRBLKs0lQbRDJSFeVGIvbQmEMb5lS6m7EUkH13MjVR83qA6n1IH2qwMTapp0sZHalyJV"
    "UUdt5rOoViCp9cVpumdEqf/UlwyLVaGwhUd8JhQWlJLxs5GT8VHq9AppumdzbSJr+AWibN"
    "p2tu84zGa30SBtA3vbcBDJWmMiTNrIK4IrV2xMzLPcv/PvRcpD3YnQgzs8twUkGdNZ4n6v"
    "zHzmBzGwaGQFE5pDMKRYQ8wLRkzDJh9lUqwjSIsGs9eCYEdUfzIN6ynPQLbBDOvNXzkhNT"
    "2hMP0mZRg7NabfSjDNX4+O3r79ePT67Yfj9+8+fnx//DqMqsneKguvOR1eQIRNYsNWITdt"
    "cEA+8Z8mJT+vxncR39qNZCqeqVF45au4qwLuMgXcVbxN4xFNOK+eQkl3CJxfTEE1oNy6kI"
    "gytXfSBKsib1TkTZvU/t6+RN7cEY4j580Ftg9yLQjR7V65AcEfOF0NrGI/8CzQ/ANK/mbz"
    "R+IwUQ5aM6mnoxlmyKIucohGjGeio8MlcV/lWhK2mavmkJpvxWzQWA7OxHCYO+a8lLPKJM"
    "i6VA5yJ/aZVF9XafTjVAr8jcHnqhXRNgsVT5EqiVVJrO1nqZJYlcQqK7Ey5v/mHGnVv7VG"
    "Uo0GVZBSTTo1IHBbEKFDECjD6nHfMaRR+mSQV+Cswhbq3wyRS5+I9SOilrlEhsuQbkwhP9"
    "xg6InYbp7w2sQjlEzbLplWsGzMlZCZzH6fpOpcLH79tWyUnysEt4oXsdiHmPEgasyRqrwc"
    "jO+ch6D+Rauq1q2TVjoh8ZOvtsGn24DNSUrF5laz2SHP/NTOiyii1CTYKkpQCqlS/H3kZE"
    "2xNLyyW56eXl9fJth5OkwZRkZfrk4Ht4dvBB8j73XWXuKxgtD7Qok1RtElO9VWkmuJxgxw"
    "1aAvf2Gd6vrZS2nLsUXVKl3Z/26yirLhrgsIDUZUUJFFax1IWnZILLOZa66+DYEhCOrNU3"
    "yrE6qs53YIrcUKrhJii1kBcc7Xlrk8CDsr74O0s1qt5QW3k23gKyuHSbIOat+NW7LjmeVb"
    "ns1nsan2DPSq53NqwW2T6SJOphzpXirNpWPOg2azXESf3Vwxxr9TLshEY2QqwTrEpg6UXU"
    "nUdY11NDesRKXXQ7DDT/iXp2HfEg9/Q27VdywnYKXJB1WrMhusIVVuVpWbbc+p2Ujui2zP"
    "dNUsPbuCY1m1kl3SVXt0lanVplwMjpzchhsSKISrIWyS57yqsndzbJrF4YMB0UabbssStl"
    "Z77tujjx/C7Rb+KNtp7676l5c5wZiAy1g6wzBF1sGlW3+eoSrSWwj9nlisKvnnZgZzqbPc"
    "gM1JSlWTq81cVuG1Kry2TRayXp3htSnxYEtrpG9FuwwEsI4AvgOTpA9ZoV0yRHSdcTKUfd"
    "dbKK8tElkMBd2qeI6YyI8dXh1ToZGQIewQNMc6QROHznPMkbXNWrObVtXggXu7qMHT7rT4"
    "XfKjS0KQ0sSVJr6Pmrh/7siF9SVolOV+fWBf5BjdUlaPvLB7BnBVWT2xtNoU3ieCKnPkzy"
    "DYsljwDKI6K4X3EYdRCy1mFDLVGDKsE0RtYDQfwsBvPZlA3xJ+g//fNInTizc4gbS1qMNJ"
    "bhhg7Q9Q2W/tcnPDcpN1HMZpOheP2Yjr0MaMLSjfVGTTDDOEHZRSGnF1OdSUWtPB+A7i24"
    "AUaLh5gXbFZfNCgnbUzYPndaZunm4wwEc2rSlOpvKaJPKaVDh98b6jwunTLK8hnL5thptv"
    "IZq+ZZjvPJh+VfJkW/9VVNBlz3ayF/Fd9YljaLODHLPB6k6vzHCAozHrTAfFMCj1vF3q+T"
    "Nxgi+o6pETI+mgMnP0/n0lZfF9ibL4PtPl0bZlEF4N7yC6byr113pT0l/rTba/Fn+im9sU"
    "tlhfjJHsXmN8GRdmbbphRpbapQX8z/8Hc7hOzw=="
)
