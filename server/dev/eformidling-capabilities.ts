// What the eFormidling stand-in says a person can receive, in the integration point's
// capabilities JSON (CapabilityTestData.java, capabilities.feature in efm-integrasjonspunkt).
// Development and tests only: nothing under app/ may import this file.
import type { DemoContact, DemoOutcome } from "./letter-demo-people.ts";

export const PROCESSES = {
  info: "urn:no:difi:profile:digitalpost:info:ver1.0",
  decision: "urn:no:difi:profile:digitalpost:vedtak:ver1.0",
};
export const DOC_STANDARDS = {
  digital: "urn:no:difi:digitalpost:xsd:digital::digital",
  digital_dpv: "urn:no:difi:digitalpost:xsd:digital::digital_dpv",
  print: "urn:no:difi:digitalpost:xsd:fysisk::print",
};
const SUPPLIERS: Record<string, string> = { digipost: "984661185", eboks: "922020175" };
const EMPTY_ADDRESS = { name: "", street: "", postalCode: "", postalArea: "", country: "" };

export function capabilitiesFor(people: readonly DemoContact[], id: string) {
  if (!/^\d{11}$/.test(id)) return null;
  const p = people.find((x) => x.nationalId === id);
  if (p && p.country !== "NO") return null;
  const doc = (type: keyof typeof DOC_STANDARDS) => ({ type, standard: DOC_STANDARDS[type] });
  const supplier = p?.mailbox ? SUPPLIERS[p.mailbox] : undefined;
  const capability = (process: string) =>
    p && p.inRegister && !p.reserved && supplier
      ? {
          process,
          serviceIdentifier: "DPI",
          returnAddress: EMPTY_ADDRESS,
          postAddress: EMPTY_ADDRESS,
          documentTypes: [doc("digital"), doc("print")],
          digitalPostAddress: {
            supplier,
            address: `${p.name.toLowerCase().replace(/\s+/g, ".")}#${id.slice(-4)}`,
          },
        }
      : p && p.inRegister && !p.reserved
        ? { process, serviceIdentifier: "DPV", documentTypes: [doc("digital_dpv"), doc("print")] }
        : {
            process,
            serviceIdentifier: "DPI",
            returnAddress: EMPTY_ADDRESS,
            postAddress: EMPTY_ADDRESS,
            documentTypes: [doc("print")],
          };
  return { capabilities: [capability(PROCESSES.info), capability(PROCESSES.decision)] };
}

/**
 * The statuses a sent message goes through, with the descriptions the integration point gives
 * them (post-til-private MessageStatusMapper.java): MOTTATT, then LEVERT (delivered, or accepted
 * for print), then LEST when read; FEIL when it fails; a returned print letter is LEVERT, then
 * FEIL from the returpostkvittering.
 */
export function statusPlan(outcome: DemoOutcome, print: boolean, delayMs: number) {
  const steps: [string, string | null, string | null][] = [
    ["MOTTATT", "Hjørne 3 har mottatt meldingen", null],
  ];
  if (outcome === "failed") {
    steps.push(["FEIL", "Generell melding om at det har skjedd en feil", null]);
  } else {
    steps.push([
      "LEVERT",
      print
        ? "Kvittering fra utskrift og forsendelsestjenesten om at melding er mottatt og lagt til print"
        : "Kvittering på at digital post er tilgjengeliggjort",
      null,
    ]);
    if (outcome === "read" && !print)
      steps.push(["LEST", "Kvittering fra Innbygger for at digital post er åpnet", null]);
    if (outcome === "returned" && print)
      steps.push([
        "FEIL",
        "Kvittering fra utskrift og forsendelsestjenesten om at posten ikke har blitt levert til Mottaker.",
        JSON.stringify({ returpostkvittering: { tidspunkt: new Date().toISOString() } }),
      ]);
  }
  return steps.map(([status, description, raw], i) => ({
    status,
    description,
    raw,
    dueAt: Date.now() + delayMs * (i + 1),
  }));
}
