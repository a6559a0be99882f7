/**
 * The Standard Business Document the integration point takes on `POST /api/messages/out`, as in
 * its own tests (integrasjonspunkt/src/test/resources/cucumber/nextmove_send_dpi_digital_json,
 * nextmove_send_dpi_utskrift_json, nextmove_send_digital_dpv) and business-message classes
 * (DpiDigitalMessage, DpiPrintMessage, DigitalDpvMessage, PostAddress, MailReturn).
 */
import type { DigitalLetter, PostalAddress } from "./types";
import { conversationIdFor, type MessageKind } from "./eformidling-receipts";

export const FILE = "brev.pdf";

export type Route = { kind: MessageKind; standard: string; process: string; provider: string };

export function standardBusinessDocument(
  letter: DigitalLetter,
  route: Route,
  options: { at: Date; securityLevel: 3 | 4; postalCategory: "A_PRIORITERT" | "B_OEKONOMI" },
) {
  const { at } = options;
  const header = {
    headerVersion: "1.0",
    sender: [
      {
        identifier: { authority: "iso6523-actorid-upis", value: `0192:${letter.senderOrgNumber}` },
      },
    ],
    receiver: [
      { identifier: { authority: "iso6523-actorid-upis", value: letter.recipientNationalId } },
    ],
    documentIdentification: {
      standard: route.standard,
      typeVersion: "2.0",
      instanceIdentifier: letter.id,
      type: route.kind,
      creationDateAndTime: at.toISOString(),
    },
    businessScope: {
      scope: [
        {
          type: "ConversationId",
          instanceIdentifier: conversationIdFor(letter.id, route.kind),
          identifier: route.process,
          // Time to live: not sent by then, the integration point gives up (LEVETID_UTLOPT).
          scopeInformation: [
            { expectedResponseDateTime: new Date(at.getTime() + 7 * 86_400_000).toISOString() },
          ],
        },
      ],
    },
  };
  const spraak = /^(nb|nn|no)/i.test(letter.language)
    ? "NO"
    : letter.language.slice(0, 2).toUpperCase();
  if (route.kind === "digital") {
    return {
      standardBusinessDocumentHeader: header,
      digital: {
        sikkerhetsnivaa: options.securityLevel,
        hoveddokument: FILE,
        tittel: letter.title,
        spraak,
        digitalPostInfo: {
          virkningsdato: at.toISOString().slice(0, 10),
          aapningskvittering: false,
        },
      },
    };
  }
  if (route.kind === "digital_dpv") {
    return {
      standardBusinessDocumentHeader: header,
      digital_dpv: {
        hoveddokument: FILE,
        tittel: letter.title,
        sammendrag: letter.title,
        innhold: letter.title,
      },
    };
  }
  if (!letter.print) throw new Error("a print message needs letter.print");
  return {
    standardBusinessDocumentHeader: header,
    print: {
      hoveddokument: FILE,
      mottaker: postAddress(letter.print.recipient),
      utskriftsfarge: "SORT_HVIT",
      posttype: options.postalCategory,
      retur: { mottaker: postAddress(letter.print.returnTo), returhaandtering: "DIREKTE_RETUR" },
    },
  };
}

function postAddress(a: PostalAddress) {
  const [l1, l2, l3, l4] = a.lines;
  return {
    navn: a.name,
    adresselinje1: l1 ?? "",
    ...(l2 ? { adresselinje2: l2 } : {}),
    ...(l3 ? { adresselinje3: l3 } : {}),
    ...(l4 ? { adresselinje4: l4 } : {}),
    postnummer: a.postalCode,
    poststed: a.postalArea,
    land: a.country,
  };
}
