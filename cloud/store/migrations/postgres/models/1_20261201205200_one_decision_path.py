from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    # One open-order key scheme for every need ("need/{id}"): open printer orders keep working.
    return """
        UPDATE "order" SET "need_id" = (
            SELECT n."id" FROM "need" n
            WHERE n."device_id" = "order"."device_id" AND n."sensor" = "order"."sensor"
              AND n."supply_index" = "order"."supply_index")
        WHERE "need_id" IS NULL AND "open_key" IS NOT NULL AND "open_key" NOT LIKE 'need/%';
        UPDATE "order" SET "open_key" = 'need/' || "need_id"
        WHERE "open_key" IS NOT NULL AND "open_key" NOT LIKE 'need/%' AND "need_id" IS NOT NULL;
        ALTER TABLE "changeevent" ALTER COLUMN "topic" TYPE VARCHAR(32) USING "topic"::VARCHAR(32);
        COMMENT ON COLUMN "changeevent"."topic" IS 'DEVICES: devices\nSENSORS: sensors\nSUPPLIES: supplies\nNEEDS: needs\nORDERS: orders\nREMINDERS: reminders\nALERTS: alerts\nFLAGS: flags';
        ALTER TABLE "consent" ALTER COLUMN "stream" TYPE VARCHAR(32) USING "stream"::VARCHAR(32);
        COMMENT ON COLUMN "consent"."stream" IS 'INK_LEVELS: ink_levels\nWEIGHTS: weights\nACCELEROMETER: accelerometer\nCALENDAR: calendar';
        ALTER TABLE "consent" ALTER COLUMN "purpose" TYPE VARCHAR(32) USING "purpose"::VARCHAR(32);
        COMMENT ON COLUMN "consent"."purpose" IS 'REPLENISHMENT: replenishment\nCOACHING: coaching\nSAFETY_ALERTS: safety_alerts\nPOPULATION_LEARNING: population_learning';
        ALTER TABLE "consentchange" ALTER COLUMN "stream" TYPE VARCHAR(32) USING "stream"::VARCHAR(32);
        COMMENT ON COLUMN "consentchange"."stream" IS 'INK_LEVELS: ink_levels\nWEIGHTS: weights\nACCELEROMETER: accelerometer\nCALENDAR: calendar';
        ALTER TABLE "consentchange" ALTER COLUMN "purpose" TYPE VARCHAR(32) USING "purpose"::VARCHAR(32);
        COMMENT ON COLUMN "consentchange"."purpose" IS 'REPLENISHMENT: replenishment\nCOACHING: coaching\nSAFETY_ALERTS: safety_alerts\nPOPULATION_LEARNING: population_learning';
        ALTER TABLE "decisionrecord" ALTER COLUMN "action" TYPE VARCHAR(16) USING "action"::VARCHAR(16);
        COMMENT ON COLUMN "decisionrecord"."action" IS 'NONE: none\nORDER: order\nREMIND: remind\nASK: ask\nCHANGE: change\nCANCEL: cancel';
        ALTER TABLE "need" ALTER COLUMN "kind" TYPE VARCHAR(32) USING "kind"::VARCHAR(32);
        COMMENT ON COLUMN "need"."kind" IS 'CARTRIDGE: cartridge\nMILK: milk\nPET_FOOD: pet_food\nCOFFEE: coffee\nMEDICATION: medication\nPAPER: paper';
        ALTER TABLE "need" ALTER COLUMN "experience" TYPE VARCHAR(32) USING "experience"::VARCHAR(32);
        COMMENT ON COLUMN "need"."experience" IS 'DESIRE: respond_to_desire\nCURATED: curated_offering\nCOACH: coach_behavior\nAUTO: automatic_execution';
        ALTER TABLE "order" ALTER COLUMN "status" TYPE VARCHAR(16) USING "status"::VARCHAR(16);
        COMMENT ON COLUMN "order"."status" IS 'HELD: held\nPENDING: pending\nPLACED: placed\nSHIPPED: shipped\nDELIVERED: delivered\nINSTALLED: installed\nCANCELLED: cancelled';
        ALTER TABLE "order" ALTER COLUMN "source" TYPE VARCHAR(32) USING "source"::VARCHAR(32);
        COMMENT ON COLUMN "order"."source" IS 'ENGINE: engine\nAPI: api\nBUTTON: button\nDASHBOARD: dashboard';
        ALTER TABLE "order" ALTER COLUMN "experience" TYPE VARCHAR(32) USING "experience"::VARCHAR(32);
        COMMENT ON COLUMN "order"."experience" IS 'DESIRE: respond_to_desire\nCURATED: curated_offering\nCOACH: coach_behavior\nAUTO: automatic_execution';
        ALTER TABLE "supply" DROP COLUMN "episode_start";
        ALTER TABLE "supply" DROP COLUMN "rate_per_day";
        ALTER TABLE "supply" DROP COLUMN "runout_at";
        ALTER TABLE "supply" DROP COLUMN "confident";
        ALTER TABLE "supply" DROP COLUMN "note";
        DROP TABLE IF EXISTS "cartridgeepisode";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "need" ALTER COLUMN "kind" TYPE VARCHAR(32) USING "kind"::VARCHAR(32);
        COMMENT ON COLUMN "need"."kind" IS NULL;
        ALTER TABLE "need" ALTER COLUMN "experience" TYPE VARCHAR(32) USING "experience"::VARCHAR(32);
        COMMENT ON COLUMN "need"."experience" IS NULL;
        ALTER TABLE "order" ALTER COLUMN "status" TYPE VARCHAR(16) USING "status"::VARCHAR(16);
        COMMENT ON COLUMN "order"."status" IS NULL;
        ALTER TABLE "order" ALTER COLUMN "source" TYPE VARCHAR(32) USING "source"::VARCHAR(32);
        COMMENT ON COLUMN "order"."source" IS NULL;
        ALTER TABLE "order" ALTER COLUMN "experience" TYPE VARCHAR(32) USING "experience"::VARCHAR(32);
        COMMENT ON COLUMN "order"."experience" IS NULL;
        ALTER TABLE "supply" ADD "episode_start" TIMESTAMPTZ NOT NULL;
        ALTER TABLE "supply" ADD "rate_per_day" DOUBLE PRECISION;
        ALTER TABLE "supply" ADD "runout_at" TIMESTAMPTZ;
        ALTER TABLE "supply" ADD "confident" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "supply" ADD "note" VARCHAR(512) NOT NULL DEFAULT '';
        ALTER TABLE "consent" ALTER COLUMN "stream" TYPE VARCHAR(32) USING "stream"::VARCHAR(32);
        COMMENT ON COLUMN "consent"."stream" IS NULL;
        ALTER TABLE "consent" ALTER COLUMN "purpose" TYPE VARCHAR(32) USING "purpose"::VARCHAR(32);
        COMMENT ON COLUMN "consent"."purpose" IS NULL;
        ALTER TABLE "changeevent" ALTER COLUMN "topic" TYPE VARCHAR(32) USING "topic"::VARCHAR(32);
        COMMENT ON COLUMN "changeevent"."topic" IS NULL;
        ALTER TABLE "consentchange" ALTER COLUMN "stream" TYPE VARCHAR(32) USING "stream"::VARCHAR(32);
        COMMENT ON COLUMN "consentchange"."stream" IS NULL;
        ALTER TABLE "consentchange" ALTER COLUMN "purpose" TYPE VARCHAR(32) USING "purpose"::VARCHAR(32);
        COMMENT ON COLUMN "consentchange"."purpose" IS NULL;
        ALTER TABLE "decisionrecord" ALTER COLUMN "action" TYPE VARCHAR(16) USING "action"::VARCHAR(16);
        COMMENT ON COLUMN "decisionrecord"."action" IS NULL;
        ALTER TABLE "supply" ADD "episode_start" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP;
        ALTER TABLE "supply" ADD "rate_per_day" DOUBLE PRECISION;
        ALTER TABLE "supply" ADD "runout_at" TIMESTAMPTZ;
        ALTER TABLE "supply" ADD "confident" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "supply" ADD "note" VARCHAR(512) NOT NULL DEFAULT '';"""


