import { z } from "zod/v4";
import { CHARGE_KINDS } from "~/domain/balance";
import { CLAIM_REASON_CODES } from "~/domain/claim-reasons";
import { CLAIM_STAGES } from "~/domain/claim-stages";
import { FIRST_INPUT_YEAR, isIsoDate, LAST_INPUT_YEAR } from "~/domain/calendar-date";
import { PostalAddressFields, POSTAL_CODE_FITS_COUNTRY } from "~/domain/postal-address";
import { supportedLngs } from "~/i18n/config";
import { CLAIM_NOTICE_KINDS, DECISION_KINDS } from "~/integrations/letters/letter-content";

// The intake API's contract. The OpenAPI document is generated from these same schemas, so the
// document and the validation cannot drift apart.

const isoDate = z
  .string()
  .refine((s) => isIsoDate(s), {
    message: `must be a calendar date as YYYY-MM-DD, in the years ${FIRST_INPUT_YEAR}–${LAST_INPUT_YEAR}`,
    params: { code: "bad_date" },
  })
  .meta({ format: "date", example: "2026-10-31" });

/** A postal address as the envelope's window shows it (the one check: app/domain/postal-address.ts). */
const postalAddress = PostalAddressFields.extend({
  country: PostalAddressFields.shape.country.meta({
    description: "Defaults to the country of the identity number.",
  }),
})
  .strict()
  .refine(...POSTAL_CODE_FITS_COUNTRY);

export const MAX_PRINCIPAL = 1_000_000_000;

export const ClaimIntakeSchema = z
  .object({
    externalId: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9._:/-]+$/, "may contain letters, digits and . _ : / - only")
      .meta({
        description: "The creditor's own invoice id; unique per creditor.",
        example: "INV-2026-0001",
      }),
    claimType: z
      .string()
      .min(1)
      .max(60)
      .meta({ description: "Slug of one of the creditor's claim types.", example: "water" }),
    resident: z
      .object({
        nationalId: z
          .string()
          .min(10)
          .max(13)
          .meta({ description: "Swedish personnummer or Norwegian fødselsnummer." }),
        country: z.enum(["SE", "NO"]).optional().meta({
          description:
            "Country of the identity number; defaults to the creditor's country (a cabin owner from across the border has the other one).",
        }),
        name: z.string().trim().min(1).max(200),
        email: z.email().max(254).optional(),
        phone: z
          .string()
          .regex(/^\+?[0-9 ]{6,20}$/, "must be a phone number such as +4712345678")
          .optional(),
        language: z.enum(supportedLngs).optional().meta({
          description:
            "The resident's own language for pages, mail and letters: sv, nb (Norwegian bokmål), nn (Norwegian nynorsk) or en.",
        }),
        address: postalAddress.optional().meta({
          description:
            "The postal address paper letters go to, as on the envelope (stored encrypted). Letters go to the resident's digital mailbox where they have one, by email where they agreed to it, else on paper here.",
        }),
      })
      .strict(),
    description: z.string().trim().min(1).max(500),
    currency: z.enum(["SEK", "NOK"]),
    principal: z
      .number()
      .int("must be a whole number of minor units (öre/øre)")
      .min(1)
      .max(MAX_PRINCIPAL)
      .meta({ description: "Amount in minor units (öre/øre).", example: 45000 }),
    issuedOn: isoDate,
    dueOn: isoDate,
  })
  .strict()
  .refine((v) => v.dueOn >= v.issuedOn, {
    path: ["dueOn"],
    message: "must not be before issuedOn",
    params: { code: "due_before_issued" },
  });

export type ClaimIntake = z.infer<typeof ClaimIntakeSchema>;

/** A refused field: the English message, and for a claim's checks a stable code and figures. */
function fieldErrorSchema() {
  return z
    .object({
      path: z.string(),
      message: z.string().meta({ description: "In English, for people reading the answer." }),
      code: z.enum(CLAIM_REASON_CODES).optional().meta({
        description:
          "Why, as a stable code for programs and translations (for example missing, invalid_national_id, bad_date, amount_too_small).",
      }),
      params: z
        .record(z.string(), z.union([z.string(), z.number()]))
        .optional()
        .meta({ description: "The figures the reason names, such as minimum or maximum." }),
    })
    .strict();
}

const chargeKind = z.enum(CHARGE_KINDS);
const status = z.enum(["OPEN", "PAID", "CANCELLED", "WRITTEN_OFF"]);
// Every stage a claim can be at (the approval and the export batch included).
const stage = z.enum(CLAIM_STAGES);

export const ClaimCreatedSchema = z
  .object({
    id: z.uuid(),
    externalId: z.string(),
    claimType: z.string(),
    paymentReference: z.string(),
    status,
    stage,
    currency: z.string(),
    principal: z.number().int(),
    issuedOn: isoDate,
    dueOn: isoDate,
  })
  .strict();

