// The message store of the eFormidling stand-in: conversations, out messages, uploaded files
// and statuses, with the integration point's validation and error bodies (Spring's
// {timestamp, status, error, exception, message, path}).
// Development and tests only: nothing under app/ may import this file.
/* eslint-disable @typescript-eslint/no-explicit-any -- the SBD is read as loose JSON on purpose */
import type { DemoContact, DemoOutcome } from "./letter-demo-people.ts";
import { readBody, sendJson, type Req, type Res } from "./standin-http.ts";
import { capabilitiesFor, DOC_STANDARDS, statusPlan } from "./eformidling-capabilities.ts";

export type Status = {
  id: number;
  status: string;
  lastUpdate: string;
  description: string | null;
  rawReceipt: string | null;
  messageId: string;
  conversationId: string;
  convId: number;
};
export type Conversation = {
  id: number;
  messageId: string;
  conversationId: string;
  receiver: string;
  type: string;
  statuses: Status[];
  plan: { status: string; description: string | null; raw: string | null; dueAt: number }[];
};
type OutMessage = {
  sbd: Record<string, unknown>;
  type: string;
  hoveddokument: string;
  files: { filename: string; bytes: number }[];
};

export const error = (res: Res, status: number, exception: string, message: string, path: string) =>
  sendJson(res, status, {
    timestamp: new Date().toISOString(),
    status,
    error: status === 404 ? "Not Found" : status === 401 ? "Unauthorized" : "Bad Request",
    exception: `no.difi.meldingsutveksling.exceptions.${exception}`,
    message,
    path,
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createMessageStore(options: {
  people: readonly DemoContact[];
  delay: number | null;
}) {
  const { delay } = options;
  const conversations = new Map<string, Conversation>();
  const out = new Map<string, OutMessage>();
  const uploads = new Map<string, { filename: string; bytes: number }[]>();
  const outcomes = new Map<string, DemoOutcome>();
  const statuses: Status[] = [];
  let nextStatusId = 1;
  let nextConvId = 1;
  let sent = 0;

  const addStatus = (
    c: Conversation,
    status: string,
    description: string | null,
    raw: string | null,
  ) => {
    const s: Status = {
      id: nextStatusId++,
      status,
      lastUpdate: new Date().toISOString(),
      description,
      rawReceipt: raw,
      messageId: c.messageId,
      conversationId: c.conversationId,
      convId: c.id,
    };
    c.statuses.push(s);
    statuses.push(s);
  };
  // Statuses whose time has come (or all of them, on release) are written in order.
  const materialise = (all = false) => {
    for (const c of conversations.values()) {
      while (c.plan.length > 0 && (all || (delay !== null && c.plan[0]!.dueAt <= Date.now()))) {
        const step = c.plan.shift()!;
        addStatus(c, step.status, step.description, step.raw);
      }
    }
  };

  const planFor = (c: Conversation): Conversation["plan"] => {
    const person = options.people.find((p) => p.nationalId === c.receiver);
    const outcome = outcomes.get(c.messageId) ?? person?.outcome ?? "delivered";
    return statusPlan(outcome, c.type === "print", delay ?? 0);
  };

  async function create(req: Req, res: Res, path: string) {
    let sbd: Record<string, any>;
    try {
      sbd = JSON.parse((await readBody(req)).toString());
    } catch {
      return error(res, 400, "InvalidDocumentException", "Body is not JSON", path);
    }
    const h = sbd.standardBusinessDocumentHeader;
    const messageId: unknown = h?.documentIdentification?.instanceIdentifier;
    const type: unknown = h?.documentIdentification?.type;
    const scope = h?.businessScope?.scope?.find((s: any) => s?.type === "ConversationId");
    const receiver: unknown = h?.receiver?.[0]?.identifier?.value;
    if (typeof messageId !== "string" || !UUID.test(messageId))
      return error(
        res,
        400,
        "NotUUIDException",
        `messageId (value: ${String(messageId)}) is not a valid UUID`,
        path,
      );
    if (typeof scope?.instanceIdentifier !== "string" || !UUID.test(scope.instanceIdentifier))
      return error(res, 400, "NotUUIDException", "conversationId is not a valid UUID", path);
    if (out.has(messageId) || conversations.has(messageId))
      return error(
        res,
        400,
        "MessageAlreadyExistsException",
        `Message with messageId = ${messageId} already exists`,
        path,
      );
    if (typeof type !== "string" || !(type in DOC_STANDARDS))
      return error(
        res,
        400,
        "UnknownMessageTypeException",
        `Unknown NextMove document type ${String(type)}`,
        path,
      );
    if (typeof receiver !== "string")
      return error(res, 400, "ReceiverException", "receiver is missing", path);
    const business = sbd[type];
    if (!business?.hoveddokument)
      return error(
        res,
        400,
        "MissingPrimaryDocumentException",
        "Missing a primary document.",
        path,
      );
    if (
      type === "digital" &&
      (!business.tittel ||
        !business.spraak ||
        !business.digitalPostInfo ||
        !business.sikkerhetsnivaa)
    )
      return error(
        res,
        400,
        "InvalidDocumentException",
        "digital: tittel, spraak, sikkerhetsnivaa and digitalPostInfo are required",
        path,
      );
    if (
      type === "print" &&
      (!business.mottaker?.adresselinje1 ||
        !business.mottaker?.postnummer ||
        !business.retur?.mottaker)
    )
      return error(
        res,
        400,
        "MissingAddressInformationException",
        "mottaker.postnummer/poststed/adresselinje1",
        path,
      );
    const process = String(scope.identifier);
    const accepted = capabilitiesFor(options.people, receiver)?.capabilities.find(
      (c) => c.process === process,
    );
    if (!accepted)
      return error(
        res,
        400,
        "ReceiverDoesNotAcceptProcessException",
        `Receiver do not accept the document process ${process}`,
        path,
      );
    if (!accepted.documentTypes.some((d) => d.type === type))
      return error(
        res,
        400,
        "ReceiverDoesNotAcceptDocumentType",
        `Receiver do not accept the document type ${type} for the process ${process}`,
        path,
      );
    out.set(messageId, { sbd, type, hoveddokument: business.hoveddokument, files: [] });
    const c: Conversation = {
      id: nextConvId++,
      messageId,
      conversationId: scope.instanceIdentifier,
      receiver,
      type,
      statuses: [],
      plan: [],
    };
    conversations.set(messageId, c);
    addStatus(c, "OPPRETTET", null, null);
    return sendJson(res, 200, sbd);
  }

  async function upload(req: Req, res: Res, path: string, messageId: string) {
    const msg = out.get(messageId);
    if (!msg)
      return error(
        res,
        404,
        "MessageNotFoundException",
        `Message with messageId = ${messageId} was not found`,
        path,
      );
    const disposition = req.headers["content-disposition"];
    if (!disposition)
      return error(
        res,
        400,
        "MissingHttpHeaderException",
        "Expected a HTTP header named 'Content-Disposition'",
        path,
      );
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1];
    if (!filename)
      return error(
        res,
        400,
        "MissingHttpHeaderException",
        "Content-Disposition has no filename",
        path,
      );
    if (msg.files.some((f) => f.filename === filename))
      return error(
        res,
        400,
        "DuplicateFilenameException",
        `Filename already exists in message: ${filename}.`,
        path,
      );
    const body = await readBody(req);
    msg.files.push({ filename, bytes: body.length });
    uploads.set(messageId, msg.files);
    res.writeHead(200).end();
  }

  function sendOut(res: Res, path: string, messageId: string) {
    const msg = out.get(messageId);
    if (!msg)
      return error(
        res,
        404,
        "MessageNotFoundException",
        `Message with messageId = ${messageId} was not found`,
        path,
      );
    if (msg.files.length === 0)
      return error(
        res,
        400,
        "MissingFileException",
        "There must always be at least one attachment",
        path,
      );
    if (!msg.files.some((f) => f.filename === msg.hoveddokument))
      return error(
        res,
        400,
        "MissingPrimaryDocumentException",
        "Missing a primary document.",
        path,
      );
    const c = conversations.get(messageId)!;
    addStatus(c, "SENDT", null, null);
    c.plan = planFor(c);
    out.delete(messageId);
    sent += 1;
    res.writeHead(200).end();
  }

  return {
    conversations,
    out,
    outcomes,
    statuses,
    uploads,
    sentCount: () => sent,
    materialise,
    planFor,
    create,
    upload,
    sendOut,
  };
}
