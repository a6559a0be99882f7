import { GENERATE_USAGE } from "./cli-generate.ts";
import { MERGE_USAGE } from "./cli-merge.ts";
import { IMPORT_CLAIMS_USAGE } from "./cli-import-claims.ts";
import { RETENTION_USAGE } from "./cli-retention.ts";

/** `kravportal help`: every command, and where the settings come from. */
export const USAGE = `Usage: kravportal <command> [options]

Commands:
  api-key create --creditor SLUG   Create an API key for a creditor's billing system.
                                   The key is printed once, as the last line.
  policy set --creditor SLUG --claim-type SLUG --file POLICY.json
                                   Save a new version of a claim type's case flow; refused,
                                   with every reason, if it breaks a legal cap or deadline.
  policy simulate --creditor SLUG --claim-type SLUG --file DRAFT.json [--days N]
                                   Run the draft and the current policy side by side over the
                                   creditor's open claims of that type for N days (default 90)
                                   with the engine's own rules, and print the comparison: letters,
                                   fees, claims reaching enforcement by amount band, residents.
                                   The run is stored; adopting a draft is done on the Case flows page.
  hold place --creditor SLUG --claim EXTERNAL_ID --kind KIND --reason TEXT --from DATE [--until DATE]
  hold release --creditor SLUG --claim EXTERNAL_ID --on DATE --reason TEXT
                                   Pause or resume a claim's escalation (every change is an event).
  import-bank-file FILE            Import a camt.054, BgMax or Nets OCR giro file: payments are
                                   matched by reference; the rest goes to staff. Idempotent.
${IMPORT_CLAIMS_USAGE}
  escalate --as-of YYYY-MM-DD [--creditor SLUG] [--dry-run]
                                   Run the escalation sweep for that date and print what it did,
                                   then send the letters it wrote, dated that day (digital
                                   mailbox, email through SMTP_URL or the worker, paper in a print
                                   batch). A past date is for replaying days on a test database.
  print-batch --creditor SLUG [--out DIR] [--as-of YYYY-MM-DD]
                                   Batch the creditor's waiting paper letters now (PDF/A and a
                                   manifest in one archive) and hand it to the print house's SFTP,
                                   or into DIR. Each letter goes in exactly one batch.
  staff create --email EMAIL --creditor SLUG [--creditor SLUG2] --role agent|supervisor|admin [--name NAME]
                                   Create a staff account; prints a one-time password and the
                                   authenticator (TOTP) enrolment URI, once.
  staff disable --email EMAIL | staff enable --email EMAIL
                                   Stop a staff member signing in (every session ends at once),
                                   or let them in again.
  staff reset-password --email EMAIL
                                   A new one-time password, printed once; it must be changed at
                                   the next sign-in. Every session ends.
  staff reset-totp --email EMAIL   A new authenticator (TOTP) secret, printed once as an
                                   otpauth:// URI. Every session ends.
${GENERATE_USAGE}

  backup --out FILE                Write the database (PostgreSQL's COPY format, with the migrations
                                   that made its schema), the attachments and the letters to one
                                   .tar.gz archive.
  restore --from FILE --yes        Replace the database and those files with an archive's (stop
                                   the portal first); a damaged archive changes nothing.
${RETENTION_USAGE}
${MERGE_USAGE}

Environment: with DATABASE_URL, the database it names; without it, the local database \`npm start\`
keeps under DATA_DIR (started for the command if it is not running, and stopped after), with the
secrets \`npm start\` generated there. Each command reads only the settings it needs (staff create
and reset-totp: PII_ENCRYPTION_KEY, which encrypts the TOTP secret; generate: also
NATIONAL_ID_HASH_KEY) and names what is missing.`;