MODELS_STATE = (
    "eJztXVtz2ziW/isov3RSpe5xnOt4trZKtpVE247stZ3u3RlPaWASkjCiCDZAWtHM5r/vAe"
    "93kxIpUwyeEpM4IPUdEDj38++jFdOJIX4ZPghiauToFP37yMQr+Z/0rQE6wpYV3ZAXbPxg"
    "uGNxbNCDsDnWbLg8w4YgcEknQuPUsikz5eAhsumKIHtB0II5giyYoSMqEF7jzQDNOFshag"
    "ukYYOYOuanyGQInkgfCadEDOBPe0HNOQJS/Rf5SJ1p8Ey41Mrsjkn/cMjUZnMCk3J4xt/+"
    "DpepqZNvRAR/WsvpjBJDT0BIdTmBe31qbyz32ti0P7oD5Ys/TDVmOCszGmxt7AUzw9HUtO"
    "XVOTEJxzaR09vckaCajmH48Ac4e28aDfFeMUajkxl2DMkaSe29QHTtaDqdXN1Nb0d30+lR"
    "hm0BRQxr/5LGTMlyeFXh/vq5fIWfT169ef/mw+t3bz7AEPc1wyvvv3uPjoDxCF14JndH39"
    "372MbeCBfjCFRhY26LKbaz2F4ARJL7+QAnCFM46z7lL8F/0qgHGJfBHlyIcI++gD0AX4Lq"
    "3fjL6PZu+OVaTr8S4g/DhWt4N5J3Ttyrm9TVF+9eyusMPmbvIw8nQb+P7z4j+Sf669Vk5M"
    "LJhD3n7hOjcXd/PZLvhB2bTU22nmI9jklwObgEQyMmw7e5DYtjZIrBnWawcFYrzDdZBp8v"
    "MC/4fiOSFHMBpLbYeXTU1ja5wt+mcAbN7YXcG4+PS7j72/Dm/PPw5gWMSrFs4t868e59T2"
    "CsOcJmK8KneedQMc4psv1h3eahlED73ZsKYL97U4i1vPX9uzz2Z8vcMyqAMAv7R8YJnZu/"
    "ko0L/hjeEvuSUwpoX/46j011YKB/D1ZWcDWSRDheh/JSesEBBvDLie0t0+Ht+fBidOSi/Y"
    "C15RpzfZqAXd5hJyx1JRybvbU6WaWvYBPPXYDkL5HvHUi/jk7tkWnDtpMnG0d3y8VjOY6E"
    "456WkC0LTrKfmWlsThEByXSD5Ga6wjbVEFDCMIRNPbilaUQIZDNkES6YiQ0khSf0sEGwuG"
    "azHBm5+fkblpLP6PxHEZT/fHLy+vX7k+PX7z68ffP+/dsPx6HEnL1VJjqfjT9J6TmxZz0t"
    "TtcXsvYpX+2TH30Sr+AjZjmnT/GhHxL08Lh/dfKhwnkPowoPfPdeUrjizCB1AA7G9xHfd1"
    "XgTX8OMXTfpcH1zqCa69en6CXAVbQDGFUC8YFpB3s9iBNgf6iC9YdiqD9kkNaJjalRB+SI"
    "onea7ttXJxXwhVGFALv3kgivF7UsCf7w3mF78rbKTgyjiq0Ib9/lqrbPo30BB805GT0SV3"
    "XMqF/x24My/UtzB5JwYAUXhUeCZoToaMa460+QTgJQfcTigcFPGyABCwxugx7kKUryR4Ne"
    "hdaMLwnPc000NKtStg5U2bKZRbX8nWpkOquMSSjBipC4yxLO0cXot/H56PYU6eSRakTcm7"
    "ejye3VDVwRxBSMyytfr68vx3KQcCzLoHLUZDS6gAsmfBrw19XNxUiSMK4TSXEz+jKeeJc4"
    "WclXlleHl6ObO7iEDcJt+Pvj5fAT/Dkz8Fykv74q++frKkfT6+KT6XXmYBLOwz+JlqNil5"
    "m5Q5IuM7pLuli3bRjKRzSobsToiuQBqBZJHf6tcokjNqiKtOErVT8J+C/nQAmiAoPt05US"
    "mEk8iytMRPDKNc3Ka5bDAXKSK2jsPGGOjPG3hF/Do3X57pEd/V3FRTxrXETAj22Eixg3O3"
    "zoAAy/Ti9Hv40u4Zin5hLOlUf49O7N30fjT5+lKLAmdL6QssDw/HwE4sHVl9Hd6ObUdWKA"
    "lACL1yb83jwH0WFyMYQbQSBQN+SF4FPakosx8k6z8WZ0DfiPbz9/GU3upEhnAaZULFawUQ"
    "Fzrobnn8eTT8AchjUZjQUi4/Dj6O5/p4HEJ/CM2JtpIPhdX11/vRzeja8msDqGNxOX2GKW"
    "Y2D5SOAY5qbkayeYPOfYlCzIKmKMwZua+ftgjCrF2wcg6w5zmxBVzq6uLhNSytk4pWtNvn"
    "45G4Gg6MIOg6idUMFiKhf5Vkv8DsZ3+fvpkulNyd69kb0PxzugYodU7FDnY4d8RdGzUh8V"
    "a5L+gEEFfVKLhj6pVY5c67FPiOb0kZgIdL81tRc6QGgO3P+6Jmh55iGxYGsv7Me9JPfijG"
    "LZ0JwqpF6pjkp1bFirUKqjUh2V6qhUR6U6HiDafVIdH2rF4jzsORTnsD2dSi1XankH9qmD"
    "VssD9PM08hhnSpTx+KgK3t0oDx10ZbHChoEeHEFNmVUjCH/0or2khjyjfJXnzt1ihoZ17O"
    "K9pckt5Xm17BY2lEGJ1u3+WwPoYHwPd+9W0l9dISXUD2uqTFniPWpO4ZWDVZ0sTmaEc6JP"
    "Ldi066zyLOUew7Tlya3DCXO0Hwmx8bwZjRMJyRaVE5KUPdSwjuAH6lemsfFPlQPRuPwDsD"
    "zZT9dhMlHnK4uR9C4LohVbhYU30sII8tSS1EpMyxD2Du9WFF0hM9SnGramGpFPzSBe6PTJ"
    "oXzaA5QDuf/ldWb/asQHFAH8h0OJPXVrImXBvZUqRiHCKdIeofv65P27EFj5Rxmmt1+Gl5"
    "dFwMIa3A5Wn1CBmgDVsbUpm80EALSiOftvIahZwq2Q3Wr/Pe7wVlAjzj4maHhl/nJ24zOf"
    "8uOvN8RznBWbv2IVBQ9MhiyyfiVlcC86YkeQYlkGPQZp6gW0NINVFEfTR8RgahwBsT1Yo3"
    "CeW5tYfUXLTSPcDagJ8TzmfYRHUHvXj+5W2n56Co8jCN8Rnq+ikn+nYxJbITptOmQuMDU2"
    "w/mckzl27YkZt0xqxKDMOaPLsTgx9kkXze8LbMsawUti2YjNEMdrZBODrIjNN8jCwnZrBn"
    "Mii7gBzambLcfZWlZE89Oa3ShHHW+y7pvGZ89NzfPSrV27rEsh/7eknjIBhCo573kjLEOe"
    "VE4DDyl66O9ppaBRsNqrIhyM7yW+TXsW5BaSwVa6FPKx9YeX+REOEOQSUKUfIO2MYY6ZY1"
    "sr3EvD8fuzUHR+R42JAtSkKycnSP2jwXABojGaFKYzSXSw8lnuArz6enY5Qtc3o/Px7fhq"
    "kvRSuTeTTtub0fAyjTH+Vh/jiEZhXAVjgnM0+DKAfQKFbgV0PSm4ZnRkgqiH0kDrsZGR7r"
    "FjZORFONGBAV41LjKx1LoUFXlBNCrgR98QjfGkQpg/YlCqhPtjeTS2mhIuQxhh2VJZoAbm"
    "0ImO8ANzbITdymADVw9eLzboBTUtxxYD5D59IMvaEA1U6QHijgGzSzHzZYEu3sJDVEW+A6"
    "3I1+0cFFX+fLsUFJPZ9UJr/fE9PPzbydwqqc/9dKrpc9TqBhabwZtUzjWdwPIElIHSr0jp"
    "F6QM6lEGxSjvzeHtr6cIi+W9CZhNPgGV59mU6cKT89GlTBYGKIz0gfQ8xhxOsMhj33/dXk"
    "3yP5CIIr3xUc1G/4cMKlozUhz9x8wxvaYkDw41bGqKX+Rj/7MmO5vYCSVCiU0wgPnFl+H/"
    "pDlwfnl1lt7d5ARnKXZIoaOmyhIj6eGe1UzedInCYpK8HOra6krPXMRpZSW2yLqlqrhKYq"
    "6KEqiPZapJOObp1C0TEX1OELyHafu1TaSr7st/390h0BtMm9obX1vw9QrNYI6OliCYCOnr"
    "k6MNai5zkrqanVule3XBRlKmaVhYiDWID9MFzstGKosgTxH2cMdvrHNBUsx5ZMvaxTJiVC"
    "rlq0bKl8o9Kl7r/c09YiYcQTm6duknFhGpL6zGF2ZgYU8Fycs/Kv/AEoQNfF+H41Pq0udU"
    "yXLls+qPejbhOFVv8hv2YhmOkF/Q+WK6BohywrTKsE/SKfS3Q1/WrQDVsJbVNk6zlUzcsX"
    "1sDyLxA7ZhoW6mVl5PmvL0tBSpSlBLRtR7vY2mLKfYQakslCTcozwU6NoHKw4FyNVvr5il"
    "7F9S9vFJFYuGHFbsOHBvJkFnjv3Avk11ziwrV7UuOSmztOq03O60lPk7NT0GMZIe2o9aD3"
    "ESNM+jXNtj0LOsqUHKYxBbZHU9BjHncpC8s2MKVjZrqCeoJ/NCH3dPNvb8JmEj1T7CFPaE"
    "3B6ljzBFX+Ghpub6nHaEaOxP01eYVkQIvHO++limvAMwX7zZ+gqWysEuhcdrbbsbPldyjr"
    "4CZMEU9s4QXXuzjM0Z6ytQAq8sY+d8flcnvnWn6itQc2ztjBL8WpDwP+Hels4IWnLvCJSc"
    "ZdMnjNoPafIE8MK4plA+fyq4iTxWbz1sInf0wOuhLstLa2y1kmFH2BRrwmWDFcZtr8A09p"
    "u650czbTmPilzqQrDkABVHLqnE+hZjsVVliPaLiapK6y0Xa4W9n1O7Vt+XOE3/nLctFOCo"
    "7eXqsXerFd94t1MBVUTVYLuIKlUSQJUE6JIiOTiUkgAjkzPDkMXr79za9TmKaXrIoEw5Je"
    "HgsBZ+le5JzCQ/y210gMg3i0rIkUsPiiWicvkYoHEiRxAB15HF2aNbesAtoudhi7Dt/iW9"
    "k3ndlVp4gupw3K36ey4/a2feJKl6ZzloKufpqSiJ8qAUdcJWBLe4A+HTjR8VyBVBVk3DVA"
    "ZZB5d9nxQyV8giYgs2JykVmzvNZpCXt/mUY2QqU63L/H0mu0rHOLoXs8oz6f8cC4eT4oqA"
    "yQGDUt3fG1qnHuCdLHuBUSDB/iSQ1O7QGgskZ5N1+tYLV0l3fcrrBVt5ZTRkJT+BN1KNh4"
    "uycgbchUdnVf92HqF0/27p/squ38vz56GWu/Fhe0dj15i4D4eu8/BPotlTncpI5VoWnQxl"
    "DzFv3uzAyYo95uXTlZXkC0lUTb7EprVtTb6uyF3JDm15glemh1uJ5BWOFcHYJ0WvK9l/yA"
    "Hhhs2S4lE0GTJgqyb81JV/qHSMGCAtLdjaq54M/0EGgxnwzCY8K3m18oTcvkgJCygT1P2N"
    "qhnScwpkIRuqQxsnUe1Rcmyn7lcwzQnaLuksEaPZsrlE11AtgayJ7hKypq9JagVhxUh6KA"
    "g1H+ZmYw67dy0nbUjRQ4Bbqd4dHIk1bXcpsh6i3XpUVLELt3Zc1HlsqgMDvWpkVGrBdSk2"
    "ys0Fz5HMgxzxYnl8Fox4Ugq/hd9uL6SNEZuIWZLDjKMVgAKCL1vKmKMXcMcxZUVgE/npkk"
    "GvEoyEn6uGQM0hdk4zlDYe8ERv0rAjqRebrOTw55TDVV5P40lUhxavf+CCjAoY+REs/TAV"
    "M3Kto08U8o7IVBxWjTgslTGhMia6rBd0NmMiLH+UoxnESyMVawc0PqpK9r6Xbm/LQAa33g"
    "6I5SDIC2YO0Iyzlds3ZEY5iPR+7SIQ521qIAGyv8xY8DdJgaidm9Xf5Pz35r35D9AzzOmS"
    "bP6BXnh8/JOXz/wnKV2+lIZ+bzmi9YIaxJ0/AMW7GWzrA3iG9ALIPNJ7k81sGagR5GNwYs"
    "EBL2QdAk4AZQqDhFRz3N8zkNNyIueT7xjMr8oRdEiSLlZbVMZ8+wEASjXsYcZ8x3FuvrSG"
    "jWumIwUECl5VkaADFQkCWakOxnGaRgKsOyVbHFcSLo5LpIvjTOgVpttlKiQIlQmp0yYk2H"
    "mItp2pMEWqklK6zGemaQ7n0imVEwpT3JggSbW/AKNXbW2bDUcXyd89XfyrBqQxih51imkM"
    "0MKSrcXxvjGSbsT7yucddLxvogD6ysKaPXUxqLHM02RqreeEJmoyfsCQ3Y71ab2sjRzS/i"
    "UNtmJgSCC3RQZUllwJPl0WfAKreM0PLEWmPq5KH1eI2hZKY5JUfVRd/qiiZJSpSb7l8LpQ"
    "Lsih7E2vs8YEA4nMNIZU/a8pfwb1UXX5o1LRJSq6pLfRJbHNjdl0RjUv8zKLe60uSLGpom"
    "IbPYG/1b4a6U5buXE5mWZcZeE53uBVbPCTUTqjR8I3SHe4nAU5lkHNZRgtI2z4APWBLC9C"
    "9VM33EUnumPJEBbJ6WxQzu7TqRCX7oe4/JGzZZS01vUJ+pQau+eWuiripcVQAdh8CN1WYU"
    "6QKj+rEu67z1Il3HdEumxUuG9TUr1kc2reLTizbSNXTk0OKJVSDTnUjg99Ukb9iKlBdORS"
    "Ci/cWxhs7QqQ0sgi46QF0tna9KqvyOuwLcDOIaviY01jDnBC0sOvQ9R0g8Ozsms7j5Fx5W"
    "5BGZjJIhwtyebUjfX2xsup0IvoD2++l8jClLv3/CsDGS2O0f2Rm+56f+QOuDdfYCQcTYMB"
    "M8fwXv2lrAtItYX3ft7EP6+pTtyX9qfzLgBz8AbemMgges6c+ULVCOxiKmy9ILtd4us6Bm"
    "z7UYxKsg7xreKLKvZE5Th53a2nnkc9JOldDG47jnRvN6+FcUTSO4ybL304A5nA4bXi9eIk"
    "yq2WjbfxxKQsoMXBZXEaFV2W0LabiC4zsLC3sH3EyPZj99in5NEns4fBtCXRp27qa20mp2"
    "iV97prnM5YXp7HRDAhJKkJxq8PygwCZjCiUuVXvyRUWJXVT/xeEsuWKjdc1JZRDdaV4+vB"
    "M8pXoLpLPf1B1sfPSyhvdnqp9w9dcpnJzQn2m8t76b6g8oclq4RjWcbGrVmlYYO8lJo+M4"
    "0N/KsT7jWlX8hHAs2DY9vMHNyb8qnD6/HLv7jPD1/XotpSprML2S2QcOpWwJK0KwwPd+Dj"
    "5fRfRP6PrbBNNRhGNEcCXKVAVpSq7L2zH1q8U6Es5aBr3EFXrNOOTGeVsbYenH57dD68ub"
    "sZX3wanSINcwBfn5N788v48tdTtKLG8t68BsqPV1cXp8gi9nTGmH5vnl99/DiSJGw2I3L8"
    "6GJ8PrwbX02Aiuh+DAPQDq9HN0CILa+A4fOX6wJ86xV2DQm6zMYuKdJ7L9vQMSloL20bYk"
    "dGBuji4IEUmUpiySrVnlRQZ/VGFGr1Vlu9S6fW7uAN7+H227yNzeJMd7RahuIYSQ8hPjmu"
    "UkkARhU7Oo4zlQQsUPNAj6d5preSMvxJMlWJv0olflDsNDLVSK6Zs7iLRJKqT9FyjR10Bq"
    "jR0wVzeL1FnCRTi7jKIv7DwaadWwSqcAXHSVSZgvTajQwy2+rmyRn26L3jRFjMhNdlALOg"
    "PHi1ygr7xeh2fAOqd2Yi0Mq/3gzvRqCoa4773lOpnUvGSIV9eP5Z6utYW0wfyAI/Usbvze"
    "HXu6vTyIQ1DU1Y3VDWQytb3ZLASUJVFLhGUeAIum3SydPEysnRNSdHUgZ4zDOGlR7/j7nW"
    "sKon/+Ews4mD30VrG39wjE59QV3+ggQh5nbu4CSl4nKXuQyCBjfzujkVB9rESLoRZ3PwXV"
    "szcTbyHZzVVnJKHr36BDv9CUqOcbKSUPJtOZ6iVxzvPMexWG4dTxeSKj53ns9UN8jUdPQ5"
    "2ZbdmRkU17vMdZPVK9kejO9doH0rDdO4YzJnm0jkBKH6grr8BfmsAj3D2GzP6Ti54neX+a"
    "0zQaaSDbUSPpJU3VBFe5Xy4QI853hVz4+aJFPW1ArWVNUF9IfY51TX+r2Fi6kqLs9RxSVY"
    "qTnnRd06LuexqQ4M9KqVXFLfdX4tl+yibgBcVSSnWgVMnWhU7F798sKfpn+VLxONa2Qi2o"
    "5IXck5DlY8LMcnMNHvCNGNP02fllGrOafZ0rN5Gai5BWpL8lFj43k0vlJ2KrZtsrJsZDNk"
    "EyNqNOxlhWIz2c03k31aj1yVaepWmSbQKWjwgVeN+Y6RqIDvnMA+bYFNs17uY4ykh4J+8+"
    "VPbcxhA6mDcETRQ4BbcW1sEZSqrD7dt/qwZY7AVxbi7RHsMbT7eRjZYGS36uPc9t4UyJQ1"
    "LWopsh6eBM2khpTY1AIIGzD7jGNTHRjoVQ0/qQXXpfrInm0jR/cMjR7F6iYLhzypYQ6RF/"
    "3p9tYIigPN3LrAgcFxgNbU9moScYIFA5XRRmssguFZvbOpSVXfji7sNoMS/XTvNU66ttP0"
    "vMhJ5+Buui21B5L7Z51FnCRTK1kVPFEFT7oFcSsFT1QBg4b3X1XWpLWTzca2U1DF/emyEB"
    "F1l7eGo8+jy4tTtIBfIsszTi7Gk0+yOqOpu7Ueri+H57IKhGVgjcCI28/j62t5QSyoZckr"
    "F6PL8W+jG3kNlCj6KDWPe3M8ub0bXl7Kq1QCZBjy6vlwcj7yrmoSM3k1rfk8j7WdwS+e1m"
    "zoEadppFxbh9SeVpp6eFpqFuLiiOOIYv/Rxs9jo20lrhjElEcqcxU5mdUUbxJ0qihhJRmd"
    "2LiuX8knUVkTXfYrHXCpqKKyTKpYVG6xKMEcvj2XI+o9chjAoGbtCmCjyafxBJjqUQNfrs"
    "fAFovem2df7+5kCW6vJC3IecPbz2dXwxsp52GxeGCYbyW7Nc8sOKFWFrPhq9rUFeFySPsm"
    "yb16V0WJh1El0nJGifek9+2K1aRp1ZnX5TPP1+mmeGbnZRmUszpDrHjdZV6rpLgfgs2OpW"
    "/J5iSlYnOn2awS8vbiNZKtpGqCHCPpn0Wl9fAslZPXYE5eeiU3AGvQWu6wFnFVTGPfbgJR"
    "eD6afL28fK5Yt2uva93YnLGjnIi3+O1BWdyb3/2OBgOfjH67WxBkAJuFjaTHiyA2QzI5Km"
    "ijh23ZQY/aJBvjVo+0WhO8nZreqVyrHXOtVCzbHiKA5KdSC+KAoI8IN+4JXuFlLXSD8f2T"
    "5FrxAbtHTi18AwIFcCWAVWZO2whrcPoZbD6tvZQzhP1b0q2ceMpgVYi+Mlgpg9VuFaSUOW"
    "UvJY7a1P3DAjU5in+8eE2x1s/joyokvLm1sRHjCBgo3IKcoMe5BVKi9DT0Au5rmJO59AG+"
    "HLj97tcLV3kPMtXgMURHfpf7VP5bK89Q6XBdsO4OSkwINrOoVgfpkKCHu3/zwTKcaNSiud"
    "nNxRAniPaoJMSrGx6kLYEIAVt2LXU3IunhelZVXPYiyvRCHZgxw2DrrdS+FKmKOuoyn91q"
    "BTW1vjhN/4wozZ/6NcNiVShs4RGfCYWVSsn0keZkfJQ6vUKa/tlc28gafoYom66d7XsOs9"
    "lvNEjXwN41HOSZLUK3rlf9Fq8sF92MVShxf1BmGfL88yIaWcE6xAmW2cMynAMjoWEDRhkM"
    "60hm/EqLzppg7hY2Mqi5zLP9bDHD05adnGiRgasL/L2WzeeMzn+UOJE/n5y8fv3+5Pj1uw"
    "9v37x///bDcRgwkr1VFjlyNv4kg0cSe5GKJumCb20JP62WaOiP7yO+jdt/VKhOq/DW75Sl"
    "mmTVaZKlQklaD9bBeaUCSjrw4fw6AaoN/M41MpQVuZfWRRVUooJKumxA6GxQyS0BHIE3n7"
    "B1lGtBiG4Pyg0I3sC5P7CK/cAxpeYfUMKbrR4IF26lY81gjo4WWCCT2YgTjdBHoqMXG2K/"
    "zLUk7DKXauXTrfSSGeXCngIv61llEmR9qnS4F/tMBL+Bt0E/TqXA3xp8UK2Itl0UdIpUSa"
    "xKYu0+S5XEqiTWuhKrEN5vzpFWvVtPSKrRoApSqsHmVMYku0TohRQow8JoPwmkMbak5KV0"
    "VmETDa/HyGZLYv4FMdPYIGoLpNO5TH2mAi2JldN6sp1HKJm2WzKty7IpKCGLOvt9kqp3Ye"
    "bNl2lRfq4Q3CpexGIfYsaDqAleq6hwML53HoLmF60qyPaUtNILiZ98syhMtwWbk5SKzZ1m"
    "MyePcGrnRRSV9SaNUe2xQWl45WA7lDqiIKq8UGKNUfTJTrWT5FqiMUu4GtCXv/rTHBi4Vb"
    "Xl2KLqlK7sfTdZRZnaTwWEBiMqqMhu1xiZj8tJLGkXNFfPhiCQLA+cp/hWJ1QJvd0QWosV"
    "XCXEFrNCxjlfmcbGXwIHIu34q7W8lrT/zda0Y6fIeqh9t27JjidN73g2n8emOjDQq57PqQ"
    "VX94xOOxBywlHPfMKPv94QAwc9Tn4Q58H3VoUYt4Vsrhjj3SkXZKIxdYqccmIxLiuKJEqW"
    "xpp1UzNRxPSFtMPP4MvTsGeJl3/LtKGfRE7ASpsPqlZANVhDqpKqqqTanVOzldyXuu3AVR"
    "/w7AqOJYzWbACuOn+rTK0u5WIAcvU23JBAIVwNYYM85hVMvV1hwygOHwyIttp0O5aw5e+5"
    "r0/evwu3W/lH2U57+2V4eZkTjClxmdbOMEyR9XDpNp9nqOrPFkJ/IBarSv65BRU245st2J"
    "ykVOWmusxlFV6rwmu7ZCEbNBlemxIPdrRGela0y0AA6wngezBJepAV2iVDRJ8yToay79MW"
    "yiuTRBZDl84vnuNO5MUO+8dUaCQUCHOCVlgnaMbZKscc2disDbtpVQ0eeW8fNXi6nRa/T3"
    "70SQhSmrjSxA9RE/fOnXphfQkaZbl/OrAvcozuKKtHXtgDA7iqrJ5YWl0K73ODKnPkzyDY"
    "sljwDKI6K4X3ES6YidYLJjPVBKLmKWKWZDQMEdJvPZvJlhxwA/5vGIQP4r07ZNpa1LwjNw"
    "yw8Qeo7LduubnlcqvrOIzT9C4esxXXoYWFWDPYVOqmGWYIeyiltOLq4syotaaD8T3EtwUp"
    "kNp5gXbFZfNCgm7UzZPP603dPJ0KiU/dtKY4mcprqpHXpMLpi/cdFU6fZnkD4fRdM9z8CN"
    "H0HcN878H0fsmTXf1XUUGXA9vJnsV3NSScaoujHLOBf2dQZjjA0ZinTAfFMCj1vFvq+SPh"
    "wRdU9ciJkfRQmTl5+7aSsvi2RFl8m2lgaFl1EPaH9xDdV5VaR70qaR31Kts6Cp5o5/Y7Ld"
    "YXYyT71xifx4XZmG6YkaX2aQH//v8B61WV"
)