export const ClaimViewSchema = z
  .object({
    id: z.uuid(),
    externalId: z.string(),
    status,
    stage,
    currency: z.string(),
    paymentReference: z.string(),
    holds: z.array(
      z
        .object({
          kind: z.string(),
          reason: z.string(),
          startsOn: isoDate,
          endsOn: isoDate.nullable(),
        })
        .strict(),
    ),
    charges: z.array(
      z
        .object({
          kind: chargeKind,
          amount: z.number().int(),
          chargedOn: isoDate,
          cause: z.string().meta({ description: "The event that created the charge." }),
          legalBasis: z
            .string()
            .meta({ description: "Key of the legal basis, e.g. se.reminder_fee." }),
        })
        .strict(),
    ),
    payments: z.array(
      z.object({ amount: z.number().int(), receivedOn: isoDate, method: z.string() }).strict(),
    ),
    balance: z
      .object({
        principal: z.number().int(),
        fees: z.number().int(),
        interest: z.number().int(),
        total: z.number().int(),
        asOf: isoDate,
      })
      .strict(),
    notices: z.array(
      z
        .object({
          kind: z.enum([...CLAIM_NOTICE_KINDS, ...DECISION_KINDS]),
          sentOn: isoDate.meta({ description: "The day it was written." }),
          channel: z
            .enum(["DIGITAL_MAILBOX", "EMAIL", "PRINT"])
            .nullable()
            .meta({ description: "How it went or goes; null until chosen at dispatch." }),
          status: z
            .enum(["PENDING", "DISPATCHED", "DELIVERED", "FAILED", "RETURNED", "RESENT"])
            .meta({
              description:
                "PENDING: not left yet (nothing counts from it); DISPATCHED: handed to the mailbox, print house or SMTP server; DELIVERED: the mailbox confirmed it; FAILED or RETURNED: it did not reach the resident (the claim waits for staff); RESENT: sent again as a newer notice.",
            }),
          dispatchedOn: isoDate
            .nullable()
            .meta({ description: "The day it left: its fee and deadline count from it." }),
          deadline: isoDate
            .nullable()
            .meta({ description: "Set at dispatch (plus postal days on paper)." }),
        })
        .strict(),
    ),
    nextAction: z
      .object({
        kind: z.enum(["act", "wait", "stop"]),
        on: isoDate.nullable(),
        step: z.string().nullable(),
        reason: z.string().nullable(),
      })
      .strict()
      .meta({
        description:
          "What the escalation engine will do next, and when (the same decision the resident is shown).",
      }),
    events: z.array(
      z
        .object({
          type: z.string(),
          occurredOn: isoDate,
          at: z.string(),
          actor: z.string(),
          data: z.record(z.string(), z.unknown()),
        })
        .strict(),
    ),
  })
  .strict();

export const ClaimTypesSchema = z
  .object({ claimTypes: z.array(z.object({ slug: z.string(), name: z.string() }).strict()) })
  .strict();

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(fieldErrorSchema()).optional(),
  })
  .strict();

/** POST /api/v1/claims/batch: up to 1,000 claims, each of them as POST /api/v1/claims takes it. */
export const ClaimBatchSchema = z
  .object({
    claims: z.array(ClaimIntakeSchema).min(1).max(1000).meta({
      description:
        "Each claim is checked on its own: one invalid claim does not stop the others. At most 1,000 claims (and 2 MiB) a request.",
    }),
  })
  .strict();

const fieldError = fieldErrorSchema();
const batchItem = {
  index: z.number().int().meta({ description: "The claim's place in the request, from 0." }),
  externalId: z
    .string()
    .nullable()
    .meta({ description: "As sent; null when the claim had no usable externalId." }),
};

export const ClaimBatchResultSchema = z
  .object({
    summary: z
      .object({
        received: z.number().int(),
        created: z.number().int(),
        unchanged: z.number().int(),
        conflict: z.number().int(),
        invalid: z.number().int(),
      })
      .strict(),
    results: z
      .array(
        z.discriminatedUnion("result", [
          z
            .object({
              ...batchItem,
              result: z.enum(["created", "unchanged"]).meta({
                description:
                  "created: stored now. unchanged: the same externalId with the same content was received before (or earlier in this batch); the claim as stored.",
              }),
              claim: ClaimCreatedSchema,
            })
            .strict(),
          z
            .object({
              ...batchItem,
              result: z.literal("conflict").meta({
                description:
                  "The externalId was received before (or earlier in this batch) with other content; nothing was stored for it.",
              }),
              detail: z.string(),
            })
            .strict(),
          z
            .object({
              ...batchItem,
              result: z.literal("invalid").meta({ description: "Not stored; see errors." }),
              errors: z.array(fieldError),
            })
            .strict(),
        ]),
      )
      .meta({ description: "One per claim sent, in the order sent." }),
  })
  .strict();
